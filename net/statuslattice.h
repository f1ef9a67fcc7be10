// The message state rules of CONTRACT.md §3 as one pure function, in the protocol library: the console
// applies it to its bubbles, widget-server to what it stores (ConversationStore::statusMayFollow).
#pragma once

#include "messagestatus.h"

#include <optional>

enum class StatusEvent : quint8 {
    PostAccepted, // POST /send answered 200
    PostFailed, // POST failed after the last automatic retry, or with a non-retryable status
    RetryRequested, // the agent pressed Retry
    ServerSent, // status_update "sent"
    ServerDelivered, // status_update "delivered"
    ServerRead, // status_update "read"
    ServerFailed, // status_update "failed"
};

// Rank of the progress states: pending 0 < sent 1 < delivered 2 < read 3; -1 for None and Failed.
int statusRank(MessageStatus status);

// The state a message in `from` moves to on `event`, or nullopt when the event changes nothing
// (duplicates, regressions, events that do not apply): the caller then must not repaint.
std::optional<MessageStatus> nextStatus(MessageStatus from, StatusEvent event);

// The event a server status_update with this status stands for; nullopt for "pending" or None.
std::optional<StatusEvent> serverEvent(MessageStatus reported);
