// SocketIoClient against the real Node.js socket.io server when the WebSocket cannot be used: the
// fallback to Engine.IO long-polling, the upgrade back to a WebSocket, and what else a socket.io server
// may send (binary packets, acks, other namespaces, a close packet, maxPayload). CONTRACT.md §2.
#include "nodeserver.h"
#include "socketioclient.h"

#include <QFileInfo>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <memory>

namespace {

const QString Token = QStringLiteral("interop-secret-token");

// WebSocket requests that would open a session (no sid), or upgrade probes (with one), as the server
// reports them with REPORT_REQUESTS=1.
qsizetype websocketRequests(const NodeServer &node, bool probes)
{
    qsizetype n = 0;
    for (const QJsonObject &request : node.events(u"websocket-request"))
        n += request.value(u"sid").isString() == probes;
    return n;
}

QJsonObject statusCommand(const QString &messageId)
{
    return {{u"cmd"_qs, u"status"_qs}, {u"messageId"_qs, messageId}, {u"status"_qs, u"delivered"_qs}};
}

const QStringList PollingOnly {u"TRANSPORTS=polling"_qs, u"REPORT_REQUESTS=1"_qs};
const QStringList ShortPings {u"PING_INTERVAL=300"_qs, u"PING_TIMEOUT=200"_qs};

} // namespace

