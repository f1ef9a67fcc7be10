// Message: one bubble of a conversation, a plain value cheap to copy.
#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

enum class Direction : quint8 { Inbound, Outbound };

// Delivery state of an outbound reply (CONTRACT.md §3). Inbound messages carry None.
enum class MessageStatus : quint8 { None, Pending, Sent, Delivered, Read, Failed };

struct Message
{
    QString id;
    Direction direction = Direction::Inbound;
    QString text;
    QString mediaUrl;
    QDateTime timestamp;
    MessageStatus status = MessageStatus::None;
    QString error; // why a Failed reply failed, as the server or network said it
    bool queued = false; // outbound, waiting behind an earlier reply that has not left (CONTRACT.md §3 "Order")

    bool operator==(const Message &) const = default;
};

Q_DECLARE_METATYPE(Message)

QString statusName(MessageStatus status);
// Parses the wire names "pending", "sent", "delivered", "read", "failed"; anything else is nullopt.
std::optional<MessageStatus> statusFromName(QStringView name);

// A fresh client-side message id: msg_<epoch ms>_<8 lower-case hex> (CONTRACT.md §4).
QString makeMessageId();

// A process-wide count that only goes up. It orders the agent's own changes to a reply (typed,
// retried) against the history requests in flight: a page asked for before a change must not undo it.
quint64 nextChangeStamp();
