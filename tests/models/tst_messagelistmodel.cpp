// MessageListModel under QAbstractItemModelTester: inserts keep the id -> row index right, status
// events repaint exactly the roles that changed, and a change that changes nothing emits nothing.
#include "messagelistmodel.h"
#include "outbox.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using S = MessageStatus;
using E = StatusEvent;
using Roles = QList<int>;

char *toString(MessageStatus status)
{
    return qstrdup(status == S::None ? "none" : qPrintable(statusName(status)));
}

namespace {

const QDateTime T0 = QDateTime(QDate(2026, 11, 23), QTime(10, 0), Qt::UTC);

Message message(const QString &id, int second, S status = S::Sent, Direction direction = Direction::Outbound)
{
    Message m;
    m.id = id;
    m.direction = direction;
    m.text = QStringLiteral("text of ") + id;
    m.timestamp = T0.addSecs(second);
    m.status = status;
    return m;
}

QStringList idsOf(const MessageListModel &model)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.append(model.data(model.index(row), MessageListModel::IdRole).toString());
    return ids;
}

// Every id maps to the row that holds it: the index is in step with the rows.
bool indexConsistent(const MessageListModel &model)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.rowOf(model.at(row).id) != row || model.indexOf(model.at(row).id) != model.index(row))
            return false;
    }
    return true;
}

// A model that the tester watches for its whole life; Fatal aborts on the first broken invariant.
struct Checked
{
    Checked()
        : model(std::make_unique<MessageListModel>())
        , tester(std::make_unique<QAbstractItemModelTester>(
              model.get(), QAbstractItemModelTester::FailureReportingMode::Fatal))
    {
    }
    MessageListModel &operator*() { return *model; }
    MessageListModel *operator->() { return model.get(); }
    std::unique_ptr<MessageListModel> model;
    std::unique_ptr<QAbstractItemModelTester> tester;
};

} // namespace

class tst_MessageListModel : public QObject
{
    Q_OBJECT

private slots:
    void roles();
    void append();
    void appendDuplicateIgnored_data();
    void appendDuplicateIgnored();
    void prependOlderPage();
    void prependSkipsDuplicates();
    void prependNothingNewEmitsNothing();
    void rowOfAfterManyPrepends();
    void mergeKnownTakesServerStatus_data();
    void mergeKnownTakesServerStatus();
    void mergeInsertsUnknownByTimestamp();
    void mergeAddsNoDuplicates();
    void remove();
    void removeDropsAliases();
    void removeUnknownEmitsNothing();
    void applyEvent_data();
    void applyEvent();
    void applyEventNoOp_data();
    void applyEventNoOp();
    void aliasHitsSameRow();
    void aliasIgnored_data();
    void aliasIgnored();
    void aliasFoldsTheServersCopyOfAReply();
    void showsTheOutbox();
    void showsTheOutboxsAttachmentsAndUploads();
    void lookupAtHundredThousandRows();
};

void tst_MessageListModel::roles()
{
    Checked model;
    const auto names = model->roleNames();
    QCOMPARE(names.value(MessageListModel::IdRole), QByteArray("messageId"));
    QCOMPARE(names.value(MessageListModel::StatusRole), QByteArray("status"));
    QCOMPARE(names.value(MessageListModel::ErrorRole), QByteArray("error"));
    QCOMPARE(names.value(MessageListModel::QueuedRole), QByteArray("queued"));
    QCOMPARE(names.value(MessageListModel::AttachmentRole), QByteArray("attachment"));
    QCOMPARE(names.value(MessageListModel::UploadProgressRole), QByteArray("uploadProgress"));
    QCOMPARE(names.size(), 10);
}