class TestNodeInteropPolling : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<NodeServer> m_node;
    std::unique_ptr<SocketIoClient> m_client;

    void startServer(const QStringList &env)
    {
        m_node = std::make_unique<NodeServer>(nodeEnvironment(Token, env));
        m_node->waitUntilListening();
    }
    SocketConfig config(const QString &token = Token) const
    {
        return SocketConfig {QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_node->port())), QStringLiteral("t1"),
            QStringLiteral("c1"), token};
    }
    // Connected, and the server has seen the connection on `transport`.
    void connectClient(const QString &transport)
    {
        m_client = std::make_unique<SocketIoClient>();
        m_client->setRandomSource([] { return 0.0; }); // shortest jitter: 500 ms first delay
        QSignalSpy connected(m_client.get(), &SocketIoClient::connected);
        m_client->open(config());
        QVERIFY(connected.wait(10000));
        QCOMPARE(m_client->state(), SocketIoClient::State::Connected);
        QTRY_COMPARE(m_node->count(u"connection"), 1);
        QCOMPARE(m_node->events(u"connection").first().value(u"transport").toString(), transport);
    }
    // A status event still reaches the client: the session works after whatever the test did.
    void expectStatus(const QString &messageId)
    {
        QSignalSpy updates(m_client.get(), &SocketIoClient::statusUpdate);
        m_node->command(statusCommand(messageId));
        QVERIFY(updates.wait(5000));
        QCOMPARE(updates.size(), 1);
        QCOMPARE(updates.first().at(0).value<Wire::StatusUpdate>().messageId, messageId);
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty(), "node is not on PATH");
        QVERIFY2(QFileInfo::exists(QStringLiteral(INTEROP_DIR "/node_modules/socket.io/package.json")),
            "socket.io is not installed: run `npm ci` in " INTEROP_DIR " (ctest runs it as interop_npm_ci)");
    }
    void cleanup()
    {
        m_client.reset();
        m_node.reset();
    }

    void refusedWebSocketFallsBackToPolling()
    {
        REQUIRE(startServer(PollingOnly));
        REQUIRE(connectClient(u"polling"_qs));
        QCOMPARE(websocketRequests(*m_node, false), 1); // the WebSocket was tried first (CONTRACT.md §2)
        QCOMPARE(websocketRequests(*m_node, true), 0); // a polling-only server offers no upgrade
        QCOMPARE(
            m_node->events(u"connection").first().value(u"auth").toObject().value(u"token").toString(), u"<redacted>");
        REQUIRE(expectStatus(u"over-polling"_qs));
        QSignalSpy inbound(m_client.get(), &SocketIoClient::inboundMessage);
        m_node->command({{u"cmd"_qs, u"inbound"_qs}, {u"messageId"_qs, u"wamid.P"_qs}, {u"text"_qs, u"<i>hi</i>"_qs}});
        QVERIFY(inbound.wait(5000));
        QCOMPARE(inbound.first().at(0).value<Message>().text, u"<i>hi</i>");
    }

    void pongsByPostKeepPollingAlive()
    {
        REQUIRE(startServer(PollingOnly + ShortPings));
        REQUIRE(connectClient(u"polling"_qs));
        QSignalSpy disconnected(m_client.get(), &SocketIoClient::disconnected);
        QTRY_VERIFY_WITH_TIMEOUT(m_node->count(u"pong") >= 8, 10000);
        QCOMPARE(disconnected.size(), 0);
        QCOMPARE(m_node->count(u"disconnect"), 0);
        QCOMPARE(m_node->count(u"connection"), 1);
        REQUIRE(expectStatus(u"after-pings"_qs));
    }

    void droppedPollingReconnectsStartingWithPolling()
    {
        REQUIRE(startServer(PollingOnly));
        REQUIRE(connectClient(u"polling"_qs));
        QSignalSpy disconnected(m_client.get(), &SocketIoClient::disconnected);
        QSignalSpy connected(m_client.get(), &SocketIoClient::connected);
        m_node->command({{u"cmd"_qs, u"drop"_qs}, {u"how"_qs, u"close"_qs}}); // `1` in the pending poll
        QVERIFY(disconnected.wait(5000));
        QCOMPARE(disconnected.first().at(0).toString(), u"transport close");
        QCOMPARE(disconnected.first().at(1).toBool(), true);
        QVERIFY(connected.wait(10000));
        QTRY_COMPARE(m_node->count(u"connection"), 2);
        QCOMPARE(m_node->events(u"connection").last().value(u"transport").toString(), u"polling");
        QCOMPARE(websocketRequests(*m_node, false), 1); // remembered: no second refused WebSocket
        REQUIRE(expectStatus(u"after-reconnect"_qs));
    }

    void closeOverPollingIsAClientDisconnect()
    {
        REQUIRE(startServer(PollingOnly));
        REQUIRE(connectClient(u"polling"_qs));
        m_client->close();
        QCOMPARE(m_client->state(), SocketIoClient::State::Disconnected);
        QTRY_COMPARE_WITH_TIMEOUT(m_node->count(u"disconnect"), 1, 5000);
        QCOMPARE(m_node->events(u"disconnect").first().value(u"reason").toString(), u"client namespace disconnect");
    }

    void upgradesToWebSocketAfterAForcedFailure()
    {
        REQUIRE(startServer(QStringList {u"REJECT_WEBSOCKET=handshake"_qs, u"REPORT_REQUESTS=1"_qs} + ShortPings));
        REQUIRE(connectClient(u"polling"_qs));
        QTRY_COMPARE_WITH_TIMEOUT(m_node->count(u"upgrade"), 1, 5000);
        QCOMPARE(m_node->events(u"upgrade").first().value(u"transport").toString(), u"websocket");
        QCOMPARE(websocketRequests(*m_node, false), 1);
        QCOMPARE(websocketRequests(*m_node, true), 1);
        // Pongs now go over the WebSocket and keep the session alive; events arrive on it.
        const qsizetype pongs = m_node->count(u"pong");
        QTRY_VERIFY_WITH_TIMEOUT(m_node->count(u"pong") >= pongs + 4, 5000);
        REQUIRE(expectStatus(u"after-upgrade"_qs));
        QCOMPARE(m_node->count(u"disconnect"), 0);

        // The next session starts with polling (the refusal was remembered) and upgrades again.
        QSignalSpy connected(m_client.get(), &SocketIoClient::connected);
        m_node->command({{u"cmd"_qs, u"drop"_qs}, {u"how"_qs, u"close"_qs}});
        QVERIFY(connected.wait(10000));
        QTRY_COMPARE_WITH_TIMEOUT(m_node->count(u"upgrade"), 2, 5000);
        QCOMPARE(m_node->events(u"connection").last().value(u"transport").toString(), u"polling");
        QCOMPARE(websocketRequests(*m_node, false), 1);
        REQUIRE(expectStatus(u"after-second-upgrade"_qs));
    }

    void failedProbeStaysOnPolling()
    {
        REQUIRE(startServer(QStringList {u"REJECT_WEBSOCKET=all"_qs, u"REPORT_REQUESTS=1"_qs} + ShortPings));
        REQUIRE(connectClient(u"polling"_qs));
        QTRY_COMPARE_WITH_TIMEOUT(websocketRequests(*m_node, true), 1, 5000); // the probe was tried
        QSignalSpy disconnected(m_client.get(), &SocketIoClient::disconnected);
        const qsizetype pongs = m_node->count(u"pong");
        QTRY_VERIFY_WITH_TIMEOUT(m_node->count(u"pong") >= pongs + 4, 5000);
        REQUIRE(expectStatus(u"still-polling"_qs));
        QCOMPARE(m_node->count(u"upgrade"), 0);
        QCOMPARE(disconnected.size(), 0);
        QCOMPARE(websocketRequests(*m_node, true), 1); // no probe storm within one session
    }

    void binaryAcksAndOtherNamespacesAreIgnored_data()
    {
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<QString>("transport");
        QTest::newRow("websocket") << QStringList() << u"websocket"_qs;
        QTest::newRow("polling") << PollingOnly << u"polling"_qs;
    }
    void binaryAcksAndOtherNamespacesAreIgnored()
    {
        QFETCH(QStringList, env);
        QFETCH(QString, transport);
        REQUIRE(startServer(env));
        REQUIRE(connectClient(transport));
        QSignalSpy updates(m_client.get(), &SocketIoClient::statusUpdate);
        QSignalSpy inbound(m_client.get(), &SocketIoClient::inboundMessage);
        QSignalSpy states(m_client.get(), &SocketIoClient::stateChanged);
        // All of it is valid protocol: nothing may be logged as dropped, and every attachment must be
        // consumed by its binary packet rather than turn up as an unexpected binary message.
        QTest::failOnWarning(QRegularExpression(QStringLiteral(".+")));
        m_node->command({{u"cmd"_qs, u"extras"_qs}});
        m_node->command(statusCommand(u"after-extras"_qs));
        QVERIFY(updates.wait(5000));
        // Sent last on the same session: everything before it has been processed.
        QCOMPARE(updates.size(), 1);
        QCOMPARE(updates.first().at(0).value<Wire::StatusUpdate>().messageId, u"after-extras");
        QCOMPARE(inbound.size(), 0);
        QCOMPARE(states.size(), 0); // the DISCONNECT of /admin did not end the session on /
        QCOMPARE(m_node->count(u"disconnect"), 0);
    }

    void serverClosePacketReconnects()
    {
        REQUIRE(startServer({}));
        REQUIRE(connectClient(u"websocket"_qs));
        QSignalSpy disconnected(m_client.get(), &SocketIoClient::disconnected);
        QSignalSpy connected(m_client.get(), &SocketIoClient::connected);
        m_node->command({{u"cmd"_qs, u"drop"_qs}, {u"how"_qs, u"close-packet"_qs}});
        QVERIFY(disconnected.wait(5000));
        QCOMPARE(disconnected.first().at(0).toString(), u"transport close");
        QCOMPARE(disconnected.first().at(1).toBool(), true);
        QVERIFY(connected.wait(10000));
        QTRY_COMPARE(m_node->count(u"connection"), 2);
        QCOMPARE(m_node->events(u"connection").last().value(u"transport").toString(), u"websocket");
    }

    void connectLargerThanMaxPayloadIsNeverSent_data()
    {
        QTest::addColumn<QStringList>("env");
        QTest::newRow("websocket") << QStringList {u"MAX_PAYLOAD=64"_qs};
        QTest::newRow("polling") << PollingOnly + QStringList {u"MAX_PAYLOAD=64"_qs};
    }
    void connectLargerThanMaxPayloadIsNeverSent()
    {
        QFETCH(QStringList, env);
        REQUIRE(startServer(env));
        SocketIoClient client;
        QSignalSpy disconnected(&client, &SocketIoClient::disconnected);
        QSignalSpy reconnect(&client, &SocketIoClient::reconnectScheduled);
        client.open(config(QString(80, u'k'))); // 40{"token":"kkk…"} is 95 bytes
        QVERIFY(disconnected.wait(10000));
        QVERIFY2(disconnected.first().at(0).toString().contains(u"maxPayload"),
            qPrintable(disconnected.first().at(0).toString()));
        QCOMPARE(disconnected.first().at(1).toBool(), false);
        QCOMPARE(client.state(), SocketIoClient::State::Disconnected);
        QVERIFY(!reconnect.wait(1000)); // proves the absence: retrying cannot make it fit
        // Had it been sent, socket.io would have run its middleware on it and rejected the token.
        QCOMPARE(m_node->count(u"auth-rejected"), 0);
        QCOMPARE(m_node->count(u"connection"), 0);
    }
};

QTEST_GUILESS_MAIN(TestNodeInteropPolling)
#include "tst_nodeinterop_polling.moc"
