// Token buckets keyed by an opaque key (widget-server: a hash of the bearer token, never the token
// itself): each key may spend `burst` requests at once and earns `rate` more per second. The clock is
// injectable so tests drive time instead of sleeping.
#pragma once

#include <QByteArray>
#include <QHash>

#include <functional>

class RateLimiter
{
public:
    using Clock = std::function<qint64()>; // monotonic milliseconds

    struct Decision
    {
        bool allowed = true;
        int retryAfterSeconds = 0; // when refused: whole seconds until one request is earned (>= 1)
    };

    // rate <= 0 turns limiting off.
    explicit RateLimiter(double ratePerSecond = 10, double burst = 20, Clock clock = {});

    void setLimits(double ratePerSecond, double burst);
    void setClock(Clock clock);
    double rate() const { return m_rate; }
    double burst() const { return m_burst; }

    Decision take(const QByteArray &key); // spends one token when there is one
    int trackedKeys() const { return int(m_buckets.size()); }

private:
    struct Bucket
    {
        double tokens = 0;
        qint64 updatedMs = 0;
    };
    void refill(Bucket &bucket, qint64 now) const;
    void forgetIdle(qint64 now);

    double m_rate;
    double m_burst;
    Clock m_clock;
    QHash<QByteArray, Bucket> m_buckets;
    qint64 m_lastSweepMs = 0;
};
