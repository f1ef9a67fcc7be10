// The pure parts of the RabbitMQ upstream, no broker needed: parsing of --upstream URIs (password never
// in an error or a log line), routing keys, and the JSON of outbound replies and broker events, with
// every kind of malformed event refused with a reason.
#include "amqpsettings.h"
#include "brokermessages.h"

#include <QProcess>
#include <QTest>

class TestBrokerMessages : public QObject
{
    Q_OBJECT

private slots:
    void parsesUrls_data();
    void parsesUrls();
    void refusesUrls_data();
    void refusesUrls();
    void redactsThePassword();
    void routingKeysKeepTheWordsApart();
    void outboundRoundTrip();
    void eventsRoundTrip();
    void refusesMalformedEvents_data();
    void refusesMalformedEvents();
    void acceptsEpochMillisecondTimestamps();
    void badUpstreamExitsWithUsageError_data();
    void badUpstreamExitsWithUsageError();
    void badTlsOptionsExitWithUsageError_data();
    void badTlsOptionsExitWithUsageError();
};

void TestBrokerMessages::parsesUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("vhost");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<int>("heartbeat");
    QTest::addColumn<int>("confirmTimeout");
    QTest::addColumn<bool>("tls");
    QTest::newRow("full") << "amqp://ws:s3cret@mq.example:5673/widgets"
                          << "mq.example" << 5673 << "widgets"
                          << "ws"
                          << "s3cret" << 10 << 10000 << false;
    QTest::newRow("defaults") << "amqp://localhost"
                              << "localhost" << 5672 << "/"
                              << "guest"
                              << "guest" << 10 << 10000 << false;
    QTest::newRow("encoded vhost /") << "amqp://u:p@h/%2F"
                                     << "h" << 5672 << "/"
                                     << "u"
                                     << "p" << 10 << 10000 << false;
    QTest::newRow("encoded password") << "amqp://u:p%40ss%3Aw@h/v"
                                      << "h" << 5672 << "v"
                                      << "u"
                                      << "p@ss:w" << 10 << 10000 << false;
    QTest::newRow("user without password") << "amqp://u@h"
                                           << "h" << 5672 << "/"
                                           << "u"
                                           << "" << 10 << 10000 << false;
    QTest::newRow("parameters") << "amqp://h/?heartbeat=0&confirm_timeout=1500"
                                << "h" << 5672 << "/"
                                << "guest"
                                << "guest" << 0 << 1500 << false;
    QTest::newRow("tls, default port") << "amqps://ws:s3cret@mq.example/widgets"
                                       << "mq.example" << 5671 << "widgets"
                                       << "ws"
                                       << "s3cret" << 10 << 10000 << true;
    QTest::newRow("tls, own port") << "amqps://mq.example:15671"
                                   << "mq.example" << 15671 << "/"
                                   << "guest"
                                   << "guest" << 10 << 10000 << true;
}

void TestBrokerMessages::parsesUrls()
{
    QFETCH(QString, url);
    const auto parsed = AmqpSettings::fromUrl(url);
    if (const auto *problem = std::get_if<QString>(&parsed))
        QFAIL(qPrintable(*problem));
    const AmqpSettings &s = std::get<AmqpSettings>(parsed);
    QTEST(s.host, "host");
    QTEST(s.port, "port");
    QTEST(s.vhost, "vhost");
    QTEST(s.user, "user");
    QTEST(s.password, "password");
    QTEST(s.heartbeatSeconds, "heartbeat");
    QTEST(s.confirmTimeoutMs, "confirmTimeout");
    QTEST(s.tls, "tls");
}

void TestBrokerMessages::refusesUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::newRow("empty") << "";
    QTest::newRow("other scheme") << "http://u:topsecret@h/v";
    QTest::newRow("no host") << "amqp://u:topsecret@/v";
    QTest::newRow("bad port") << "amqp://u:topsecret@h:70000/v";
    QTest::newRow("two path segments") << "amqp://u:topsecret@h/a/b";
    QTest::newRow("unknown parameter") << "amqp://u:topsecret@h/v?frame_max=1";
    QTest::newRow("bad heartbeat") << "amqp://u:topsecret@h/v?heartbeat=-1";
    QTest::newRow("bad percent encoding") << "amqp://u:top%zzsecret@h/v";
}

void TestBrokerMessages::refusesUrls()
{
    QFETCH(QString, url);
    const auto parsed = AmqpSettings::fromUrl(url);
    QVERIFY(std::holds_alternative<QString>(parsed));
    const QString problem = std::get<QString>(parsed);
    QVERIFY(!problem.isEmpty());
    QVERIFY2(!problem.contains(u"topsecret") && !problem.contains(u"secret"), qPrintable(problem));
}

void TestBrokerMessages::redactsThePassword()
{
    const auto parsed = AmqpSettings::fromUrl(QStringLiteral("amqp://ws:hunter2@mq:5673/widgets"));
    const QString shown = std::get<AmqpSettings>(parsed).redactedUrl();
    QCOMPARE(shown, QStringLiteral("amqp://ws:***@mq:5673/widgets"));
    const auto tls = AmqpSettings::fromUrl(QStringLiteral("amqps://ws:hunter2@mq/widgets"));
    QCOMPARE(std::get<AmqpSettings>(tls).redactedUrl(), QStringLiteral("amqps://ws:***@mq:5671/widgets"));
}

