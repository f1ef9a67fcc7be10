// Fuzz target: the body of any REST reply (CONTRACT.md §1) as the console parses it: wrong JSON types,
// missing fields, HTML from a proxy, invalid UTF-8, absurd numbers. Nothing may crash, and what the
// parsers accept must honour the promises in wirejson.h.
#include "wirejson.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

void require(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz_rest: invariant broken: %s\n", what);
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));

    if (const auto context = Wire::parseContext(body))
        require(!context->waId.isEmpty(), "a context without wa_id accepted");

    if (const auto page = Wire::parseHistory(body)) {
        for (const Message &m : page->messages) {
            require(!m.id.isEmpty(), "a history message without id");
            // An outbound message in the history was accepted by the server: at least "sent".
            if (m.direction == Direction::Outbound)
                require(m.status >= MessageStatus::Sent, "an accepted outbound message that is not sent");
            else
                require(m.status == MessageStatus::None, "an inbound message with a delivery state");
        }
    }

    Wire::parseSendReply(body);

    if (const auto responses = Wire::parseCannedResponses(body)) {
        for (const CannedResponse &r : *responses)
            require(
                !r.shortCode.isEmpty() && !r.content.trimmed().isEmpty(), "a canned response with nothing to insert");
    }

    // The status only shapes the fallback text; take it from the body so every branch is reached.
    const int status = size > 0 ? 400 + data[0] % 200 : 500;
    const Wire::ApiError error = Wire::errorFromReply(status, body);
    require(error.httpStatus == status, "the HTTP status was lost");
    require(!error.message.isEmpty(), "an error the agent cannot read");
    return 0;
}