void tst_MessageListModel::append()
{
    Checked model;
    QSignalSpy inserted(model.model.get(), &QAbstractItemModel::rowsInserted);
    Message a = message(QStringLiteral("a"), 0, S::Pending);
    a.error = QStringLiteral("e");
    a.queued = true;
    a.mediaUrl = QStringLiteral("https://cdn/x.png");
    QVERIFY(model->append(a));
    QVERIFY(model->append(message(QStringLiteral("b"), 1, S::None, Direction::Inbound)));

    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(inserted.at(1).at(1).toInt(), 1);
    QCOMPARE(inserted.at(1).at(2).toInt(), 1);
    const QModelIndex first = model->index(0);
    QCOMPARE(first.data(MessageListModel::IdRole).toString(), QStringLiteral("a"));
    QCOMPARE(first.data(MessageListModel::TextRole).toString(), QStringLiteral("text of a"));
    QCOMPARE(first.data(Qt::DisplayRole).toString(), QStringLiteral("text of a"));
    QCOMPARE(first.data(MessageListModel::DirectionRole).toInt(), int(Direction::Outbound));
    QCOMPARE(first.data(MessageListModel::MediaUrlRole).toString(), QStringLiteral("https://cdn/x.png"));
    QCOMPARE(first.data(MessageListModel::TimestampRole).toDateTime(), T0);
    QCOMPARE(first.data(MessageListModel::StatusRole).toInt(), int(S::Pending));
    QCOMPARE(first.data(MessageListModel::ErrorRole).toString(), QStringLiteral("e"));
    QCOMPARE(first.data(MessageListModel::QueuedRole).toBool(), true);
    QCOMPARE(model->index(1).data(MessageListModel::DirectionRole).toInt(), int(Direction::Inbound));
    QCOMPARE(model->rowOf(QStringLiteral("a")), 0);
    QCOMPARE(model->rowOf(QStringLiteral("b")), 1);
    QCOMPARE(model->rowOf(QStringLiteral("c")), -1);
    QVERIFY(!model->indexOf(QStringLiteral("c")).isValid());
}

void tst_MessageListModel::appendDuplicateIgnored_data()
{
    QTest::addColumn<QString>("id");
    QTest::newRow("same id") << QStringLiteral("a");
    QTest::newRow("id known as an alias") << QStringLiteral("wamid.A");
    QTest::newRow("empty id") << QString();
}

void tst_MessageListModel::appendDuplicateIgnored()
{
    QFETCH(QString, id);
    Checked model;
    QVERIFY(model->append(message(QStringLiteral("a"), 0)));
    model->addAlias(QStringLiteral("a"), QStringLiteral("wamid.A"));
    QSignalSpy aboutToInsert(model.model.get(), &QAbstractItemModel::rowsAboutToBeInserted);
    QSignalSpy changed(model.model.get(), &QAbstractItemModel::dataChanged);

    QVERIFY(!model->append(message(id, 5, S::Read)));
    QCOMPARE(aboutToInsert.size(), 0);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->at(0).status, S::Sent); // the duplicate did not overwrite anything
}

void tst_MessageListModel::prependOlderPage()
{
    Checked model;
    model->append(message(QStringLiteral("c"), 30));
    model->append(message(QStringLiteral("d"), 40));
    QSignalSpy inserted(model.model.get(), &QAbstractItemModel::rowsInserted);

    QCOMPARE(model->prepend({message(QStringLiteral("a"), 10), message(QStringLiteral("b"), 20)}), 2);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), 1);
    QCOMPARE(idsOf(*model), QStringList({"a", "b", "c", "d"}));
    QVERIFY(indexConsistent(*model));

    // Appending after a prepend still lands at the end and is found.
    QVERIFY(model->append(message(QStringLiteral("e"), 50)));
    QCOMPARE(model->rowOf(QStringLiteral("e")), 4);
    QVERIFY(indexConsistent(*model));
}

void tst_MessageListModel::prependSkipsDuplicates()
{
    Checked model;
    model->append(message(QStringLiteral("c"), 30));
    model->append(message(QStringLiteral("d"), 40));
    model->addAlias(QStringLiteral("d"), QStringLiteral("wamid.D"));

    // Pages overlap when new messages arrived between two history reads.
    const QList<Message> page{message(QStringLiteral("a"), 10), message(QStringLiteral("a"), 10),
                              message(QStringLiteral("b"), 20), message(QStringLiteral("c"), 30),
                              message(QStringLiteral("wamid.D"), 40), message(QString(), 41)};
    QCOMPARE(model->prepend(page), 2);
    QCOMPARE(idsOf(*model), QStringList({"a", "b", "c", "d"}));
    QVERIFY(indexConsistent(*model));
    QCOMPARE(model->rowOf(QStringLiteral("wamid.D")), 3);
}

void tst_MessageListModel::prependNothingNewEmitsNothing()
{
    Checked model;
    model->append(message(QStringLiteral("a"), 10));
    QSignalSpy aboutToInsert(model.model.get(), &QAbstractItemModel::rowsAboutToBeInserted);
    QCOMPARE(model->prepend({}), 0);
    QCOMPARE(model->prepend({message(QStringLiteral("a"), 10)}), 0);
    QCOMPARE(aboutToInsert.size(), 0);
    QCOMPARE(model->rowCount(), 1);
}

