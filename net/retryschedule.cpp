#include "retryschedule.h"

#include <algorithm>
#include <cmath>

namespace RetrySchedule {

bool isRetryable(const AttemptFailure &failure)
{
    const int s = failure.httpStatus;
    return s == 0 || s == 408 || s == 429 || (s >= 500 && s <= 599);
}

std::optional<int> delayAfterFailedAttempt(int attempt, const AttemptFailure &failure)
{
    if (attempt < 1 || attempt >= MaxSendAttempts || !isRetryable(failure))
        return std::nullopt;
    const int scheduled = 100 << (attempt - 1);
    return std::max(scheduled, failure.retryAfterMs.value_or(0));
}

std::optional<int> parseRetryAfter(const QByteArray &header, const QDateTime &now)
{
    const QByteArray value = header.trimmed();
    if (value.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qlonglong seconds = value.toLongLong(&ok);
    if (ok) {
        if (seconds < 0)
            return std::nullopt;
        return int(std::min<qlonglong>(seconds * 1000, RetryAfterCapMs));
    }
    QDateTime when = QDateTime::fromString(QString::fromLatin1(value), Qt::RFC2822Date);
    if (!when.isValid())
        return std::nullopt;
    const qint64 ms = now.msecsTo(when);
    return int(std::clamp<qint64>(ms, 0, RetryAfterCapMs));
}

int reconnectDelayMs(int attempt, double random01)
{
    const int n = std::clamp(attempt, 0, 16);
    const double base = std::min(1000.0 * double(1 << n), 5000.0);
    const double jitter = 0.5 + std::clamp(random01, 0.0, 1.0);
    return int(std::lround(base * jitter));
}

} // namespace RetrySchedule
