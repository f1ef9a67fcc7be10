// Two widget-server processes on one real RabbitMQ (a private node started by the test), the upstream
// simulator playing WhatsApp behind it, and stock Node socket.io-clients connected to both instances:
// a reply sent through one instance is published with a publisher confirm, its statuses reach the
// conversation's sockets on both instances once each and in order, and nothing reaches the sockets of
// another tenant (its own token, --tokens-file) or of another conversation. Also: inbound messages fan
// out; malformed broker messages are dropped; the POST waits for the confirm while the broker blocks
// publishers, answers 503 when the confirm does not come in time, and survives its client hanging up;
// once the broker says it blocks, a new reply is refused at once; a retry after a timed-out confirm is
// refused while the first copy is still held and answered from the store after its late confirm,
// never published twice; a broker restart is survived; a repeated messageId sent to the other
// instance is answered from the shared store (--data-dir) without a second publish. No sanitizer
// report from any process.
#include "amqpconnection.h"
#include "brokermessages.h"
#include "childprocess.h"
#include "missingdependency.h"
#include "postsend.h"
#include "privatebroker.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

namespace {

const QString Token = QStringLiteral("integration-token"); // tenant t1's (or every tenant's) token
const QString OtherToken = QStringLiteral("integration-token-t2"); // tenant t2's, with --tokens-file
const QString Tenant = QStringLiteral("t1");
const QString OtherTenant = QStringLiteral("t2");
const QString Conversation = QStringLiteral("c1");
const QString OtherConversation = QStringLiteral("c2");

QProcessEnvironment childEnvironment(const QString &token = Token)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("WIDGET_SERVER_TOKEN"));
    env.insert(QStringLiteral("NODE_PATH"), QStringLiteral(INTEROP_DIR "/node_modules"));
    env.insert(QStringLiteral("TOKEN"), token);
    return env;
}

} // namespace

class TestAmqpScaleOut : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();
    void statusesReachEveryInstanceOnce();
    void inboundMessageFansOut();
    void malformedEventsAreDropped();
    void repeatOnOtherInstanceIsAnsweredFromTheStore();
    void retryOfAFailedReplyIsANewDelivery();
    void answerWaitsForThePublisherConfirm();
    void brokerRestartIsSurvived();
    void processesStopCleanly();

private:
    struct Instance
    {
        std::unique_ptr<ChildProcess> process;
        QUrl url;
    };
    struct Client
    {
        QString name;
        std::unique_ptr<ChildProcess> process;
    };

    bool startInstance(Instance &instance, QString *why);
    Client &connectClient(
        const QString &name, const Instance &instance, const QString &tenant, const QString &conversation);
    QNetworkReply *postSend(const Instance &instance, const QString &messageId, const QString &text);
    static int statusOf(QNetworkReply *reply)
    {
        return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    }
    static QJsonObject jsonOf(QNetworkReply *reply) { return QJsonDocument::fromJson(reply->readAll()).object(); }
    static QString errorCodeOf(QNetworkReply *reply)
    {
        return jsonOf(reply).value(u"error").toObject().value(u"code").toString();
    }
    // The simulator's events of one kind ("outbound", "duplicate") for one message id.
    int simulatorEvents(QStringView name, const QString &messageId) const;
    QJsonArray history(const Instance &instance);
    static QStringList statuses(const Client &client, const QString &messageId);
    static int eventsFor(const Client &client, const QString &messageId);
    void publishEvent(const QString &tenant, const QString &conversation, const QByteArray &body);
    // Publishes a status "read" for a marker id to each idle client's room and waits until each has it:
    // events are emitted in the order the instance consumed them, so whatever a client was going to get
    // before the marker it has got by now.
    void flushIdleClients();
    void sendAndExpectStatuses(const Instance &via, const QString &messageId);

    std::unique_ptr<PrivateBroker> m_broker;
    QTemporaryDir m_dir;
    bool m_sharedStore = false; // --data-dir: both instances on one SQLite store
    bool m_tenantTokens = false; // --tokens-file: each tenant its own token
    bool m_failed = false;
    std::unique_ptr<ChildProcess> m_simulator;
    Instance m_one;
    Instance m_two;
    std::vector<std::unique_ptr<Client>> m_clients; // [0] one/t1/c1 [1] two/t1/c1 [2] two/t2/c1 [3] one/t1/c2
    QThread m_publisherThread;
    AmqpConnection *m_publisher = nullptr; // the test's own broker connection, in m_publisherThread
    quint64 m_publishes = 0;
    QHash<quint64, QString> m_confirms; // publish request -> empty when confirmed, else why not
    int m_markers = 0;
    QNetworkAccessManager m_nam;
};

