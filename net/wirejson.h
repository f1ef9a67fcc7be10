// The JSON bodies of CONTRACT.md §1 and the event payloads of §2, parsed into the console's value
// types. Pure functions: unknown fields are ignored, wrong types are errors, nothing throws.
#pragma once

#include "cannedresponse.h"
#include "message.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>

#include <optional>

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

// ISO 8601 text or epoch milliseconds; invalid QDateTime otherwise.
QDateTime parseTimestamp(const QJsonValue &value);
std::optional<Message> messageFromJson(const QJsonValue &value, QString *error = nullptr);

std::optional<ConversationContext> parseContext(const QByteArray &body, QString *error = nullptr);
std::optional<HistoryPage> parseHistory(const QByteArray &body, QString *error = nullptr);
// The id the backend accepted the reply under (may differ from the one sent, CONTRACT.md §1).
std::optional<QString> parseSendReply(const QByteArray &body, QString *error = nullptr);
// {"cannedResponses": [...]}; entries without a short code or content are skipped (and said in *error).
std::optional<QList<CannedResponse>> parseCannedResponses(const QByteArray &body, QString *error = nullptr);
// {"error":{"message","code"}} of a 4xx/5xx reply; falls back to a text naming the HTTP status when the
// body is not ours (an HTML page from a proxy, say).
ApiError errorFromReply(int httpStatus, const QByteArray &body);

std::optional<StatusUpdate> parseStatusUpdate(const QJsonValue &payload, QString *error = nullptr);
std::optional<Message> parseInboundMessage(const QJsonValue &payload, QString *error = nullptr);

} // namespace Wire

Q_DECLARE_METATYPE(Wire::ApiError)
Q_DECLARE_METATYPE(Wire::ConversationContext)
Q_DECLARE_METATYPE(Wire::HistoryPage)
Q_DECLARE_METATYPE(Wire::StatusUpdate)