void tst_MessageListModel::rowOfAfterManyPrepends()
{
    Checked model;
    constexpr int Pages = 50;
    constexpr int PageSize = 20;
    model->append(message(QStringLiteral("newest"), Pages * PageSize));
    for (int p = Pages - 1; p >= 0; --p) {
        QList<Message> page;
        for (int i = 0; i < PageSize; ++i) {
            const int n = p * PageSize + i;
            page.append(message(QStringLiteral("m%1").arg(n), n));
        }
        QCOMPARE(model->prepend(page), PageSize);
    }
    QCOMPARE(model->rowCount(), Pages * PageSize + 1);
    for (int n = 0; n < Pages * PageSize; ++n)
        QCOMPARE(model->rowOf(QStringLiteral("m%1").arg(n)), n);
    QCOMPARE(model->rowOf(QStringLiteral("newest")), Pages * PageSize);
    QVERIFY(indexConsistent(*model));
}

void tst_MessageListModel::mergeKnownTakesServerStatus_data()
{
    QTest::addColumn<S>("local");
    QTest::addColumn<S>("server");
    QTest::addColumn<QString>("serverError");
    QTest::addColumn<S>("expected");
    QTest::addColumn<QString>("expectedError");
    QTest::addColumn<int>("changes");

    const QString none;
    const QString rejected = QStringLiteral("rejected by upstream");
    QTest::newRow("pending <- delivered") << S::Pending << S::Delivered << none << S::Delivered << none << 1;
    QTest::newRow("sent <- read") << S::Sent << S::Read << none << S::Read << none << 1;
    QTest::newRow("failed <- read (proof it arrived)") << S::Failed << S::Read << none << S::Read << none << 1;
    QTest::newRow("sent <- failed keeps error") << S::Sent << S::Failed << rejected << S::Failed << rejected << 1;
    QTest::newRow("read <- delivered (regression)") << S::Read << S::Delivered << none << S::Read << none << 0;
    QTest::newRow("delivered <- failed (regression)") << S::Delivered << S::Failed << rejected << S::Delivered << none
                                                      << 0;
    QTest::newRow("delivered <- delivered (duplicate)") << S::Delivered << S::Delivered << none << S::Delivered
                                                        << none << 0;
    QTest::newRow("sent <- no status") << S::Sent << S::None << none << S::Sent << none << 0;
    QTest::newRow("sent <- pending") << S::Sent << S::Pending << none << S::Sent << none << 0;
    QTest::newRow("failed <- sent") << S::Failed << S::Sent << none << S::Failed << none << 0;
}

void tst_MessageListModel::mergeKnownTakesServerStatus()
{
    QFETCH(S, local);
    QFETCH(S, server);
    QFETCH(QString, serverError);
    QFETCH(S, expected);
    QFETCH(QString, expectedError);
    QFETCH(int, changes);

    Checked model;
    model->append(message(QStringLiteral("a"), 0));
    model->append(message(QStringLiteral("b"), 1, local));
    model->append(message(QStringLiteral("c"), 2));
    QSignalSpy changed(model.model.get(), &QAbstractItemModel::dataChanged);
    QSignalSpy aboutToInsert(model.model.get(), &QAbstractItemModel::rowsAboutToBeInserted);

    Message fromServer = message(QStringLiteral("b"), 1, server);
    fromServer.error = serverError;
    fromServer.text = QStringLiteral("server text");
    QCOMPARE(model->merge({fromServer}), 0);

    QCOMPARE(aboutToInsert.size(), 0);
    QCOMPARE(changed.size(), changes);
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->at(1).status, expected);
    QCOMPARE(model->at(1).error, expectedError);
    if (changes)
        QCOMPARE(changed.first().at(0).toModelIndex(), model->index(1));
}

void tst_MessageListModel::mergeInsertsUnknownByTimestamp()
{
    Checked model;
    model->append(message(QStringLiteral("t10"), 10));
    model->append(message(QStringLiteral("t20"), 20));
    model->append(message(QStringLiteral("t30"), 30));

    const QList<Message> page{message(QStringLiteral("t5"), 5), message(QStringLiteral("t15"), 15),
                              message(QStringLiteral("t20"), 20), message(QStringLiteral("t25"), 25),
                              message(QStringLiteral("t35"), 35)};
    QCOMPARE(model->merge(page), 4);
    QCOMPARE(idsOf(*model), QStringList({"t5", "t10", "t15", "t20", "t25", "t30", "t35"}));
    QVERIFY(indexConsistent(*model));

    // Equal timestamps keep arrival order: the newcomer goes after the one already there.
    QCOMPARE(model->merge({message(QStringLiteral("t20b"), 20)}), 1);
    QCOMPARE(model->rowOf(QStringLiteral("t20b")), model->rowOf(QStringLiteral("t20")) + 1);
    QVERIFY(indexConsistent(*model));
}

