#include "ratelimiter.h"

#include <QDeadlineTimer>

#include <algorithm>
#include <cmath>

namespace {

qint64 steadyMs()
{
    return QDeadlineTimer::current().deadline();
}

constexpr qint64 SweepIntervalMs = 60 * 1000;

} // namespace

RateLimiter::RateLimiter(double ratePerSecond, double burst, Clock clock)
    : m_rate(ratePerSecond)
    , m_burst(std::max(1.0, burst))
    , m_clock(clock ? std::move(clock) : Clock(steadyMs))
{
    m_lastSweepMs = m_clock();
}

void RateLimiter::setLimits(double ratePerSecond, double burst)
{
    m_rate = ratePerSecond;
    m_burst = std::max(1.0, burst);
    m_buckets.clear();
}

void RateLimiter::setClock(Clock clock)
{
    m_clock = clock ? std::move(clock) : Clock(steadyMs);
    m_buckets.clear();
    m_lastSweepMs = m_clock();
}

void RateLimiter::refill(Bucket &bucket, qint64 now) const
{
    const qint64 elapsed = std::max<qint64>(0, now - bucket.updatedMs);
    bucket.tokens = std::min(m_burst, bucket.tokens + double(elapsed) * m_rate / 1000.0);
    bucket.updatedMs = now;
}

void RateLimiter::forgetIdle(qint64 now)
{
    // A bucket that has refilled completely is the same as no bucket: drop it, so the table holds only
    // the keys that sent recently, whatever number of tokens ever passed through.
    if (now - m_lastSweepMs < SweepIntervalMs)
        return;
    m_lastSweepMs = now;
    for (auto it = m_buckets.begin(); it != m_buckets.end();) {
        refill(it.value(), now);
        it = it->tokens >= m_burst ? m_buckets.erase(it) : std::next(it);
    }
}

RateLimiter::Decision RateLimiter::take(const QByteArray &key)
{
    if (m_rate <= 0)
        return {};
    const qint64 now = m_clock();
    forgetIdle(now);
    auto it = m_buckets.find(key);
    if (it == m_buckets.end())
        it = m_buckets.insert(key, Bucket {m_burst, now});
    else
        refill(it.value(), now);
    if (it->tokens >= 1) {
        it->tokens -= 1;
        return {};
    }
    const double seconds = (1 - it->tokens) / m_rate;
    return {false, std::max(1, int(std::ceil(seconds)))};
}
