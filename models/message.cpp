#include "message.h"

#include <QRandomGenerator>

#include <atomic>

QString makeMessageId()
{
    const quint32 random = QRandomGenerator::global()->generate();
    return QStringLiteral("msg_%1_%2")
        .arg(QDateTime::currentMSecsSinceEpoch())
        .arg(random, 8, 16, QLatin1Char('0'));
}

quint64 nextChangeStamp()
{
    static std::atomic<quint64> stamp {0};
    return ++stamp;
}
