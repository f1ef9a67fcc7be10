#include "serverword.h"

#include "messagelistmodel.h"
#include "outbox.h"

bool applyServerWord(Outbox &outbox, MessageListModel &model, const QString &id, std::optional<StatusEvent> event,
    const QString &error, quint64 stamp)
{
    const int row = model.rowOf(id);
    if (row < 0)
        return false;
    const QString canonical = model.at(row).id; // the client's id, when `id` is the server's alias
    if (outbox.contains(canonical)) {
        if (event)
            outbox.applyServer(canonical, *event, error, stamp);
        return true;
    }
    if (!event)
        return true;
    const MessageStatus before = model.at(row).status;
    // A reply of ours the upstream fails while the agent works is not sent after all: back into the
    // outbox, where it holds the replies written after it. One that had failed before the console saw
    // it (an old page) stays as it is shown.
    if (model.applyEvent(canonical, *event, error, stamp) && *event == StatusEvent::ServerFailed
        && before != MessageStatus::Failed)
        outbox.holdFailed(model.at(row));
    return true;
}
