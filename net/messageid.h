// Message ids in the format of CONTRACT.md §4, made by the console for its replies and by widget-server
// for the messages it creates.
#pragma once

#include <QString>

namespace Protocol {

// msg_<epoch ms>_<8 lower-case hex>. The hex part counts up from a random start chosen once per
// process, so no two ids one process makes are the same (the count wraps only after 2^32 ids, by then
// the milliseconds differ); two processes share an id only if they make one in the same millisecond
// with counts that happen to meet.
QString newMessageId();

} // namespace Protocol