void tst_MessageListModel::mergeAddsNoDuplicates()
{
    Checked model;
    model->append(message(QStringLiteral("local"), 10, S::Pending));
    model->addAlias(QStringLiteral("local"), QStringLiteral("wamid.L"));

    const QList<Message> page{message(QStringLiteral("x"), 5), message(QStringLiteral("x"), 5),
                              message(QStringLiteral("wamid.L"), 10, S::Delivered), message(QStringLiteral("y"), 20)};
    QCOMPARE(model->merge(page), 2);
    QCOMPARE(idsOf(*model), QStringList({"x", "local", "y"}));
    QCOMPARE(model->at(1).status, S::Delivered); // reached through the alias the server knows it by

    // Re-reading the same page after a reconnect adds nothing and repaints nothing.
    QSignalSpy changed(model.model.get(), &QAbstractItemModel::dataChanged);
    QSignalSpy aboutToInsert(model.model.get(), &QAbstractItemModel::rowsAboutToBeInserted);
    QCOMPARE(model->merge(page), 0);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(aboutToInsert.size(), 0);
    QCOMPARE(model->rowCount(), 3);
    QVERIFY(indexConsistent(*model));
}

void tst_MessageListModel::remove()
{
    Checked model;
    model->prepend({message(QStringLiteral("a"), 1), message(QStringLiteral("b"), 2)});
    model->append(message(QStringLiteral("c"), 3));
    model->append(message(QStringLiteral("d"), 4));
    QSignalSpy removed(model.model.get(), &QAbstractItemModel::rowsRemoved);

    QVERIFY(model->remove(QStringLiteral("b")));
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.first().at(1).toInt(), 1);
    QCOMPARE(idsOf(*model), QStringList({"a", "c", "d"}));
    QCOMPARE(model->rowOf(QStringLiteral("b")), -1);
    QVERIFY(indexConsistent(*model));

    QVERIFY(model->remove(QStringLiteral("a")));
    QVERIFY(model->remove(QStringLiteral("d")));
    QCOMPARE(idsOf(*model), QStringList({"c"}));
    QVERIFY(indexConsistent(*model));

    // The model keeps working after removals: prepend and append still index right.
    model->prepend({message(QStringLiteral("z"), 0)});
    model->append(message(QStringLiteral("e"), 5));
    QCOMPARE(idsOf(*model), QStringList({"z", "c", "e"}));
    QVERIFY(indexConsistent(*model));
}

void tst_MessageListModel::removeDropsAliases()
{
    Checked model;
    model->append(message(QStringLiteral("a"), 1));
    model->append(message(QStringLiteral("b"), 2));
    model->addAlias(QStringLiteral("a"), QStringLiteral("wamid.A"));
    model->addAlias(QStringLiteral("b"), QStringLiteral("wamid.B"));

    QVERIFY(model->remove(QStringLiteral("wamid.A"))); // removal by alias removes the message
    QCOMPARE(model->rowOf(QStringLiteral("a")), -1);
    QCOMPARE(model->rowOf(QStringLiteral("wamid.A")), -1);
    QCOMPARE(model->rowOf(QStringLiteral("wamid.B")), 0); // other aliases survive

    // The dropped alias is free again: a message with that id is new, not a duplicate.
    QVERIFY(model->append(message(QStringLiteral("wamid.A"), 3)));
    QCOMPARE(model->rowOf(QStringLiteral("wamid.A")), 1);
    QVERIFY(indexConsistent(*model));
}

void tst_MessageListModel::removeUnknownEmitsNothing()
{
    Checked model;
    model->append(message(QStringLiteral("a"), 1));
    QSignalSpy aboutToRemove(model.model.get(), &QAbstractItemModel::rowsAboutToBeRemoved);
    QVERIFY(!model->remove(QStringLiteral("zzz")));
    QVERIFY(!model->remove(QString()));
    QCOMPARE(aboutToRemove.size(), 0);
    QCOMPARE(model->rowCount(), 1);
}

