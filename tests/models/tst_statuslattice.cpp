// The message state rules of CONTRACT.md §3, written out row by row: every state × every event.
#include "message.h"
#include "statuslattice.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using S = MessageStatus;
using E = StatusEvent;
using MaybeStatus = std::optional<MessageStatus>;

class tst_StatusLattice : public QObject
{
    Q_OBJECT

private slots:
    void nextStatus_data();
    void nextStatus();
    void everyPairCovered();
    void rank_data();
    void rank();
    void serverEventOf_data();
    void serverEventOf();
    void statusNameRoundTrip_data();
    void statusNameRoundTrip();
    void statusFromNameRejects_data();
    void statusFromNameRejects();
    void messageIdFormat();
    void messageIdsUnique();
};

static const MaybeStatus NoChange = std::nullopt;

void tst_StatusLattice::nextStatus_data()
{
    QTest::addColumn<S>("from");
    QTest::addColumn<E>("event");
    QTest::addColumn<MaybeStatus>("expected");

    // Inbound messages (None) have no delivery state: nothing applies to them.
    QTest::newRow("none + PostAccepted") << S::None << E::PostAccepted << NoChange;
    QTest::newRow("none + PostFailed") << S::None << E::PostFailed << NoChange;
    QTest::newRow("none + RetryRequested") << S::None << E::RetryRequested << NoChange;
    QTest::newRow("none + ServerSent") << S::None << E::ServerSent << NoChange;
    QTest::newRow("none + ServerDelivered") << S::None << E::ServerDelivered << NoChange;
    QTest::newRow("none + ServerRead") << S::None << E::ServerRead << NoChange;
    QTest::newRow("none + ServerFailed") << S::None << E::ServerFailed << NoChange;

    // pending: POST 200 -> sent; POST failed -> failed; any higher server status; server failed -> failed.
    QTest::newRow("pending + PostAccepted") << S::Pending << E::PostAccepted << MaybeStatus(S::Sent);
    QTest::newRow("pending + PostFailed") << S::Pending << E::PostFailed << MaybeStatus(S::Failed);
    QTest::newRow("pending + RetryRequested") << S::Pending << E::RetryRequested << NoChange;
    QTest::newRow("pending + ServerSent") << S::Pending << E::ServerSent << MaybeStatus(S::Sent);
    QTest::newRow("pending + ServerDelivered") << S::Pending << E::ServerDelivered << MaybeStatus(S::Delivered);
    QTest::newRow("pending + ServerRead") << S::Pending << E::ServerRead << MaybeStatus(S::Read);
    QTest::newRow("pending + ServerFailed") << S::Pending << E::ServerFailed << MaybeStatus(S::Failed);

    // sent: a second 200 or "sent" is a duplicate; a late POST failure must not undo the acceptance.
    QTest::newRow("sent + PostAccepted") << S::Sent << E::PostAccepted << NoChange;
    QTest::newRow("sent + PostFailed") << S::Sent << E::PostFailed << NoChange;
    QTest::newRow("sent + RetryRequested") << S::Sent << E::RetryRequested << NoChange;
    QTest::newRow("sent + ServerSent") << S::Sent << E::ServerSent << NoChange;
    QTest::newRow("sent + ServerDelivered") << S::Sent << E::ServerDelivered << MaybeStatus(S::Delivered);
    QTest::newRow("sent + ServerRead") << S::Sent << E::ServerRead << MaybeStatus(S::Read);
    QTest::newRow("sent + ServerFailed") << S::Sent << E::ServerFailed << MaybeStatus(S::Failed);

    // delivered: only read moves it on; sent is a regression, failed after delivered is ignored.
    QTest::newRow("delivered + PostAccepted") << S::Delivered << E::PostAccepted << NoChange;
    QTest::newRow("delivered + PostFailed") << S::Delivered << E::PostFailed << NoChange;
    QTest::newRow("delivered + RetryRequested") << S::Delivered << E::RetryRequested << NoChange;
    QTest::newRow("delivered + ServerSent") << S::Delivered << E::ServerSent << NoChange;
    QTest::newRow("delivered + ServerDelivered") << S::Delivered << E::ServerDelivered << NoChange;
    QTest::newRow("delivered + ServerRead") << S::Delivered << E::ServerRead << MaybeStatus(S::Read);
    QTest::newRow("delivered + ServerFailed") << S::Delivered << E::ServerFailed << NoChange;

    // read is final.
    QTest::newRow("read + PostAccepted") << S::Read << E::PostAccepted << NoChange;
    QTest::newRow("read + PostFailed") << S::Read << E::PostFailed << NoChange;
    QTest::newRow("read + RetryRequested") << S::Read << E::RetryRequested << NoChange;
    QTest::newRow("read + ServerSent") << S::Read << E::ServerSent << NoChange;
    QTest::newRow("read + ServerDelivered") << S::Read << E::ServerDelivered << NoChange;
    QTest::newRow("read + ServerRead") << S::Read << E::ServerRead << NoChange;
    QTest::newRow("read + ServerFailed") << S::Read << E::ServerFailed << NoChange;

    // failed: Retry -> pending; delivered/read prove it arrived; "sent" alone proves nothing.
    QTest::newRow("failed + PostAccepted") << S::Failed << E::PostAccepted << NoChange;
    QTest::newRow("failed + PostFailed") << S::Failed << E::PostFailed << NoChange;
    QTest::newRow("failed + RetryRequested") << S::Failed << E::RetryRequested << MaybeStatus(S::Pending);
    QTest::newRow("failed + ServerSent") << S::Failed << E::ServerSent << NoChange;
    QTest::newRow("failed + ServerDelivered") << S::Failed << E::ServerDelivered << MaybeStatus(S::Delivered);
    QTest::newRow("failed + ServerRead") << S::Failed << E::ServerRead << MaybeStatus(S::Read);
    QTest::newRow("failed + ServerFailed") << S::Failed << E::ServerFailed << NoChange;
}

