// Fuzz target: what a server (or anything between it and us) can put in a WebSocket text frame or a
// long-polling body (CONTRACT.md §2: "frames that do not parse ... never crash"). Follows the console's
// own path, decodeEnginePacket -> decodeOpen / Wire::decodeServerPacket, and widget-server's,
// decodeSocketPacket -> eventOf, and checks that whatever decodes also survives an encode/decode round
// trip unchanged. fuzz_decoder checks that the two paths agree.
#include "protocol.h"
#include "wirejson.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace Protocol;

namespace {

void require(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz_frames: invariant broken: %s\n", what);
        std::abort();
    }
}

// Members of an object by iteration, sorted by our own key order.
QList<std::pair<QString, QJsonValue>> membersOf(const QJsonObject &object)
{
    QList<std::pair<QString, QJsonValue>> members;
    for (auto it = object.begin(); it != object.end(); ++it)
        members.append({it.key(), it.value()});
    std::sort(members.begin(), members.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    return members;
}

// Deep equality that ignores key order. Qt 6.4's QJsonObject keeps keys in an order that depends on how
// they were inserted when they mix U+FFFD and non-BMP characters, so operator== (which compares in
// storage order) and even value(key) (a binary search) can miss (found by this fuzzer, see
// corpus/frames/regress-json-key-*). Iteration sees every member, so compare that.
bool sameJson(const QJsonValue &a, const QJsonValue &b)
{
    if (a.isObject() && b.isObject()) {
        const auto x = membersOf(a.toObject());
        const auto y = membersOf(b.toObject());
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i) {
            if (x.at(i).first != y.at(i).first || !sameJson(x.at(i).second, y.at(i).second))
                return false;
        }
        return true;
    }
    if (a.isArray() && b.isArray()) {
        const QJsonArray x = a.toArray();
        const QJsonArray y = b.toArray();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i) {
            if (!sameJson(x.at(i), y.at(i)))
                return false;
        }
        return true;
    }
    return a == b;
}

bool samePacket(const SocketPacket &a, const SocketPacket &b)
{
    return a.type == b.type && a.nsp == b.nsp && a.attachments == b.attachments && a.ackId == b.ackId
        && sameJson(a.data, b.data);
}

void eventPayloads(const SocketPacket &packet)
{
    const auto event = eventOf(packet);
    if (!event)
        return;
    require(!event->payload.toArray().isEmpty(), "an event without its name");
    const QJsonArray arguments = event->arguments();
    require(arguments.size() == event->payload.toArray().size() - 1, "arguments() lost or gained items");
}

// The console's path: the packet read straight into what it acts on. Both parsers run on the first
// argument whatever the event is called: a hostile server controls the name too, and the fuzzer
// reaches more of the parsers this way.
void serverPacket(QStringView payload)
{
    const auto packet = Wire::decodeServerPacket(payload);
    if (!packet || packet->type != SocketPacketType::Event)
        return;
    for (const QString &name : {QStringLiteral("status_update"), QStringLiteral("inbound_message")}) {
        QString renamed = payload.toString();
        const qsizetype quote = renamed.indexOf(u'"');
        const qsizetype end = quote < 0 ? -1 : renamed.indexOf(u'"', quote + 1);
        if (end < 0)
            continue;
        renamed.replace(quote + 1, end - quote - 1, name);
        const auto again = Wire::decodeServerPacket(renamed);
        if (!again)
            continue;
        if (const auto &update = again->statusUpdate)
            require(!update->messageId.isEmpty() && update->status != MessageStatus::None, "status_update accepted empty");
        if (const auto &message = again->inboundMessage) {
            require(!message->id.isEmpty(), "inbound_message without id accepted");
            require(message->timestamp.isValid(), "inbound_message without a timestamp");
            require(message->direction == Direction::Inbound, "inbound_message not inbound");
        }
    }
}

void socketPacket(QStringView payload)
{
    const auto packet = decodeSocketPacket(payload);
    if (!packet)
        return;
    require(!packet->nsp.isEmpty(), "empty namespace");
    require(packet->attachments >= 0, "negative attachment count");
    const auto again = decodeSocketPacket(encodeSocketPacket(*packet));
    require(again.has_value(), "an encoded packet does not decode");
    require(samePacket(*again, *packet), "a packet changed in an encode/decode round trip");
    placeholdersValid(packet->data, packet->attachments);
    eventPayloads(*packet);
    serverPacket(payload);
}

void enginePacket(QStringView frame)
{
    const auto packet = decodeEnginePacket(frame);
    if (!packet)
        return;
    require(encodeEnginePacket(packet->type, packet->data) == frame, "an Engine.IO packet did not round-trip");
    if (packet->type == EnginePacketType::Open) {
        if (const auto open = decodeOpen(packet->data)) {
            require(open->pingInterval > 0 && open->pingTimeout > 0 && open->maxPayload > 0, "non-positive timing");
            const auto again = decodeOpen(QStringView(encodeOpen(*open)).mid(1));
            require(again && *again == *open, "an open handshake did not round-trip");
        }
    } else if (packet->type == EnginePacketType::Message) {
        socketPacket(packet->data);
    }
}

void pollingPayload(QStringView body)
{
    const auto frames = decodePayload(body);
    if (!frames)
        return;
    for (const EngineFrame &frame : *frames) {
        if (!frame.binary)
            enginePacket(frame.text);
    }
    const auto again = decodePayload(encodePayload(*frames));
    require(again && *again == *frames, "a polling payload did not round-trip");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // Frames arrive as text: QWebSocket and the polling transport decode the bytes as UTF-8 first, so
    // invalid sequences reach the codec as U+FFFD, exactly as here.
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    enginePacket(text);
    pollingPayload(text);
    // The same text as a bare Socket.IO packet: the mutations then need not keep the leading '4'.
    socketPacket(text);
    return 0;
}
