// Id helpers of the reference server: message ids in the console's format, Engine.IO
// session ids and upstream (WhatsApp-like) ids.
#pragma once

#include <QString>

namespace ServerIds {

QString messageId(); // msg_<epoch ms>_<8 hex>, the format of CONTRACT.md §4
QString sessionId(); // 20 url-safe characters
QString upstreamId(); // wamid.<32 hex>

} // namespace ServerIds
