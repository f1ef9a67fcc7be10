// widget-server's SQLite store (ConversationStore on --data-dir): what survives a restart, what two
// servers sharing one data dir agree on, what a broken data dir says, and that the server's status
// rule is the console's (CONTRACT.md §3). Real files in a temporary dir, real HTTP on 127.0.0.1.
#include "simulatedupstream.h"
#include "statuslattice.h"
#include "storeschema.h"
#include "serverprocess.h"
#include "testclient.h"
#include "widgetserver.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <barrier>
#include <thread>

static const QString T1 = QStringLiteral("t1");
static const QString C1 = QStringLiteral("c1");
static const QString SendPath = QStringLiteral("/api/v1/widget/send");
static const QString HistoryPath = QStringLiteral("/api/v1/widget/conversation/c1/history?limit=50");

static QJsonObject sendBody(const QString &messageId, const QString &text = QStringLiteral("hello"))
{
    return QJsonObject {{QStringLiteral("messageId"), messageId}, {QStringLiteral("conversationId"), C1},
        {QStringLiteral("tenantId"), T1}, {QStringLiteral("integrationId"), QStringLiteral("i1")},
        {QStringLiteral("text"), text}};
}

// A raw connection to the store's file, to look at or damage it behind the server's back.
class RawDatabase
{
public:
    explicit RawDatabase(const QString &path)
        : m_name(QStringLiteral("raw-%1").arg(quintptr(this)))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.open();
    }
    ~RawDatabase()
    {
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    QVariant value(const QString &sql) const
    {
        QSqlQuery q(QSqlDatabase::database(m_name));
        return q.exec(sql) && q.next() ? q.value(0) : QVariant();
    }
    bool exec(const QString &sql) const { return QSqlQuery(database()).exec(sql); }
    QSqlDatabase database() const { return QSqlDatabase::database(m_name); }

private:
    QString m_name;
};

class TestPersistence : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void restartKeepsHistoryStatusAndIdempotency();
    void historyPagingAfterRestart();
    void historyReadsAnIndex();
    void sharedDataDirDedupsAcrossServers();
    void concurrentAcceptsAcrossConnections();
    void schemaVersionRecorded();
    void newerSchemaRefused();
    void corruptFileRefused();
    void uncreatableDataDirRefused();
    void executableRefusesBadDataDir();
    void executableCreatesConversationsOnce();
    void sqliteErrorIs500();
    void groupCommitWritesATurnAtOnce();
    void groupCommitFailsAsOne();
    void groupCommitAnswersOnlyWhenDurable();
    void statusRuleMatchesConsole_data();
    void statusRuleMatchesConsole();

private:
    std::unique_ptr<WidgetServer> startServer(bool addConversation = true);
    QString dataDir() const { return m_dir->path() + QStringLiteral("/data"); }
    QString databasePath() const { return dataDir() + u'/' + ConversationStore::fileName(); }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestPersistence::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

std::unique_ptr<WidgetServer> TestPersistence::startServer(bool addConversation)
{
    auto server = std::make_unique<WidgetServer>();
    server->setToken(TestToken);
    if (!server->setDataDir(dataDir())) {
        qWarning() << server->storageError();
        return nullptr;
    }
    server->upstream()->setProgressEnabled(false);
    if (addConversation)
        server->addConversation(T1, C1, QStringLiteral("Ada"));
    if (!server->listen())
        return nullptr;
    return server;
}

