// widget-server's store (ConversationStore on --data-dir or --database): what survives a restart, what
// two servers sharing one store agree on, what a broken store says, and that the server's status rule is
// the console's (CONTRACT.md §3). Real HTTP on 127.0.0.1. Built twice from this file: tst_persistence on
// SQLite (real files in a temporary dir), tst_persistence_postgres (STORE_ON_POSTGRES) on a private
// PostgreSQL server started once for the executable, with a fresh schema for each test. The cases that
// are about one backend (SQLite's files and query plans; PostgreSQL's outages) are built only with it.
#include "outboxrelay.h"
#include "senddesk.h"
#include "simulatedupstream.h"
#include "statuslattice.h"
#include "storeschema.h"
#include "serverprocess.h"
#include "testclient.h"
#include "widgetserver.h"
#ifdef STORE_ON_POSTGRES
#include "integration/privatepostgres.h"
#include "missingdependency.h"
#endif

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

static StoredMessage outbound(const QString &id)
{
    return StoredMessage {id, false, QStringLiteral("x"), {}, QDateTime::currentDateTimeUtc(), QStringLiteral("sent")};
}

// A raw connection to the store's database, to look at or damage it behind the server's back.
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
    explicit RawDatabase(const PostgresSettings &settings)
        : m_name(QStringLiteral("raw-%1").arg(quintptr(this)))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_name);
        db.setHostName(settings.host);
        db.setPort(settings.port);
        db.setUserName(settings.user);
        db.setDatabaseName(settings.database);
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
    void initTestCase();
    void init();

    void restartKeepsHistoryStatusAndIdempotency();
    void historyPagingAfterRestart();
#ifndef STORE_ON_POSTGRES
    void historyReadsAnIndex();
#endif
    void sharedDataDirDedupsAcrossServers();
    void concurrentAcceptsAcrossConnections();
    void schemaVersionRecorded();
    void newerSchemaRefused();
#ifndef STORE_ON_POSTGRES
    void corruptFileRefused();
    void uncreatableDataDirRefused();
    void executableRefusesBadDataDir();
#else
    void twoProcessesTakeAMessageIdOnce();
    void lostDatabaseIs503UntilItIsBack();
    void passwordFromTheEnvironment();
    void groupCommitRetriesADeadlock();
    void lockWaitIsBounded();
#endif
    void executableCreatesConversationsOnce();
    void sqliteErrorIs500();
    void groupCommitWritesATurnAtOnce();
    void groupCommitFailsAsOne();
    void groupCommitAnswersOnlyWhenDurable();
    void statusRuleMatchesConsole_data();
    void statusRuleMatchesConsole();
    void outboxRowIsCommittedWithTheSend();
    void outboxSurvivesARestart();
    void outboxClaimsHeadsInOrderUnderLeases();
    void outboxRetryOfAFailedReplyWritesOneRow();
    void outboxMigratesAnOlderDatabase();
    void outboxRefusedForGoodIsFailed();
    void outboxKeepsOneInFlightPerConversation();

private:
    std::unique_ptr<WidgetServer> startServer(bool addConversation = true);
    QString dataDir() const { return m_dir->path() + QStringLiteral("/data"); }
    QString databasePath() const { return dataDir() + u'/' + ConversationStore::fileName(); }
#ifdef STORE_ON_POSTGRES
    PostgresSettings location() const { return m_postgres->settings(QStringLiteral("widget")); }
    QString locationText() const { return location().redactedUrl(); }
    bool useStore(WidgetServer &server) const { return server.setDatabase(location()); }
    QStringList storeArguments() const { return {QStringLiteral("--database"), locationText()}; }
    std::unique_ptr<PrivatePostgres> m_postgres; // one server for all the cases: a start costs a second or two
#else
    QString location() const { return databasePath(); }
    QString locationText() const { return databasePath(); }
    bool useStore(WidgetServer &server) const { return server.setDataDir(dataDir()); }
    QStringList storeArguments() const { return {QStringLiteral("--data-dir"), dataDir()}; }
#endif

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestPersistence::initTestCase()
{
#ifdef STORE_ON_POSTGRES
    if (const QString missing = PrivatePostgres::missingReason(); !missing.isEmpty())
        SKIP_MISSING_DEPENDENCY(missing);
    m_postgres = std::make_unique<PrivatePostgres>();
    QString why;
    QVERIFY2(m_postgres->start(&why), qPrintable(why));
    const QString error = m_postgres->exec(QStringLiteral("postgres"), {QStringLiteral("CREATE DATABASE widget")});
    QVERIFY2(error.isEmpty(), qPrintable(error));
#endif
}