void TestAmqpScaleOut::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty())
        SKIP_MISSING_DEPENDENCY("node is not on PATH: the socket.io-client side of this test needs Node.js");
    if (const QString missing = PrivateBroker::missingReason(); !missing.isEmpty())
        SKIP_MISSING_DEPENDENCY(missing);
    m_broker = std::make_unique<PrivateBroker>();
    QString why;
    if (!m_broker->start(&why))
        SKIP_MISSING_DEPENDENCY(QStringLiteral("cannot start a private RabbitMQ: ") + why);

    // Two instances share one data dir (the SQLite store carries idempotency across instances), and
    // each tenant has its own token, where this widget-server has those options.
    QProcess help;
    help.start(QStringLiteral(WIDGET_SERVER), {QStringLiteral("--help")});
    QVERIFY(help.waitForFinished(10000));
    const QByteArray options = help.readAllStandardOutput();
    m_sharedStore = options.contains("--data-dir") && options.contains("--add-conversation");
    m_tenantTokens = options.contains("--tokens-file");
    QVERIFY(m_dir.isValid());
    QFile tokens(m_dir.filePath(QStringLiteral("tokens")));
    QVERIFY(tokens.open(QIODevice::WriteOnly));
    tokens.write(m_tenantTokens ? (Token + u' ' + Tenant + u'\n' + OtherToken + u' ' + OtherTenant + u'\n').toUtf8()
                                : Token.toUtf8() + '\n');
    tokens.close();

    m_simulator = std::make_unique<ChildProcess>(QStringLiteral(UPSTREAM_SIMULATOR),
        QStringList {QStringLiteral("--upstream"), m_broker->url(), QStringLiteral("--fail-text"),
            QStringLiteral("Unreachable:")},
        childEnvironment());
    QTRY_COMPARE_WITH_TIMEOUT(m_simulator->count(u"ready"), 1, 20000);

    QVERIFY2(startInstance(m_one, &why), qPrintable(why));
    QVERIFY2(startInstance(m_two, &why), qPrintable(why));

    connectClient(QStringLiteral("one/t1/c1"), m_one, Tenant, Conversation);
    connectClient(QStringLiteral("two/t1/c1"), m_two, Tenant, Conversation);
    connectClient(QStringLiteral("two/t2/c1"), m_two, OtherTenant, Conversation);
    connectClient(QStringLiteral("one/t1/c2"), m_one, Tenant, OtherConversation);
    for (const auto &client : m_clients)
        QTRY_COMPARE_WITH_TIMEOUT(client->process->count(u"connect"), 1, 20000);

    m_publisher = new AmqpConnection(AmqpSettings {QStringLiteral("127.0.0.1"), m_broker->port()},
        {{}, QString::fromLatin1(BrokerMessages::EventsExchange), QStringLiteral("nothing.for.the.test")});
    m_publisher->moveToThread(&m_publisherThread);
    connect(&m_publisherThread, &QThread::finished, m_publisher, &QObject::deleteLater);
    // Queued into this thread (a QSignalSpy on another thread's object could miss an early signal).
    bool publisherUp = false;
    connect(m_publisher, &AmqpConnection::connected, this, [&publisherUp] { publisherUp = true; });
    connect(m_publisher, &AmqpConnection::published, this, [this](quint64 id, bool confirmed, const QString &reason) {
        m_confirms.insert(id, confirmed ? QString() : reason);
    });
    m_publisherThread.start();
    QMetaObject::invokeMethod(m_publisher, &AmqpConnection::start, Qt::QueuedConnection);
    QTRY_VERIFY_WITH_TIMEOUT(publisherUp, 20000);
    disconnect(m_publisher, &AmqpConnection::connected, this, nullptr);
}

