// Id and secret helpers of the reference server: message ids in the console's format, Engine.IO
// session ids, upstream (WhatsApp-like) ids, and a token comparison that does not leak timing.
#pragma once

#include <QString>

namespace ServerIds {

QString messageId(); // msg_<epoch ms>_<8 hex>, the format of CONTRACT.md §4
QString sessionId(); // 20 url-safe characters
QString upstreamId(); // wamid.<32 hex>
bool tokensEqual(const QString &expected, const QString &given); // false when expected is empty

} // namespace ServerIds
