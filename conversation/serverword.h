// The server's word on one message (a status event, or a history page naming it) goes to whoever owns
// that message's state now: the Outbox while it holds the reply, the MessageListModel after.
#pragma once

#include "statuslattice.h"

#include <QString>

#include <optional>

class MessageListModel;
class Outbox;

// False when neither knows the id. `stamp`: when the word was asked for (a history request), so a
// page older than the agent's last change to a reply does not undo it; nextChangeStamp() for "now".
bool applyServerWord(Outbox &outbox, MessageListModel &model, const QString &id, std::optional<StatusEvent> event,
    const QString &error, quint64 stamp);
