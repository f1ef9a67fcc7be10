#include "identifiers.h"

#include <QDateTime>
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
    return QStringLiteral("msg_%1_%2").arg(QDateTime::currentMSecsSinceEpoch()).arg(randomHex(8));
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

bool tokensEqual(const QString &expected, const QString &given)
{
    if (expected.isEmpty())
        return false; // no token configured: nobody is let in
    const QByteArray a = expected.toUtf8();
    const QByteArray b = given.toUtf8();
    // Compare every byte whatever the first mismatch, so response time does not reveal a prefix.
    unsigned diff = unsigned(a.size() ^ b.size());
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= unsigned(uchar(a[i]) ^ uchar(i < b.size() ? b[i] : 0));
    return diff == 0;
}

} // namespace ServerIds
