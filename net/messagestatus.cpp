#include "messagestatus.h"

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
