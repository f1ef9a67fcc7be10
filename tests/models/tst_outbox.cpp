// Outbox: replies leave in the order written, only the head is ever on the wire, and a failed head
// holds back everything behind it until the agent retries or discards it (CONTRACT.md §3 "Order").
#include "outbox.h"

#include <QTest>

using State = Outbox::State;

char *toString(Outbox::State state)
{
    switch (state) {
    case State::Waiting:
        return qstrdup("Waiting");
    case State::InFlight:
        return qstrdup("InFlight");
    case State::Failed:
        return qstrdup("Failed");
    }
    return qstrdup("?");
}

namespace {

QStringList idsOf(const Outbox &outbox)
{
    QStringList ids;
    for (const Outbox::Entry &e : outbox.entries())
        ids.append(e.id);
    return ids;
}

// Builds an outbox of a, b, c whose head `a` is in the given state.
Outbox withHead(State head)
{
    Outbox outbox;
    outbox.enqueue(QStringLiteral("a"));
    outbox.enqueue(QStringLiteral("b"));
    outbox.enqueue(QStringLiteral("c"));
    if (head != State::Waiting)
        outbox.takeNextToSend();
    if (head == State::Failed)
        outbox.failed(QStringLiteral("a"));
    return outbox;
}

} // namespace

Q_DECLARE_METATYPE(Outbox::State)

class tst_Outbox : public QObject
{
    Q_OBJECT

private slots:
    void startsEmpty();
    void keepsOrderAndIgnoresDuplicates();
    void drainsInOrder();
    void onlyHeadIsTaken_data();
    void onlyHeadIsTaken();
    void failureBlocksTheRest();
    void retryUnblocks();
    void discardUnblocks();
    void discardInFlightRefused();
    void discardWaitingBehindHead();
    void operationsOnUnknownIds();
    void failedTwiceAndRetryOfNonFailed();
    void isBlocked_data();
    void isBlocked();
};

void tst_Outbox::startsEmpty()
{
    Outbox outbox;
    QVERIFY(outbox.isEmpty());
    QCOMPARE(outbox.size(), 0);
    QCOMPARE(outbox.takeNextToSend(), std::optional<QString>());
}

void tst_Outbox::keepsOrderAndIgnoresDuplicates()
{
    Outbox outbox;
    for (const char *id : {"m1", "m2", "m3", "m2", "m1"})
        outbox.enqueue(QString::fromLatin1(id));
    QCOMPARE(idsOf(outbox), QStringList({"m1", "m2", "m3"}));
    QVERIFY(outbox.contains(QStringLiteral("m2")));
    QVERIFY(!outbox.contains(QStringLiteral("m4")));
    for (const Outbox::Entry &e : outbox.entries())
        QCOMPARE(e.state, State::Waiting);
}

void tst_Outbox::drainsInOrder()
{
    Outbox outbox = withHead(State::Waiting);
    QStringList sent;
    while (const auto next = outbox.takeNextToSend()) {
        sent.append(*next);
        QCOMPARE(outbox.entries().first().state, State::InFlight);
        QVERIFY(outbox.accepted(*next));
    }
    QCOMPARE(sent, QStringList({"a", "b", "c"}));
    QVERIFY(outbox.isEmpty());
}

void tst_Outbox::onlyHeadIsTaken_data()
{
    QTest::addColumn<State>("head");
    QTest::addColumn<std::optional<QString>>("next");
    QTest::newRow("head waiting") << State::Waiting << std::optional<QString>(QStringLiteral("a"));
    QTest::newRow("head in flight") << State::InFlight << std::optional<QString>();
    QTest::newRow("head failed") << State::Failed << std::optional<QString>();
}

void tst_Outbox::onlyHeadIsTaken()
{
    QFETCH(State, head);
    QFETCH(std::optional<QString>, next);
    Outbox outbox = withHead(head);
    QCOMPARE(outbox.takeNextToSend(), next);
    // Whatever happened, b and c are still waiting: nothing overtook the head.
    QCOMPARE(outbox.entries().at(1).state, State::Waiting);
    QCOMPARE(outbox.entries().at(2).state, State::Waiting);
    QCOMPARE(outbox.size(), 3);
}

