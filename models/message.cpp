#include "message.h"

#include "messageid.h"

#include <atomic>

QString makeMessageId()
{
    return Protocol::newMessageId();
}

quint64 nextChangeStamp()
{
    static std::atomic<quint64> stamp {0};
    return ++stamp;
}
