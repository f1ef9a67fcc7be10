#include "statuslattice.h"

int statusRank(MessageStatus status)
{
    switch (status) {
    case MessageStatus::Pending:
        return 0;
    case MessageStatus::Sent:
        return 1;
    case MessageStatus::Delivered:
        return 2;
    case MessageStatus::Read:
        return 3;
    case MessageStatus::None:
    case MessageStatus::Failed:
        return -1;
    }
    return -1;
}

static std::optional<MessageStatus> progressTo(MessageStatus from, MessageStatus to)
{
    if (from == MessageStatus::None)
        return std::nullopt; // inbound messages have no delivery state
    if (from == MessageStatus::Failed) {
        // A delivery or read receipt proves the reply arrived; "sent" alone does not.
        if (to == MessageStatus::Delivered || to == MessageStatus::Read)
            return to;
        return std::nullopt;
    }
    if (statusRank(from) < statusRank(to))
        return to;
    return std::nullopt; // duplicate or regression
}

std::optional<MessageStatus> nextStatus(MessageStatus from, StatusEvent event)
{
    switch (event) {
    case StatusEvent::PostAccepted:
        return progressTo(from, MessageStatus::Sent);
    case StatusEvent::PostFailed:
        if (from == MessageStatus::Pending)
            return MessageStatus::Failed;
        return std::nullopt;
    case StatusEvent::RetryRequested:
        if (from == MessageStatus::Failed)
            return MessageStatus::Pending;
        return std::nullopt;
    case StatusEvent::ServerSent:
        return progressTo(from, MessageStatus::Sent);
    case StatusEvent::ServerDelivered:
        return progressTo(from, MessageStatus::Delivered);
    case StatusEvent::ServerRead:
        return progressTo(from, MessageStatus::Read);
    case StatusEvent::ServerFailed:
        if (from == MessageStatus::Pending || from == MessageStatus::Sent)
            return MessageStatus::Failed;
        return std::nullopt;
    }
    return std::nullopt;
}

std::optional<StatusEvent> serverEvent(MessageStatus reported)
{
    switch (reported) {
    case MessageStatus::Sent:
        return StatusEvent::ServerSent;
    case MessageStatus::Delivered:
        return StatusEvent::ServerDelivered;
    case MessageStatus::Read:
        return StatusEvent::ServerRead;
    case MessageStatus::Failed:
        return StatusEvent::ServerFailed;
    case MessageStatus::None:
    case MessageStatus::Pending:
        return std::nullopt;
    }
    return std::nullopt;
}
