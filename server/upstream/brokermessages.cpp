#include "brokermessages.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace BrokerMessages {

namespace {

constexpr qsizetype MaxIdLength = 256;
constexpr qsizetype MaxTextLength = 64 * 1024;

QString escapeWord(const QString &id)
{
    QString word = id;
    word.replace(u'%', QStringLiteral("%25"));
    word.replace(u'.', QStringLiteral("%2E"));
    return word;
}

// No timestamp (null) reads back as "now".
QJsonValue timestampOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue(QJsonValue::Null);
}

QJsonValue stringOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

// Reads JSON fields and remembers the first problem, so a decoder reads like the format it checks.
class Reader
{
public:
    explicit Reader(const QJsonObject &object)
        : m_object(object)
    {
    }
    QString id(const char *key)
    {
        const QString value = string(key, MaxIdLength);
        if (value.isEmpty())
            fail(QStringLiteral("%1 missing or empty").arg(QLatin1String(key)));
        return value;
    }
    // An optional string (absent and null read as empty).
    QString string(const char *key, qsizetype maxLength)
    {
        const QJsonValue value = m_object.value(QLatin1String(key));
        if (value.isUndefined() || value.isNull())
            return {};
        if (!value.isString())
            fail(QStringLiteral("%1 is not a string").arg(QLatin1String(key)));
        else if (value.toString().size() > maxLength)
            fail(QStringLiteral("%1 is too long").arg(QLatin1String(key)));
        return value.toString();
    }
    QDateTime timestamp()
    {
        const QJsonValue value = m_object.value(QLatin1String("timestamp"));
        if (value.isUndefined() || value.isNull())
            return QDateTime::currentDateTimeUtc();
        QDateTime t;
        if (value.isDouble())
            t = QDateTime::fromMSecsSinceEpoch(qint64(value.toDouble()), Qt::UTC);
        else if (value.isString())
            t = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
        if (!t.isValid())
            fail(QStringLiteral("timestamp is neither ISO 8601 nor epoch milliseconds"));
        return t.toUTC();
    }
    void fail(const QString &problem)
    {
        if (m_problem.isEmpty())
            m_problem = problem;
    }
    const QString &problem() const { return m_problem; }

private:
    const QJsonObject &m_object;
    QString m_problem;
};

std::variant<QJsonObject, QString> parseObject(const QByteArray &body)
{
    if (body.size() > MaxBodyBytes)
        return QStringLiteral("body larger than %1 bytes").arg(MaxBodyBytes);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return QStringLiteral("not JSON: ") + error.errorString();
    if (!document.isObject())
        return QStringLiteral("not a JSON object");
    return document.object();
}

} // namespace

QString routingKey(const QString &tenant, const QString &conversation)
{
    return escapeWord(tenant) + u'.' + escapeWord(conversation);
}