void tst_MessageListModel::applyEvent_data()
{
    QTest::addColumn<S>("from");
    QTest::addColumn<QString>("errorBefore");
    QTest::addColumn<bool>("queuedBefore");
    QTest::addColumn<E>("event");
    QTest::addColumn<QString>("error");
    QTest::addColumn<S>("to");
    QTest::addColumn<QString>("errorAfter");
    QTest::addColumn<Roles>("roles");

    const int St = MessageListModel::StatusRole;
    const int Er = MessageListModel::ErrorRole;
    const int Qu = MessageListModel::QueuedRole;
    const QString none;
    const QString timeout = QStringLiteral("timed out");

    QTest::newRow("pending -> sent") << S::Pending << none << false << E::PostAccepted << none << S::Sent << none
                                     << Roles{St};
    QTest::newRow("pending queued -> sent") << S::Pending << none << true << E::PostAccepted << none << S::Sent << none
                                            << Roles{St, Qu};
    QTest::newRow("pending -> failed with error") << S::Pending << none << false << E::PostFailed << timeout
                                                  << S::Failed << timeout << Roles{St, Er};
    QTest::newRow("pending -> failed without error") << S::Pending << none << false << E::PostFailed << none
                                                     << S::Failed << none << Roles{St};
    QTest::newRow("pending queued -> failed") << S::Pending << none << true << E::PostFailed << timeout << S::Failed
                                              << timeout << Roles{St, Er, Qu};
    QTest::newRow("failed -> pending clears error") << S::Failed << timeout << false << E::RetryRequested << none
                                                    << S::Pending << none << Roles{St, Er};
    QTest::newRow("failed -> pending, queued stays") << S::Failed << timeout << true << E::RetryRequested << none
                                                     << S::Pending << none << Roles{St, Er};
    QTest::newRow("failed -> delivered clears error") << S::Failed << timeout << false << E::ServerDelivered << none
                                                      << S::Delivered << none << Roles{St, Er};
    QTest::newRow("failed -> read, event error ignored") << S::Failed << timeout << false << E::ServerRead << timeout
                                                         << S::Read << none << Roles{St, Er};
    QTest::newRow("sent -> delivered") << S::Sent << none << false << E::ServerDelivered << none << S::Delivered
                                       << none << Roles{St};
    QTest::newRow("delivered -> read") << S::Delivered << none << false << E::ServerRead << none << S::Read << none
                                       << Roles{St};
    QTest::newRow("pending -> read") << S::Pending << none << false << E::ServerRead << none << S::Read << none
                                     << Roles{St};
    QTest::newRow("sent -> failed by server") << S::Sent << none << false << E::ServerFailed << timeout << S::Failed
                                              << timeout << Roles{St, Er};
}

void tst_MessageListModel::applyEvent()
{
    QFETCH(S, from);
    QFETCH(QString, errorBefore);
    QFETCH(bool, queuedBefore);
    QFETCH(E, event);
    QFETCH(QString, error);
    QFETCH(S, to);
    QFETCH(QString, errorAfter);
    QFETCH(Roles, roles);

    Checked model;
    model->append(message(QStringLiteral("before"), 0));
    Message m = message(QStringLiteral("m"), 1, from);
    m.error = errorBefore;
    m.queued = queuedBefore;
    model->append(m);
    model->append(message(QStringLiteral("after"), 2));
    QSignalSpy changed(model.model.get(), &QAbstractItemModel::dataChanged);

    QVERIFY(model->applyEvent(QStringLiteral("m"), event, error));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex(), model->index(1));
    QCOMPARE(changed.first().at(1).toModelIndex(), model->index(1));
    QCOMPARE(changed.first().at(2).value<Roles>(), roles);
    const QModelIndex idx = model->index(1);
    QCOMPARE(idx.data(MessageListModel::StatusRole).toInt(), int(to));
    QCOMPARE(idx.data(MessageListModel::ErrorRole).toString(), errorAfter);
    QCOMPARE(idx.data(MessageListModel::QueuedRole).toBool(), roles.contains(MessageListModel::QueuedRole)
                                                                  ? !queuedBefore
                                                                  : queuedBefore);
    QCOMPARE(model->at(0).status, S::Sent); // neighbours untouched
    QCOMPARE(model->at(2).status, S::Sent);
}