void TestPersistence::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
#ifdef STORE_ON_POSTGRES
    // Each case starts from an empty database, as each gets a new data dir on SQLite, on a running server
    // even if the case before stopped it and failed.
    QString why;
    QVERIFY2(m_postgres->ensureRunning(&why), qPrintable(why));
    const QString error = m_postgres->exec(QStringLiteral("widget"),
        {QStringLiteral("SET client_min_messages = warning"), QStringLiteral("DROP SCHEMA public CASCADE"),
            QStringLiteral("CREATE SCHEMA public")});
    QVERIFY2(error.isEmpty(), qPrintable(error));
#endif
}

std::unique_ptr<WidgetServer> TestPersistence::startServer(bool addConversation)
{
    auto server = std::make_unique<WidgetServer>();
    server->setToken(TestToken);
    if (!useStore(*server)) {
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
#ifndef STORE_ON_POSTGRES
    QVERIFY(QFile::exists(databasePath()));
#endif

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

#ifndef STORE_ON_POSTGRES
// A history page of a long conversation is read from the messages_by_time index, newest first, with no
// sort of the whole conversation (the query has the shape of the store's).
void TestPersistence::historyReadsAnIndex()
{
    QVERIFY(startServer());
    RawDatabase raw(location());
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
#endif

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
        ConversationStore setup(location());
        QVERIFY2(setup.isOpen(), qPrintable(setup.error()));
        setup.addConversation(T1, C1, QStringLiteral("Ada"));
    }
    constexpr int Sends = 200;
    std::barrier startTogether(2); // both sides send each messageId at the same moment
    const auto worker = [this, &startTogether](const QString &side, QStringList *answers, QStringList *errors) {
        ConversationStore store(location()); // a connection of this thread
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

    ConversationStore check(location());
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
    RawDatabase raw(location());
    QCOMPARE(
        raw.value(QStringLiteral("SELECT max(version) FROM schema_version")).toInt(), StoreSchema::currentVersion());
#ifndef STORE_ON_POSTGRES
    QCOMPARE(raw.value(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
#endif
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
        RawDatabase raw(location());
        QVERIFY(raw.exec(QStringLiteral("INSERT INTO schema_version (version, applied_ms) VALUES (99, 0)")));
    }
    WidgetServer server;
    QVERIFY(!useStore(server));
    QVERIFY2(server.storageError().contains(u"schema version 99"), qPrintable(server.storageError()));
    QVERIFY(server.storageError().contains(locationText()));
}

#ifndef STORE_ON_POSTGRES

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

#endif

// --add-conversation and --seed-demo against a data dir, over two starts of the real executable: the
// conversations stay, the demo history is seeded once, and nothing else exists.
void TestPersistence::executableCreatesConversationsOnce()
{
    int demoTotal = 0;
    for (int run = 0; run < 2; ++run) {
        QProcess process;
        process.setProcessEnvironment(serverEnvironment(TestToken));
        QStringList arguments = QStringList {QStringLiteral("--port"), QStringLiteral("0"),
                                    QStringLiteral("--log-format"), QStringLiteral("text")}
            + storeArguments();
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
        RawDatabase raw(location());
        QVERIFY(raw.exec(QStringLiteral("DROP TABLE messages")));
    }
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("conversation store: .* failed: .*messages")));
    const HttpResult history = http.get(HistoryPath);
    QCOMPARE(history.status, 500);
    QCOMPARE(history.json.value(u"error").toObject().value(u"code").toString(), QStringLiteral("STORAGE_ERROR"));
    QCOMPARE(http.get(QStringLiteral("/api/v1/widget/context/c1")).status, 200);
}

#ifdef STORE_ON_POSTGRES
// A widget-server process on the test's database; stopped when it goes.
class ServerOnDatabase
{
public:
    ServerOnDatabase(const QStringList &storeArguments, const QProcessEnvironment &environment)
    {
        m_process.setProcessEnvironment(environment);
        m_process.start(QStringLiteral(WIDGET_SERVER_BINARY),
            QStringList {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--log-format"),
                QStringLiteral("text"), QStringLiteral("--add-conversation"), QStringLiteral("t1:c1:Ada"),
                QStringLiteral("--send-rate"), QStringLiteral("0")} // retries are not the rate limit's to refuse
                + storeArguments);
        m_url = listeningUrl(m_process, &m_output);
    }
    ~ServerOnDatabase()
    {
        m_process.terminate();
        m_process.waitForFinished(10000);
    }
    QUrl url() const { return m_url; }
    QByteArray output() const { return m_output; }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
    QByteArray m_output;
    QUrl m_url;
};

// Two hosts behind a load balancer, sharing only the database: the same messageId reaches both at
// once. The unique (conversation, messageId) record lets one insert win; the other's insert does
// nothing and its transaction reads the winner's id, so both answer with it and one message is stored.
void TestPersistence::twoProcessesTakeAMessageIdOnce()
{
    ServerOnDatabase first(storeArguments(), serverEnvironment(TestToken));
    ServerOnDatabase second(storeArguments(), serverEnvironment(TestToken));
    QVERIFY2(!first.url().isEmpty(), first.output().constData());
    QVERIFY2(!second.url().isEmpty(), second.output().constData());
    QNetworkAccessManager nam;
    nam.setProxy(QNetworkProxy::NoProxy);
    const auto post = [&nam](const QUrl &base, const QString &messageId) {
        QNetworkRequest request(base.resolved(QUrl(SendPath)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        request.setRawHeader("Authorization", "Bearer " + TestToken.toUtf8());
        request.setTransferTimeout(10000);
        return nam.post(request, QJsonDocument(sendBody(messageId)).toJson());
    };
    constexpr int Sends = 20; // each a race of its own
    std::vector<std::pair<std::unique_ptr<QNetworkReply>, std::unique_ptr<QNetworkReply>>> replies;
    for (int i = 0; i < Sends; ++i) {
        const QString messageId = QStringLiteral("msg_5_%1").arg(i, 8, 10, QLatin1Char('0'));
        replies.emplace_back(post(first.url(), messageId), post(second.url(), messageId));
    }
    QTRY_VERIFY(std::all_of(replies.begin(), replies.end(),
        [](const auto &pair) { return pair.first->isFinished() && pair.second->isFinished(); }));
    for (const auto &[a, b] : replies) {
        const QByteArray bodyA = a->readAll();
        const QByteArray bodyB = b->readAll();
        const auto logs = [&first, &second] {
            return QString::fromUtf8(first.process().readAllStandardError() + first.process().readAllStandardOutput()
                + second.process().readAllStandardError() + second.process().readAllStandardOutput());
        };
        QVERIFY2(a->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200, qPrintable(logs()));
        QVERIFY2(b->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200, qPrintable(logs()));
        const QString idA = QJsonDocument::fromJson(bodyA).object().value(u"messageId").toString();
        QVERIFY(!idA.isEmpty());
        QCOMPARE(QJsonDocument::fromJson(bodyB).object().value(u"messageId").toString(), idA);
    }
    RawDatabase raw(location());
    QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM accepted_sends")).toInt(), Sends);
    QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM messages")).toInt(), Sends);
}

// PostgreSQL goes away under a running server: what needs the store is answered 503 STORAGE_UNAVAILABLE
// (the console retries) and the rest keeps working; once the database is back, the same process
// reconnects by itself and the retried send goes through.
void TestPersistence::lostDatabaseIs503UntilItIsBack()
{
    ServerOnDatabase server(storeArguments(), serverEnvironment(TestToken));
    QVERIFY2(!server.url().isEmpty(), server.output().constData());
    HttpClient http(server.url());
    QCOMPARE(http.post(SendPath, sendBody(QStringLiteral("msg_6_0000aaaa"))).status, 200);

    QString why;
    QVERIFY2(m_postgres->stop(&why), qPrintable(why));
    const auto code = [](const HttpResult &r) { return r.json.value(u"error").toObject().value(u"code").toString(); };
    const HttpResult refused = http.post(SendPath, sendBody(QStringLiteral("msg_6_0000bbbb")));
    QCOMPARE(refused.status, 503);
    QCOMPARE(code(refused), QStringLiteral("STORAGE_UNAVAILABLE"));
    const HttpResult history = http.get(HistoryPath);
    QCOMPARE(history.status, 503);
    QCOMPARE(code(history), QStringLiteral("STORAGE_UNAVAILABLE"));
    // The event loop still answers, and says which part is down.
    const HttpResult health = http.get(QStringLiteral("/healthz"));
    QCOMPARE(health.status, 503);
    const QJsonObject checks = health.json.value(u"checks").toObject();
    QCOMPARE(checks.value(u"database").toObject().value(u"status").toString(), u"unavailable");
    QVERIFY(!checks.value(u"database").toObject().value(u"reason").toString().isEmpty());
    QCOMPARE(checks.value(u"broker").toObject().value(u"status").toString(), u"not used");

    QVERIFY2(m_postgres->resume(&why), qPrintable(why));
    // The console's retry with backoff, as long as the store's reconnect takes (0.1 s doubling to 5 s).
    QTRY_COMPARE_WITH_TIMEOUT(http.post(SendPath, sendBody(QStringLiteral("msg_6_0000bbbb"))).status, 200, 20000);
    const HttpResult after = http.get(HistoryPath);
    QCOMPARE(after.status, 200);
    QCOMPARE(after.json.value(u"messages").toArray().size(), 2);
    const HttpResult healthy = http.get(QStringLiteral("/healthz"));
    QCOMPARE(healthy.status, 200);
    QCOMPARE(healthy.json.value(u"checks").toObject().value(u"database").toObject().value(u"backend").toString(),
        u"postgresql");
    QCOMPARE(server.process().state(), QProcess::Running); // the same process all along
}

// The password never travels in argv: WIDGET_SERVER_DB_PASSWORD reaches the connection. A role that
// needs one is refused without it, with a message that names no password.
void TestPersistence::passwordFromTheEnvironment()
{
    const QString error = m_postgres->exec(QStringLiteral("widget"),
        {QStringLiteral("DROP ROLE IF EXISTS widget_user"),
            QStringLiteral("CREATE ROLE widget_user LOGIN PASSWORD 'pg-secret-7'"),
            QStringLiteral("GRANT ALL ON SCHEMA public TO widget_user")});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    PostgresSettings settings = location();
    settings.user = QStringLiteral("widget_user");
    // Trust for everyone but this role, which must give its password; the reload is asynchronous.
    QVERIFY(m_postgres->requirePassword(settings.user));
    QTRY_VERIFY(!RawDatabase(settings).database().isOpen());
    const QStringList arguments {QStringLiteral("--database"), settings.redactedUrl()};

    QProcessEnvironment environment = serverEnvironment(TestToken);
    environment.insert(QStringLiteral("PGPASSFILE"), m_dir->filePath(QStringLiteral("none"))); // not ~/.pgpass
    {
        QProcess without;
        without.setProcessEnvironment(environment);
        QVERIFY(runServerToExit(without, arguments + QStringList {QStringLiteral("--port"), QStringLiteral("0")}));
        QCOMPARE(without.exitCode(), 2);
        const QByteArray stderrText = without.readAllStandardError();
        QVERIFY2(stderrText.contains("cannot use --database"), stderrText.constData());
        QVERIFY(stderrText.contains("password"));
    }
    environment.insert(QStringLiteral("WIDGET_SERVER_DB_PASSWORD"), QStringLiteral("pg-secret-7"));
    ServerOnDatabase server(arguments, environment);
    QVERIFY2(!server.url().isEmpty(), server.output().constData());
    QCOMPARE(HttpClient(server.url()).post(SendPath, sendBody(QStringLiteral("msg_7_0000aaaa"))).status, 200);
    QVERIFY(!server.output().contains("pg-secret-7"));
}

// Another instance's transaction holds k2 and then wants k1, while this store's group holds k1 and wants
// k2: PostgreSQL fails one of the two (the store's: the other side's deadlock_timeout is longer). The
// group runs again once the other committed, and both sends get the other's ids with no error.
void TestPersistence::groupCommitRetriesADeadlock()
{
    ConversationStore store(location());
    store.addConversation(T1, C1, QStringLiteral("Ada"));
    QVERIFY(store.hasConversation(T1, C1));
    const auto insert = [](const char *clientId) {
        return QStringLiteral("INSERT INTO accepted_sends (conversation_id, client_message_id, message_id, accepted_ms)"
                              " SELECT id, '%1', 'other-%1', 0 FROM conversations")
            .arg(QLatin1String(clientId));
    };
    std::atomic<bool> holding {false};
    QStringList otherErrors;
    std::thread other([&] {
        RawDatabase raw(location());
        QSqlQuery q(raw.database());
        const auto exec = [&](const QString &sql) {
            if (!q.exec(sql))
                otherErrors.append(q.lastError().text());
        };
        exec(QStringLiteral("SET deadlock_timeout = '10s'"));
        exec(QStringLiteral("BEGIN"));
        exec(insert("k2"));
        holding = true;
        // Once the store's group waits for k2, this side wants k1, which the group holds.
        const auto storeWaits = [&raw] {
            return raw.value(QStringLiteral("SELECT count(*) FROM pg_locks WHERE NOT granted")).toInt() > 0;
        };
        if (!QTest::qWaitFor(storeWaits, 10000))
            otherErrors.append(QStringLiteral("the store never waited"));
        exec(insert("k1"));
        exec(QStringLiteral("COMMIT"));
    });
    QTRY_VERIFY(holding);
    QList<std::optional<ConversationStore::Accepted>> answers;
    QStringList errors;
    for (const char *clientId : {"k1", "k2"}) {
        store.acceptSendDeferred(T1, C1, QLatin1String(clientId),
            outbound(QStringLiteral("w-") + QLatin1String(clientId)),
            [&](const std::optional<ConversationStore::Accepted> &accepted, const QString &error) {
                answers.append(accepted);
                if (!error.isEmpty())
                    errors.append(error);
            });
    }
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("conversation store: .*deadlock detected")));
    store.commitQueued(); // blocks until PostgreSQL breaks the deadlock and the other side commits
    other.join();
    QCOMPARE(otherErrors, QStringList {});
    QCOMPARE(errors, QStringList {});
    QCOMPARE(answers.size(), 2);
    QVERIFY(answers.at(0) && answers.at(1));
    QCOMPARE(answers.at(0)->id, QStringLiteral("other-k1"));
    QCOMPARE(answers.at(1)->id, QStringLiteral("other-k2"));
    QVERIFY(!answers.at(0)->fresh && !answers.at(1)->fresh);
}

// Another instance that froze with a transaction open holds a messageId's record: a send of it here waits
// for the record only so long (lock_timeout, 5 s), then fails as a storage error instead of blocking this
// instance's event loop until the other one ends.
void TestPersistence::lockWaitIsBounded()
{
    ConversationStore store(location());
    store.addConversation(T1, C1, QStringLiteral("Ada"));
    RawDatabase raw(location());
    QVERIFY(raw.exec(QStringLiteral("BEGIN")));
    QVERIFY(raw.exec(QStringLiteral("INSERT INTO accepted_sends (conversation_id, client_message_id, message_id,"
                                    " accepted_ms) SELECT id, 'k1', 'frozen', 0 FROM conversations")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("conversation store: .*lock timeout")));
    QVERIFY(!store.acceptSend(T1, C1, QStringLiteral("k1"), outbound(QStringLiteral("w1"))));
    QVERIFY2(store.error().contains(u"lock timeout"), qPrintable(store.error()));
    QVERIFY(!store.unavailable()); // the database is there: a 500, not a 503
    QVERIFY(raw.exec(QStringLiteral("ROLLBACK")));
    QVERIFY(store.acceptSend(T1, C1, QStringLiteral("k1"), outbound(QStringLiteral("w1"))));
}
#endif

// Group commit: the sends and statuses queued in one turn of the event loop reach the file together, in one
// transaction, and each send's completion comes after that commit; the store reads its own queued writes.
void TestPersistence::groupCommitWritesATurnAtOnce()
{
    ConversationStore store(location());
    QVERIFY2(store.isOpen(), qPrintable(store.error()));
    store.addConversation(T1, C1, QStringLiteral("Ada"));
    RawDatabase raw(location()); // another connection: it sees only what is committed
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
    ConversationStore store(location());
    store.addConversation(T1, C1, QStringLiteral("Ada"));
    RawDatabase raw(location());
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
    RawDatabase raw(location());
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

    // And the store's one-statement UPDATE applies exactly that rule (SQLite: in memory, the same SQL).
#ifdef STORE_ON_POSTGRES
    ConversationStore store(location());
#else
    ConversationStore store;
#endif
    store.addConversation(T1, C1, QStringLiteral("Ada"));
    QVERIFY(store.addMessage(T1, C1,
        StoredMessage {QStringLiteral("m"), false, QStringLiteral("x"), {}, QDateTime::currentDateTimeUtc(), from}));
    QCOMPARE(store.applyStatus(T1, C1, QStringLiteral("m"), to, QStringLiteral("why")), consoleNext.has_value());
    QCOMPARE(store.error(), QString());
    const StoredMessage stored = *store.message(T1, C1, QStringLiteral("m"));
    QCOMPARE(stored.status, expectedStatus);
    QCOMPARE(stored.error, expectedStatus == u"failed" && from != u"failed" ? QStringLiteral("why") : QString());
}

// --outbox: the answer is the commit of the reply and its outbox row, whatever the upstream does; the
// relay publishes the row once the upstream takes it, and deletes it then.
void TestPersistence::outboxRowIsCommittedWithTheSend()
{
    auto server = startServer();
    QVERIFY(server);
    server->setOutbox(2000);
    server->upstream()->setDown(true);
    QSignalSpy forwarded(server->upstream(), &SimulatedUpstream::forwarded);
    HttpClient http(server->baseUrl());
    const HttpResult sent = http.post(SendPath, sendBody(QStringLiteral("msg_1_0000b001"), QStringLiteral("kept")));
    QCOMPARE(sent.status, 200);
    QCOMPARE(sent.json.value(u"messageId").toString(), QStringLiteral("msg_1_0000b001"));
    RawDatabase raw(location());
    QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM outbox")).toInt(), 1);
    QCOMPARE(raw.value(QStringLiteral("SELECT text FROM outbox")).toString(), QStringLiteral("kept"));
    // The relay tries, the upstream refuses, the row stays and is tried again.
    const OutboxRelay *relay = server->sendDesk()->relay();
    QTRY_VERIFY(relay->retried() >= 2);
    QCOMPARE(forwarded.size(), 0);
    // A repeat is answered from the record and adds no row.
    const HttpResult again = http.post(SendPath, sendBody(QStringLiteral("msg_1_0000b001"), QStringLiteral("kept")));
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json.value(u"messageId").toString(), QStringLiteral("msg_1_0000b001"));
    QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM outbox")).toInt(), 1);

    server->upstream()->setDown(false);
    QTRY_COMPARE_WITH_TIMEOUT(forwarded.size(), 1, 15000);
    QTRY_COMPARE(raw.value(QStringLiteral("SELECT count(*) FROM outbox")).toInt(), 0);
    QCOMPARE(relay->published(), 1);
    QCOMPARE(relay->inFlight(), 0);
    QCOMPARE(server->store()->messageCount(T1, C1), 1);
    QCOMPARE(server->store()->message(T1, C1, QStringLiteral("msg_1_0000b001"))->status, QStringLiteral("sent"));
    const HttpResult metrics = http.get(QStringLiteral("/metrics"));
    QCOMPARE(metrics.status, 200);
    QVERIFY2(metrics.body.contains("widget_server_outbox_rows 0"), metrics.body.constData());
    QVERIFY2(metrics.body.contains("widget_server_outbox_published_total{kind=\"first\"} 1"), metrics.body.mid(metrics.body.indexOf("widget_server_outbox_published"), 900).constData());
    QVERIFY(metrics.body.contains("widget_server_database_statements_total"));
}