void TestPersistence::restartKeepsHistoryStatusAndIdempotency()
{
    QString firstId;
    QString failedId;
    {
        auto server = startServer();
        QVERIFY(server);
        server->upstream()->setAssignIds(true); // the answered id is the server's, not the client's
        HttpClient http(server->baseUrl());
        const HttpResult sent
            = http.post(SendPath, sendBody(QStringLiteral("msg_1_0000aaaa"), QStringLiteral("first")));
        QCOMPARE(sent.status, 200);
        firstId = sent.json.value(u"messageId").toString();
        QVERIFY(firstId.startsWith(u"wamid."));
        server->emitStatus(T1, C1, firstId, QStringLiteral("delivered"));
        QVERIFY(!server->injectInbound(T1, C1, QStringLiteral("thanks")).isEmpty());
        const HttpResult failing
            = http.post(SendPath, sendBody(QStringLiteral("msg_1_0000dddd"), QStringLiteral("lost")));
        QCOMPARE(failing.status, 200);
        failedId = failing.json.value(u"messageId").toString();
        server->emitStatus(T1, C1, failedId, QStringLiteral("failed"), QStringLiteral("Number unreachable"));
    }
    QVERIFY(QFile::exists(databasePath()));

    auto server = startServer(false); // the conversation comes from the file
    QVERIFY(server);
    server->upstream()->setAssignIds(true);
    QSignalSpy forwarded(server->upstream(), &SimulatedUpstream::forwarded);
    HttpClient http(server->baseUrl());
    const HttpResult history = http.get(HistoryPath);
    QCOMPARE(history.status, 200);
    const QJsonArray messages = history.json.value(u"messages").toArray();
    QCOMPARE(messages.size(), 3);
    QCOMPARE(messages.at(0).toObject().value(u"id").toString(), firstId);
    QCOMPARE(messages.at(0).toObject().value(u"text").toString(), QStringLiteral("first"));
    QCOMPARE(messages.at(0).toObject().value(u"status").toString(), QStringLiteral("delivered"));
    QCOMPARE(messages.at(1).toObject().value(u"direction").toString(), QStringLiteral("inbound"));
    QCOMPARE(messages.at(1).toObject().value(u"text").toString(), QStringLiteral("thanks"));
    const QJsonObject failed = messages.at(2).toObject();
    QCOMPARE(failed.value(u"id").toString(), failedId);
    QCOMPARE(failed.value(u"status").toString(), QStringLiteral("failed"));
    QCOMPARE(failed.value(u"error").toObject().value(u"message").toString(), QStringLiteral("Number unreachable"));

    // The console's retry after the restart: answered from the record, stored and forwarded nowhere.
    const HttpResult again = http.post(SendPath, sendBody(QStringLiteral("msg_1_0000aaaa"), QStringLiteral("first")));
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json.value(u"messageId").toString(), firstId);
    QCOMPARE(server->store()->messageCount(T1, C1), 3);
    QCOMPARE(forwarded.size(), 0);
    // The agent's Retry of the failed one after the restart: the same message goes out again.
    const HttpResult retry = http.post(SendPath, sendBody(QStringLiteral("msg_1_0000dddd"), QStringLiteral("lost")));
    QCOMPARE(retry.status, 200);
    QCOMPARE(retry.json.value(u"messageId").toString(), failedId);
    QCOMPARE(forwarded.size(), 1);
    QCOMPARE(server->store()->message(T1, C1, failedId)->status, QStringLiteral("sent"));
    QCOMPARE(server->store()->messageCount(T1, C1), 3);
    QCOMPARE(server->acceptedMessageIds(T1, C1), (QStringList {"msg_1_0000aaaa", "msg_1_0000dddd"}));
    // And a status still moves only forward.
    server->emitStatus(T1, C1, firstId, QStringLiteral("sent"));
    QCOMPARE(server->store()->message(T1, C1, firstId)->status, QStringLiteral("delivered"));
}

