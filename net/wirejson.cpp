#include "wirejson.h"

#include "mediajson.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <limits>

namespace Wire {

static void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

static std::optional<QJsonObject> objectOf(const QByteArray &body, QString *error)
{
    QJsonParseError parseError;
    QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    // One bad byte in one customer's message must not make the whole conversation unreadable: decode
    // with replacement characters and parse again.
    if (parseError.error == QJsonParseError::IllegalUTF8String)
        doc = QJsonDocument::fromJson(QString::fromUtf8(body).toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        setError(error,
            QCoreApplication::translate("Wire", "The server's reply is not JSON (%1).").arg(parseError.errorString()));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        setError(error, QCoreApplication::translate("Wire", "The server's reply is not a JSON object."));
        return std::nullopt;
    }
    return doc.object();
}

static QString stringOf(const QJsonValue &v)
{
    return v.isString() ? v.toString() : QString();
}

QDateTime parseTimestamp(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double ms = value.toDouble();
        if (ms >= 0 && ms < 253402300800000.0) // before year 10000
            return QDateTime::fromMSecsSinceEpoch(qint64(ms), Qt::UTC);
        return QDateTime();
    }
    if (value.isString()) {
        const QString s = value.toString();
        bool isNumber = false;
        const qint64 ms = s.toLongLong(&isNumber);
        if (isNumber)
            return ms >= 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC) : QDateTime();
        QDateTime t = QDateTime::fromString(s, Qt::ISODateWithMs);
        if (!t.isValid())
            t = QDateTime::fromString(s, Qt::ISODate);
        return t;
    }
    return QDateTime();
}

std::optional<Message> messageFromJson(const QJsonValue &value, QString *error)
{
    if (!value.isObject()) {
        setError(error, QStringLiteral("message is not an object"));
        return std::nullopt;
    }
    const QJsonObject o = value.toObject();
    Message m;
    m.id = stringOf(o.value(u"id"));
    if (m.id.isEmpty())
        m.id = stringOf(o.value(u"messageId"));
    if (m.id.isEmpty()) {
        setError(error, QStringLiteral("message without id"));
        return std::nullopt;
    }
    const QString direction = stringOf(o.value(u"direction"));
    if (direction == u"outbound")
        m.direction = Direction::Outbound;
    else if (direction == u"inbound" || direction.isEmpty())
        m.direction = Direction::Inbound;
    else {
        setError(error, QStringLiteral("unknown direction \"%1\"").arg(direction));
        return std::nullopt;
    }
    m.text = stringOf(o.value(u"text"));
    m.mediaUrl = stringOf(o.value(u"mediaUrl"));
    if (!m.mediaUrl.isEmpty())
        m.attachment = attachmentFromJson(o, m.mediaUrl); // CONTRACT.md §5: mimeType, fileName, size, ...
    m.timestamp = parseTimestamp(o.value(u"timestamp"));
    if (m.direction == Direction::Outbound) {
        // An outbound message in the server's history was accepted: no status means at least "sent".
        m.status = statusFromName(stringOf(o.value(u"status"))).value_or(MessageStatus::Sent);
        if (m.status == MessageStatus::Pending)
            m.status = MessageStatus::Sent;
        if (m.status == MessageStatus::Failed)
            m.error = stringOf(o.value(u"error").toObject().value(u"message"));
    }
    return m;
}

std::optional<ConversationContext> parseContext(const QByteArray &body, QString *error)
{
    const auto o = objectOf(body, error);
    if (!o)
        return std::nullopt;
    ConversationContext c;
    const QJsonValue waId = o->value(u"wa_id");
    // A phone number, so an integer: a double outside qint64 would make the cast undefined (found by
    // fuzz_rest with {"wa_id":1e300}); such a number is treated as no wa_id.
    const double number = waId.toDouble();
    const bool fits = waId.isDouble() && number > -9.2e18 && number < 9.2e18;
    c.waId = fits ? QString::number(qint64(number)) : stringOf(waId);
    if (c.waId.isEmpty()) {
        setError(error, QCoreApplication::translate("Wire", "The conversation context has no wa_id."));
        return std::nullopt;
    }
    c.integrationId = stringOf(o->value(u"integrationId"));
    c.tenantId = stringOf(o->value(u"tenantId"));
    c.customerName = stringOf(o->value(u"customer").toObject().value(u"name"));
    return c;
}