void TestPersistence::outboxSurvivesARestart()
{
    {
        auto server = startServer();
        QVERIFY(server);
        server->setOutbox();
        server->upstream()->setDown(true);
        HttpClient http(server->baseUrl());
        for (const char *id : {"msg_1_0000c001", "msg_1_0000c002", "msg_1_0000c003"})
            QCOMPARE(http.post(SendPath, sendBody(QString::fromLatin1(id))).status, 200);
    }
    RawDatabase raw(location());
    QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM outbox")).toInt(), 3);

    auto server = startServer(false);
    QVERIFY(server);
    QStringList order;
    connect(server->upstream(), &SimulatedUpstream::forwarded, this,
        [&order](const QString &, const QString &, const QString &id) { order.append(id); });
    server->setOutbox();
    QTRY_COMPARE_WITH_TIMEOUT(order.size(), 3, 20000); // the refusals before left up to a few seconds of backoff
    QCOMPARE(order, (QStringList {"msg_1_0000c001", "msg_1_0000c002", "msg_1_0000c003"}));
    QTRY_COMPARE(raw.value(QStringLiteral("SELECT count(*) FROM outbox")).toInt(), 0);
}

// Store level, two stores on one database standing for two instances.
void TestPersistence::outboxClaimsHeadsInOrderUnderLeases()
{
    QVERIFY(startServer()); // creates the schema and c1
    ConversationStore one(location());
    ConversationStore two(location());
    QVERIFY(one.isOpen() && two.isOpen());
    const QString c2 = QStringLiteral("c2");
    const QString One = QStringLiteral("relay-one");
    const QString Two = QStringLiteral("relay-two");
    one.addConversation(T1, c2, QStringLiteral("Grace"));
    int answered = 0;
    const auto count = [&answered](const auto &accepted, const QString &error) {
        QVERIFY(accepted && accepted->fresh && error.isEmpty());
        ++answered;
    };
    for (const char *id : {"m1", "m2", "m3"})
        one.acceptSendToOutbox(T1, C1, QString::fromLatin1(id), QStringLiteral("i1"), outbound(QString::fromLatin1(id)), count);
    one.acceptSendToOutbox(T1, c2, QStringLiteral("n1"), QStringLiteral("i1"), outbound(QStringLiteral("n1")), count);
    one.commitQueued();
    QCOMPARE(answered, 4);
    QCOMPARE(one.outboxState()->rows, 4);

    // Only the head of each conversation, oldest first.
    const std::vector<OutboxEntry> first = one.claimOutbox(10, 60000, One);
    QCOMPARE(first.size(), size_t(2));
    QCOMPARE(first[0].id, QStringLiteral("m1"));
    QCOMPARE(first[0].conversation, C1);
    QCOMPARE(first[0].integrationId, QStringLiteral("i1"));
    QCOMPARE(first[0].attempts, 1);
    QCOMPARE(first[1].id, QStringLiteral("n1"));
    QCOMPARE(first[1].conversation, c2);
    // Leased: neither this store nor the other instance gets them, nor what queues behind them.
    QVERIFY(one.claimOutbox(10, 60000, One).empty());
    QVERIFY(two.claimOutbox(10, 60000, Two).empty());
    QVERIFY(two.error().isEmpty());

    // Refused by the upstream and released for later: nobody's before then, and m2 waits behind it.
    two.releaseOutbox(first[0].seq, Two, 0, true); // not its lease: nothing changes
    QVERIFY(two.claimOutbox(10, 60000, Two).empty());
    one.releaseOutbox(first[0].seq, One, 60000, true);
    QVERIFY(two.claimOutbox(10, 60000, Two).empty());
    RawDatabase raw(location());
    const QString leaseRunsOut = QStringLiteral("UPDATE outbox SET claimed_until_ms = 0 WHERE message_id = 'm1'");
    // The wait is over: the other instance takes it, an attempt more; the one before was refused, so
    // this is no repeat.
    QVERIFY(raw.exec(leaseRunsOut));
    const std::vector<OutboxEntry> taken = two.claimOutbox(10, 60000, Two);
    QCOMPARE(taken.size(), size_t(1));
    QCOMPARE(taken[0].id, QStringLiteral("m1"));
    QCOMPARE(taken[0].attempts, 2);
    QCOMPARE(taken[0].refusals, 1);
    QVERIFY(!taken[0].mayBeRepeat());
    // That instance dies mid-publish: its lease runs out with no answer, and the next claim may repeat it.
    QVERIFY(raw.exec(leaseRunsOut));
    const std::vector<OutboxEntry> again = one.claimOutbox(10, 60000, One);
    QCOMPARE(again.size(), size_t(1));
    QCOMPARE(again[0].id, QStringLiteral("m1"));
    QCOMPARE(again[0].attempts, 3);
    QVERIFY(again[0].mayBeRepeat());

    // Published: the next of the conversation becomes the head.
    two.removeOutbox(again[0].seq);
    const std::vector<OutboxEntry> next = one.claimOutbox(10, 60000, One);
    QCOMPARE(next.size(), size_t(1));
    QCOMPARE(next[0].id, QStringLiteral("m2"));
    QCOMPARE(one.outboxState()->rows, 3);
    QVERIFY(one.outboxState()->oldestCreatedMs > 0);
    QCOMPARE(one.claimOutbox(0, 60000, One).size(), size_t(0));
}