void TestPersistence::historyPagingAfterRestart()
{
    const QDateTime at = QDateTime::fromString(QStringLiteral("2026-11-23T10:00:00Z"), Qt::ISODate);
    {
        auto server = startServer();
        QVERIFY(server);
        // Inserted out of order; the two at +2 min keep their insertion order.
        const std::pair<const char *, int> inserts[] {{"m3", 3}, {"m1", 1}, {"m2a", 2}, {"m0", 0}, {"m2b", 2}};
        for (const auto &[id, minutes] : inserts) {
            server->addHistoryMessage(T1, C1,
                StoredMessage {QString::fromLatin1(id), true, QStringLiteral("x"), {}, at.addSecs(60 * minutes), {}});
        }
    }
    auto server = startServer(false);
    QVERIFY(server);
    const auto ids = [&](int limit, int offset) {
        QStringList out;
        for (const StoredMessage &m : server->store()->history(T1, C1, limit, offset).messages)
            out.append(m.id);
        return out;
    };
    QCOMPARE(ids(10, 0), (QStringList {"m0", "m1", "m2a", "m2b", "m3"}));
    QCOMPARE(ids(2, 0), (QStringList {"m2b", "m3"})); // offset 0 is the newest page (CONTRACT.md §1)
    QCOMPARE(ids(2, 2), (QStringList {"m1", "m2a"}));
    QCOMPARE(ids(2, 4), (QStringList {"m0"}));
    QCOMPARE(ids(2, 5), QStringList {});
    QCOMPARE(server->store()->history(T1, C1, 2, 4).total, 5);
    QCOMPARE(server->store()->message(T1, C1, QStringLiteral("m2a"))->timestamp, at.addSecs(120));
}

// A history page of a long conversation is read from the messages_by_time index, newest first, with no
// sort of the whole conversation (the query has the shape of the store's).
void TestPersistence::historyReadsAnIndex()
{
    QVERIFY(startServer());
    RawDatabase raw(databasePath());
    QSqlQuery plan(raw.database());
    QVERIFY(plan.exec(QStringLiteral(
        "EXPLAIN QUERY PLAN SELECT message_id FROM messages WHERE conversation_id = (SELECT id FROM conversations"
        " WHERE tenant = 't1' AND conversation = 'c1') ORDER BY ts_ms DESC, seq DESC LIMIT 20 OFFSET 40")));
    QStringList steps;
    while (plan.next())
        steps.append(plan.value(3).toString());
    QVERIFY2(steps.join(u'\n').contains(u"USING INDEX messages_by_time"), qPrintable(steps.join(u'\n')));
    QVERIFY2(!steps.join(u'\n').contains(u"TEMP B-TREE"), qPrintable(steps.join(u'\n')));
}