QByteArray encodeOutbound(const OutboundMessage &message)
{
    const QJsonObject json {
        {QStringLiteral("type"), QLatin1String(OutboundType)},
        {QStringLiteral("tenantId"), message.tenantId},
        {QStringLiteral("conversationId"), message.conversationId},
        {QStringLiteral("messageId"), message.id},
        {QStringLiteral("clientMessageId"), message.clientMessageId},
        {QStringLiteral("integrationId"), message.integrationId},
        {QStringLiteral("text"), stringOrNull(message.text)},
        {QStringLiteral("mediaUrl"), stringOrNull(message.mediaUrl)},
        {QStringLiteral("timestamp"), timestampOrNull(message.timestamp)},
    };
    if (!message.deliveryId.isEmpty() && message.deliveryId != message.id) {
        QJsonObject withDelivery = json;
        withDelivery.insert(QStringLiteral("deliveryId"), message.deliveryId);
        return QJsonDocument(withDelivery).toJson(QJsonDocument::Compact);
    }
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

std::variant<OutboundMessage, QString> decodeOutbound(const QByteArray &body)
{
    auto parsed = parseObject(body);
    if (const auto *error = std::get_if<QString>(&parsed))
        return *error;
    const QJsonObject object = std::get<QJsonObject>(parsed);
    Reader read(object);
    if (object.value(u"type").toString() != QLatin1String(OutboundType))
        read.fail(QStringLiteral("type is not %1").arg(QLatin1String(OutboundType)));
    OutboundMessage message;
    message.tenantId = read.id("tenantId");
    message.conversationId = read.id("conversationId");
    message.id = read.id("messageId");
    message.clientMessageId = read.id("clientMessageId");
    message.integrationId = read.string("integrationId", MaxIdLength);
    message.text = read.string("text", MaxTextLength);
    message.mediaUrl = read.string("mediaUrl", MaxTextLength);
    message.timestamp = read.timestamp();
    if (object.contains(u"deliveryId")) {
        const QJsonValue delivery = object.value(u"deliveryId");
        if (!delivery.isString() || delivery.toString().isEmpty() || delivery.toString().size() > MaxIdLength)
            read.fail(QStringLiteral("deliveryId is not an id"));
        else
            message.deliveryId = delivery.toString();
    }
    if (message.text.isEmpty() && message.mediaUrl.isEmpty())
        read.fail(QStringLiteral("neither text nor mediaUrl"));
    if (!read.problem().isEmpty())
        return read.problem();
    return message;
}

QByteArray encodeEvent(const StatusEvent &event)
{
    QJsonObject json {
        {QStringLiteral("type"), QLatin1String(StatusType)},
        {QStringLiteral("tenantId"), event.tenantId},
        {QStringLiteral("conversationId"), event.conversationId},
        {QStringLiteral("messageId"), event.messageId},
        {QStringLiteral("status"), event.status},
        {QStringLiteral("timestamp"), timestampOrNull(event.timestamp)},
    };
    if (!event.error.isEmpty())
        json.insert(QStringLiteral("error"), QJsonObject {{QStringLiteral("message"), event.error}});
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

QByteArray encodeEvent(const InboundEvent &event)
{
    const QJsonObject json {
        {QStringLiteral("type"), QLatin1String(InboundType)},
        {QStringLiteral("tenantId"), event.tenantId},
        {QStringLiteral("conversationId"), event.conversationId},
        {QStringLiteral("messageId"), event.messageId},
        {QStringLiteral("text"), stringOrNull(event.text)},
        {QStringLiteral("mediaUrl"), stringOrNull(event.mediaUrl)},
        {QStringLiteral("timestamp"), timestampOrNull(event.timestamp)},
    };
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

std::variant<QString, StatusEvent, InboundEvent> decodeEvent(const QByteArray &body)
{
    auto parsed = parseObject(body);
    if (const auto *error = std::get_if<QString>(&parsed))
        return *error;
    const QJsonObject object = std::get<QJsonObject>(parsed);
    Reader read(object);
    const QString type = object.value(u"type").toString();
    if (type == QLatin1String(StatusType)) {
        StatusEvent event;
        event.tenantId = read.id("tenantId");
        event.conversationId = read.id("conversationId");
        event.messageId = read.id("messageId");
        event.status = read.string("status", 16);
        static const QStringList statuses {
            QStringLiteral("sent"), QStringLiteral("delivered"), QStringLiteral("read"), QStringLiteral("failed")};
        if (!statuses.contains(event.status))
            read.fail(QStringLiteral("status is not sent, delivered, read or failed"));
        const QJsonValue error = object.value(u"error");
        if (error.isObject())
            event.error = error.toObject().value(u"message").toString().left(MaxTextLength);
        else if (!error.isUndefined() && !error.isNull())
            read.fail(QStringLiteral("error is not an object"));
        event.timestamp = read.timestamp();
        if (!read.problem().isEmpty())
            return read.problem();
        return event;
    }
    if (type == QLatin1String(InboundType)) {
        InboundEvent event;
        event.tenantId = read.id("tenantId");
        event.conversationId = read.id("conversationId");
        event.messageId = read.id("messageId");
        event.text = read.string("text", MaxTextLength);
        event.mediaUrl = read.string("mediaUrl", MaxTextLength);
        event.timestamp = read.timestamp();
        if (event.text.isEmpty() && event.mediaUrl.isEmpty())
            read.fail(QStringLiteral("neither text nor mediaUrl"));
        if (!read.problem().isEmpty())
            return read.problem();
        return event;
    }
    return QStringLiteral("unknown type '%1'").arg(type.left(40));
}

} // namespace BrokerMessages