void TestAmqpScaleOut::cleanup()
{
    m_failed = m_failed || QTest::currentTestFailed();
}

void TestAmqpScaleOut::cleanupTestCase()
{
    if (m_failed) {
        for (const Instance *instance : {&m_one, &m_two}) {
            if (instance->process)
                qInfo().noquote() << "widget-server stderr:\n" << instance->process->standardError().right(4000);
        }
    }
    m_publisherThread.quit();
    m_publisherThread.wait();
    m_clients.clear();
    m_one.process.reset();
    m_two.process.reset();
    m_simulator.reset();
    m_broker.reset();
}

bool TestAmqpScaleOut::startInstance(Instance &instance, QString *why)
{
    // Instance two gives up on a confirm sooner: the test sees both a held answer and a timed-out one.
    const int confirmTimeout = &instance == &m_one ? 90000 : 4000;
    QStringList arguments {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--tenant"), Tenant,
        QStringLiteral("--conversation"), Conversation, QStringLiteral("--upstream"),
        m_broker->url(QStringLiteral("?heartbeat=5&confirm_timeout=%1").arg(confirmTimeout))};
    if (m_sharedStore) {
        arguments << QStringLiteral("--data-dir") << m_dir.path();
        for (const QString &spec :
            {QStringLiteral("t1:c1:Ada"), QStringLiteral("t1:c2:Bea"), QStringLiteral("t2:c1:Cem")})
            arguments << QStringLiteral("--add-conversation") << spec;
    }
    arguments << (m_tenantTokens ? QStringLiteral("--tokens-file") : QStringLiteral("--token-file"))
              << m_dir.filePath(QStringLiteral("tokens"));
    // Instance two takes the broker password from the environment instead of argv.
    QProcessEnvironment environment = childEnvironment();
    if (&instance == &m_two) {
        arguments.replace(arguments.indexOf(QStringLiteral("--upstream")) + 1,
            m_broker->url(QStringLiteral("?heartbeat=5&confirm_timeout=%1").arg(confirmTimeout))
                .replace(QStringLiteral("guest:guest@"), QStringLiteral("guest@")));
        environment.insert(QStringLiteral("WIDGET_SERVER_AMQP_PASSWORD"), QStringLiteral("guest"));
    }
    instance.process = std::make_unique<ChildProcess>(QStringLiteral(WIDGET_SERVER), arguments, environment);
    ChildProcess &process = *instance.process;
    const bool ready = process.waitUntilServing(true, 20000);
    instance.url = process.listeningUrl();
    if (!ready || instance.url.isEmpty() || !process.isRunning()) {
        *why = QStringLiteral("widget-server did not come up:\n") + process.standardError().right(2000);
        return false;
    }
    // The password of the broker URL never reaches the log.
    if (process.standardError().contains(QStringLiteral("guest:guest"))) {
        *why = QStringLiteral("the broker password is in the log");
        return false;
    }
    return true;
}

TestAmqpScaleOut::Client &TestAmqpScaleOut::connectClient(
    const QString &name, const Instance &instance, const QString &tenant, const QString &conversation)
{
    auto client = std::make_unique<Client>();
    client->name = name;
    client->process = std::make_unique<ChildProcess>(QStandardPaths::findExecutable(QStringLiteral("node")),
        QStringList {QStringLiteral(INTEGRATION_DIR "/roomclient.js"), instance.url.toString(), tenant, conversation},
        childEnvironment(tenant == OtherTenant && m_tenantTokens ? OtherToken : Token));
    m_clients.push_back(std::move(client));
    return *m_clients.back();
}

QNetworkReply *TestAmqpScaleOut::postSend(const Instance &instance, const QString &messageId, const QString &text)
{
    QNetworkReply *reply
        = ::postSend(m_nam, SendTarget {instance.url, Token, Tenant, Conversation}, messageId, text, 60000);
    reply->setParent(this);
    return reply;
}

int TestAmqpScaleOut::simulatorEvents(QStringView name, const QString &messageId) const
{
    return m_simulator->count(name, messageId);
}