void TestPersistence::outboxRetryOfAFailedReplyWritesOneRow()
{
    QVERIFY(startServer());
    ConversationStore one(location());
    ConversationStore two(location());
    const StoredMessage reply = outbound(QStringLiteral("f1"));
    QVERIFY(one.acceptSend(T1, C1, QStringLiteral("f1"), reply));
    QVERIFY(one.applyStatus(T1, C1, QStringLiteral("f1"), QStringLiteral("failed"), QStringLiteral("unreachable")));
    // Two instances take the agent's Retry at once: one revives it and writes the row.
    const bool byOne = one.reviveFailedToOutbox(T1, C1, QStringLiteral("f1"), QStringLiteral("i1"), reply);
    const bool byTwo = two.reviveFailedToOutbox(T1, C1, QStringLiteral("f1"), QStringLiteral("i1"), reply);
    QVERIFY(one.error().isEmpty() && two.error().isEmpty());
    QCOMPARE(int(byOne) + int(byTwo), 1);
    QCOMPARE(one.outboxState()->rows, 1);
    QCOMPARE(one.message(T1, C1, QStringLiteral("f1"))->status, QStringLiteral("sent"));
    // Not failed any more: a further Retry writes nothing.
    QVERIFY(!two.reviveFailedToOutbox(T1, C1, QStringLiteral("f1"), QStringLiteral("i1"), reply));
    QCOMPARE(one.outboxState()->rows, 1);
}

