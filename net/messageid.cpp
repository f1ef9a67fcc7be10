#include "messageid.h"

#include <QDateTime>
#include <QRandomGenerator>

#include <atomic>

namespace Protocol {

QString newMessageId()
{
    static std::atomic<quint32> next {QRandomGenerator::system()->generate()};
    const quint32 count = next.fetch_add(1, std::memory_order_relaxed);
    return QStringLiteral("msg_%1_%2")
        .arg(QDateTime::currentMSecsSinceEpoch())
        .arg(count, 8, 16, QLatin1Char('0'));
}

} // namespace Protocol
