// The Engine.IO v4 / Socket.IO v5 frame codec (CONTRACT.md §2) as pure functions over values:
// no I/O, no signals, so it is tested exhaustively and fuzzed. Shared by the console and widget-server.
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Protocol {

enum class EnginePacketType : quint8 { Open = 0, Close, Ping, Pong, Message, Upgrade, Noop };

struct EnginePacket
{
    EnginePacketType type = EnginePacketType::Noop;
    QString data;
    bool operator==(const EnginePacket &) const = default;
};

// One Engine.IO packet per WebSocket text frame. nullopt (and *error set) for an empty frame, invalid
// UTF-16 or an unknown packet type.
std::optional<EnginePacket> decodeEnginePacket(QStringView frame, QString *error = nullptr);
// The same checks without copying the data: it is frame.mid(1).
std::optional<EnginePacketType> decodeEnginePacketType(QStringView frame, QString *error = nullptr);
QString encodeEnginePacket(EnginePacketType type, QStringView data = {});

struct OpenHandshake
{
    QString sid;
    QStringList upgrades;
    int pingInterval = 25000;
    int pingTimeout = 20000;
    int maxPayload = 1000000;
    bool operator==(const OpenHandshake &) const = default;
};
std::optional<OpenHandshake> decodeOpen(QStringView json, QString *error = nullptr);
QString encodeOpen(const OpenHandshake &open);

enum class SocketPacketType : quint8 { Connect = 0, Disconnect, Event, Ack, ConnectError, BinaryEvent, BinaryAck };

struct SocketPacket
{
    SocketPacketType type = SocketPacketType::Event;
    QString nsp = QStringLiteral("/");
    int attachments = 0; // binary packets only
    qint64 ackId = -1; // -1: no ack requested
    // Undefined when the packet has no payload. Spelled out: a default QJsonValue is Null, which no
    // packet type accepts, so `40` and `41` would not decode.
    QJsonValue data = QJsonValue(QJsonValue::Undefined);
    bool operator==(const SocketPacket &) const = default;
};

// Decodes the payload of an Engine.IO message packet. Rejects what the Socket.IO v5 spec rejects:
// unknown type, malformed attachment count, invalid JSON, a payload of the wrong JSON type for the
// packet type (CONNECT: object, EVENT: non-empty array whose first item is a string, ...).
// It builds a QJsonValue of any payload, for widget-server's handlers of the events clients send; the
// console reads the server's packets straight into its types (Wire::decodeServerPacket).
std::optional<SocketPacket> decodeSocketPacket(QStringView payload, QString *error = nullptr);

// What precedes a Socket.IO packet's JSON, read with the checks of decodeSocketPacket() (the whole
// payload valid UTF-16 included) and without copying: the views point into the payload.
struct SocketPacketHeader
{
    SocketPacketType type = SocketPacketType::Event;
    QStringView nsp = u"/";
    int attachments = 0;
    qint64 ackId = -1;
    QStringView json; // the rest: empty when the packet has no payload
};
std::optional<SocketPacketHeader> decodeSocketPacketHeader(QStringView payload, QString *error = nullptr);

// The JSON of a packet as a QJsonValue (what decodeSocketPacket() puts in `data`): QJsonDocument on the
// text wrapped in [ ], so scalars parse too; objects that repeat a key Qt keeps twice, or with a key
// holding a lone surrogate, are refused (JsonReader::Dialect::Packet reads the same language).
std::optional<QJsonValue> parseJsonValue(QStringView json, QString *error = nullptr);
QString encodeSocketPacket(const SocketPacket &packet);

// Shorthands for the frames the console and server exchange, already wrapped in the Engine.IO "4".
QString connectFrame(const QJsonObject &auth, QStringView nsp = u"/");
QString eventFrame(const QString &event, const QJsonValue &argument, QStringView nsp = u"/");

// An EVENT packet split into its name and arguments.
struct Event
{
    QString name;
    QJsonArray arguments() const;
    QJsonValue payload; // the whole array as decoded
};
std::optional<Event> eventOf(const SocketPacket &packet);

// Engine.IO v4 HTTP long-polling (engine.io-protocol, "HTTP long-polling"): a payload is packets joined
// by the record separator U+001E; a binary message travels as 'b' followed by the base64 of its bytes.
inline constexpr char16_t PayloadSeparator = 0x1e;

// One Engine.IO packet as it leaves or arrives: text (an encoded packet such as "4hello") or the bytes
// of a binary message (a WebSocket binary frame, or a 'b' record of a polling payload).
struct EngineFrame
{
    bool binary = false;
    QString text;
    QByteArray bytes;
    static EngineFrame fromText(const QString &text) { return {false, text, {}}; }
    static EngineFrame fromBytes(const QByteArray &bytes) { return {true, {}, bytes}; }
    bool operator==(const EngineFrame &) const = default;
};

// nullopt (and *error set) when any record is empty, has an unknown packet type or invalid base64:
// the spec closes the session on such a payload, so no partial result is returned.
std::optional<QList<EngineFrame>> decodePayload(QStringView body, QString *error = nullptr);
QString encodePayload(const QList<EngineFrame> &frames);

// Socket.IO binary packets (45- / 46-) carry {"_placeholder":true,"num":N} where attachment N goes.
QJsonObject placeholder(int num);
// True when every placeholder in data has a num in [0, attachments): socket.io-parser rejects any other
// number ("illegal attachments"), and a packet announcing more attachments than it uses is harmless.
bool placeholdersValid(const QJsonValue &data, int attachments);

} // namespace Protocol
