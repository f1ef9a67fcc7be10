// The send-retry and reconnect timing of CONTRACT.md §2 and §3, as tables.
#include "retryschedule.h"

#include <QTest>

#include <climits>
#include <cmath>
#include <limits>

using namespace RetrySchedule;
using MaybeMs = std::optional<int>;

namespace {
const QDateTime Now(QDate(2015, 10, 21), QTime(7, 28), Qt::UTC);
constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
constexpr double Inf = std::numeric_limits<double>::infinity();
} // namespace

namespace QTest {
template<>
char *toString(const MaybeMs &ms)
{
    return ms ? QTest::toString(*ms) : qstrdup("nullopt");
}
} // namespace QTest

class tst_RetrySchedule : public QObject
{
    Q_OBJECT

private slots:
    void constants();
    void isRetryable_data();
    void isRetryable();
    void delayAfterFailedAttempt_data();
    void delayAfterFailedAttempt();
    void parseRetryAfter_data();
    void parseRetryAfter();
    void reconnectDelay_data();
    void reconnectDelay();
    void reconnectDelayStaysInJitterBand();
};

void tst_RetrySchedule::constants()
{
    QCOMPARE(MaxSendAttempts, 4); // one attempt + 3 retries (CONTRACT.md §3, §4)
    QCOMPARE(RetryAfterCapMs, 30000);
}

void tst_RetrySchedule::isRetryable_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("retryable");
    QTest::newRow("0 network error / timeout") << 0 << true;
    QTest::newRow("408") << 408 << true;
    QTest::newRow("429") << 429 << true;
    QTest::newRow("500") << 500 << true;
    QTest::newRow("502") << 502 << true;
    QTest::newRow("503") << 503 << true;
    QTest::newRow("504") << 504 << true;
    QTest::newRow("599") << 599 << true;
    QTest::newRow("400") << 400 << false;
    QTest::newRow("401") << 401 << false;
    QTest::newRow("403") << 403 << false;
    QTest::newRow("404") << 404 << false;
    QTest::newRow("409") << 409 << false;
    QTest::newRow("422") << 422 << false;
    QTest::newRow("499") << 499 << false;
    QTest::newRow("600") << 600 << false;
    QTest::newRow("200") << 200 << false;
    QTest::newRow("302") << 302 << false;
}

void tst_RetrySchedule::isRetryable()
{
    QFETCH(int, status);
    QFETCH(bool, retryable);
    QCOMPARE(RetrySchedule::isRetryable({status, std::nullopt}), retryable);
    QCOMPARE(RetrySchedule::isRetryable({status, 5000}), retryable); // Retry-After never makes a 4xx retryable
    // A failed TLS handshake is never retried, whatever else the failure says.
    QCOMPARE(RetrySchedule::isRetryable({status, std::nullopt, true}), false);
    QCOMPARE(RetrySchedule::isRetryable({status, 5000, true}), false);
}

void tst_RetrySchedule::delayAfterFailedAttempt_data()
{
    QTest::addColumn<int>("attempt");
    QTest::addColumn<int>("status");
    QTest::addColumn<MaybeMs>("retryAfter");
    QTest::addColumn<bool>("tlsFailed");
    QTest::addColumn<MaybeMs>("delay");
    const MaybeMs none;
    const MaybeMs giveUp;

    QTest::newRow("attempt 1 -> 100") << 1 << 0 << none << false << MaybeMs(100);
    QTest::newRow("attempt 2 -> 200") << 2 << 0 << none << false << MaybeMs(200);
    QTest::newRow("attempt 3 -> 400") << 3 << 0 << none << false << MaybeMs(400);
    QTest::newRow("attempt 4 -> give up") << 4 << 0 << none << false << giveUp;
    QTest::newRow("attempt 5 -> give up") << 5 << 0 << none << false << giveUp;
    QTest::newRow("attempt INT_MAX -> give up") << INT_MAX << 0 << none << false << giveUp;
    QTest::newRow("attempt 0 -> invalid") << 0 << 0 << none << false << giveUp;
    QTest::newRow("attempt -1 -> invalid") << -1 << 0 << none << false << giveUp;

    for (int status : {0, 408, 429, 500, 502, 503, 599})
        QTest::addRow("status %d retried", status) << 2 << status << none << false << MaybeMs(200);
    for (int status : {400, 401, 403, 404, 409, 422})
        QTest::addRow("status %d fails at once", status) << 1 << status << none << false << giveUp;

    // Retry-After lengthens the wait, never shortens it: max(schedule, Retry-After).
    QTest::newRow("503 Retry-After 2000 > 100") << 1 << 503 << MaybeMs(2000) << false << MaybeMs(2000);
    QTest::newRow("429 Retry-After 50 < 100") << 1 << 429 << MaybeMs(50) << false << MaybeMs(100);
    QTest::newRow("429 Retry-After 0") << 2 << 429 << MaybeMs(0) << false << MaybeMs(200);
    QTest::newRow("503 Retry-After 300 < 400") << 3 << 503 << MaybeMs(300) << false << MaybeMs(400);
    QTest::newRow("503 Retry-After 401 > 400") << 3 << 503 << MaybeMs(401) << false << MaybeMs(401);
    QTest::newRow("429 Retry-After at the cap") << 2 << 429 << MaybeMs(30000) << false << MaybeMs(30000);
    QTest::newRow("Retry-After does not add attempts") << 4 << 503 << MaybeMs(2000) << false << giveUp;
    QTest::newRow("TLS failure at attempt 1 -> give up") << 1 << 0 << none << true << giveUp;
    QTest::newRow("TLS failure at attempt 2 -> give up") << 2 << 0 << none << true << giveUp;
    QTest::newRow("TLS failure with Retry-After -> give up") << 1 << 503 << MaybeMs(2000) << true << giveUp;
    QTest::newRow("Retry-After does not make 400 retryable") << 1 << 400 << MaybeMs(2000) << false << giveUp;
}

