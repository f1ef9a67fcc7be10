// Wire::decodeServerPacket: a Socket.IO packet of the server read straight into what the console acts
// on, with Protocol::JsonReader. What it refuses is what Protocol::decodeSocketPacket() refuses (the
// JSON of any packet, the payload type each packet type needs), so tests/fuzz/fuzz_decoder compares the two.
#include "wirejson.h"

#include "protocoljson.h"

namespace Wire {

using Protocol::JsonReader;
using Protocol::SocketPacketType;

namespace {

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

// CONNECT: {"sid":..,"pid":..}; the pid only matters (CONTRACT.md §2, connection-state recovery). A
// payload of another type must be valid JSON all the same.
bool readConnect(JsonReader &reader, ServerPacket *packet)
{
    return reader.readObject([&](QStringView key) { return key == u"pid" && reader.readStringOrNull(&packet->pid); });
}

// CONNECT_ERROR: {"message":..} or, from older servers, the message as a string.
bool readConnectError(JsonReader &reader, ServerPacket *packet)
{
    if (reader.peek() == JsonReader::Type::String)
        return reader.readString(&packet->message);
    return reader.readObject(
        [&](QStringView key) { return key == u"message" && reader.readStringOrNull(&packet->message); });
}

// The second item of ["status_update", {...}] or ["inbound_message", {...}].
void readArgument(JsonReader &reader, ServerPacket *packet)
{
    if (packet->event == u"status_update") {
        packet->statusUpdate = readStatusUpdate(reader, &packet->argumentError);
    } else if (packet->event == u"inbound_message") {
        packet->inboundMessage = readMessage(reader, &packet->argumentError);
        if (Message *m = packet->inboundMessage ? &*packet->inboundMessage : nullptr) {
            m->direction = Direction::Inbound;
            m->status = MessageStatus::None;
            if (!m->timestamp.isValid())
                m->timestamp = QDateTime::currentDateTimeUtc();
        }
    } else {
        reader.skip();
    }
}

// The events the console acts on need no copy of their name.
QString knownName(QStringView name)
{
    if (name == u"status_update")
        return QStringLiteral("status_update");
    if (name == u"inbound_message")
        return QStringLiteral("inbound_message");
    return name.toString();
}

// EVENT: [name, argument..., offset?]; a name that is a number is allowed (socket.io-parser does) and
// names nothing the console knows. A binary event's items are checked only: the console ignores it.
bool readEvent(JsonReader &reader, ServerPacket *packet, bool binary)
{
    if (reader.peek() != JsonReader::Type::Array) {
        reader.skip(); // of the wrong type, but it must be valid JSON all the same
        return false;
    }
    reader.enterArray();
    if (!reader.nextElement())
        return false; // [] has no name
    const JsonReader::Type nameType = reader.peek();
    const bool named = nameType == JsonReader::Type::String || nameType == JsonReader::Type::Number;
    QStringView name;
    if (nameType == JsonReader::Type::String && !binary && reader.readStringView(&name))
        packet->event = knownName(name);
    else
        reader.skip();
    int items = 1;
    std::optional<QString> last; // the last item from the third on, when it is a string
    while (reader.nextElement()) {
        if (!named || binary) {
            reader.skip();
        } else if (items == 1) {
            readArgument(reader, packet);
        } else if (reader.peek() == JsonReader::Type::String) {
            reader.readString(&last.emplace());
        } else {
            last.reset();
            reader.skip();
        }
        ++items;
    }
    if (items == 1 && packet->event == u"status_update")
        packet->argumentError = QStringLiteral("status_update payload is not an object");
    else if (items == 1 && packet->event == u"inbound_message")
        packet->argumentError = QStringLiteral("message is not an object");
    packet->offset = last;
    return named;
}

} // namespace

std::optional<ServerPacket> decodeServerPacket(QStringView payload, QString *error)
{
    const auto header = Protocol::decodeSocketPacketHeader(payload, error);
    if (!header)
        return std::nullopt;
    ServerPacket packet;
    packet.type = header->type;
    packet.attachments = header->attachments;
    if (header->nsp != u"/")
        packet.nsp = header->nsp.toString();
    bool fits = false;
    if (header->json.isEmpty()) {
        fits = packet.type == SocketPacketType::Connect || packet.type == SocketPacketType::Disconnect;
    } else {
        JsonReader reader(header->json);
        switch (packet.type) {
        case SocketPacketType::Connect:
            fits = readConnect(reader, &packet);
            break;
        case SocketPacketType::ConnectError:
            fits = readConnectError(reader, &packet);
            break;
        case SocketPacketType::Event:
        case SocketPacketType::BinaryEvent:
            fits = readEvent(reader, &packet, packet.type == SocketPacketType::BinaryEvent);
            break;
        case SocketPacketType::Disconnect: // takes no payload
            reader.skip();
            break;
        case SocketPacketType::Ack:
        case SocketPacketType::BinaryAck:
            fits = reader.peek() == JsonReader::Type::Array;
            reader.skip();
            break;
        }
        // Whatever the payload's type, it is valid JSON or the packet is dropped whole.
        if (!reader.finish()) {
            setError(error, QStringLiteral("invalid JSON: %1").arg(reader.errorString()));
            return std::nullopt;
        }
    }
    if (!fits) {
        setError(error, QStringLiteral("payload of the wrong type for packet type %1").arg(int(packet.type)));
        return std::nullopt;
    }
    return packet;
}

} // namespace Wire
