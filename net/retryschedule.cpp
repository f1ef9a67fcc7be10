#include "retryschedule.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace RetrySchedule {

bool isRetryable(const AttemptFailure &failure)
{
    if (failure.tlsFailed)
        return false;
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

// HTTP-date in its three forms (RFC 9110 §5.6.7), always GMT. Qt::RFC2822Date alone is not enough:
// Qt 6.4 rejects the zone name "GMT" of IMF-fixdate, the form every current server sends.
static QDateTime parseHttpDate(const QByteArray &value, const QDateTime &now)
{
    const QLocale c = QLocale::c();
    const QString text = QString::fromLatin1(value).simplified(); // asctime pads the day: "Nov  6"
    QDateTime parsed = c.toDateTime(text, QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"));
    if (!parsed.isValid()) {
        // RFC 850, weekday dropped: Qt reads "yy" as 19yy and would check the weekday against that year.
        parsed = c.toDateTime(text.section(QStringLiteral(", "), 1), QStringLiteral("dd-MMM-yy hh:mm:ss 'GMT'"));
        // Its two-digit year: one more than 50 years ahead is in the past century (RFC 9110).
        if (parsed.isValid() && parsed.date().year() + 100 <= now.date().year() + 50)
            parsed = parsed.addYears(100);
    }
    if (!parsed.isValid())
        parsed = c.toDateTime(text, QStringLiteral("ddd MMM d hh:mm:ss yyyy"));
    if (parsed.isValid())
        return QDateTime(parsed.date(), parsed.time(), Qt::UTC);
    // Lenient: a date with a numeric zone ("+0000") is not an HTTP-date but means one instant.
    return QDateTime::fromString(text, Qt::RFC2822Date);
}

std::optional<int> parseRetryAfter(const QByteArray &header, const QDateTime &now)
{
    const QByteArray value = header.trimmed();
    if (value.isEmpty())
        return std::nullopt;
    // delta-seconds is 1*DIGIT (RFC 9110 §10.2.3). Checked by hand, not by toLongLong(): a huge value
    // must still mean "wait long" (capped) rather than overflow or be taken as invalid, and signs are
    // not part of the grammar.
    const auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
    const bool negative = value.startsWith('-') && value.size() > 1;
    const QByteArray digits = negative ? value.mid(1) : value;
    if (std::all_of(digits.cbegin(), digits.cend(), isDigit)) {
        if (negative)
            return std::nullopt;
        if (digits.size() > 6)
            return RetryAfterCapMs;
        return std::min(digits.toInt() * 1000, RetryAfterCapMs);
    }
    const QDateTime when = parseHttpDate(value, now);
    if (!when.isValid())
        return std::nullopt;
    const qint64 ms = now.msecsTo(when);
    return int(std::clamp<qint64>(ms, 0, RetryAfterCapMs));
}

int reconnectDelayMs(int attempt, double random01)
{
    const int n = std::clamp(attempt, 0, 16);
    const double base = std::min(1000.0 * double(1 << n), 5000.0);
    // NaN passes std::clamp unchanged and lround(NaN) is 0 or garbage: a tight reconnect loop. No jitter then.
    const double jitter = 0.5 + (std::isnan(random01) ? 0.5 : std::clamp(random01, 0.0, 1.0));
    return int(std::lround(base * jitter));
}

} // namespace RetrySchedule