QJsonArray TestAmqpScaleOut::history(const Instance &instance)
{
    QNetworkRequest request(instance.url.resolved(
        QUrl(QStringLiteral("/api/v1/widget/conversation/%1/history?limit=100&offset=0").arg(Conversation))));
    request.setRawHeader("Authorization", "Bearer " + Token.toUtf8());
    request.setRawHeader("X-Tenant-ID", Tenant.toUtf8());
    std::unique_ptr<QNetworkReply> reply(m_nam.get(request));
    if (!QTest::qWaitFor([&reply] { return reply->isFinished(); }, 20000) || statusOf(reply.get()) != 200)
        return {};
    return jsonOf(reply.get()).value(u"messages").toArray();
}

QStringList TestAmqpScaleOut::statuses(const Client &client, const QString &messageId)
{
    QStringList seen;
    for (const QJsonObject &event : client.process->events(u"status_update")) {
        const QJsonObject payload = event.value(u"payload").toObject();
        if (payload.value(u"messageId").toString() == messageId)
            seen.append(payload.value(u"status").toString());
    }
    return seen;
}

int TestAmqpScaleOut::eventsFor(const Client &client, const QString &messageId)
{
    int count = 0;
    for (const QString &name : {QStringLiteral("status_update"), QStringLiteral("inbound_message")}) {
        for (const QJsonObject &event : client.process->events(name))
            count += event.value(u"payload").toObject().value(u"messageId").toString() == messageId ? 1 : 0;
    }
    return count;
}

void TestAmqpScaleOut::publishEvent(const QString &tenant, const QString &conversation, const QByteArray &body)
{
    const quint64 request = ++m_publishes;
    QMetaObject::invokeMethod(
        m_publisher,
        [publisher = m_publisher, request, key = BrokerMessages::routingKey(tenant, conversation), body] {
            publisher->publish(request, QString::fromLatin1(BrokerMessages::EventsExchange), key, body,
                QStringLiteral("test-%1").arg(request), QStringLiteral("test"));
        },
        Qt::QueuedConnection);
    QTRY_VERIFY_WITH_TIMEOUT(m_confirms.contains(request), 20000);
    QVERIFY2(m_confirms.value(request).isEmpty(), qPrintable(m_confirms.value(request)));
}

