// Differential fuzz target: the decoders that read JSON straight into the console's types
// (Protocol::decodeOpen, Wire::decodeServerPacket, Wire::parse*) against the QJsonDocument decoders they
// replaced (olddecoder.h). For every input both accept or both refuse, and what they accept is
// identical, down to which of a repeated key's values counts and which odd keys Qt refused.
//
// Each input is tried as it is (an Engine.IO frame, a Socket.IO packet, an open handshake, a REST body)
// and, read as a recipe, as an object whose keys mix characters on which Qt 6.4's two key orders
// disagree (raw and escaped, non-BMP and U+E000..U+FFFF, lone surrogates): random bytes alone rarely
// build one, and that is where the old decoder's refusals were subtle.
#include "olddecoder.h"
#include "protocol.h"
#include "wirejson.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace Protocol;

namespace {

void require(bool condition, const char *what, const QString &input)
{
    if (!condition) {
        std::fprintf(
            stderr, "fuzz_decoder: the decoders disagree: %s\ninput: %s\n", what, qPrintable(input.left(2000)));
        std::abort();
    }
}

// Equal instants are not enough: the time spec shows in the UI (UTC vs local time).
bool sameTime(const QDateTime &a, const QDateTime &b)
{
    return a == b && a.isValid() == b.isValid() && (!a.isValid() || a.timeSpec() == b.timeSpec());
}

// An inbound message without a timestamp gets "now" from each decoder: a little apart.
bool sameMessage(const Message &a, const Message &b, bool nowAllowed)
{
    const bool times = sameTime(a.timestamp, b.timestamp)
        || (nowAllowed && a.timestamp.isValid() && b.timestamp.isValid()
            && qAbs(a.timestamp.msecsTo(b.timestamp)) < 60000);
    return a.id == b.id && a.direction == b.direction && a.text == b.text && a.mediaUrl == b.mediaUrl
        && a.attachment == b.attachment && a.status == b.status && a.error == b.error && a.queued == b.queued && times;
}

void comparePackets(QStringView payload)
{
    const auto old = OldDecoder::decodeServerPacket(payload);
    const auto now = Wire::decodeServerPacket(payload);
    const QString input = payload.toString();
    require(old.has_value() == now.has_value(), "one accepted a Socket.IO packet the other refused", input);
    if (!old)
        return;
    require(old->type == now->type && old->nsp == now->nsp && old->attachments == now->attachments, "header", input);
    require(old->pid == now->pid, "CONNECT pid", input);
    require(old->message == now->message, "CONNECT_ERROR message", input);
    require(old->event == now->event, "event name", input);
    require(old->offset == now->offset, "recovery offset", input);
    require(old->argumentError == now->argumentError, "why an event argument was dropped", input);
    require(old->statusUpdate.has_value() == now->statusUpdate.has_value(), "status_update accepted by one", input);
    if (old->statusUpdate) {
        const Wire::StatusUpdate &a = *old->statusUpdate;
        const Wire::StatusUpdate &b = *now->statusUpdate;
        require(a.messageId == b.messageId && a.status == b.status && a.error == b.error, "status_update", input);
        require(sameTime(a.timestamp, b.timestamp), "status_update timestamp", input);
    }
    require(
        old->inboundMessage.has_value() == now->inboundMessage.has_value(), "inbound_message accepted by one", input);
    if (old->inboundMessage)
        require(sameMessage(*old->inboundMessage, *now->inboundMessage, true), "inbound_message", input);
}

void compareOpen(QStringView json)
{
    const auto old = OldDecoder::decodeOpen(json);
    const auto now = decodeOpen(json);
    require(old == now, "open handshake", json.toString());
}

void compareFrame(QStringView frame)
{
    const auto old = OldDecoder::decodeEnginePacket(frame);
    const auto type = decodeEnginePacketType(frame);
    require(
        old.has_value() == type.has_value() && (!old || old->type == *type), "Engine.IO packet type", frame.toString());
    if (!type)
        return;
    if (*type == EnginePacketType::Open)
        compareOpen(frame.mid(1));
    else if (*type == EnginePacketType::Message)
        comparePackets(frame.mid(1));
}

void compareBodies(const QByteArray &body)
{
    const QString input = QString::fromUtf8(body);
    const auto oldContext = OldDecoder::parseContext(body);
    const auto context = Wire::parseContext(body);
    require(oldContext.has_value() == context.has_value(), "context accepted by one", input);
    if (oldContext) {
        require(oldContext->waId == context->waId && oldContext->integrationId == context->integrationId
                && oldContext->tenantId == context->tenantId && oldContext->customerName == context->customerName,
            "context", input);
    }

    QString oldWhy;
    QString why;
    const auto oldPage = OldDecoder::parseHistory(body, &oldWhy);
    const auto page = Wire::parseHistory(body, &why);
    require(oldPage.has_value() == page.has_value(), "history accepted by one", input);
    if (oldPage) {
        require(oldPage->total == page->total && oldPage->messages.size() == page->messages.size(), "history", input);
        for (qsizetype i = 0; i < page->messages.size(); ++i)
            require(sameMessage(oldPage->messages.at(i), page->messages.at(i), false), "history message", input);
        require(oldWhy == why, "why a history message was skipped", input);
    }

    std::optional<QString> oldRefusal;
    QString refusal;
    const auto oldAccepted = OldDecoder::parseSendReply(body, &oldRefusal);
    const auto accepted = Wire::parseSendReply(body, &refusal);
    require(oldAccepted == accepted, "send reply", input);
    require(!oldRefusal || (!accepted && *oldRefusal == refusal), "the backend's reason to refuse a send", input);

    const int status = 400 + int(body.size() % 200);
    const Wire::ApiError oldError = OldDecoder::errorFromReply(status, body);
    const Wire::ApiError error = Wire::errorFromReply(status, body);
    require(oldError.httpStatus == error.httpStatus && oldError.code == error.code && oldError.message == error.message,
        "error reply", input);
}

// Pieces of keys on which Qt's orders disagree, each written raw or as escapes.
struct Atom
{
    char32_t raw; // 0: only escaped (a lone surrogate cannot be raw text)
    const char16_t *escaped;
};
constexpr Atom atoms[] {
    {U'a', u"\\u0061"},
    {U'b', u"b"},
    {U'\u00e9', u"\\u00e9"},
    {U'\ufffd', u"\\ufffd"},
    {U'\ue000', u"\\ue000"},
    {U'\uffff', u"\\uFFFF"},
    {U'\ufe0f', u"\\ufe0f"},
    {U'\U00010000', u"\\ud800\\udc00"},
    {U'\U0001f600', u"\\ud83d\\ude00"},
    {0, u"\\ud800"},
    {0, u"\\udc00"},
    {0, u"\\\""},
};

struct Recipe
{
    const uint8_t *data;
    size_t size;
    size_t at = 0;
    int next() { return at < size ? data[at++] : -1; }
};

QString key(Recipe &recipe)
{
    QString text;
    const int length = 1 + (recipe.next() & 3);
    for (int i = 0; i < length; ++i) {
        const int choice = recipe.next();
        if (choice < 0)
            break;
        const Atom &atom = atoms[size_t(choice & 15) % std::size(atoms)];
        if (atom.raw != 0 && !(choice & 16))
            text += QString::fromUcs4(&atom.raw, 1);
        else
            text += QString::fromUtf16(atom.escaped);
    }
    return text;
}

// {"k1":1,"k2":2,...} with keys from the recipe, some of them repeated; one level may nest.
QString object(Recipe &recipe, int depth)
{
    QString json = QStringLiteral("{");
    const int members = 2 + (recipe.next() & 15);
    QStringList keys;
    for (int i = 0; i < members && recipe.at < recipe.size; ++i) {
        const int choice = recipe.next();
        const QString k = (choice & 3) == 0 && !keys.isEmpty() ? keys.at((choice >> 2) % keys.size()) : key(recipe);
        keys.append(k);
        if (i > 0)
            json += u',';
        json += u'"' + k + QStringLiteral("\":");
        json += depth < 2 && (choice & 0xe0) == 0xe0 ? object(recipe, depth + 1) : QString::number(i);
    }
    return json + u'}';
}

void compareKeyMix(const uint8_t *data, size_t size)
{
    Recipe recipe {data, size};
    const QString mixed = object(recipe, 0);
    comparePackets(QStringLiteral("2[\"e\",%1]").arg(mixed));
    // The console's own keys beside them: their last value must still be the one that counts.
    QString update = mixed;
    update.insert(1, QStringLiteral(R"("messageId":"a","status":"sent",)"));
    update.insert(update.size() - 1, QStringLiteral(R"(,"messageId":"b","status":"read")"));
    comparePackets(QStringLiteral("2[\"status_update\",%1]").arg(update));
    QString open = mixed;
    open.insert(1, QStringLiteral(R"("sid":"s",)"));
    compareOpen(open);
    compareBodies(QStringLiteral(R"({"messages":[%1]})").arg(update).toUtf8());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    // Frames arrive as text decoded from UTF-8, invalid sequences as U+FFFD.
    const QString text = QString::fromUtf8(bytes);
    compareFrame(text);
    comparePackets(text);
    compareOpen(text);
    compareBodies(bytes);
    compareKeyMix(data, size);
    return 0;
}
