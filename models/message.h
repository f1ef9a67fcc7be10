// Message: one bubble of a conversation, a plain value cheap to copy.
#pragma once

#include "attachment.h"
#include "messagestatus.h" // MessageStatus, statusName(), statusFromName(): shared with widget-server

#include <QDateTime>
#include <QMetaType>
#include <QString>

enum class Direction : quint8 { Inbound, Outbound };

struct Message
{
    QString id;
    Direction direction = Direction::Inbound;
    QString text;
    QString mediaUrl; // the attachment at the server (CONTRACT.md §5); empty until uploaded
    Attachment attachment; // empty for a text message
    QDateTime timestamp;
    MessageStatus status = MessageStatus::None;
    QString error; // why a Failed reply failed, as the server or network said it
    bool queued = false; // outbound, waiting behind an earlier reply that has not left (CONTRACT.md §3 "Order")

    bool operator==(const Message &) const = default;
};

Q_DECLARE_METATYPE(Message)

// A fresh client-side message id: msg_<epoch ms>_<8 lower-case hex> (CONTRACT.md §4).
QString makeMessageId();

// A process-wide count that only goes up. It orders the agent's own changes to a reply (typed,
// retried) against the history requests in flight: a page asked for before a change must not undo it.
quint64 nextChangeStamp();