void tst_MessageListModel::applyEventNoOp_data()
{
    QTest::addColumn<S>("from");
    QTest::addColumn<E>("event");
    QTest::addColumn<QString>("id");

    const QString m = QStringLiteral("m");
    QTest::newRow("read + delivered (regression)") << S::Read << E::ServerDelivered << m;
    QTest::newRow("read + read (duplicate)") << S::Read << E::ServerRead << m;
    QTest::newRow("delivered + sent (regression)") << S::Delivered << E::ServerSent << m;
    QTest::newRow("delivered + failed") << S::Delivered << E::ServerFailed << m;
    QTest::newRow("sent + POST 200 again") << S::Sent << E::PostAccepted << m;
    QTest::newRow("sent + sent") << S::Sent << E::ServerSent << m;
    QTest::newRow("sent + late POST failure") << S::Sent << E::PostFailed << m;
    QTest::newRow("failed + sent") << S::Failed << E::ServerSent << m;
    QTest::newRow("failed + failed") << S::Failed << E::ServerFailed << m;
    QTest::newRow("pending + retry") << S::Pending << E::RetryRequested << m;
    QTest::newRow("inbound + read") << S::None << E::ServerRead << m;
    QTest::newRow("unknown id") << S::Pending << E::PostAccepted << QStringLiteral("nobody");
    QTest::newRow("empty id") << S::Pending << E::PostAccepted << QString();
}

void tst_MessageListModel::applyEventNoOp()
{
    QFETCH(S, from);
    QFETCH(E, event);
    QFETCH(QString, id);

    Checked model;
    Message m = message(QStringLiteral("m"), 1, from);
    m.error = QStringLiteral("old error");
    model->append(m);
    QSignalSpy changed(model.model.get(), &QAbstractItemModel::dataChanged);

    QVERIFY(!model->applyEvent(id, event, QStringLiteral("new error")));
    QCOMPARE(changed.size(), 0);
    QCOMPARE(model->at(0), m);
}

void tst_MessageListModel::aliasHitsSameRow()
{
    Checked model;
    model->append(message(QStringLiteral("a"), 0));
    model->append(message(QStringLiteral("msg_1"), 1, S::Pending));
    model->append(message(QStringLiteral("c"), 2));
    model->addAlias(QStringLiteral("msg_1"), QStringLiteral("wamid.X"));
    QCOMPARE(model->rowOf(QStringLiteral("wamid.X")), 1);
    QCOMPARE(model->indexOf(QStringLiteral("wamid.X")), model->index(1));
    QVERIFY(model->contains(QStringLiteral("wamid.X")));

    QSignalSpy changed(model.model.get(), &QAbstractItemModel::dataChanged);
    QVERIFY(model->applyEvent(QStringLiteral("wamid.X"), E::ServerDelivered));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex(), model->index(1));
    QCOMPARE(model->at(1).status, S::Delivered);
    QCOMPARE(model->at(1).id, QStringLiteral("msg_1")); // the row keeps the id it was created with

    // The same event by the other id is now a duplicate.
    QVERIFY(!model->applyEvent(QStringLiteral("msg_1"), E::ServerDelivered));
    QCOMPARE(changed.size(), 1);

    // An alias of an alias resolves to the message itself; the index survives a prepend.
    model->addAlias(QStringLiteral("wamid.X"), QStringLiteral("third"));
    model->prepend({message(QStringLiteral("old"), -5)});
    QCOMPARE(model->rowOf(QStringLiteral("third")), 2);
    QCOMPARE(model->rowOf(QStringLiteral("wamid.X")), 2);
    QVERIFY(model->applyEvent(QStringLiteral("third"), E::ServerRead));
    QCOMPARE(model->at(2).status, S::Read);
}

void tst_MessageListModel::aliasIgnored_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("alias");
    QTest::newRow("alias naming an inbound message") << QStringLiteral("a") << QStringLiteral("c");
    QTest::newRow("alias equal to its own id") << QStringLiteral("a") << QStringLiteral("a");
    QTest::newRow("empty alias") << QStringLiteral("a") << QString();
    QTest::newRow("unknown id") << QStringLiteral("nobody") << QStringLiteral("wamid.N");
}

void tst_MessageListModel::aliasIgnored()
{
    QFETCH(QString, id);
    QFETCH(QString, alias);
    Checked model;
    model->append(message(QStringLiteral("a"), 0, S::Pending));
    model->append(message(QStringLiteral("b"), 1, S::Pending));
    model->append(message(QStringLiteral("c"), 2, S::None, Direction::Inbound));

    model->addAlias(id, alias);
    QCOMPARE(model->rowOf(QStringLiteral("a")), 0);
    QCOMPARE(model->rowOf(QStringLiteral("b")), 1);
    QCOMPARE(model->rowOf(QStringLiteral("c")), 2);
    QCOMPARE(model->rowOf(QStringLiteral("wamid.N")), -1);
    // An event for b still reaches b, not a.
    QVERIFY(model->applyEvent(QStringLiteral("b"), E::PostAccepted));
    QCOMPARE(model->at(0).status, S::Pending);
    QCOMPARE(model->at(1).status, S::Sent);
}