void tst_RetrySchedule::delayAfterFailedAttempt()
{
    QFETCH(int, attempt);
    QFETCH(int, status);
    QFETCH(MaybeMs, retryAfter);
    QFETCH(bool, tlsFailed);
    QFETCH(MaybeMs, delay);
    QCOMPARE(RetrySchedule::delayAfterFailedAttempt(attempt, {status, retryAfter, tlsFailed}), delay);
}

void tst_RetrySchedule::parseRetryAfter_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<MaybeMs>("expected");
    const MaybeMs invalid;

    QTest::newRow("2 s") << QByteArray("2") << Now << MaybeMs(2000);
    QTest::newRow("0 s") << QByteArray("0") << Now << MaybeMs(0);
    QTest::newRow("29 s") << QByteArray("29") << Now << MaybeMs(29000);
    QTest::newRow("30 s at the cap") << QByteArray("30") << Now << MaybeMs(30000);
    QTest::newRow("120 s capped") << QByteArray("120") << Now << MaybeMs(30000);
    QTest::newRow("padded") << QByteArray(" 5\t") << Now << MaybeMs(5000);
    QTest::newRow("leading zeros") << QByteArray("007") << Now << MaybeMs(7000);
    QTest::newRow("overflows 64 bits when * 1000, capped") << QByteArray("9300000000000000") << Now << MaybeMs(30000);
    QTest::newRow("beyond 64 bits capped") << QByteArray("99999999999999999999999") << Now << MaybeMs(30000);
    QTest::newRow("negative") << QByteArray("-1") << Now << invalid;
    QTest::newRow("negative huge") << QByteArray("-99999999999999999999") << Now << invalid;
    QTest::newRow("empty") << QByteArray() << Now << invalid;
    QTest::newRow("blank") << QByteArray("   ") << Now << invalid;
    QTest::newRow("garbage") << QByteArray("soon") << Now << invalid;
    QTest::newRow("fraction") << QByteArray("1.5") << Now << invalid;
    QTest::newRow("plus sign") << QByteArray("+5") << Now << invalid;
    QTest::newRow("hex") << QByteArray("0x10") << Now << invalid;
    QTest::newRow("minus alone") << QByteArray("-") << Now << invalid;
    QTest::newRow("digits then garbage") << QByteArray("5s") << Now << invalid;

    QTest::newRow("IMF-fixdate +2 s") << QByteArray("Wed, 21 Oct 2015 07:28:02 GMT") << Now << MaybeMs(2000);
    QTest::newRow("IMF-fixdate +60 s capped") << QByteArray("Wed, 21 Oct 2015 07:29:00 GMT") << Now << MaybeMs(30000);
    QTest::newRow("IMF-fixdate next year capped") << QByteArray("Fri, 21 Oct 2016 07:28:00 GMT") << Now
                                                  << MaybeMs(30000);
    QTest::newRow("IMF-fixdate now") << QByteArray("Wed, 21 Oct 2015 07:28:00 GMT") << Now << MaybeMs(0);
    QTest::newRow("IMF-fixdate in the past") << QByteArray("Wed, 21 Oct 2015 07:27:00 GMT") << Now << MaybeMs(0);
    QTest::newRow("IMF-fixdate long past") << QByteArray("Thu, 01 Jan 1970 00:00:00 GMT") << Now << MaybeMs(0);
    QTest::newRow("IMF-fixdate, now in another zone")
        << QByteArray("Wed, 21 Oct 2015 07:28:02 GMT") << Now.toOffsetFromUtc(-5 * 3600) << MaybeMs(2000);
    QTest::newRow("RFC 850 date") << QByteArray("Wednesday, 21-Oct-15 07:28:10 GMT") << Now << MaybeMs(10000);
    QTest::newRow("asctime date") << QByteArray("Wed Oct 21 07:28:05 2015") << Now << MaybeMs(5000);
    QTest::newRow("asctime, day padded")
        << QByteArray("Sun Nov  6 08:49:37 1994") << QDateTime(QDate(1994, 11, 6), QTime(8, 49, 30), Qt::UTC)
        << MaybeMs(7000);
    QTest::newRow("numeric zone") << QByteArray("Wed, 21 Oct 2015 08:28:03 +0100") << Now << MaybeMs(3000);
    QTest::newRow("day 32") << QByteArray("Wed, 32 Oct 2015 07:28:00 GMT") << Now << invalid;
    QTest::newRow("hour 25") << QByteArray("Wed, 21 Oct 2015 25:28:00 GMT") << Now << invalid;
    QTest::newRow("month name garbage") << QByteArray("Wed, 21 Foo 2015 07:28:00 GMT") << Now << invalid;
    QTest::newRow("truncated date") << QByteArray("Wed, 21 Oct 2015") << Now << invalid;
}