std::optional<QList<CannedResponse>> parseCannedResponses(const QByteArray &body, QString *error)
{
    const auto o = objectOf(body, error);
    if (!o)
        return std::nullopt;
    const QJsonValue list = o->value(u"cannedResponses");
    if (!list.isArray()) {
        setError(error, QCoreApplication::translate("Wire", "The canned responses reply has no list."));
        return std::nullopt;
    }
    QList<CannedResponse> responses;
    int skipped = 0;
    for (const QJsonValue &v : list.toArray()) {
        const QJsonObject item = v.toObject();
        const QJsonValue id = item.value(u"id");
        CannedResponse r {id.isDouble() ? QString::number(id.toDouble(), 'g', 15) : stringOf(id),
            stringOf(item.value(u"shortCode")).trimmed(), stringOf(item.value(u"content"))};
        if (r.shortCode.isEmpty() || r.content.trimmed().isEmpty()) {
            ++skipped;
            continue;
        }
        responses.append(r);
    }
    if (skipped > 0)
        setError(error, QStringLiteral("%1 canned responses without a short code or content skipped").arg(skipped));
    return responses;
}

std::optional<HistoryPage> parseHistory(const QByteArray &body, QString *error)
{
    const auto o = objectOf(body, error);
    if (!o)
        return std::nullopt;
    const QJsonValue messages = o->value(u"messages");
    if (!messages.isArray()) {
        setError(error, QCoreApplication::translate("Wire", "The history reply has no message list."));
        return std::nullopt;
    }
    HistoryPage page;
    for (const QJsonValue &v : messages.toArray()) {
        QString why;
        if (auto m = messageFromJson(v, &why))
            page.messages.append(*m);
        else
            setError(error, QStringLiteral("skipped a history message: %1").arg(why));
    }
    // Out of int range the cast is undefined (fuzz_rest: {"total":1e300}); a negative or absurd total
    // says nothing, like a missing one.
    const double total = o->value(u"total").toDouble(-1);
    if (total >= 0 && total <= std::numeric_limits<int>::max())
        page.total = int(total);
    return page;
}

std::optional<QString> parseSendReply(const QByteArray &body, QString *error)
{
    const auto o = objectOf(body, error);
    if (!o)
        return std::nullopt;
    if (o->value(u"success") == QJsonValue(false)) {
        setError(error, stringOf(o->value(u"error").toObject().value(u"message")));
        return std::nullopt;
    }
    return stringOf(o->value(u"messageId"));
}

ApiError errorFromReply(int httpStatus, const QByteArray &body)
{
    ApiError e;
    e.httpStatus = httpStatus;
    const QJsonObject err = QJsonDocument::fromJson(body).object().value(u"error").toObject();
    e.code = stringOf(err.value(u"code"));
    e.message = stringOf(err.value(u"message"));
    if (e.message.isEmpty())
        e.message = QCoreApplication::translate("Wire", "The server answered with HTTP status %1.").arg(httpStatus);
    return e;
}

std::optional<StatusUpdate> parseStatusUpdate(const QJsonValue &payload, QString *error)
{
    if (!payload.isObject()) {
        setError(error, QStringLiteral("status_update payload is not an object"));
        return std::nullopt;
    }
    const QJsonObject o = payload.toObject();
    StatusUpdate u;
    u.messageId = stringOf(o.value(u"messageId"));
    const auto status = statusFromName(stringOf(o.value(u"status")));
    if (u.messageId.isEmpty() || !status) {
        setError(error, QStringLiteral("status_update without messageId or with an unknown status"));
        return std::nullopt;
    }
    u.status = *status;
    u.timestamp = parseTimestamp(o.value(u"timestamp"));
    const QJsonValue err = o.value(u"error");
    u.error = err.isObject() ? stringOf(err.toObject().value(u"message")) : stringOf(err);
    return u;
}

std::optional<Message> parseInboundMessage(const QJsonValue &payload, QString *error)
{
    auto m = messageFromJson(payload, error);
    if (!m)
        return std::nullopt;
    m->direction = Direction::Inbound;
    m->status = MessageStatus::None;
    if (!m->timestamp.isValid())
        m->timestamp = QDateTime::currentDateTimeUtc();
    return m;
}

} // namespace Wire
