// The JSON bodies of CONTRACT.md §1 and the packets of §2, parsed into the console's value types. Pure
// functions: unknown fields are ignored, wrong types are errors, nothing throws.
#pragma once

#include "cannedresponse.h"
#include "message.h"
#include "protocol.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace Protocol {
class JsonReader;
}

namespace Wire {

struct ApiError
{
    int httpStatus = 0; // 0: no HTTP answer (network error, timeout)
    QString code; // the server's error code, e.g. MISSING_FIELD, or a local one (NETWORK, TIMEOUT, BAD_REPLY)
    QString message; // what the agent reads
};

struct ConversationContext
{
    QString waId;
    QString integrationId;
    QString tenantId;
    QString customerName;
};

struct HistoryPage
{
    QList<Message> messages; // oldest first
    int total = -1; // -1 when the server did not say
};

struct StatusUpdate
{
    QString messageId;
    MessageStatus status = MessageStatus::None;
    QString error;
    QDateTime timestamp;
};

// A timestamp as epoch milliseconds, or as text: ISO 8601 or epoch milliseconds. Invalid otherwise.
QDateTime timestampFromMs(double ms);
QDateTime parseTimestamp(QStringView text);

// The JSON decoders read the text straight into these types with Protocol::JsonReader (no QJsonDocument
// tree): unknown fields are ignored, a repeated field counts with its last value, wrong types are errors.

// A message of a history page or an inbound_message event (CONTRACT.md §1, §2), and the argument of a
// status_update event: the reader is on the value, and moves past it even when it is not one.
std::optional<Message> readMessage(Protocol::JsonReader &reader, QString *error = nullptr);
std::optional<StatusUpdate> readStatusUpdate(Protocol::JsonReader &reader, QString *error = nullptr);

std::optional<ConversationContext> parseContext(const QByteArray &body, QString *error = nullptr);
std::optional<HistoryPage> parseHistory(const QByteArray &body, QString *error = nullptr);
// The id the backend accepted the reply under (may differ from the one sent, CONTRACT.md §1).
std::optional<QString> parseSendReply(const QByteArray &body, QString *error = nullptr);
// {"cannedResponses": [...]}; entries without a short code or content are skipped (and said in *error).
std::optional<QList<CannedResponse>> parseCannedResponses(const QByteArray &body, QString *error = nullptr);
// {"error":{"message","code"}} of a 4xx/5xx reply; falls back to a text naming the HTTP status when the
// body is not ours (an HTML page from a proxy, say).
ApiError errorFromReply(int httpStatus, const QByteArray &body);

// What the console takes from one Socket.IO packet of the server (CONTRACT.md §2), read from the packet's
// text. It accepts and refuses exactly what Protocol::decodeSocketPacket() does.
struct ServerPacket
{
    Protocol::SocketPacketType type = Protocol::SocketPacketType::Event;
    QString nsp = QStringLiteral("/");
    int attachments = 0; // binary packets: how many binary messages follow
    QString pid; // CONNECT: the session id of connection-state recovery, empty without one
    QString message; // CONNECT_ERROR: the server's reason, possibly empty
    QString event; // EVENT: its name, empty when the name is a number
    // EVENT with more than two items whose last one is a string: what a recovering server appends.
    std::optional<QString> offset;
    std::optional<StatusUpdate> statusUpdate; // a status_update that parsed
    std::optional<Message> inboundMessage; // an inbound_message that parsed
    QString argumentError; // why a status_update or inbound_message did not
};
std::optional<ServerPacket> decodeServerPacket(QStringView payload, QString *error = nullptr);

} // namespace Wire

Q_DECLARE_METATYPE(Wire::ApiError)
Q_DECLARE_METATYPE(Wire::ConversationContext)
Q_DECLARE_METATYPE(Wire::HistoryPage)
Q_DECLARE_METATYPE(Wire::StatusUpdate)