// A database of version 1 (before the outbox) gets the outbox table when opened.
void TestPersistence::outboxMigratesAnOlderDatabase()
{
    QVERIFY(startServer());
    {
        RawDatabase raw(location());
        QVERIFY(raw.exec(QStringLiteral("DROP TABLE outbox")));
        QVERIFY(raw.exec(QStringLiteral("DELETE FROM schema_version WHERE version >= 2")));
        QCOMPARE(raw.value(QStringLiteral("SELECT max(version) FROM schema_version")).toInt(), 1);
    }
    ConversationStore store(location());
    QVERIFY2(store.isOpen(), qPrintable(store.error()));
    QCOMPARE(store.schemaVersion(), StoreSchema::currentVersion());
    QCOMPARE(store.outboxState()->rows, 0);
    QVERIFY(store.hasConversation(T1, C1)); // the data of version 1 kept
}

// A refusal the far side will repeat (a 4xx) is not retried for ever behind the conversation's other
// replies: the reply is failed, which the console shows with Retry, and the next one goes.
void TestPersistence::outboxRefusedForGoodIsFailed()
{
    auto server = startServer();
    QVERIFY(server);
    server->setOutbox(2000);
    server->upstream()->failNext(1, 400);
    QSignalSpy forwarded(server->upstream(), &SimulatedUpstream::forwarded);
    HttpClient http(server->baseUrl());
    QCOMPARE(http.post(SendPath, sendBody(QStringLiteral("msg_1_0000e001"), QStringLiteral("refused"))).status, 200);
    QCOMPARE(http.post(SendPath, sendBody(QStringLiteral("msg_1_0000e002"), QStringLiteral("next"))).status, 200);
    QTRY_COMPARE(server->store()->message(T1, C1, QStringLiteral("msg_1_0000e001"))->status, QStringLiteral("failed"));
    QCOMPARE(server->store()->message(T1, C1, QStringLiteral("msg_1_0000e001"))->error, QStringLiteral("Upstream error (simulated)"));
    QTRY_COMPARE(forwarded.size(), 1);
    QCOMPARE(forwarded.at(0).at(2).toString(), QStringLiteral("msg_1_0000e002"));
    QCOMPARE(server->sendDesk()->relay()->failed(), 1);
    RawDatabase raw(location());
    QTRY_COMPARE(raw.value(QStringLiteral("SELECT count(*) FROM outbox")).toInt(), 0);
    // The agent's Retry: a new row, marked as a revival, and out it goes.
    QCOMPARE(http.post(SendPath, sendBody(QStringLiteral("msg_1_0000e001"), QStringLiteral("refused"))).status, 200);
    QTRY_COMPARE(forwarded.size(), 2);
    QCOMPARE(forwarded.at(1).at(2).toString(), QStringLiteral("msg_1_0000e001"));
    QCOMPARE(server->store()->message(T1, C1, QStringLiteral("msg_1_0000e001"))->status, QStringLiteral("sent"));
}

