// The timing rules of CONTRACT.md §2 and §3 as pure functions: which send failures are retried and
// after how long, and how long to wait before reconnecting the socket.
#pragma once

#include <QByteArray>
#include <QDateTime>

#include <optional>

namespace RetrySchedule {

inline constexpr int MaxSendAttempts = 4; // one attempt + 3 retries (CONTRACT.md §4)
inline constexpr int RetryAfterCapMs = 30000;

struct AttemptFailure
{
    int httpStatus = 0; // 0: no HTTP answer (network error or timeout)
    std::optional<int> retryAfterMs; // from a Retry-After header, already capped
    // The TLS handshake failed (untrusted or wrong certificate, no common protocol): the server's
    // certificate will not become valid in 400 ms, and a retry would only repeat the refusal.
    bool tlsFailed = false;
};

// Network errors, timeouts, 408, 429 and 5xx may succeed later; any other 4xx, or a TLS failure, never will.
bool isRetryable(const AttemptFailure &failure);

// Delay before the next attempt after attempt number `attempt` (1-based) failed, or nullopt to give up.
// 100, 200, 400 ms; a Retry-After header lengthens the wait, never shortens it.
std::optional<int> delayAfterFailedAttempt(int attempt, const AttemptFailure &failure);

// Retry-After as delta-seconds or HTTP-date, in ms capped at RetryAfterCapMs; nullopt when absent or invalid.
std::optional<int> parseRetryAfter(const QByteArray &header, const QDateTime &now);

// Socket reconnect delay before attempt `attempt` (0-based): min(1000 * 2^n, 5000) ms, scaled by a
// jitter factor in [0.5, 1.5] given as `random01` in [0, 1).
int reconnectDelayMs(int attempt, double random01);

} // namespace RetrySchedule
