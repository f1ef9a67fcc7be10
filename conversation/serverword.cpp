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
    if (event)
        model.applyEvent(canonical, *event, error);
    return true;
}