void tst_MessageListModel::aliasFoldsTheServersCopyOfAReply()
{
    Checked model;
    model->append(message(QStringLiteral("x"), 0, S::Sent));
    model->append(message(QStringLiteral("msg_local"), 1, S::Failed));
    // A re-read history page brought the same reply back under the upstream's id.
    model->append(message(QStringLiteral("wamid.Z"), 2, S::Delivered));
    model->append(message(QStringLiteral("y"), 3, S::Sent));
    model->addAlias(QStringLiteral("msg_local"), QStringLiteral("wamid.Z"));
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->rowOf(QStringLiteral("wamid.Z")), 1);
    QCOMPARE(model->at(1).id, u"msg_local");
    QCOMPARE(model->at(1).status, S::Delivered); // the copy's receipt counts (failed -> delivered)
    QCOMPARE(model->rowOf(QStringLiteral("y")), 2);
    QVERIFY(model->applyEvent(QStringLiteral("wamid.Z"), E::ServerRead));
    QCOMPARE(model->at(1).status, S::Read);
}

// The outbox's replies have rows, but their status, error and queued flag are the outbox's: the model
// shows them, follows every change, counts the unsent ones, and takes over a reply's state when it leaves.
void tst_MessageListModel::showsTheOutbox()
{
    Outbox outbox(nullptr, QStringLiteral("t"), QStringLiteral("c"));
    const QString a = outbox.add(QStringLiteral("a"))->id; // before the model: shown when bound
    Checked model;
    model->append(message(QStringLiteral("h"), -10, S::Read));
    QSignalSpy unsent(model.model.get(), &MessageListModel::unsentCountChanged);
    model->setOutbox(&outbox);
    const QString b = outbox.add(QStringLiteral("b"))->id;
    QCOMPARE(idsOf(*model), (QStringList {u"h"_qs, a, b}));
    QCOMPARE(model->at(1).status, S::Pending);

    QSignalSpy changed(model.model.get(), &QAbstractItemModel::dataChanged);
    outbox.takeNext();
    outbox.postFailed(a, QStringLiteral("Upstream unavailable"));
    QCOMPARE(model->index(1).data(MessageListModel::StatusRole).toInt(), int(S::Failed));
    QCOMPARE(model->index(1).data(MessageListModel::ErrorRole).toString(), u"Upstream unavailable");
    QCOMPARE(model->index(2).data(MessageListModel::QueuedRole).toBool(), true);
    QCOMPARE(model->at(2).queued, true);
    QVERIFY(changed.size() >= 2);
    QCOMPARE(model->unsentCount(), 2);
    QCOMPARE(unsent.last().at(0).toInt(), 2);
    QCOMPARE(model->unsentIds(), (QStringList {a, b}));
    QVERIFY(!model->applyEvent(a, E::ServerRead)); // not the model's to change while the outbox holds it

    QVERIFY(outbox.retry(a));
    QCOMPARE(model->at(1).status, S::Pending);
    QCOMPARE(model->unsentCount(), 0);
    outbox.takeNext();
    outbox.accepted(a, QStringLiteral("wamid.A"));
    QCOMPARE(model->at(1).status, S::Sent); // handed over
    QCOMPARE(model->rowOf(QStringLiteral("wamid.A")), 1);
    QVERIFY(model->applyEvent(QStringLiteral("wamid.A"), E::ServerRead)); // now the model's
    QCOMPARE(model->at(1).status, S::Read);

    QVERIFY(outbox.discard(b));
    QCOMPARE(idsOf(*model), (QStringList {u"h"_qs, a}));
}