void TestBrokerMessages::routingKeysKeepTheWordsApart()
{
    QCOMPARE(BrokerMessages::routingKey(QStringLiteral("t1"), QStringLiteral("c1")), QStringLiteral("t1.c1"));
    QCOMPARE(BrokerMessages::routingKey(QStringLiteral("a.b"), QStringLiteral("c")), QStringLiteral("a%2Eb.c"));
    QCOMPARE(BrokerMessages::routingKey(QStringLiteral("a"), QStringLiteral("b.c")), QStringLiteral("a.b%2Ec"));
    QCOMPARE(BrokerMessages::routingKey(QStringLiteral("%2E"), QStringLiteral("x")), QStringLiteral("%252E.x"));
}

void TestBrokerMessages::outboundRoundTrip()
{
    const OutboundMessage sent {QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("wamid.1"),
        QStringLiteral("msg_1_0000000a"), QStringLiteral("i1"), QStringLiteral("<b>plain</b> text"), {},
        QDateTime::fromMSecsSinceEpoch(1763892000123, Qt::UTC)};
    const auto decoded = BrokerMessages::decodeOutbound(BrokerMessages::encodeOutbound(sent));
    if (const auto *problem = std::get_if<QString>(&decoded))
        QFAIL(qPrintable(*problem));
    const OutboundMessage &m = std::get<OutboundMessage>(decoded);
    QCOMPARE(m.tenantId, sent.tenantId);
    QCOMPARE(m.conversationId, sent.conversationId);
    QCOMPARE(m.id, sent.id);
    QCOMPARE(m.clientMessageId, sent.clientMessageId);
    QCOMPARE(m.integrationId, sent.integrationId);
    QCOMPARE(m.text, sent.text);
    QVERIFY(m.mediaUrl.isEmpty());
    QCOMPARE(m.timestamp, sent.timestamp);
    QVERIFY(m.deliveryId.isEmpty()); // the first delivery: its message_id is the id
    QVERIFY(!BrokerMessages::encodeOutbound(sent).contains("deliveryId"));

    // An agent's Retry of a failed reply: a delivery of its own, the same message.
    OutboundMessage retry = sent;
    retry.deliveryId = QStringLiteral("wamid.1:retry:7");
    const auto again = BrokerMessages::decodeOutbound(BrokerMessages::encodeOutbound(retry));
    QVERIFY(std::holds_alternative<OutboundMessage>(again));
    QCOMPARE(std::get<OutboundMessage>(again).deliveryId, retry.deliveryId);
    QCOMPARE(std::get<OutboundMessage>(again).id, sent.id);
    QByteArray bad = BrokerMessages::encodeOutbound(retry);
    bad.replace("\"wamid.1:retry:7\"", "7");
    QVERIFY(std::holds_alternative<QString>(BrokerMessages::decodeOutbound(bad)));
}

void TestBrokerMessages::eventsRoundTrip()
{
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(1763892000456, Qt::UTC);
    const auto status
        = BrokerMessages::decodeEvent(BrokerMessages::encodeEvent(BrokerMessages::StatusEvent {QStringLiteral("t1"),
            QStringLiteral("c1"), QStringLiteral("m1"), QStringLiteral("failed"), QStringLiteral("131026"), at}));
    QVERIFY(std::holds_alternative<BrokerMessages::StatusEvent>(status));
    const auto &s = std::get<BrokerMessages::StatusEvent>(status);
    QCOMPARE(s.status, QStringLiteral("failed"));
    QCOMPARE(s.error, QStringLiteral("131026"));
    QCOMPARE(s.timestamp, at);

    const auto inbound = BrokerMessages::decodeEvent(BrokerMessages::encodeEvent(BrokerMessages::InboundEvent {
        QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("m2"), {}, QStringLiteral("https://x/y.jpg"), at}));
    QVERIFY(std::holds_alternative<BrokerMessages::InboundEvent>(inbound));
    QCOMPARE(std::get<BrokerMessages::InboundEvent>(inbound).mediaUrl, QStringLiteral("https://x/y.jpg"));
}

