// SocketIoClient against the real Node.js socket.io 4.x server (socketio-server.js), the backend the
// console's users run today: proves CONTRACT.md §2 holds against that implementation, not only our own.
#include "nodeserver.h"
#include "socketioclient.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <memory>

namespace {

const QString Token = QStringLiteral("interop-secret-token");

QJsonObject statusCommand(const QString &messageId, const QString &status, const QString &room = {})
{
    QJsonObject command {{u"cmd"_qs, u"status"_qs}, {u"messageId"_qs, messageId}, {u"status"_qs, status}};
    if (!room.isEmpty())
        command.insert(u"room", room);
    return command;
}

} // namespace

class TestNodeInterop : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<NodeServer> m_node;
    std::unique_ptr<SocketIoClient> m_client;

    // Starts the Node server with the given extra environment and waits for its port line.
    void startServer(const QStringList &env = {})
    {
        m_node = std::make_unique<NodeServer>(nodeEnvironment(Token, env));
        m_node->waitUntilListening();
    }
    SocketConfig config(const QString &token = Token) const
    {
        return SocketConfig {QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_node->port())), QStringLiteral("t1"),
            QStringLiteral("c1"), token};
    }
    // A client connected to the Node server. The jitter is pinned to its top (factor ~1.5) so the first
    // reconnect waits ~1.5 s: long enough for a test to act on the server while the client is away.
    void connectClient()
    {
        m_client = std::make_unique<SocketIoClient>();
        m_client->setRandomSource([] { return 0.999; });
        QSignalSpy connected(m_client.get(), &SocketIoClient::connected);
        m_client->open(config());
        QVERIFY(connected.wait(10000));
        QCOMPARE(m_client->state(), SocketIoClient::State::Connected);
        QTRY_COMPARE(m_node->count(u"connection"), 1);
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
        m_client.reset(); // before the server, so its teardown is not a transport loss under test
        m_node.reset();
    }

    void connectsWithTheTokenInConnectAndJoinsItsConversation()
    {
        REQUIRE(startServer());
        REQUIRE(connectClient());
        const QJsonObject connection = m_node->events(u"connection").value(0);
        QCOMPARE(connection.value(u"tenantId").toString(), u"t1");
        QCOMPARE(connection.value(u"conversationId").toString(), u"c1");
        // The server only prints "<redacted>" for a token that passed its middleware.
        QCOMPARE(connection.value(u"auth").toObject().value(u"token").toString(), u"<redacted>");
        QCOMPARE(m_node->count(u"auth-rejected"), 0);
    }

    void statusUpdateArrivesWithItsFields_data()
    {
        QTest::addColumn<QString>("status");
        QTest::addColumn<MessageStatus>("expected");
        QTest::addColumn<QString>("error");
        QTest::newRow("sent") << u"sent"_qs << MessageStatus::Sent << QString();
        QTest::newRow("delivered") << u"delivered"_qs << MessageStatus::Delivered << QString();
        QTest::newRow("read") << u"read"_qs << MessageStatus::Read << QString();
        QTest::newRow("failed with error") << u"failed"_qs << MessageStatus::Failed << u"Recipient unreachable"_qs;
    }
    void statusUpdateArrivesWithItsFields()
    {
        QFETCH(QString, status);
        QFETCH(MessageStatus, expected);
        QFETCH(QString, error);
        REQUIRE(startServer());
        REQUIRE(connectClient());
        QSignalSpy updates(m_client.get(), &SocketIoClient::statusUpdate);
        QJsonObject command = statusCommand(u"msg_1763892000000_1a2b3c4d"_qs, status);
        if (!error.isEmpty())
            command.insert(u"error", error);
        m_node->command(command);
        QVERIFY(updates.wait(5000));
        const auto update = updates.first().at(0).value<Wire::StatusUpdate>();
        QCOMPARE(update.messageId, u"msg_1763892000000_1a2b3c4d");
        QCOMPARE(update.status, expected);
        QCOMPARE(update.error, error);
        QVERIFY(update.timestamp.isValid());
    }

    void inboundMessageArrivesWithItsMarkupKeptLiterally()
    {
        REQUIRE(startServer());
        REQUIRE(connectClient());
        QSignalSpy inbound(m_client.get(), &SocketIoClient::inboundMessage);
        m_node->command(
            {{u"cmd"_qs, u"inbound"_qs}, {u"messageId"_qs, u"wamid.HBgL"_qs}, {u"text"_qs, u"<b>x</b>"_qs}});
        QVERIFY(inbound.wait(5000));
        const auto message = inbound.first().at(0).value<Message>();
        QCOMPARE(message.id, u"wamid.HBgL");
        QCOMPARE(message.text, u"<b>x</b>");
        QCOMPARE(message.direction, Direction::Inbound);
        QVERIFY(message.mediaUrl.isEmpty());
        QVERIFY(message.timestamp.isValid());
    }

    void eventsOfAnotherConversationDoNotArrive()
    {
        REQUIRE(startServer());
        REQUIRE(connectClient());
        QSignalSpy updates(m_client.get(), &SocketIoClient::statusUpdate);
        m_node->command(statusCommand(u"for-c2"_qs, u"read"_qs, u"t1:c2"_qs));
        m_node->command(statusCommand(u"for-c1"_qs, u"read"_qs));
        QVERIFY(updates.wait(5000));
        // Both went out on one server in order, so had the first been sent to us it would be here already.
        QCOMPARE(updates.size(), 1);
        QCOMPARE(updates.first().at(0).value<Wire::StatusUpdate>().messageId, u"for-c1");
    }

    void wrongTokenIsAConnectErrorAndNeverRetried()
    {
        REQUIRE(startServer());
        SocketIoClient client;
        QSignalSpy error(&client, &SocketIoClient::connectError);
        QSignalSpy connected(&client, &SocketIoClient::connected);
        QSignalSpy reconnect(&client, &SocketIoClient::reconnectScheduled);
        client.open(config(u"wrong-token"_qs));
        QVERIFY(error.wait(10000));
        QCOMPARE(error.first().at(0).toString(), u"Invalid token"); // socket.io's 44{"message":"Invalid token"}
        QCOMPARE(client.state(), SocketIoClient::State::Disconnected);
        QVERIFY(!reconnect.wait(1500)); // proves the absence: no reconnect is ever scheduled
        QCOMPARE(connected.size(), 0);
        QCOMPARE(m_node->count(u"auth-rejected"), 1); // and the server saw exactly one attempt
        QCOMPARE(m_node->count(u"connection"), 0);
    }

    void serverDisconnectIsFinal()
    {
        REQUIRE(startServer());
        REQUIRE(connectClient());
        QSignalSpy disconnected(m_client.get(), &SocketIoClient::disconnected);
        QSignalSpy reconnect(m_client.get(), &SocketIoClient::reconnectScheduled);
        m_node->command({{u"cmd"_qs, u"disconnect"_qs}});
        QVERIFY(disconnected.wait(5000));
        QCOMPARE(disconnected.size(), 1);
        // socket.io sends a bare `41` (no payload): it must end the session, not look like a lost transport.
        QCOMPARE(disconnected.first().at(1).toBool(), false); // willReconnect
        QCOMPARE(m_client->state(), SocketIoClient::State::Disconnected);
        QVERIFY(!reconnect.wait(1500));
        QCOMPARE(m_node->count(u"connection"), 1);
        QCOMPARE(m_node->events(u"disconnect").value(0).value(u"reason").toString(), u"server namespace disconnect");
    }

    void closeIsAClientDisconnectTheServerUnderstands()
    {
        REQUIRE(startServer());
        REQUIRE(connectClient());
        QSignalSpy disconnected(m_client.get(), &SocketIoClient::disconnected);
        m_client->close();
        QCOMPARE(disconnected.size(), 1);
        QCOMPARE(disconnected.first().at(1).toBool(), false);
        QCOMPARE(m_client->state(), SocketIoClient::State::Disconnected);
        QTRY_COMPARE_WITH_TIMEOUT(m_node->count(u"disconnect"), 1, 5000);
        // A clean 41 from the client, not a dropped transport: with connection-state recovery on, a
        // "transport close" keeps the session alive on the server, buffering events for nobody.
        QCOMPARE(m_node->events(u"client-packet").value(0).value(u"data").toString(), u"1");
        QCOMPARE(m_node->events(u"disconnect").value(0).value(u"reason").toString(), u"client namespace disconnect");
    }

    void lostTransportReconnects_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("websocket close frame") << u"close"_qs;
        QTest::newRow("tcp connection destroyed") << u"terminate"_qs;
    }
    void lostTransportReconnects()
    {
        QFETCH(QString, how);
        REQUIRE(startServer());
        REQUIRE(connectClient());
        QSignalSpy disconnected(m_client.get(), &SocketIoClient::disconnected);
        QSignalSpy scheduled(m_client.get(), &SocketIoClient::reconnectScheduled);
        QSignalSpy connected(m_client.get(), &SocketIoClient::connected);
        m_node->command({{u"cmd"_qs, u"drop"_qs}, {u"how"_qs, how}});
        QVERIFY(scheduled.wait(5000));
        QCOMPARE(disconnected.size(), 1);
        QCOMPARE(disconnected.first().at(1).toBool(), true); // willReconnect: a lost transport is not a 41
        QCOMPARE(scheduled.first().at(1).toInt(), 1); // first attempt
        QCOMPARE(m_client->state(), SocketIoClient::State::Reconnecting);
        QVERIFY(connected.wait(10000));
        QCOMPARE(m_client->state(), SocketIoClient::State::Connected);
        QCOMPARE(m_client->reconnectAttempt(), 0); // the counter resets after a successful connect
        QTRY_COMPARE(m_node->count(u"connection"), 2);

        QSignalSpy updates(m_client.get(), &SocketIoClient::statusUpdate);
        m_node->command(statusCommand(u"after-reconnect"_qs, u"delivered"_qs)); // rejoined its room
        QVERIFY(updates.wait(5000));
    }

    void pongsKeepAShortPingWindowAlive()
    {
        // 300 + 200 ms: the server drops a client that misses one pong by 200 ms, and the client drops a
        // server whose ping is 500 ms late; neither must happen over many cycles.
        REQUIRE(startServer({u"PING_INTERVAL=300"_qs, u"PING_TIMEOUT=200"_qs}));
        REQUIRE(connectClient());
        QSignalSpy disconnected(m_client.get(), &SocketIoClient::disconnected);
        QTRY_VERIFY_WITH_TIMEOUT(m_node->count(u"pong") >= 8, 10000);
        QCOMPARE(disconnected.size(), 0);
        QCOMPARE(m_node->count(u"disconnect"), 0);
        QCOMPARE(m_node->count(u"connection"), 1);
        QCOMPARE(m_client->state(), SocketIoClient::State::Connected);
    }

    void malformedFramesUnknownEventsAndOtherNamespacesAreDropped()
    {
        REQUIRE(startServer());
        REQUIRE(connectClient());
        QSignalSpy updates(m_client.get(), &SocketIoClient::statusUpdate);
        QSignalSpy inbound(m_client.get(), &SocketIoClient::inboundMessage);
        QSignalSpy disconnected(m_client.get(), &SocketIoClient::disconnected);
        QSignalSpy states(m_client.get(), &SocketIoClient::stateChanged);
        m_node->command({{u"cmd"_qs, u"garbage"_qs}});
        m_node->command(
            {{u"cmd"_qs, u"other-namespace"_qs}, {u"messageId"_qs, u"leak-namespace"_qs}, {u"status"_qs, u"read"_qs}});
        m_node->command(statusCommand(u"after-garbage"_qs, u"delivered"_qs));
        QVERIFY(updates.wait(5000));
        // The valid event came last on the same connection: everything before it has been processed.
        QCOMPARE(updates.size(), 1);
        QCOMPARE(updates.first().at(0).value<Wire::StatusUpdate>().messageId, u"after-garbage");
        QCOMPARE(inbound.size(), 0);
        QCOMPARE(disconnected.size(), 0);
        QCOMPARE(states.size(), 0);
        QCOMPARE(m_client->state(), SocketIoClient::State::Connected);
        QCOMPARE(m_node->count(u"disconnect"), 0);
    }

    void recoveredSessionReplaysEventsMissedWhileAway()
    {
        REQUIRE(startServer({u"RECOVERY=1"_qs}));
        REQUIRE(connectClient());
        QSignalSpy updates(m_client.get(), &SocketIoClient::statusUpdate);
        QSignalSpy connected(m_client.get(), &SocketIoClient::connected);
        m_node->command(statusCommand(u"before-drop"_qs, u"sent"_qs)); // gives the client an offset
        QVERIFY(updates.wait(5000));

        m_client->setRandomSource([] { return 0.999; }); // the longest first delay: 1.5 s away
        m_node->command({{u"cmd"_qs, u"drop"_qs}, {u"how"_qs, u"terminate"_qs}});
        QTRY_COMPARE_WITH_TIMEOUT(m_node->count(u"disconnect"), 1, 5000);
        REQUIRE(m_node->run(statusCommand(u"while-away"_qs, u"delivered"_qs)));
        // Emitted while nobody was in the room: only recovery can bring it to the client.
        QCOMPARE(connected.size(), 0);

        QVERIFY(connected.wait(10000));
        QTRY_COMPARE(m_node->count(u"connection"), 2);
        const QJsonObject reconnection = m_node->events(u"connection").value(1);
        const QJsonObject auth = reconnection.value(u"auth").toObject();
        QVERIFY2(!auth.value(u"pid").toString().isEmpty(), qPrintable(QJsonDocument(reconnection).toJson()));
        QVERIFY2(!auth.value(u"offset").toString().isEmpty(), qPrintable(QJsonDocument(reconnection).toJson()));
        QVERIFY(reconnection.value(u"recovered").toBool());
        QTRY_COMPARE_WITH_TIMEOUT(updates.size(), 2, 5000);
        QCOMPARE(updates.last().at(0).value<Wire::StatusUpdate>().messageId, u"while-away");
    }
};

QTEST_GUILESS_MAIN(TestNodeInterop)
#include "tst_nodeinterop.moc"