void tst_RetrySchedule::parseRetryAfter()
{
    QFETCH(QByteArray, header);
    QFETCH(QDateTime, now);
    QFETCH(MaybeMs, expected);
    QCOMPARE(RetrySchedule::parseRetryAfter(header, now), expected);
}

void tst_RetrySchedule::reconnectDelay_data()
{
    QTest::addColumn<int>("attempt");
    QTest::addColumn<double>("random");
    QTest::addColumn<int>("delay");

    // min(1000 * 2^n, 5000) scaled by 0.5 + random.
    QTest::newRow("0, random 0") << 0 << 0.0 << 500;
    QTest::newRow("0, random 0.5") << 0 << 0.5 << 1000;
    QTest::newRow("0, random 0.25") << 0 << 0.25 << 750;
    QTest::newRow("0, random 1") << 0 << 1.0 << 1500;
    QTest::newRow("1, random 0.5") << 1 << 0.5 << 2000;
    QTest::newRow("1, random 0") << 1 << 0.0 << 1000;
    QTest::newRow("2, random 0.5") << 2 << 0.5 << 4000;
    QTest::newRow("2, random 1") << 2 << 1.0 << 6000;
    QTest::newRow("3, random 0.5 (capped base)") << 3 << 0.5 << 5000;
    QTest::newRow("3, random 0") << 3 << 0.0 << 2500;
    QTest::newRow("3, random 1") << 3 << 1.0 << 7500;
    QTest::newRow("4, random 0.5") << 4 << 0.5 << 5000;
    QTest::newRow("30, random 0.5") << 30 << 0.5 << 5000;
    QTest::newRow("31, random 0.5") << 31 << 0.5 << 5000;
    QTest::newRow("64, random 0.5") << 64 << 0.5 << 5000;
    QTest::newRow("INT_MAX, random 0") << INT_MAX << 0.0 << 2500;
    QTest::newRow("INT_MAX, random 1") << INT_MAX << 1.0 << 7500;
    QTest::newRow("-1 counts as 0") << -1 << 0.5 << 1000;
    QTest::newRow("INT_MIN counts as 0") << INT_MIN << 0.5 << 1000;
    QTest::newRow("random below 0 clamped") << 1 << -3.0 << 1000;
    QTest::newRow("random above 1 clamped") << 1 << 7.0 << 3000;
    QTest::newRow("random -inf clamped") << 2 << -Inf << 2000;
    QTest::newRow("random +inf clamped") << 2 << Inf << 6000;
    QTest::newRow("random NaN: no jitter") << 2 << NaN << 4000;
}

void tst_RetrySchedule::reconnectDelay()
{
    QFETCH(int, attempt);
    QFETCH(double, random);
    QFETCH(int, delay);
    QCOMPARE(reconnectDelayMs(attempt, random), delay);
}

void tst_RetrySchedule::reconnectDelayStaysInJitterBand()
{
    for (int attempt = 0; attempt <= 40; ++attempt) {
        const int base = attempt >= 3 ? 5000 : 1000 << attempt;
        for (int step = 0; step <= 100; ++step) {
            const int delay = reconnectDelayMs(attempt, step / 100.0);
            QVERIFY2(delay >= base / 2 && delay <= base * 3 / 2,
                     qPrintable(QStringLiteral("attempt %1 step %2: %3").arg(attempt).arg(step).arg(delay)));
        }
        // Monotonic in the random input: the jitter is a scale, not noise added twice.
        QVERIFY(reconnectDelayMs(attempt, 0.1) <= reconnectDelayMs(attempt, 0.9));
    }
}

QTEST_GUILESS_MAIN(tst_RetrySchedule)
#include "tst_retryschedule.moc"
