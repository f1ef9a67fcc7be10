#include "identifiers.h"

#include "messageid.h"

#include <QRandomGenerator>

namespace ServerIds {

static QString randomHex(int digits)
{
    QString out;
    out.reserve(digits);
    for (int i = 0; i < digits; ++i)
        out.append(QChar(u"0123456789abcdef"[QRandomGenerator::global()->bounded(16)]));
    return out;
}

QString messageId()
{
    return Protocol::newMessageId();
}

QString sessionId()
{
    static constexpr char16_t alphabet[] = u"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    QString out;
    out.reserve(20);
    for (int i = 0; i < 20; ++i)
        out.append(QChar(alphabet[QRandomGenerator::global()->bounded(64)]));
    return out;
}

QString upstreamId()
{
    return QStringLiteral("wamid.") + randomHex(32);
}

} // namespace ServerIds
