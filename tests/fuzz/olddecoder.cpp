#include "olddecoder.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeDatabase>
#include <QUrl>

#include <limits>

namespace OldDecoder {

using namespace Protocol;

namespace {

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

QString stringOf(const QJsonValue &v)
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

// A whole number in [minimum, maximum], else `fallback`: 1e300 or -5 pixels say nothing.
qint64 boundedNumber(const QJsonValue &value, qint64 minimum, qint64 maximum, qint64 fallback)
{
    if (!value.isDouble())
        return fallback;
    const double number = value.toDouble();
    return number >= double(minimum) && number <= double(maximum) ? qint64(number) : fallback;
}

// Larger than any camera's picture; also what keeps width * height far from overflowing.
constexpr qint64 MaxSide = 100000;

Attachment attachmentFromJson(const QJsonObject &o, const QString &mediaUrl)
{
    Attachment a;
    a.mimeType = o.value(u"mimeType").toString().trimmed().toLower();
    a.fileName = AttachmentRules::safeFileName(o.value(u"fileName").toString());
    if (!o.value(u"fileName").isString() || o.value(u"fileName").toString().trimmed().isEmpty())
        a.fileName = AttachmentRules::safeFileName(QUrl(mediaUrl).fileName());
    if (a.mimeType.isEmpty()) { // an older backend: the name is all there is to go by
        const QMimeType guess = QMimeDatabase().mimeTypeForFile(a.fileName, QMimeDatabase::MatchExtension);
        a.mimeType = guess.isDefault() ? QString() : guess.name();
    }
    a.size = boundedNumber(o.value(u"size"), 0, qint64(1) << 50, -1);
    a.width = int(boundedNumber(o.value(u"width"), 1, MaxSide, 0));
    a.height = int(boundedNumber(o.value(u"height"), 1, MaxSide, 0));
    if (a.width == 0 || a.height == 0)
        a.width = a.height = 0; // one side alone cannot size a box
    return a;
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
        m.status = statusFromName(stringOf(o.value(u"status"))).value_or(MessageStatus::Sent);
        if (m.status == MessageStatus::Pending)
            m.status = MessageStatus::Sent;
        if (m.status == MessageStatus::Failed)
            m.error = stringOf(o.value(u"error").toObject().value(u"message"));
    }
    return m;
}

std::optional<Wire::StatusUpdate> parseStatusUpdate(const QJsonValue &payload, QString *error)
{
    if (!payload.isObject()) {
        setError(error, QStringLiteral("status_update payload is not an object"));
        return std::nullopt;
    }
    const QJsonObject o = payload.toObject();
    Wire::StatusUpdate u;
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

std::optional<QJsonObject> objectOf(const QByteArray &body, QString *error)
{
    QJsonParseError parseError;
    QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error == QJsonParseError::IllegalUTF8String)
        doc = QJsonDocument::fromJson(QString::fromUtf8(body).toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        setError(error, QStringLiteral("not JSON"));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        setError(error, QStringLiteral("not an object"));
        return std::nullopt;
    }
    return doc.object();
}

// Protocol's frame decoders as they were (net/protocol.cpp before the decoders above left
// QJsonDocument), verbatim, so the oracle shares no code with what it checks.

// Qt 6.4's parser orders an object's keys by their UTF-8 bytes where the text has them raw and by UTF-16
// units where they are escaped; the two orders disagree once keys mix non-BMP characters with
// U+E000..U+FFFF, and then its duplicate check and its lookups can miss: a raw "\uFFFD" + "é" and the
// same key escaped both survived, and the object changed when written and parsed again (found by
// fuzz_frames, corpus/frames/regress-duplicate-keys). Lookups of our own, ASCII, keys are unaffected:
// ASCII sorts first in both orders. RFC 8259 §4 leaves repeated names undefined, and a key with a lone
// surrogate cannot be written back as it came: refuse both, at any depth. Values, customer text
// included, are never refused here.
bool uniqueKeys(const QJsonValue &value)
{
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        return std::all_of(array.begin(), array.end(), [](const QJsonValue &item) { return uniqueKeys(item); });
    }
    if (!value.isObject())
        return true;
    const QJsonObject object = value.toObject();
    QVarLengthArray<QString, 16> keys;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        QString key = it.key();
        if (!key.isValidUtf16() || !uniqueKeys(it.value()))
            return false;
        keys.append(std::move(key));
    }
    std::sort(keys.begin(), keys.end());
    return std::adjacent_find(keys.begin(), keys.end()) == keys.end();
}

