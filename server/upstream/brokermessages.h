// What travels through RabbitMQ between widget-server instances and the WhatsApp side, as pure
// functions over values (table-tested; no I/O).
//
// Topology (declared by every client, idempotently):
//   exchange widget.outbound  topic, durable   accepted replies, routing key <tenant>.<conversation>,
//                                               persistent, message_id = the reply's deliveryId, else
//                                               its id (consumers deduplicate by it), type "outbound_message"
//   queue    widget.outbound  durable, bound "#" the far side consumes it; replies wait there while
//                                               it is away
//   exchange widget.events    topic, durable   status updates and customer messages from the far side,
//                                               routing key <tenant>.<conversation>
//   one exclusive auto-delete queue per widget-server instance, server-named, bound to widget.events
//   with "#": every instance sees every event and emits it to the sockets connected to it.
// In a routing key, '.' and '%' inside an id are percent-encoded so the two words stay apart.
//
// Bodies are JSON objects:
//   outbound:  {"type":"outbound_message","tenantId","conversationId","messageId","clientMessageId",
//               "integrationId","text","mediaUrl","timestamp","deliveryId"?}
//              deliveryId only on an agent's Retry of a failed reply (<messageId>:retry:<n>): a new
//              delivery of the same message, which a consumer must not drop as a repeat.
//   events:    {"type":"status_update","tenantId","conversationId","messageId","status",
//               "timestamp","error":{"message"}?}
//              {"type":"inbound_message","tenantId","conversationId","messageId","text","mediaUrl","timestamp"}
// timestamp: ISO 8601 or epoch milliseconds; absent means now.
#pragma once

#include "upstream.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <variant>

namespace BrokerMessages {

inline constexpr char OutboundExchange[] = "widget.outbound";
inline constexpr char OutboundQueue[] = "widget.outbound";
inline constexpr char EventsExchange[] = "widget.events";
inline constexpr char OutboundType[] = "outbound_message";
inline constexpr char StatusType[] = "status_update";
inline constexpr char InboundType[] = "inbound_message";
inline constexpr qsizetype MaxBodyBytes = 256 * 1024; // a bigger event is refused, not parsed

struct StatusEvent
{
    QString tenantId;
    QString conversationId;
    QString messageId;
    QString status; // sent / delivered / read / failed
    QString error; // why it failed; empty otherwise
    QDateTime timestamp;
};

struct InboundEvent
{
    QString tenantId;
    QString conversationId;
    QString messageId;
    QString text;
    QString mediaUrl;
    QDateTime timestamp;
};

QString routingKey(const QString &tenant, const QString &conversation);

QByteArray encodeOutbound(const OutboundMessage &message);
// The message, or why the body is not one.
std::variant<OutboundMessage, QString> decodeOutbound(const QByteArray &body);

QByteArray encodeEvent(const StatusEvent &event);
QByteArray encodeEvent(const InboundEvent &event);
// The event, or why the body is not one (the QString alternative).
std::variant<QString, StatusEvent, InboundEvent> decodeEvent(const QByteArray &body);

} // namespace BrokerMessages
