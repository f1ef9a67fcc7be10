#include "message.h"

#include <QRandomGenerator>

#include <atomic>

QString statusName(MessageStatus status)
{
    switch (status) {
    case MessageStatus::None:
        return QString();
    case MessageStatus::Pending:
        return QStringLiteral("pending");
    case MessageStatus::Sent:
        return QStringLiteral("sent");
    case MessageStatus::Delivered:
        return QStringLiteral("delivered");
    case MessageStatus::Read:
        return QStringLiteral("read");
    case MessageStatus::Failed:
        return QStringLiteral("failed");
    }
    return QString();
}

std::optional<MessageStatus> statusFromName(QStringView name)
{
    if (name == u"pending")
        return MessageStatus::Pending;
    if (name == u"sent")
        return MessageStatus::Sent;
    if (name == u"delivered")
        return MessageStatus::Delivered;
    if (name == u"read")
        return MessageStatus::Read;
    if (name == u"failed")
        return MessageStatus::Failed;
    return std::nullopt;
}

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