void tst_StatusLattice::nextStatus()
{
    QFETCH(S, from);
    QFETCH(E, event);
    QFETCH(MaybeStatus, expected);
    QCOMPARE(::nextStatus(from, event), expected);
}

// Guards the table above: a new state or event must get its rows written out.
void tst_StatusLattice::everyPairCovered()
{
    int states = 0;
    for (S s : {S::None, S::Pending, S::Sent, S::Delivered, S::Read, S::Failed}) {
        QCOMPARE(int(s), states);
        ++states;
    }
    int events = 0;
    for (E e : {E::PostAccepted, E::PostFailed, E::RetryRequested, E::ServerSent, E::ServerDelivered,
                E::ServerRead, E::ServerFailed}) {
        QCOMPARE(int(e), events);
        ++events;
    }
    QCOMPARE(int(S::Failed) + 1, states);
    QCOMPARE(int(E::ServerFailed) + 1, events);
    QCOMPARE(states * events, 42); // the number of rows in nextStatus_data()
}

void tst_StatusLattice::rank_data()
{
    QTest::addColumn<S>("status");
    QTest::addColumn<int>("rank");
    QTest::newRow("none") << S::None << -1;
    QTest::newRow("pending") << S::Pending << 0;
    QTest::newRow("sent") << S::Sent << 1;
    QTest::newRow("delivered") << S::Delivered << 2;
    QTest::newRow("read") << S::Read << 3;
    QTest::newRow("failed") << S::Failed << -1;
}

void tst_StatusLattice::rank()
{
    QFETCH(S, status);
    QFETCH(int, rank);
    QCOMPARE(statusRank(status), rank);
}

void tst_StatusLattice::serverEventOf_data()
{
    QTest::addColumn<S>("reported");
    QTest::addColumn<std::optional<E>>("event");
    QTest::newRow("none") << S::None << std::optional<E>();
    QTest::newRow("pending") << S::Pending << std::optional<E>();
    QTest::newRow("sent") << S::Sent << std::optional<E>(E::ServerSent);
    QTest::newRow("delivered") << S::Delivered << std::optional<E>(E::ServerDelivered);
    QTest::newRow("read") << S::Read << std::optional<E>(E::ServerRead);
    QTest::newRow("failed") << S::Failed << std::optional<E>(E::ServerFailed);
}

void tst_StatusLattice::serverEventOf()
{
    QFETCH(S, reported);
    QFETCH(std::optional<E>, event);
    QCOMPARE(serverEvent(reported), event);
}

void tst_StatusLattice::statusNameRoundTrip_data()
{
    QTest::addColumn<S>("status");
    QTest::addColumn<QString>("name");
    QTest::newRow("pending") << S::Pending << QStringLiteral("pending");
    QTest::newRow("sent") << S::Sent << QStringLiteral("sent");
    QTest::newRow("delivered") << S::Delivered << QStringLiteral("delivered");
    QTest::newRow("read") << S::Read << QStringLiteral("read");
    QTest::newRow("failed") << S::Failed << QStringLiteral("failed");
}

void tst_StatusLattice::statusNameRoundTrip()
{
    QFETCH(S, status);
    QFETCH(QString, name);
    QCOMPARE(statusName(status), name);
    QCOMPARE(statusFromName(name), std::optional<S>(status));
    QCOMPARE(statusFromName(statusName(status)), std::optional<S>(status));
}

void tst_StatusLattice::statusFromNameRejects_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("empty (None has no wire name)") << QString();
    QTest::newRow("upper case") << QStringLiteral("READ");
    QTest::newRow("padded") << QStringLiteral(" sent");
    QTest::newRow("unknown") << QStringLiteral("seen");
    QTest::newRow("prefix") << QStringLiteral("deliver");
}

void tst_StatusLattice::statusFromNameRejects()
{
    QFETCH(QString, name);
    QCOMPARE(statusFromName(name), std::optional<S>());
    QVERIFY(statusName(S::None).isEmpty());
}

void tst_StatusLattice::messageIdFormat()
{
    static const QRegularExpression format(QStringLiteral("^msg_\\d{13}_[0-9a-f]{8}$"));
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < 200; ++i) {
        const QString id = makeMessageId();
        QVERIFY2(format.match(id).hasMatch(), qPrintable(id));
        const qint64 ms = id.section(u'_', 1, 1).toLongLong();
        QVERIFY(ms >= before);
        QVERIFY(ms <= QDateTime::currentMSecsSinceEpoch());
    }
}

void tst_StatusLattice::messageIdsUnique()
{
    // Ids made in a burst share their millisecond; the hex part alone keeps them apart. With 32 random
    // bits per id instead, 200,000 ids (about a thousand per millisecond) repeat one in about one run of
    // thirty, and 10,000 in about one of a thousand, which is how this was found.
    constexpr int count = 200000;
    QSet<QString> ids;
    ids.reserve(count);
    for (int i = 0; i < count; ++i)
        ids.insert(makeMessageId());
    QCOMPARE(ids.size(), count);
}

QTEST_GUILESS_MAIN(tst_StatusLattice)
#include "tst_statuslattice.moc"