// Two instances behind a load balancer: the console's retry lands on the other one.
void TestPersistence::sharedDataDirDedupsAcrossServers()
{
    auto first = startServer();
    auto second = startServer(false);
    QVERIFY(first && second);
    // Each assigns its own upstream id: only the shared record can make both answers agree.
    first->upstream()->setAssignIds(true);
    second->upstream()->setAssignIds(true);
    QSignalSpy forwardedFirst(first->upstream(), &SimulatedUpstream::forwarded);
    QSignalSpy forwardedSecond(second->upstream(), &SimulatedUpstream::forwarded);

    QNetworkAccessManager nam;
    nam.setProxy(QNetworkProxy::NoProxy);
    const auto post = [&nam](const WidgetServer &server) {
        QNetworkRequest request(server.baseUrl().resolved(QUrl(SendPath)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        request.setRawHeader("Authorization", "Bearer " + TestToken.toUtf8());
        request.setTransferTimeout(10000);
        return nam.post(request, QJsonDocument(sendBody(QStringLiteral("msg_2_0000bbbb"))).toJson());
    };
    // Both in flight at once.
    std::unique_ptr<QNetworkReply> a(post(*first));
    std::unique_ptr<QNetworkReply> b(post(*second));
    QTRY_VERIFY(a->isFinished() && b->isFinished());
    QCOMPARE(a->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(b->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    const QString idA = QJsonDocument::fromJson(a->readAll()).object().value(u"messageId").toString();
    const QString idB = QJsonDocument::fromJson(b->readAll()).object().value(u"messageId").toString();
    QVERIFY(idA.startsWith(u"wamid."));
    QCOMPARE(idB, idA);
    QCOMPARE(first->store()->messageCount(T1, C1), 1);
    QCOMPARE(second->store()->messageCount(T1, C1), 1);
    QCOMPARE(second->acceptedMessageIds(T1, C1), QStringList {QStringLiteral("msg_2_0000bbbb")});

    // A status applied by one is what the other serves.
    first->emitStatus(T1, C1, idA, QStringLiteral("read"));
    HttpClient http(second->baseUrl());
    const HttpResult history = http.get(HistoryPath);
    QCOMPARE(
        history.json.value(u"messages").toArray().at(0).toObject().value(u"status").toString(), QStringLiteral("read"));
    QCOMPARE(forwardedFirst.size() + forwardedSecond.size(), 1);
}

// The race itself, on two connections in two threads: every messageId ends up with one record, one
// stored message, and the same answer on both sides.
void TestPersistence::concurrentAcceptsAcrossConnections()
{
    {
        ConversationStore setup(databasePath());
        QVERIFY2(setup.isOpen(), qPrintable(setup.error()));
        setup.addConversation(T1, C1, QStringLiteral("Ada"));
    }
    constexpr int Sends = 200;
    std::barrier startTogether(2); // both sides send each messageId at the same moment
    const auto worker = [this, &startTogether](const QString &side, QStringList *answers, QStringList *errors) {
        ConversationStore store(databasePath()); // a connection of this thread
        for (int i = 0; i < Sends; ++i) {
            const StoredMessage message {QStringLiteral("wamid.%1-%2").arg(side).arg(i), false, QStringLiteral("x"), {},
                QDateTime::currentDateTimeUtc(), QStringLiteral("sent")};
            const QString clientId = QStringLiteral("msg_3_%1").arg(i, 8, 10, QLatin1Char('0'));
            startTogether.arrive_and_wait();
            const auto accepted = store.acceptSend(T1, C1, clientId, message);
            answers->append(accepted ? accepted->id : QString());
            if (!store.error().isEmpty())
                errors->append(store.error());
        }
    };
    QStringList answersA, answersB, errorsA, errorsB;
    std::thread a(worker, QStringLiteral("A"), &answersA, &errorsA);
    std::thread b(worker, QStringLiteral("B"), &answersB, &errorsB);
    a.join();
    b.join();
    QCOMPARE(errorsA, QStringList {});
    QCOMPARE(errorsB, QStringList {});
    QCOMPARE(answersA, answersB);
    QVERIFY(!answersA.contains(QString()));

    ConversationStore check(databasePath());
    QCOMPARE(check.messageCount(T1, C1), Sends);
    QCOMPARE(check.acceptedMessageIds(T1, C1).size(), Sends);
    for (int i = 0; i < Sends; ++i)
        QVERIFY(check.message(T1, C1, answersA.at(i)));
}

void TestPersistence::schemaVersionRecorded()
{
    auto server = startServer();
    QVERIFY(server);
    QCOMPARE(server->store()->schemaVersion(), StoreSchema::currentVersion());
    QVERIFY(StoreSchema::currentVersion() >= 1);
    RawDatabase raw(databasePath());
    QCOMPARE(
        raw.value(QStringLiteral("SELECT max(version) FROM schema_version")).toInt(), StoreSchema::currentVersion());
    QCOMPARE(raw.value(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
    // A second open applies nothing twice.
    server.reset();
    server = startServer(false);
    QVERIFY(server);
    QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM schema_version")).toInt(), StoreSchema::currentVersion());
}

void TestPersistence::newerSchemaRefused()
{
    QVERIFY(startServer());
    {
        RawDatabase raw(databasePath());
        QVERIFY(raw.exec(QStringLiteral("INSERT INTO schema_version (version, applied_ms) VALUES (99, 0)")));
    }
    WidgetServer server;
    QVERIFY(!server.setDataDir(dataDir()));
    QVERIFY2(server.storageError().contains(u"schema version 99"), qPrintable(server.storageError()));
    QVERIFY(server.storageError().contains(databasePath()));
}

void TestPersistence::corruptFileRefused()
{
    QVERIFY(QDir().mkpath(dataDir()));
    QFile file(databasePath());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(8192, 'x'));
    file.close();
    WidgetServer server;
    server.setToken(TestToken);
    QVERIFY(!server.setDataDir(dataDir()));
    QVERIFY2(server.storageError().contains(u"not a database"), qPrintable(server.storageError()));
    QVERIFY(server.storageError().contains(databasePath()));
    // Nothing was overwritten, and the server answers with an error instead of an empty store.
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray(8192, 'x'));
    server.addConversation(T1, C1, QStringLiteral("Ada"));
    QVERIFY(server.listen());
    HttpClient http(server.baseUrl());
    const HttpResult context = http.get(QStringLiteral("/api/v1/widget/context/c1"));
    QCOMPARE(context.status, 500);
    QCOMPARE(context.json.value(u"error").toObject().value(u"code").toString(), QStringLiteral("STORAGE_ERROR"));
}

void TestPersistence::uncreatableDataDirRefused()
{
    // A regular file where a folder should be: refused whoever runs the test (root ignores modes).
    QFile blocker(m_dir->path() + QStringLiteral("/file"));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    WidgetServer server;
    QVERIFY(!server.setDataDir(blocker.fileName() + QStringLiteral("/data")));
    QVERIFY2(server.storageError().contains(u"cannot be created"), qPrintable(server.storageError()));
}

void TestPersistence::executableRefusesBadDataDir()
{
    QFile blocker(m_dir->path() + QStringLiteral("/file"));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    QProcess process;
    process.setProcessEnvironment(serverEnvironment(TestToken));
    QVERIFY(runServerToExit(process,
        {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"), blocker.fileName() + "/data"}));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 2);
    const QByteArray error = process.readAllStandardError();
    QVERIFY2(error.contains("cannot be created"), error.constData());
    QVERIFY(process.readAllStandardOutput().isEmpty());
}

// --add-conversation and --seed-demo against a data dir, over two starts of the real executable: the
// conversations stay, the demo history is seeded once, and nothing else exists.
void TestPersistence::executableCreatesConversationsOnce()
{
    int demoTotal = 0;
    for (int run = 0; run < 2; ++run) {
        QProcess process;
        process.setProcessEnvironment(serverEnvironment(TestToken));
        QStringList arguments {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"), dataDir(),
            QStringLiteral("--log-format"), QStringLiteral("text")};
        if (run == 0)
            arguments << QStringLiteral("--add-conversation") << QStringLiteral("t1:c9:Zoe Example");
        arguments << QStringLiteral("--seed-demo");
        process.start(QStringLiteral(WIDGET_SERVER_BINARY), arguments);
        QByteArray output;
        const QUrl url = listeningUrl(process, &output);
        QVERIFY2(!url.isEmpty(), output.constData());
        HttpClient http {url};

        const HttpResult zoe = http.get(QStringLiteral("/api/v1/widget/context/c9"));
        QCOMPARE(zoe.status, 200);
        QCOMPARE(zoe.json.value(u"customer").toObject().value(u"name").toString(), QStringLiteral("Zoe Example"));
        const HttpResult demo
            = http.get(QStringLiteral("/api/v1/widget/conversation/demo/history?limit=1"), {{"X-Tenant-ID", "demo"}});
        QCOMPARE(demo.status, 200);
        if (run == 0)
            demoTotal = demo.json.value(u"total").toInt();
        QVERIFY(demoTotal >= 30);
        QCOMPARE(demo.json.value(u"total").toInt(), demoTotal); // not seeded a second time
        QCOMPARE(http.get(QStringLiteral("/api/v1/widget/context/c8")).status, 404);

        QSignalSpy finished(&process, &QProcess::finished);
#ifdef Q_OS_WIN
        process.kill(); // no SIGTERM there: terminate() posts WM_CLOSE, which a console process never receives
#else
        process.terminate();
#endif
        QVERIFY(finished.wait(10000));
    }
}

// An SQLite failure at run time (here: a table gone under the server's feet) is a 500 with a code and
// a log line, and the server goes on serving what still works.
void TestPersistence::sqliteErrorIs500()
{
    auto server = startServer();
    QVERIFY(server);
    HttpClient http(server->baseUrl());
    QCOMPARE(http.get(HistoryPath).status, 200);
    {
        RawDatabase raw(databasePath());
        QVERIFY(raw.exec(QStringLiteral("DROP TABLE messages")));
    }
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("conversation store: .* failed: .*messages")));
    const HttpResult history = http.get(HistoryPath);
    QCOMPARE(history.status, 500);
    QCOMPARE(history.json.value(u"error").toObject().value(u"code").toString(), QStringLiteral("STORAGE_ERROR"));
    QCOMPARE(http.get(QStringLiteral("/api/v1/widget/context/c1")).status, 200);
}

static StoredMessage outbound(const QString &id)
{
    return StoredMessage {id, false, QStringLiteral("x"), {}, QDateTime::currentDateTimeUtc(), QStringLiteral("sent")};
}

// Group commit: the sends and statuses queued in one turn of the event loop reach the file together, in one
// transaction, and each send's completion comes after that commit; the store reads its own queued writes.
void TestPersistence::groupCommitWritesATurnAtOnce()
{
    ConversationStore store(databasePath());
    QVERIFY2(store.isOpen(), qPrintable(store.error()));
    store.addConversation(T1, C1, QStringLiteral("Ada"));
    RawDatabase raw(databasePath()); // another connection: it sees only what is committed
    const qint64 commits = store.groupCommits();
    QList<int> seenByOthersWhenDone;
    for (int i = 0; i < 5; ++i) {
        store.acceptSendDeferred(T1, C1, QStringLiteral("msg_%1").arg(i), outbound(QStringLiteral("w%1").arg(i)),
            [&](const std::optional<ConversationStore::Accepted> &accepted, const QString &error) {
                QVERIFY(accepted && accepted->fresh);
                QCOMPARE(error, QString());
                seenByOthersWhenDone.append(raw.value(QStringLiteral("SELECT count(*) FROM accepted_sends")).toInt());
            });
    }
    store.queueStatus(T1, C1, QStringLiteral("w0"), QStringLiteral("delivered"));
    QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM accepted_sends")).toInt(), 0); // the turn goes on
    QCOMPARE(store.acceptedId(T1, C1, QStringLiteral("msg_0")), std::nullopt); // not accepted until committed
    QTRY_COMPARE(seenByOthersWhenDone.size(), 5);
    QCOMPARE(seenByOthersWhenDone, (QList<int> {5, 5, 5, 5, 5})); // durable before any completion ran
    QCOMPARE(store.groupCommits(), commits + 1);
    QCOMPARE(raw.value(QStringLiteral("SELECT status FROM messages WHERE message_id = 'w0'")).toString(),
        QStringLiteral("delivered"));

    // What is queued is what this store reads, at once.
    store.queueStatus(T1, C1, QStringLiteral("w1"), QStringLiteral("read"));
    QCOMPARE(store.message(T1, C1, QStringLiteral("w1"))->status, QStringLiteral("read"));
    QCOMPARE(store.groupCommits(), commits + 2);
}

// A group either commits whole or not at all: a failure answers every send of it with the error.
void TestPersistence::groupCommitFailsAsOne()
{
    ConversationStore store(databasePath());
    store.addConversation(T1, C1, QStringLiteral("Ada"));
    RawDatabase raw(databasePath());
    QStringList errors;
    const auto done = [&errors](const std::optional<ConversationStore::Accepted> &accepted, const QString &error) {
        QVERIFY(!accepted);
        errors.append(error);
    };
    store.acceptSendDeferred(T1, C1, QStringLiteral("msg_a"), outbound(QStringLiteral("wa")), done);
    store.acceptSendDeferred(T1, C1, QStringLiteral("msg_b"), outbound(QStringLiteral("wb")), done);
    QVERIFY(raw.exec(QStringLiteral("DROP TABLE messages"))); // the records can be written, the messages not
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("conversation store: .* failed: .*messages")));
    QTRY_COMPARE(errors.size(), 2);
    QVERIFY(!errors.at(0).isEmpty());
    QCOMPARE(errors.at(1), errors.at(0));
    QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM accepted_sends")).toInt(), 0); // rolled back whole
}

// Through the server: sends that arrive together are answered 200 only once their group is in the file,
// and a repeat that arrives while its first send waits for the commit joins it (one message, one forward).
void TestPersistence::groupCommitAnswersOnlyWhenDurable()
{
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy forwarded(server->upstream(), &SimulatedUpstream::forwarded);
    RawDatabase raw(databasePath());
    QNetworkAccessManager nam;
    nam.setProxy(QNetworkProxy::NoProxy);
    std::vector<std::unique_ptr<QNetworkReply>> replies;
    QList<int> recordsWhenAnswered; // of the answered send's messageId, when its answer arrived
    for (const char *id : {"msg_4_0000aaaa", "msg_4_0000bbbb", "msg_4_0000aaaa", "msg_4_0000cccc"}) {
        QNetworkRequest request(server->baseUrl().resolved(QUrl(SendPath)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        request.setRawHeader("Authorization", "Bearer " + TestToken.toUtf8());
        replies.emplace_back(
            nam.post(request, QJsonDocument(sendBody(QString::fromLatin1(id))).toJson(QJsonDocument::Compact)));
        QNetworkReply *reply = replies.back().get();
        connect(reply, &QNetworkReply::metaDataChanged, this, [&raw, &recordsWhenAnswered, id] {
            recordsWhenAnswered.append(raw.value(QStringLiteral("SELECT count(*) FROM accepted_sends"
                                                                " WHERE client_message_id = '%1'")
                                                     .arg(QLatin1String(id)))
                                           .toInt());
        });
    }
    QTRY_VERIFY(std::all_of(replies.begin(), replies.end(), [](const auto &r) { return r->isFinished(); }));
    for (const auto &reply : replies)
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(recordsWhenAnswered, (QList<int> {1, 1, 1, 1})); // no 200 before its record was committed
    QCOMPARE(server->acceptedMessageIds(T1, C1),
        (QStringList {"msg_4_0000aaaa", "msg_4_0000bbbb", "msg_4_0000cccc"}));
    QCOMPARE(server->store()->messageCount(T1, C1), 3);
    QCOMPARE(forwarded.size(), 3);
}

void TestPersistence::statusRuleMatchesConsole_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    // "" is an outbound reply the server has not accepted yet: the console's "pending".
    const QStringList from {"", "sent", "delivered", "read", "failed"};
    const QStringList to {"sent", "delivered", "read", "failed", "pending", "", "seen"};
    for (const QString &f : from) {
        for (const QString &t : to)
            QTest::addRow("%s -> %s", f.isEmpty() ? "pending" : qPrintable(f), t.isEmpty() ? "(empty)" : qPrintable(t))
                << f << t;
    }
}

void TestPersistence::statusRuleMatchesConsole()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    const MessageStatus consoleFrom = from.isEmpty() ? MessageStatus::Pending : *statusFromName(from);
    const std::optional<MessageStatus> reported = statusFromName(to);
    const std::optional<StatusEvent> event = reported ? serverEvent(*reported) : std::nullopt;
    const std::optional<MessageStatus> consoleNext = event ? nextStatus(consoleFrom, *event) : std::nullopt;
    QCOMPARE(ConversationStore::statusMayFollow(from, to), consoleNext.has_value());
    const QString expectedStatus = consoleNext ? statusName(*consoleNext) : from;

    // And the store's one-statement UPDATE applies exactly that rule.
    ConversationStore store;
    store.addConversation(T1, C1, QStringLiteral("Ada"));
    QVERIFY(store.addMessage(T1, C1,
        StoredMessage {QStringLiteral("m"), false, QStringLiteral("x"), {}, QDateTime::currentDateTimeUtc(), from}));
    QCOMPARE(store.applyStatus(T1, C1, QStringLiteral("m"), to, QStringLiteral("why")), consoleNext.has_value());
    QCOMPARE(store.error(), QString());
    const StoredMessage stored = *store.message(T1, C1, QStringLiteral("m"));
    QCOMPARE(stored.status, expectedStatus);
    QCOMPARE(stored.error, expectedStatus == u"failed" && from != u"failed" ? QStringLiteral("why") : QString());
}

QTEST_GUILESS_MAIN(TestPersistence)
#include "tst_persistence.moc"