void TestBrokerMessages::refusesMalformedEvents_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not json") << QByteArray("status_update t1 c1");
    QTest::newRow("array") << QByteArray(R"(["status_update"])");
    QTest::newRow("no type") << QByteArray(
        R"({"tenantId":"t1","conversationId":"c1","messageId":"m","status":"read"})");
    QTest::newRow("unknown type") << QByteArray(
        R"({"type":"typing","tenantId":"t1","conversationId":"c1","messageId":"m"})");
    QTest::newRow("no tenant") << QByteArray(
        R"({"type":"status_update","conversationId":"c1","messageId":"m","status":"read"})");
    QTest::newRow("empty message id") << QByteArray(
        R"({"type":"status_update","tenantId":"t1","conversationId":"c1","messageId":"","status":"read"})");
    QTest::newRow("numeric id") << QByteArray(
        R"({"type":"status_update","tenantId":"t1","conversationId":"c1","messageId":7,"status":"read"})");
    QTest::newRow("unknown status") << QByteArray(
        R"({"type":"status_update","tenantId":"t1","conversationId":"c1","messageId":"m","status":"seen"})");
    QTest::newRow("pending is not a server status") << QByteArray(
        R"({"type":"status_update","tenantId":"t1","conversationId":"c1","messageId":"m","status":"pending"})");
    QTest::newRow("error not an object") << QByteArray(
        R"({"type":"status_update","tenantId":"t1","conversationId":"c1","messageId":"m","status":"failed","error":"x"})");
    QTest::newRow("bad timestamp") << QByteArray(
        R"({"type":"status_update","tenantId":"t1","conversationId":"c1","messageId":"m","status":"read","timestamp":"yesterday"})");
    QTest::newRow("inbound without content")
        << QByteArray(R"({"type":"inbound_message","tenantId":"t1","conversationId":"c1","messageId":"m"})");
    QTest::newRow("inbound text not a string") << QByteArray(
        R"({"type":"inbound_message","tenantId":"t1","conversationId":"c1","messageId":"m","text":{"a":1}})");
    QTest::newRow("huge id") << QByteArray(
        R"({"type":"status_update","tenantId":"t1","conversationId":"c1","status":"read","messageId":")"
        + QByteArray(300, 'm') + R"("})");
    QTest::newRow("oversized body") << QByteArray(BrokerMessages::MaxBodyBytes + 1, ' ');
}

void TestBrokerMessages::refusesMalformedEvents()
{
    QFETCH(QByteArray, body);
    const auto decoded = BrokerMessages::decodeEvent(body);
    QVERIFY(std::holds_alternative<QString>(decoded));
    QVERIFY(!std::get<QString>(decoded).isEmpty());
}

void TestBrokerMessages::acceptsEpochMillisecondTimestamps()
{
    const auto decoded = BrokerMessages::decodeEvent(
        R"({"type":"status_update","tenantId":"t1","conversationId":"c1","messageId":"m","status":"read","timestamp":1763892000000})");
    QVERIFY(std::holds_alternative<BrokerMessages::StatusEvent>(decoded));
    QCOMPARE(std::get<BrokerMessages::StatusEvent>(decoded).timestamp.toMSecsSinceEpoch(), 1763892000000);
}

void TestBrokerMessages::badUpstreamExitsWithUsageError_data()
{
    refusesUrls_data();
}

void TestBrokerMessages::badUpstreamExitsWithUsageError()
{
    QFETCH(QString, url);
    QProcess server;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("WIDGET_SERVER_TOKEN"), QStringLiteral("token"));
    server.setProcessEnvironment(env);
    server.start(QStringLiteral(WIDGET_SERVER),
        {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--upstream"), url});
    QVERIFY(server.waitForFinished(30000));
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.exitCode(), 2);
    const QString error = QString::fromUtf8(server.readAllStandardError());
    QVERIFY2(error.contains(u"--upstream"), qPrintable(error));
    QVERIFY2(!error.contains(u"secret"), qPrintable(error));
}

void TestBrokerMessages::badTlsOptionsExitWithUsageError_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("error");
    const QString readable = QStringLiteral(WIDGET_SERVER); // any file that exists
    const QString tls = QStringLiteral("amqps://u:topsecret@h/v");
    QTest::newRow("CA without TLS") << QStringList {"--upstream", "amqp://u:topsecret@h/v", "--upstream-ca", readable}
                                    << "need an amqps:// --upstream";
    QTest::newRow("CA with the simulation") << QStringList {"--upstream-ca", readable} << "need an amqps:// --upstream";
    QTest::newRow("certificate without key") << QStringList {"--upstream", tls, "--upstream-cert", readable}
                                             << "--upstream-cert and --upstream-key go together";
    QTest::newRow("key without certificate") << QStringList {"--upstream", tls, "--upstream-key", readable}
                                             << "--upstream-cert and --upstream-key go together";
    QTest::newRow("missing CA file") << QStringList {"--upstream", tls, "--upstream-ca", "/nonexistent/ca.pem"}
                                     << "cannot read '/nonexistent/ca.pem'";
}

// A TLS file that is missing or makes no sense is a usage error at start, not a reconnect loop.
void TestBrokerMessages::badTlsOptionsExitWithUsageError()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, error);
    QProcess server;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("WIDGET_SERVER_TOKEN"), QStringLiteral("token"));
    server.setProcessEnvironment(env);
    server.start(
        QStringLiteral(WIDGET_SERVER), QStringList {QStringLiteral("--port"), QStringLiteral("0")} + arguments);
    QVERIFY(server.waitForFinished(30000));
    QCOMPARE(server.exitCode(), 2);
    const QString text = QString::fromUtf8(server.readAllStandardError());
    QVERIFY2(text.contains(error), qPrintable(text));
    QVERIFY2(!text.contains(u"secret"), qPrintable(text));
}

QTEST_GUILESS_MAIN(TestBrokerMessages)
#include "tst_brokermessages.moc"