// A reply's attachment, mediaUrl and upload progress are the outbox's too while it holds the reply;
// progress repaints only its role; when the reply leaves, the row keeps the server's mediaUrl and drops
// the path of the outbox's copy, which goes with it.
void tst_MessageListModel::showsTheOutboxsAttachmentsAndUploads()
{
    QTemporaryDir dir;
    QFile png(dir.filePath(QStringLiteral("photo.png")));
    QVERIFY(png.open(QIODevice::WriteOnly));
    png.write(QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + QByteArray(84, 'p'));
    png.close();
    Outbox outbox(nullptr, QStringLiteral("t"), QStringLiteral("c"));
    Checked model;
    model->setOutbox(&outbox);
    const Message reply = *outbox.add(QStringLiteral("caption"), AttachmentRules::describe(png.fileName()));
    const QModelIndex row = model->index(0);
    auto attachment = [&] { return row.data(MessageListModel::AttachmentRole).value<Attachment>(); };
    QCOMPARE(attachment().fileName, u"photo.png");
    QCOMPARE(attachment().mimeType, u"image/png");
    QCOMPARE(attachment().size, 100);
    QCOMPARE(attachment().localPath, reply.attachment.localPath);
    QCOMPARE(row.data(MessageListModel::UploadProgressRole).toDouble(), -1.0);
    QCOMPARE(model->index(0).data(MessageListModel::TextRole).toString(), u"caption");

    QSignalSpy changed(model.model.get(), &QAbstractItemModel::dataChanged);
    outbox.takeNext();
    outbox.uploadStarted(reply.id);
    outbox.uploadProgress(reply.id, 25, 100);
    QCOMPARE(row.data(MessageListModel::UploadProgressRole).toDouble(), 0.25);
    QCOMPARE(changed.size(), 2);
    QCOMPARE(changed.last().at(2).value<Roles>(), Roles {MessageListModel::UploadProgressRole});
    QCOMPARE(row.data(MessageListModel::StatusRole).toInt(), int(S::Pending));

    Attachment atServer;
    atServer.width = 40;
    atServer.height = 30;
    outbox.uploaded(reply.id, QStringLiteral("http://b/media/9"), atServer);
    QCOMPARE(row.data(MessageListModel::MediaUrlRole).toString(), u"http://b/media/9");
    QCOMPARE(attachment().width, 40);
    QCOMPARE(row.data(MessageListModel::UploadProgressRole).toDouble(), -1.0);
    outbox.accepted(reply.id, reply.id);
    QCOMPARE(row.data(MessageListModel::StatusRole).toInt(), int(S::Sent));
    QCOMPARE(row.data(MessageListModel::MediaUrlRole).toString(), u"http://b/media/9");
    QCOMPARE(attachment().fileName, u"photo.png");
    QCOMPARE(attachment().width, 40);
    QVERIFY(attachment().localPath.isEmpty());
}

void tst_MessageListModel::lookupAtHundredThousandRows()
{
    Checked model;
    constexpr int N = 100000;
    // Built from two pages and one append: the tester re-checks the whole model after every insert,
    // so 100,000 single appends would test the tester's speed, not the model's.
    const auto page = [](int from, int to, S status) {
        QList<Message> messages;
        messages.reserve(to - from);
        for (int n = from; n < to; ++n)
            messages.append(message(QStringLiteral("m%1").arg(n), n, status));
        return messages;
    };
    QCOMPARE(model->prepend(page(N / 2, N - 1, S::Sent)), N / 2 - 1);
    QCOMPARE(model->prepend(page(0, N / 2, S::Delivered)), N / 2);
    QVERIFY(model->append(message(QStringLiteral("m%1").arg(N - 1), N - 1, S::Sent)));
    QCOMPARE(model->rowCount(), N);

    for (int row : {0, 1, N / 2 - 1, N / 2, N - 2, N - 1}) {
        const QString id = QStringLiteral("m%1").arg(row);
        QCOMPARE(model->rowOf(id), row);
        QCOMPARE(model->at(row).id, id);
    }
    QSignalSpy changed(model.model.get(), &QAbstractItemModel::dataChanged);
    QVERIFY(model->applyEvent(QStringLiteral("m0"), E::ServerRead));
    QVERIFY(model->applyEvent(QStringLiteral("m50000"), E::ServerRead));
    QVERIFY(model->applyEvent(QStringLiteral("m99999"), E::ServerRead));
    QCOMPARE(changed.size(), 3);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0);
    QCOMPARE(changed.at(1).at(0).toModelIndex().row(), N / 2);
    QCOMPARE(changed.at(2).at(0).toModelIndex().row(), N - 1);
    QVERIFY(model->remove(QStringLiteral("m50000")));
    QCOMPARE(model->rowOf(QStringLiteral("m99999")), N - 2);
    QCOMPARE(model->rowOf(QStringLiteral("m50001")), N / 2);
    QCOMPARE(model->rowOf(QStringLiteral("m49999")), N / 2 - 1);
}

QTEST_GUILESS_MAIN(tst_MessageListModel)
#include "tst_messagelistmodel.moc"
