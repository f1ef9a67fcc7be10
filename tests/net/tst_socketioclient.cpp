// SocketIoClient against the real widget-server on 127.0.0.1:0: handshake with auth, events,
// CONNECT_ERROR, ping timeout, reconnect with backoff, server disconnect, malformed frames.
#include "pollingtransport.h"
#include "socketioclient.h"
#include "widgetserver.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

class TestSocketIoClient : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<WidgetServer> m_server;
    const QString m_token = QStringLiteral("socket-test-token");

    SocketConfig config(const QString &token) const
    {
        return SocketConfig {m_server->baseUrl(), QStringLiteral("t1"), QStringLiteral("c1"), token};
    }
    std::unique_ptr<SocketIoClient> connectedClient()
    {
        auto client = std::make_unique<SocketIoClient>();
        client->setRandomSource([] { return 0.0; }); // shortest jitter: 500 ms first delay
        QSignalSpy connected(client.get(), &SocketIoClient::connected);
        client->open(config(m_token));
        if (!connected.wait(5000))
            return nullptr;
        return client;
    }

private slots:
    void init()
    {
        m_server = std::make_unique<WidgetServer>();
        m_server->setToken(m_token);
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
        m_server->addConversation(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("Ana"));
        m_server->addConversation(QStringLiteral("t1"), QStringLiteral("c2"), QStringLiteral("Ben"));
    }
    void cleanup() { m_server.reset(); }

    void urlCarriesNoToken()
    {
        const QUrl url = SocketIoClient::socketUrl(config(m_token));
        QCOMPARE(url.scheme(), u"ws");
        QCOMPARE(url.path(), u"/socket.io/");
        QVERIFY(url.query().contains(u"EIO=4"));
        QVERIFY(url.query().contains(u"transport=websocket"));
        QVERIFY(url.query().contains(u"tenantId=t1"));
        QVERIFY(url.query().contains(u"conversationId=c1"));
        QVERIFY(!url.toString().contains(m_token));
        const QUrl secure = SocketIoClient::socketUrl(
            SocketConfig {QUrl(QStringLiteral("https://example.com")), QStringLiteral("t"), QStringLiteral("c"), {}});
        QCOMPARE(secure.scheme(), u"wss");
    }

    // A POST never exceeds the server's maxPayload (UTF-8 bytes, separators included); a packet that
    // alone is too large is dropped, the rest still go.
    void pollingBatchRespectsMaxPayload_data()
    {
        QTest::addColumn<QStringList>("packets");
        QTest::addColumn<int>("maxPayload");
        QTest::addColumn<QStringList>("batches");
        QTest::addColumn<int>("dropped");
        const QString sep(QChar(0x1e));
        QTest::newRow("all fit") << QStringList {u"3"_qs, u"40{}"_qs} << 100 << QStringList {u"3"_qs + sep + u"40{}"_qs}
                                 << 0;
        QTest::newRow("exactly the limit")
            << QStringList {u"3"_qs, u"40{}"_qs} << 6 << QStringList {u"3"_qs + sep + u"40{}"_qs} << 0;
        QTest::newRow("separator tips it over")
            << QStringList {u"3"_qs, u"40{}"_qs} << 5 << QStringList {u"3"_qs, u"40{}"_qs} << 0;
        QTest::newRow("oversized dropped, the rest sent")
            << QStringList {u"3"_qs, u"4xxxxxxxx"_qs, u"3"_qs} << 4 << QStringList {u"3"_qs, u"3"_qs} << 1;
        // "é" is two bytes in UTF-8: three characters, five bytes.
        QTest::newRow("bytes, not characters") << QStringList {u"4\u00e9\u00e9"_qs} << 4 << QStringList() << 1;
    }
    void pollingBatchRespectsMaxPayload()
    {
        QFETCH(QStringList, packets);
        QFETCH(int, maxPayload);
        QFETCH(QStringList, batches);
        QFETCH(int, dropped);
        for (int i = 0; i < dropped; ++i)
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("dropped a packet")));
        QStringList taken;
        for (QString batch; !(batch = PollingTransport::takeBatch(packets, maxPayload)).isEmpty();)
            taken.append(batch);
        QCOMPARE(taken, batches);
        QVERIFY(packets.isEmpty());
    }

    void connectsAndReceivesEvents()
    {
        auto client = connectedClient();
        QVERIFY(client);
        QCOMPARE(client->state(), SocketIoClient::State::Connected);
        QSignalSpy inbound(client.get(), &SocketIoClient::inboundMessage);
        QSignalSpy status(client.get(), &SocketIoClient::statusUpdate);
        const QString id
            = m_server->injectInbound(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("<b>hi</b>"));
        QVERIFY(inbound.wait());
        const auto message = inbound.first().at(0).value<Message>();
        QCOMPARE(message.id, id);
        QCOMPARE(message.text, u"<b>hi</b>");
        QCOMPARE(message.direction, Direction::Inbound);
        m_server->emitStatus(
            QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("msg_9_00000000"), QStringLiteral("delivered"));
        QVERIFY(status.wait());
        const auto update = status.first().at(0).value<Wire::StatusUpdate>();
        QCOMPARE(update.messageId, u"msg_9_00000000");
        QCOMPARE(update.status, MessageStatus::Delivered);
    }

    void otherConversationsEventsDoNotArrive()
    {
        auto client = connectedClient();
        QVERIFY(client);
        QSignalSpy inbound(client.get(), &SocketIoClient::inboundMessage);
        m_server->injectInbound(QStringLiteral("t1"), QStringLiteral("c2"), QStringLiteral("for Ben"));
        m_server->injectInbound(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("for Ana"));
        QVERIFY(inbound.wait());
        QCOMPARE(inbound.size(), 1);
        QCOMPARE(inbound.first().at(0).value<Message>().text, u"for Ana");
    }

    void badTokenIsAConnectErrorWithoutReconnect()
    {
        SocketIoClient client;
        QSignalSpy error(&client, &SocketIoClient::connectError);
        QSignalSpy reconnect(&client, &SocketIoClient::reconnectScheduled);
        client.open(config(QStringLiteral("wrong")));
        QVERIFY(error.wait());
        QVERIFY(!error.first().at(0).toString().isEmpty());
        QCOMPARE(client.state(), SocketIoClient::State::Disconnected);
        const int socketsBefore = m_server->socketCount();
        QVERIFY(!reconnect.wait(1500)); // proves the absence: no reconnect is ever scheduled
        QCOMPARE(m_server->socketCount(), socketsBefore);
    }

    void droppedConnectionReconnectsAndResets()
    {
        auto client = connectedClient();
        QVERIFY(client);
        QSignalSpy scheduled(client.get(), &SocketIoClient::reconnectScheduled);
        QSignalSpy connected(client.get(), &SocketIoClient::connected);
        m_server->dropAllSockets();
        QVERIFY(scheduled.wait());
        QCOMPARE(scheduled.first().at(0).toInt(), 500); // 1000 ms with the lowest jitter
        QCOMPARE(client->state(), SocketIoClient::State::Reconnecting);
        QVERIFY(connected.wait(5000));
        QCOMPARE(client->reconnectAttempt(), 0); // the counter resets after a successful connect
    }

    void backoffGrowsWhileTheServerIsAway()
    {
        auto client = connectedClient();
        QVERIFY(client);
        const quint16 port = m_server->port();
        QSignalSpy scheduled(client.get(), &SocketIoClient::reconnectScheduled);
        m_server.reset(); // the backend goes away entirely
        QTRY_VERIFY_WITH_TIMEOUT(scheduled.size() >= 3, 15000);
        QCOMPARE(scheduled.at(0).at(0).toInt(), 500);
        QCOMPARE(scheduled.at(1).at(0).toInt(), 1000);
        QCOMPARE(scheduled.at(2).at(0).toInt(), 2000);
        Q_UNUSED(port);
    }

    void pingTimeoutClosesAndReconnects()
    {
        m_server->setPingTiming(200, 200);
        auto client = connectedClient();
        QVERIFY(client);
        QSignalSpy disconnected(client.get(), &SocketIoClient::disconnected);
        QSignalSpy connected(client.get(), &SocketIoClient::connected);
        m_server->setPingsSuspended(true);
        QVERIFY(disconnected.wait(3000));
        QCOMPARE(disconnected.first().at(0).toString(), u"ping timeout");
        QCOMPARE(disconnected.first().at(1).toBool(), true);
        m_server->setPingsSuspended(false);
        QVERIFY(connected.wait(5000));
    }

    void pingsKeepTheConnectionAlive()
    {
        m_server->setPingTiming(200, 400);
        auto client = connectedClient();
        QVERIFY(client);
        QSignalSpy disconnected(client.get(), &SocketIoClient::disconnected);
        QVERIFY(!disconnected.wait(2000)); // about ten pings pass without a drop
        QCOMPARE(client->state(), SocketIoClient::State::Connected);
    }

    void serverDisconnectDoesNotReconnect()
    {
        auto client = connectedClient();
        QVERIFY(client);
        QSignalSpy disconnected(client.get(), &SocketIoClient::disconnected);
        QSignalSpy reconnect(client.get(), &SocketIoClient::reconnectScheduled);
        m_server->disconnectAllSockets();
        QVERIFY(disconnected.wait());
        QCOMPARE(disconnected.first().at(1).toBool(), false);
        QCOMPARE(client->state(), SocketIoClient::State::Disconnected);
        QVERIFY(!reconnect.wait(1200));
    }
};

QTEST_GUILESS_MAIN(TestSocketIoClient)
#include "tst_socketioclient.moc"