std::optional<QJsonValue> parseJson(QStringView text, QString *error)
{
    if (!text.isValidUtf16()) {
        setError(error, QStringLiteral("invalid UTF-16 in JSON"));
        return std::nullopt;
    }
    QJsonParseError parseError;
    // Wrap in an array so scalars (numbers, strings) parse too: QJsonDocument accepts only containers.
    QByteArray bytes;
    bytes.reserve(text.size() + 2);
    bytes.append('[');
    bytes.append(text.toUtf8());
    bytes.append(']');
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1) {
        setError(error, QStringLiteral("invalid JSON: %1").arg(parseError.errorString()));
        return std::nullopt;
    }
    const QJsonValue value = doc.array().first();
    // Only raw non-ASCII text or a \u escape can bring in such keys; most frames have neither and skip
    // the walk (checked against 20 million generated objects, see corpus/frames/regress-*-key*).
    const bool ascii = bytes.size() == text.size() + 2 && !bytes.contains("\\u");
    if (!ascii && !uniqueKeys(value)) {
        setError(error, QStringLiteral("invalid JSON: an object repeats a key or has a key with a lone surrogate"));
        return std::nullopt;
    }
    return value;
}

bool payloadFits(SocketPacketType type, const QJsonValue &data)
{
    switch (type) {
    case SocketPacketType::Connect:
        return data.isUndefined() || data.isObject();
    case SocketPacketType::Disconnect:
        return data.isUndefined();
    case SocketPacketType::ConnectError:
        return data.isObject() || data.isString();
    case SocketPacketType::Event:
    case SocketPacketType::BinaryEvent: {
        if (!data.isArray())
            return false;
        const QJsonArray a = data.toArray();
        return !a.isEmpty() && (a.first().isString() || a.first().isDouble());
    }
    case SocketPacketType::Ack:
    case SocketPacketType::BinaryAck:
        return data.isArray();
    }
    return false;
}

std::optional<SocketPacket> decodeSocketPacket(QStringView payload, QString *error)
{
    if (payload.isEmpty()) {
        setError(error, QStringLiteral("empty Socket.IO packet"));
        return std::nullopt;
    }
    if (!payload.isValidUtf16()) {
        setError(error, QStringLiteral("invalid UTF-16 in Socket.IO packet"));
        return std::nullopt;
    }
    const QChar c = payload.front();
    if (c < u'0' || c > u'6') {
        setError(error, QStringLiteral("unknown Socket.IO packet type '%1'").arg(c));
        return std::nullopt;
    }
    SocketPacket packet;
    packet.type = SocketPacketType(c.unicode() - u'0');
    qsizetype i = 1;
    const qsizetype n = payload.size();

    if (packet.type == SocketPacketType::BinaryEvent || packet.type == SocketPacketType::BinaryAck) {
        const qsizetype dash = payload.indexOf(u'-', i);
        bool ok = false;
        const int count = dash > i ? payload.mid(i, dash - i).toInt(&ok) : 0;
        if (!ok || count < 0) {
            setError(error, QStringLiteral("malformed attachment count"));
            return std::nullopt;
        }
        packet.attachments = count;
        i = dash + 1;
    }
    if (i < n && payload[i] == u'/') {
        const qsizetype comma = payload.indexOf(u',', i);
        const qsizetype end = comma < 0 ? n : comma;
        packet.nsp = payload.mid(i, end - i).toString();
        i = comma < 0 ? n : comma + 1;
    }
    // ASCII digits only: QChar::isDigit() also takes e.g. U+0663, which toLongLong() reads as 0.
    const auto isAsciiDigit = [&](qsizetype at) { return payload[at] >= u'0' && payload[at] <= u'9'; };
    const qsizetype digitsStart = i;
    while (i < n && isAsciiDigit(i) && i - digitsStart < 16)
        ++i;
    if (i > digitsStart) {
        if (i < n && isAsciiDigit(i)) {
            setError(error, QStringLiteral("ack id too long"));
            return std::nullopt;
        }
        packet.ackId = payload.mid(digitsStart, i - digitsStart).toLongLong();
    }
    if (i < n) {
        const auto data = parseJson(payload.mid(i), error);
        if (!data)
            return std::nullopt;
        packet.data = *data;
    }
    if (!payloadFits(packet.type, packet.data)) {
        setError(error, QStringLiteral("payload of the wrong type for packet type %1").arg(int(packet.type)));
        return std::nullopt;
    }
    return packet;
}

} // namespace

std::optional<EnginePacket> decodeEnginePacket(QStringView frame, QString *error)
{
    if (frame.isEmpty()) {
        setError(error, QStringLiteral("empty frame"));
        return std::nullopt;
    }
    // Lone surrogates would reach the JSON parser as U+FFFD and silently change the text.
    if (!frame.isValidUtf16()) {
        setError(error, QStringLiteral("invalid UTF-16 in frame"));
        return std::nullopt;
    }
    const QChar c = frame.front();
    if (c < u'0' || c > u'6') {
        setError(error, QStringLiteral("unknown Engine.IO packet type '%1'").arg(c));
        return std::nullopt;
    }
    return EnginePacket{EnginePacketType(c.unicode() - u'0'), frame.mid(1).toString()};
}