void tst_Outbox::failureBlocksTheRest()
{
    Outbox outbox = withHead(State::Failed);
    QCOMPARE(outbox.entries().first().state, State::Failed);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(outbox.takeNextToSend(), std::optional<QString>());
    QVERIFY(outbox.isBlocked(QStringLiteral("b")));
    QVERIFY(outbox.isBlocked(QStringLiteral("c")));
    QCOMPARE(idsOf(outbox), QStringList({"a", "b", "c"}));
}

void tst_Outbox::retryUnblocks()
{
    Outbox outbox = withHead(State::Failed);
    QVERIFY(outbox.retry(QStringLiteral("a")));
    QCOMPARE(outbox.entries().first().state, State::Waiting);
    // The retried reply goes first, under the same id; the rest follow in order.
    QCOMPARE(outbox.takeNextToSend(), std::optional<QString>(QStringLiteral("a")));
    QVERIFY(outbox.accepted(QStringLiteral("a")));
    QCOMPARE(outbox.takeNextToSend(), std::optional<QString>(QStringLiteral("b")));
}

void tst_Outbox::discardUnblocks()
{
    Outbox outbox = withHead(State::Failed);
    QVERIFY(outbox.discard(QStringLiteral("a")));
    QVERIFY(!outbox.contains(QStringLiteral("a")));
    QVERIFY(!outbox.isBlocked(QStringLiteral("b")));
    QCOMPARE(outbox.takeNextToSend(), std::optional<QString>(QStringLiteral("b")));
}

void tst_Outbox::discardInFlightRefused()
{
    Outbox outbox = withHead(State::InFlight);
    QVERIFY(!outbox.discard(QStringLiteral("a")));
    QCOMPARE(idsOf(outbox), QStringList({"a", "b", "c"}));
    QCOMPARE(outbox.entries().first().state, State::InFlight);
}

void tst_Outbox::discardWaitingBehindHead()
{
    Outbox outbox = withHead(State::InFlight);
    QVERIFY(outbox.discard(QStringLiteral("b")));
    QCOMPARE(idsOf(outbox), QStringList({"a", "c"}));
    QVERIFY(outbox.accepted(QStringLiteral("a")));
    QCOMPARE(outbox.takeNextToSend(), std::optional<QString>(QStringLiteral("c")));
}

void tst_Outbox::operationsOnUnknownIds()
{
    Outbox outbox = withHead(State::InFlight);
    const QString nobody = QStringLiteral("nobody");
    QVERIFY(!outbox.accepted(nobody));
    QVERIFY(!outbox.failed(nobody));
    QVERIFY(!outbox.retry(nobody));
    QVERIFY(!outbox.discard(nobody));
    QVERIFY(!outbox.isBlocked(nobody));
    QCOMPARE(outbox.size(), 3);
}

void tst_Outbox::failedTwiceAndRetryOfNonFailed()
{
    Outbox outbox = withHead(State::InFlight);
    QVERIFY(!outbox.retry(QStringLiteral("a"))); // in flight: nothing to retry
    QVERIFY(!outbox.retry(QStringLiteral("b"))); // waiting: nothing to retry
    QVERIFY(outbox.failed(QStringLiteral("a")));
    QVERIFY(!outbox.failed(QStringLiteral("a")));
    QVERIFY(outbox.retry(QStringLiteral("a")));
    QVERIFY(!outbox.retry(QStringLiteral("a")));
}

void tst_Outbox::isBlocked_data()
{
    QTest::addColumn<State>("head");
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("blocked");
    QTest::newRow("head itself, waiting") << State::Waiting << QStringLiteral("a") << false;
    QTest::newRow("head itself, in flight") << State::InFlight << QStringLiteral("a") << false;
    QTest::newRow("head itself, failed") << State::Failed << QStringLiteral("a") << false;
    QTest::newRow("second, head in flight") << State::InFlight << QStringLiteral("b") << true;
    QTest::newRow("second, head failed") << State::Failed << QStringLiteral("b") << true;
    QTest::newRow("third, head failed") << State::Failed << QStringLiteral("c") << true;
}

void tst_Outbox::isBlocked()
{
    QFETCH(State, head);
    QFETCH(QString, id);
    QFETCH(bool, blocked);
    const Outbox outbox = withHead(head);
    QCOMPARE(outbox.isBlocked(id), blocked);
}

QTEST_GUILESS_MAIN(tst_Outbox)
#include "tst_outbox.moc"
