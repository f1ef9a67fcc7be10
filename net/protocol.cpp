#include "protocol.h"

#include "protocoljson.h"
#include "utf16scan.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QVarLengthArray>

#include <algorithm>

namespace Protocol {

static void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

std::optional<EnginePacketType> decodeEnginePacketType(QStringView frame, QString *error)
{
    if (frame.isEmpty()) {
        setError(error, QStringLiteral("empty frame"));
        return std::nullopt;
    }
    // Lone surrogates would reach the JSON parser as U+FFFD and silently change the text.
    if (!Utf16Scan::isValid(frame)) {
        setError(error, QStringLiteral("invalid UTF-16 in frame"));
        return std::nullopt;
    }
    const QChar c = frame.front();
    if (c < u'0' || c > u'6') {
        setError(error, QStringLiteral("unknown Engine.IO packet type '%1'").arg(c));
        return std::nullopt;
    }
    return EnginePacketType(c.unicode() - u'0');
}

std::optional<EnginePacket> decodeEnginePacket(QStringView frame, QString *error)
{
    const auto type = decodeEnginePacketType(frame, error);
    if (!type)
        return std::nullopt;
    return EnginePacket {*type, frame.mid(1).toString()};
}

QString encodeEnginePacket(EnginePacketType type, QStringView data)
{
    QString out;
    out.reserve(data.size() + 1);
    out.append(QChar(u'0' + int(type)));
    out.append(data);
    return out;
}

// Qt 6.4's parser orders an object's keys by their UTF-8 bytes where the text has them raw and by UTF-16
// units where they are escaped; the two orders disagree once keys mix non-BMP characters with
// U+E000..U+FFFF, and then its duplicate check and its lookups can miss: a raw "\uFFFD" + "é" and the
// same key escaped both survived, and the object changed when written and parsed again (found by
// fuzz_frames, corpus/frames/regress-duplicate-keys). Lookups of our own, ASCII, keys are unaffected:
// ASCII sorts first in both orders. RFC 8259 §4 leaves repeated names undefined, and a key with a lone
// surrogate cannot be written back as it came: refuse both, at any depth. Values, customer text
// included, are never refused here.
static bool uniqueKeys(const QJsonValue &value)
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

std::optional<QJsonValue> parseJsonValue(QStringView text, QString *error)
{
    if (!Utf16Scan::isValid(text)) {
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

// Read straight into the handshake: the console decodes one per connection, and polling sessions
// every open packet of a payload.
std::optional<OpenHandshake> decodeOpen(QStringView json, QString *error)
{
    if (!Utf16Scan::isValid(json)) {
        setError(error, QStringLiteral("invalid UTF-16 in JSON"));
        return std::nullopt;
    }
    JsonReader reader(json);
    if (reader.peek() != JsonReader::Type::Object) {
        if (reader.skip() && reader.finish())
            setError(error, QStringLiteral("open packet is not an object"));
        else
            setError(error, QStringLiteral("invalid JSON: %1").arg(reader.errorString()));
        return std::nullopt;
    }
    OpenHandshake open;
    const OpenHandshake defaults;
    bool hasSid = false;
    const auto positive = [&](int fallback) {
        double v = fallback;
        reader.readNumberOr(&v, fallback);
        return v >= 1 && v <= 1e9 ? int(v) : fallback; // below 1 ms would truncate to 0 (found by fuzz_frames)
    };
    reader.enterObject();
    // A repeated member counts with its last value, as in the QJsonObject Qt's parser made of it.
    for (QStringView key; reader.nextKey(&key);) {
        if (key == u"sid") {
            hasSid = reader.peek() == JsonReader::Type::String;
            reader.readStringOrNull(&open.sid);
        } else if (key == u"upgrades") {
            open.upgrades.clear();
            if (reader.peek() != JsonReader::Type::Array) {
                reader.skip();
                continue;
            }
            reader.enterArray();
            while (reader.nextElement())
                reader.readStringOrNull(&open.upgrades.emplace_back());
        } else if (key == u"pingInterval") {
            open.pingInterval = positive(defaults.pingInterval);
        } else if (key == u"pingTimeout") {
            open.pingTimeout = positive(defaults.pingTimeout);
        } else if (key == u"maxPayload") {
            open.maxPayload = positive(defaults.maxPayload);
        } else {
            reader.skip();
        }
    }
    if (!reader.finish()) {
        setError(error, QStringLiteral("invalid JSON: %1").arg(reader.errorString()));
        return std::nullopt;
    }
    if (!hasSid) {
        setError(error, QStringLiteral("open packet without sid"));
        return std::nullopt;
    }
    return open;
}

QString encodeOpen(const OpenHandshake &open)
{
    const QJsonObject o{
        {QStringLiteral("sid"), open.sid},
        {QStringLiteral("upgrades"), QJsonArray::fromStringList(open.upgrades)},
        {QStringLiteral("pingInterval"), open.pingInterval},
        {QStringLiteral("pingTimeout"), open.pingTimeout},
        {QStringLiteral("maxPayload"), open.maxPayload},
    };
    return encodeEnginePacket(EnginePacketType::Open,
                              QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
}

static bool payloadFits(SocketPacketType type, const QJsonValue &data)
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

std::optional<SocketPacketHeader> decodeSocketPacketHeader(QStringView payload, QString *error)
{
    if (payload.isEmpty()) {
        setError(error, QStringLiteral("empty Socket.IO packet"));
        return std::nullopt;
    }
    if (!Utf16Scan::isValid(payload)) {
        setError(error, QStringLiteral("invalid UTF-16 in Socket.IO packet"));
        return std::nullopt;
    }
    const QChar c = payload.front();
    if (c < u'0' || c > u'6') {
        setError(error, QStringLiteral("unknown Socket.IO packet type '%1'").arg(c));
        return std::nullopt;
    }
    SocketPacketHeader header;
    header.type = SocketPacketType(c.unicode() - u'0');
    qsizetype i = 1;
    const qsizetype n = payload.size();

    if (header.type == SocketPacketType::BinaryEvent || header.type == SocketPacketType::BinaryAck) {
        const qsizetype dash = payload.indexOf(u'-', i);
        bool ok = false;
        const int count = dash > i ? payload.mid(i, dash - i).toInt(&ok) : 0;
        if (!ok || count < 0) {
            setError(error, QStringLiteral("malformed attachment count"));
            return std::nullopt;
        }
        header.attachments = count;
        i = dash + 1;
    }
    if (i < n && payload[i] == u'/') {
        const qsizetype comma = payload.indexOf(u',', i);
        const qsizetype end = comma < 0 ? n : comma;
        header.nsp = payload.mid(i, end - i);
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
        header.ackId = payload.mid(digitsStart, i - digitsStart).toLongLong();
    }
    header.json = payload.mid(i);
    return header;
}

std::optional<SocketPacket> decodeSocketPacket(QStringView payload, QString *error)
{
    const auto header = decodeSocketPacketHeader(payload, error);
    if (!header)
        return std::nullopt;
    SocketPacket packet;
    packet.type = header->type;
    if (header->nsp != u"/")
        packet.nsp = header->nsp.toString();
    packet.attachments = header->attachments;
    packet.ackId = header->ackId;
    if (!header->json.isEmpty()) {
        const auto data = parseJsonValue(header->json, error);
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

QString encodeSocketPacket(const SocketPacket &packet)
{
    QString out;
    out.append(QChar(u'0' + int(packet.type)));
    if (packet.type == SocketPacketType::BinaryEvent || packet.type == SocketPacketType::BinaryAck)
        out.append(QString::number(packet.attachments)).append(u'-');
    if (!packet.nsp.isEmpty() && packet.nsp != u"/")
        out.append(packet.nsp).append(u',');
    if (packet.ackId >= 0)
        out.append(QString::number(packet.ackId));
    if (packet.data.isObject())
        out.append(QString::fromUtf8(QJsonDocument(packet.data.toObject()).toJson(QJsonDocument::Compact)));
    else if (packet.data.isArray())
        out.append(QString::fromUtf8(QJsonDocument(packet.data.toArray()).toJson(QJsonDocument::Compact)));
    else if (!packet.data.isUndefined()) {
        QByteArray wrapped = QJsonDocument(QJsonArray{packet.data}).toJson(QJsonDocument::Compact);
        out.append(QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2)));
    }
    return out;
}

QString connectFrame(const QJsonObject &auth, QStringView nsp)
{
    SocketPacket p;
    p.type = SocketPacketType::Connect;
    p.nsp = nsp.toString();
    p.data = auth;
    return encodeEnginePacket(EnginePacketType::Message, encodeSocketPacket(p));
}

QString eventFrame(const QString &event, const QJsonValue &argument, QStringView nsp)
{
    SocketPacket p;
    p.type = SocketPacketType::Event;
    p.nsp = nsp.toString();
    p.data = QJsonArray{event, argument};
    return encodeEnginePacket(EnginePacketType::Message, encodeSocketPacket(p));
}

QJsonArray Event::arguments() const
{
    QJsonArray all = payload.toArray();
    all.removeFirst();
    return all;
}

std::optional<Event> eventOf(const SocketPacket &packet)
{
    if (packet.type != SocketPacketType::Event || !packet.data.isArray())
        return std::nullopt;
    const QJsonArray a = packet.data.toArray();
    if (a.isEmpty() || !a.first().isString())
        return std::nullopt;
    return Event{a.first().toString(), packet.data};
}

std::optional<QList<EngineFrame>> decodePayload(QStringView body, QString *error)
{
    QList<EngineFrame> frames;
    for (const QStringView record : body.split(QChar(PayloadSeparator))) {
        if (record.startsWith(u'b')) {
            const auto decoded = QByteArray::fromBase64Encoding(
                record.mid(1).toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded) {
                setError(error, QStringLiteral("invalid base64 in a binary record"));
                return std::nullopt;
            }
            frames.append(EngineFrame::fromBytes(*decoded));
            continue;
        }
        if (!decodeEnginePacket(record, error))
            return std::nullopt;
        frames.append(EngineFrame::fromText(record.toString()));
    }
    return frames;
}

QString encodePayload(const QList<EngineFrame> &frames)
{
    QString out;
    for (const EngineFrame &frame : frames) {
        if (!out.isEmpty())
            out.append(QChar(PayloadSeparator));
        if (frame.binary)
            out.append(u'b').append(QString::fromLatin1(frame.bytes.toBase64()));
        else
            out.append(frame.text);
    }
    return out;
}

QJsonObject placeholder(int num)
{
    return QJsonObject{{QStringLiteral("_placeholder"), true}, {QStringLiteral("num"), num}};
}

bool placeholdersValid(const QJsonValue &data, int attachments)
{
    if (data.isArray()) {
        const QJsonArray array = data.toArray();
        return std::all_of(array.begin(), array.end(),
                           [&](const QJsonValue &v) { return placeholdersValid(v, attachments); });
    }
    if (!data.isObject())
        return true;
    const QJsonObject o = data.toObject();
    if (o.value(u"_placeholder").toBool()) {
        const QJsonValue num = o.value(u"num");
        const double n = num.toDouble(-1);
        // Range first: int(n) of a number beyond int is undefined (fuzz_frames: "num":1e20).
        return num.isDouble() && n >= 0 && n < attachments && n == double(int(n));
    }
    return std::all_of(o.begin(), o.end(), [&](const QJsonValue &v) { return placeholdersValid(v, attachments); });
}

} // namespace Protocol