// Two instances accepting for one conversation at once may commit a lower seq after a higher one was
// claimed: that row waits until the one in flight is done, and the lease belongs to its relay alone.
void TestPersistence::outboxKeepsOneInFlightPerConversation()
{
    QVERIFY(startServer());
    ConversationStore one(location());
    ConversationStore two(location());
    const QString One = QStringLiteral("relay-one");
    const QString Two = QStringLiteral("relay-two");
    one.acceptSendToOutbox(T1, C1, QStringLiteral("k3"), QStringLiteral("i1"), outbound(QStringLiteral("k3")), {});
    one.acceptSendToOutbox(T1, C1, QStringLiteral("k4"), QStringLiteral("i1"), outbound(QStringLiteral("k4")), {});
    one.commitQueued();
    std::vector<OutboxEntry> claimed = one.claimOutbox(10, 60000, One);
    QCOMPARE(claimed.size(), size_t(1));
    QCOMPARE(claimed[0].id, QStringLiteral("k3"));
    one.removeOutbox(claimed[0].seq);
    claimed = one.claimOutbox(10, 60000, One);
    QCOMPARE(claimed.size(), size_t(1));
    QCOMPARE(claimed[0].id, QStringLiteral("k4"));
    // The late commit: a row of the same conversation with a lower seq than the one in flight.
    RawDatabase raw(location());
    QVERIFY(raw.exec(QStringLiteral("INSERT INTO outbox (seq, conversation_id, message_id, client_message_id,"
                                    " integration_id, text, media_url, ts_ms, created_ms)"
                                    " SELECT %1, conversation_id, 'late', 'late', 'i1', 'x', '', 0, 0 FROM outbox"
                                    " WHERE message_id = 'k4'")
                         .arg(claimed[0].seq - 1)));
    QVERIFY(two.claimOutbox(10, 60000, Two).empty());
    // Renewing is the holder's: another relay's renewal changes nothing.
    const auto leaseOf = [&raw] {
        return raw.value(QStringLiteral("SELECT claimed_until_ms FROM outbox WHERE message_id = 'k4'")).toLongLong();
    };
    const qint64 before = leaseOf();
    two.renewOutbox({claimed[0].seq}, 600000, Two);
    QCOMPARE(leaseOf(), before);
    one.renewOutbox({claimed[0].seq}, 600000, One);
    QVERIFY(leaseOf() > before + 500000);
    // Done with it: the late row goes next.
    one.removeOutbox(claimed[0].seq);
    claimed = two.claimOutbox(10, 60000, Two);
    QCOMPARE(claimed.size(), size_t(1));
    QCOMPARE(claimed[0].id, QStringLiteral("late"));
}

QTEST_GUILESS_MAIN(TestPersistence)
#include "tst_persistence.moc"