void TestAmqpScaleOut::flushIdleClients()
{
    const QString marker = QStringLiteral("marker-%1").arg(++m_markers);
    const std::pair<QString, QString> idleRooms[] = {{OtherTenant, Conversation}, {Tenant, OtherConversation}};
    for (const auto &[tenant, conversation] : idleRooms) {
        publishEvent(tenant, conversation,
            BrokerMessages::encodeEvent(BrokerMessages::StatusEvent {
                tenant, conversation, marker, QStringLiteral("read"), {}, QDateTime::currentDateTimeUtc()}));
    }
    QTRY_COMPARE_WITH_TIMEOUT(statuses(*m_clients[2], marker), QStringList {QStringLiteral("read")}, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(statuses(*m_clients[3], marker), QStringList {QStringLiteral("read")}, 20000);
    // The conversation's own sockets never see the other rooms' markers.
    QCOMPARE(eventsFor(*m_clients[0], marker), 0);
    QCOMPARE(eventsFor(*m_clients[1], marker), 0);
}

void TestAmqpScaleOut::sendAndExpectStatuses(const Instance &via, const QString &messageId)
{
    QNetworkReply *reply = postSend(via, messageId, QStringLiteral("Your parcel is on its way."));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 30000);
    QCOMPARE(statusOf(reply), 200);
    QCOMPARE(jsonOf(reply).value(u"messageId").toString(), messageId);
    const QStringList expected {QStringLiteral("sent"), QStringLiteral("delivered"), QStringLiteral("read")};
    QTRY_COMPARE_WITH_TIMEOUT(statuses(*m_clients[0], messageId), expected, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(statuses(*m_clients[1], messageId), expected, 20000);
}

void TestAmqpScaleOut::statusesReachEveryInstanceOnce()
{
    const QString id = QStringLiteral("msg_1763892000000_0000a001");
    sendAndExpectStatuses(m_one, id);
    QCOMPARE(m_simulator->count(u"outbound"), 1);
    const QJsonObject outbound = m_simulator->events(u"outbound").constFirst();
    QCOMPARE(outbound.value(u"messageId").toString(), id);
    QCOMPARE(outbound.value(u"clientMessageId").toString(), id);
    QCOMPARE(outbound.value(u"tenantId").toString(), Tenant);
    QCOMPARE(outbound.value(u"conversationId").toString(), Conversation);

    flushIdleClients();
    QCOMPARE(eventsFor(*m_clients[2], id), 0); // the other tenant, same conversation id
    QCOMPARE(eventsFor(*m_clients[3], id), 0); // the other conversation, same tenant
    // Exactly once each: no repeats arrived behind the markers either.
    QCOMPARE(statuses(*m_clients[0], id).size(), 3);
    QCOMPARE(statuses(*m_clients[1], id).size(), 3);
}

void TestAmqpScaleOut::inboundMessageFansOut()
{
    const QString id = QStringLiteral("wamid.inbound-0001");
    publishEvent(Tenant, Conversation,
        BrokerMessages::encodeEvent(BrokerMessages::InboundEvent {
            Tenant, Conversation, id, QStringLiteral("Where is my parcel?"), {}, QDateTime::currentDateTimeUtc()}));
    for (int i : {0, 1}) {
        QTRY_COMPARE_WITH_TIMEOUT(m_clients[i]->process->count(u"inbound_message"), 1, 20000);
        const QJsonObject payload
            = m_clients[i]->process->events(u"inbound_message").constFirst().value(u"payload").toObject();
        QCOMPARE(payload.value(u"messageId").toString(), id);
        QCOMPARE(payload.value(u"text").toString(), QStringLiteral("Where is my parcel?"));
    }
    flushIdleClients();
    QCOMPARE(m_clients[2]->process->count(u"inbound_message"), 0);
    QCOMPARE(m_clients[3]->process->count(u"inbound_message"), 0);
}

void TestAmqpScaleOut::malformedEventsAreDropped()
{
    const QByteArray bad[] = {
        "not json at all",
        R"(["an","array"])",
        R"({"type":"status_update","tenantId":"t1","conversationId":"c1"})",
        R"({"type":"status_update","tenantId":"t1","conversationId":"c1","messageId":"m-bad","status":"seen"})",
        R"({"type":"inbound_message","tenantId":"t1","conversationId":"c1","messageId":"m-bad"})",
        R"({"type":"telepathy","tenantId":"t1","conversationId":"c1","messageId":"m-bad"})",
        QByteArray(300 * 1024, 'x'),
    };
    const int statusesBefore = int(m_clients[0]->process->count(u"status_update"));
    for (const QByteArray &body : bad)
        publishEvent(Tenant, Conversation, body);
    // A valid event behind them still arrives, and it is the only thing that does.
    publishEvent(Tenant, Conversation,
        BrokerMessages::encodeEvent(BrokerMessages::StatusEvent {
            Tenant, Conversation, QStringLiteral("after-bad"), QStringLiteral("delivered"), {}, {}}));
    for (int i : {0, 1}) {
        QTRY_COMPARE_WITH_TIMEOUT(
            statuses(*m_clients[i], QStringLiteral("after-bad")), QStringList {QStringLiteral("delivered")}, 20000);
        QCOMPARE(eventsFor(*m_clients[i], QStringLiteral("m-bad")), 0);
    }
    QCOMPARE(int(m_clients[0]->process->count(u"status_update")), statusesBefore + 1);
    QVERIFY(m_one.process->isRunning());
    QVERIFY(m_two.process->isRunning());
    QVERIFY(m_one.process->stderrCount(QStringLiteral("dropped a malformed event")) >= int(std::size(bad)));
}

void TestAmqpScaleOut::repeatOnOtherInstanceIsAnsweredFromTheStore()
{
    if (!m_sharedStore)
        QSKIP("this widget-server has no --data-dir: without a shared store, cross-instance repeats are "
              "deduplicated only by the consumer (message_id)");
    const QString id = QStringLiteral("msg_1763892000000_0000a001"); // accepted by instance one above
    QNetworkReply *repeat = postSend(m_two, id, QStringLiteral("Your parcel is on its way."));
    QTRY_VERIFY_WITH_TIMEOUT(repeat->isFinished(), 30000);
    QCOMPARE(statusOf(repeat), 200);
    QCOMPARE(jsonOf(repeat).value(u"messageId").toString(), id);
    // A new reply through instance two goes out on the same channel: had the repeat been published, the
    // simulator would have seen it first.
    sendAndExpectStatuses(m_two, QStringLiteral("msg_1763892000000_0000a002"));
    QCOMPARE(m_simulator->count(u"duplicate"), 0);
    QCOMPARE(m_simulator->count(u"outbound"), 2);
}

// The far side fails a reply; the agent's Retry (the same messageId again) is published under a message_id
// of its own, which the consumer, deduplicating by message_id, takes as a new delivery.
void TestAmqpScaleOut::retryOfAFailedReplyIsANewDelivery()
{
    const QString id = QStringLiteral("msg_1763892000000_0000a00f");
    const QString text = QStringLiteral("Unreachable: the first delivery fails");
    QNetworkReply *first = postSend(m_one, id, text);
    QTRY_VERIFY_WITH_TIMEOUT(first->isFinished(), 30000);
    QCOMPARE(statusOf(first), 200);
    QTRY_COMPARE_WITH_TIMEOUT(statuses(*m_clients[0], id), (QStringList {"sent", "failed"}), 20000);
    // Without --outbox the record is written after the confirm, and the far side's "failed" may come
    // before it and find nothing to fail (the outbox records before it publishes). The far side says it
    // once more now that the record is there.
    publishEvent(Tenant, Conversation,
        BrokerMessages::encodeEvent(BrokerMessages::StatusEvent {
            Tenant, Conversation, id, QStringLiteral("failed"), QStringLiteral("Number unreachable"), {}}));
    QTRY_COMPARE_WITH_TIMEOUT(statuses(*m_clients[1], id), (QStringList {"sent", "failed", "failed"}), 20000);
    QNetworkReply *retry = postSend(m_two, id, text);
    QTRY_VERIFY_WITH_TIMEOUT(retry->isFinished(), 30000);
    QCOMPARE(statusOf(retry), 200);
    QCOMPARE(jsonOf(retry).value(u"messageId").toString(), id);
    QTRY_COMPARE_WITH_TIMEOUT(simulatorEvents(u"outbound", id), 2, 20000);
    QCOMPARE(simulatorEvents(u"duplicate", id), 0);
    const QJsonObject second = m_simulator->events(u"outbound").constLast();
    QVERIFY2(second.value(u"deliveryId").toString().startsWith(id + QStringLiteral(":retry:")),
        qPrintable(second.value(u"deliveryId").toString()));
    QTRY_COMPARE_WITH_TIMEOUT(statuses(*m_clients[0], id),
        (QStringList {"sent", "failed", "failed", "sent", "delivered", "read"}), 20000);
}

void TestAmqpScaleOut::answerWaitsForThePublisherConfirm()
{
    const auto connectionStates = [this] {
        const QString out = m_broker->ctl({QStringLiteral("list_connections"), QStringLiteral("state")}, nullptr);
        return out.split(u'\n', Qt::SkipEmptyParts);
    };
    // A memory alarm: the broker stops reading from every connection that publishes.
    bool ok = false;
    const QString out = m_broker->ctl({QStringLiteral("set_vm_memory_high_watermark"), QStringLiteral("0")}, &ok);
    QVERIFY2(ok, qPrintable(out));
    auto lift = qScopeGuard([this] {
        m_broker->ctl({QStringLiteral("set_vm_memory_high_watermark"), QStringLiteral("0.4")}, nullptr);
    });
    // The alarm is in force once the connections are "blocking" (blocked on their next publish).
    QVERIFY(QTest::qWaitFor([&] { return connectionStates().contains(QStringLiteral("blocking")); }, 60000));

    const QString id = QStringLiteral("msg_1763892000000_0000a003");
    QNetworkReply *reply = postSend(m_one, id, QStringLiteral("Held back by the broker"));
    // The broker has our publish and holds it: the connection turns "blocked", and the broker says so
    // to the instance (connection.blocked), which logs it.
    QTRY_VERIFY2_WITH_TIMEOUT(m_one.process->stderrCount(QStringLiteral("the broker blocks publishing")) > 0,
        "the instance's publish never reached the broker", 60000);
    QVERIFY(connectionStates().contains(QStringLiteral("blocked")));
    // The event loop ran all along: an early answer would be here by now.
    QVERIFY2(!reply->isFinished(), "POST /send was answered before the publisher confirm");

    // Now that the broker has said it blocks, instance one refuses a new reply at once instead of
    // publishing it into the alarm (had it published, the answer would wait for the confirm).
    const QString refused = QStringLiteral("msg_1763892000000_0000a007");
    QNetworkReply *refusal = postSend(m_one, refused, QStringLiteral("Refused while blocked"));
    QTRY_VERIFY_WITH_TIMEOUT(refusal->isFinished(), 20000);
    QCOMPARE(statusOf(refusal), 503);
    QCOMPARE(errorCodeOf(refusal), QStringLiteral("UPSTREAM_UNAVAILABLE"));

    // Instance two waits at most its confirm_timeout, then answers a JSON 503 the console retries.
    const QString timedOut = QStringLiteral("msg_1763892000000_0000a005");
    QNetworkReply *late = postSend(m_two, timedOut, QStringLiteral("Given up on"));
    // A client that hangs up while its POST waits (a repeat of the held reply joins its wait): its
    // answer, when the confirm comes, goes nowhere.
    QNetworkReply *gone = postSend(m_one, id, QStringLiteral("Held back by the broker"));
    QTRY_VERIFY_WITH_TIMEOUT(late->isFinished(), 60000);
    QCOMPARE(statusOf(late), 503);
    QCOMPARE(errorCodeOf(late), QStringLiteral("UPSTREAM_UNAVAILABLE"));
    QVERIFY(!reply->isFinished()); // instance one's confirm_timeout is longer
    QVERIFY(!gone->isFinished());
    gone->abort();

    // The console's retry while the broker still holds the first copy: 503 again, and nothing is
    // published a second time (checked below, once the broker lets the held copies go).
    QNetworkReply *early = postSend(m_two, timedOut, QStringLiteral("Given up on"));
    QTRY_VERIFY_WITH_TIMEOUT(early->isFinished(), 20000);
    QCOMPARE(statusOf(early), 503);
    QCOMPARE(errorCodeOf(early), QStringLiteral("UPSTREAM_UNAVAILABLE"));

    lift.dismiss();
    const QString restored
        = m_broker->ctl({QStringLiteral("set_vm_memory_high_watermark"), QStringLiteral("0.4")}, &ok);
    QVERIFY2(ok, qPrintable(restored));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 30000);
    QCOMPARE(statusOf(reply), 200);
    QCOMPARE(jsonOf(reply).value(u"messageId").toString(), id);
    const QStringList expected {QStringLiteral("sent"), QStringLiteral("delivered"), QStringLiteral("read")};
    QTRY_COMPARE_WITH_TIMEOUT(statuses(*m_clients[0], id), expected, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(statuses(*m_clients[1], id), expected, 20000);
    QVERIFY(m_one.process->isRunning()); // after its client hung up

    // The publish instance two gave up on went out once the broker resumed; its late confirm is
    // recorded, so the console's next retry is answered from the store with the same id.
    QTRY_COMPARE_WITH_TIMEOUT(statuses(*m_clients[0], timedOut), expected, 20000);
    QNetworkReply *retry = postSend(m_two, timedOut, QStringLiteral("Given up on"));
    QTRY_VERIFY_WITH_TIMEOUT(retry->isFinished(), 30000);
    QCOMPARE(statusOf(retry), 200);
    QCOMPARE(jsonOf(retry).value(u"messageId").toString(), timedOut);
    // A new reply through instance two goes out on the same channel after every copy of the retried
    // one: once the simulator has it, it would have seen a second copy.
    sendAndExpectStatuses(m_two, QStringLiteral("msg_1763892000000_0000a008"));
    QCOMPARE(simulatorEvents(u"outbound", timedOut), 1);
    QCOMPARE(simulatorEvents(u"duplicate", timedOut), 0);
    QCOMPARE(simulatorEvents(u"outbound", refused), 0);
    QCOMPARE(statuses(*m_clients[0], timedOut), expected);
    QCOMPARE(statuses(*m_clients[1], timedOut), expected);
    // The instance's history holds the reply once (and the refused one not at all).
    const QJsonArray messages = history(m_two);
    QVERIFY(!messages.isEmpty());
    int stored = 0;
    for (const QJsonValue &message : messages) {
        const QString storedId = message.toObject().value(u"id").toString();
        stored += storedId == timedOut ? 1 : 0;
        QVERIFY(storedId != refused);
    }
    QCOMPARE(stored, 1);
}

void TestAmqpScaleOut::brokerRestartIsSurvived()
{
    const int connectedOne = m_one.process->stderrCount(QStringLiteral("AMQP: connected"));
    const int connectedTwo = m_two.process->stderrCount(QStringLiteral("AMQP: connected"));
    bool ok = false;
    QString out = m_broker->ctl({QStringLiteral("stop_app")}, &ok);
    QVERIFY2(ok, qPrintable(out));
    QTRY_VERIFY_WITH_TIMEOUT(m_one.process->stderrCount(QStringLiteral("lost:")) > 0, 20000);

    // While the broker is away a send is refused at once with a JSON 503 the console retries.
    QNetworkReply *refused = postSend(m_one, QStringLiteral("msg_1763892000000_0000a004"), QStringLiteral("during"));
    QTRY_VERIFY_WITH_TIMEOUT(refused->isFinished(), 20000);
    QCOMPARE(statusOf(refused), 503);
    QCOMPARE(
        jsonOf(refused).value(u"error").toObject().value(u"code").toString(), QStringLiteral("UPSTREAM_UNAVAILABLE"));
    // /healthz tells the broker from the database.
    const auto checkOf = [this](const Instance &instance, const char *part) {
        QNetworkReply *health = m_nam.get(QNetworkRequest(instance.url.resolved(QUrl(QStringLiteral("/healthz")))));
        health->setParent(this);
        if (!QTest::qWaitFor([health] { return health->isFinished(); }, 10000))
            return QStringLiteral("no answer");
        return QString::number(statusOf(health)) + u' '
            + jsonOf(health).value(u"checks").toObject().value(QLatin1String(part)).toObject().value(u"status").toString();
    };
    QCOMPARE(checkOf(m_one, "broker"), u"503 unavailable");
    QCOMPARE(checkOf(m_one, "database"), u"503 ok");

    out = m_broker->ctl({QStringLiteral("start_app")}, &ok);
    QVERIFY2(ok, qPrintable(out));
    QTRY_VERIFY_WITH_TIMEOUT(m_one.process->stderrCount(QStringLiteral("AMQP: connected")) > connectedOne, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(m_two.process->stderrCount(QStringLiteral("AMQP: connected")) > connectedTwo, 30000);
    QCOMPARE(checkOf(m_one, "broker"), u"200 ok");
    QTRY_VERIFY_WITH_TIMEOUT(m_simulator->count(u"ready") > 1, 30000);
    // Publisher side reconnected too (the test's own connection), then the whole path works again,
    // including the retry of the refused message.
    sendAndExpectStatuses(m_two, QStringLiteral("msg_1763892000000_0000a004"));
}

void TestAmqpScaleOut::processesStopCleanly()
{
    // SIGTERM; in a sanitizer build the leak check runs at exit and any report lands on stderr.
    for (ChildProcess *process : {m_one.process.get(), m_two.process.get(), m_simulator.get()}) {
        process->stop();
        QVERIFY(!process->isRunning());
        QVERIFY2(!process->hasSanitizerReport(), qPrintable(process->standardError().right(4000)));
    }
}

QTEST_GUILESS_MAIN(TestAmqpScaleOut)
#include "tst_amqpscaleout.moc"