std::optional<OpenHandshake> decodeOpen(QStringView json, QString *error)
{
    const auto value = parseJson(json, error);
    if (!value)
        return std::nullopt;
    if (!value->isObject()) {
        setError(error, QStringLiteral("open packet is not an object"));
        return std::nullopt;
    }
    const QJsonObject o = value->toObject();
    if (!o.value(u"sid").isString()) {
        setError(error, QStringLiteral("open packet without sid"));
        return std::nullopt;
    }
    OpenHandshake open;
    open.sid = o.value(u"sid").toString();
    for (const QJsonValue &u : o.value(u"upgrades").toArray())
        open.upgrades.append(u.toString());
    const auto positive = [&](QStringView key, int fallback) {
        const double v = o.value(key).toDouble(fallback);
        return v >= 1 && v <= 1e9 ? int(v) : fallback; // below 1 ms would truncate to 0 (found by fuzz_frames)
    };
    open.pingInterval = positive(u"pingInterval", open.pingInterval);
    open.pingTimeout = positive(u"pingTimeout", open.pingTimeout);
    open.maxPayload = positive(u"maxPayload", open.maxPayload);
    return open;
}

std::optional<Wire::ServerPacket> decodeServerPacket(QStringView payload)
{
    const auto packet = decodeSocketPacket(payload, nullptr);
    if (!packet)
        return std::nullopt;
    Wire::ServerPacket p;
    p.type = packet->type;
    p.nsp = packet->nsp;
    p.attachments = packet->attachments;
    switch (packet->type) {
    case SocketPacketType::Connect:
        p.pid = packet->data.toObject().value(u"pid").toString();
        break;
    case SocketPacketType::ConnectError:
        p.message = packet->data.isString() ? packet->data.toString()
                                             : packet->data.toObject().value(u"message").toString();
        break;
    case SocketPacketType::Event: {
        const QJsonArray a = packet->data.toArray();
        p.event = a.first().toString();
        if (a.size() > 2 && a.last().isString())
            p.offset = a.last().toString();
        if (p.event == u"status_update")
            p.statusUpdate = parseStatusUpdate(a.at(1), &p.argumentError);
        else if (p.event == u"inbound_message")
            p.inboundMessage = parseInboundMessage(a.at(1), &p.argumentError);
        break;
    }
    default:
        break;
    }
    return p;
}

std::optional<Wire::ConversationContext> parseContext(const QByteArray &body)
{
    const auto o = objectOf(body, nullptr);
    if (!o)
        return std::nullopt;
    Wire::ConversationContext c;
    const QJsonValue waId = o->value(u"wa_id");
    const double number = waId.toDouble();
    const bool fits = waId.isDouble() && number > -9.2e18 && number < 9.2e18;
    c.waId = fits ? QString::number(qint64(number)) : stringOf(waId);
    if (c.waId.isEmpty())
        return std::nullopt;
    c.integrationId = stringOf(o->value(u"integrationId"));
    c.tenantId = stringOf(o->value(u"tenantId"));
    c.customerName = stringOf(o->value(u"customer").toObject().value(u"name"));
    return c;
}

std::optional<Wire::HistoryPage> parseHistory(const QByteArray &body, QString *error)
{
    const auto o = objectOf(body, error);
    if (!o)
        return std::nullopt;
    const QJsonValue messages = o->value(u"messages");
    if (!messages.isArray())
        return std::nullopt;
    Wire::HistoryPage page;
    for (const QJsonValue &v : messages.toArray()) {
        QString why;
        if (auto m = messageFromJson(v, &why))
            page.messages.append(*m);
        else
            setError(error, QStringLiteral("skipped a history message: %1").arg(why));
    }
    const double total = o->value(u"total").toDouble(-1);
    if (total >= 0 && total <= std::numeric_limits<int>::max())
        page.total = int(total);
    return page;
}

std::optional<QString> parseSendReply(const QByteArray &body, std::optional<QString> *refusal)
{
    const auto o = objectOf(body, nullptr);
    if (!o)
        return std::nullopt;
    if (o->value(u"success") == QJsonValue(false)) {
        *refusal = stringOf(o->value(u"error").toObject().value(u"message"));
        return std::nullopt;
    }
    return stringOf(o->value(u"messageId"));
}

Wire::ApiError errorFromReply(int httpStatus, const QByteArray &body)
{
    Wire::ApiError e;
    e.httpStatus = httpStatus;
    const QJsonObject err = QJsonDocument::fromJson(body).object().value(u"error").toObject();
    e.code = stringOf(err.value(u"code"));
    e.message = stringOf(err.value(u"message"));
    if (e.message.isEmpty())
        e.message = QCoreApplication::translate("Wire", "The server answered with HTTP status %1.").arg(httpStatus);
    return e;
}

} // namespace OldDecoder
