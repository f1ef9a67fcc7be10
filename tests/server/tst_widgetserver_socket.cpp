// The real-time side of widget-server (CONTRACT.md §2): Engine.IO v4 / Socket.IO v5 over a WebSocket on
// the REST port, against real QWebSocket clients.
#include "protocol.h"
#include "simulatedupstream.h"
#include "testclient.h"
#include "widgetserver.h"

#include <QJsonArray>
#include <QTest>

using namespace Protocol;

class TestWidgetServerSocket : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void handshake();
    void refusedUrl_data();
    void refusedUrl();
    void badToken_data();
    void badToken();
    void roomIsolation();
    void statusUpdatesAfterSend();
    void inboundMessage();
    void pongKeepsAlive_data();
    void pongKeepsAlive();
    void noPongCloses();
    void suspendedPings();
    void malformedFramesDropped_data();
    void malformedFramesDropped();
    void serverDisconnectSends41();
    void dropIsAbrupt();
    void clientDisconnectAndClose_data();
    void clientDisconnectAndClose();

private:
    // Opens a socket for tenant/conversation and completes the Socket.IO CONNECT with the token.
    std::unique_ptr<SocketClient> connectClient(const QString &tenant, const QString &conversation);
    static bool waitForFrames(const SocketClient &client, qsizetype count)
    {
        return QTest::qWaitFor([&] { return client.frames.size() >= count; }, 5000);
    }

    std::unique_ptr<WidgetServer> m_server;
};

static void captureWarnings(QtMsgType type, const QMessageLogContext &context, const QString &message);
static QStringList s_serverWarnings;
static QtMessageHandler s_previousHandler = nullptr;

static void captureWarnings(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg && context.category && qstrcmp(context.category, "agentconsole.server") == 0) {
        s_serverWarnings.append(message);
        return;
    }
    s_previousHandler(type, context, message);
}

void TestWidgetServerSocket::init()
{
    m_server = std::make_unique<WidgetServer>();
    m_server->setToken(TestToken);
    m_server->addConversation(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("Ada"));
    m_server->addConversation(QStringLiteral("t1"), QStringLiteral("c2"), QStringLiteral("Bob"));
    m_server->addConversation(QStringLiteral("t2"), QStringLiteral("c1"), QStringLiteral("Cy"));
    QVERIFY(m_server->listen());
    s_serverWarnings.clear();
}

void TestWidgetServerSocket::cleanup()
{
    if (s_previousHandler) {
        qInstallMessageHandler(s_previousHandler);
        s_previousHandler = nullptr;
    }
    m_server.reset();
}

std::unique_ptr<SocketClient> TestWidgetServerSocket::connectClient(const QString &tenant, const QString &conversation)
{
    auto client = std::make_unique<SocketClient>();
    const int joinedBefore = m_server->socketCount();
    client->open(socketUrl(*m_server, tenant, conversation));
    if (!waitForFrames(*client, 1) || !client->frames.first().startsWith(u'0'))
        return nullptr;
    client->socket.sendTextMessage(connectFrame(QJsonObject {{QStringLiteral("token"), TestToken}}));
    if (!waitForFrames(*client, 2) || !client->frames.at(1).startsWith(u"40{"))
        return nullptr;
    if (!QTest::qWaitFor([&] { return m_server->socketCount() == joinedBefore + 1; }, 5000))
        return nullptr;
    return client;
}

void TestWidgetServerSocket::handshake()
{
    m_server->setPingTiming(30000, 15000);
    QSignalSpy connected(m_server.get(), &WidgetServer::socketConnected);
    SocketClient client;
    client.open(socketUrl(*m_server, QStringLiteral("t1"), QStringLiteral("c1")));
    QVERIFY(waitForFrames(client, 1));
    const auto open = decodeEnginePacket(client.frames.at(0));
    QVERIFY(open);
    QCOMPARE(open->type, EnginePacketType::Open);
    const auto handshake = decodeOpen(open->data);
    QVERIFY(handshake);
    QVERIFY(!handshake->sid.isEmpty());
    QCOMPARE(handshake->upgrades, QStringList {});
    QCOMPARE(handshake->pingInterval, 30000);
    QCOMPARE(handshake->pingTimeout, 15000);
    QCOMPARE(handshake->maxPayload, 1000000);
    QCOMPARE(m_server->socketCount(), 0); // not in a room before CONNECT

    client.socket.sendTextMessage(connectFrame(QJsonObject {{QStringLiteral("token"), TestToken}}));
    QVERIFY(waitForFrames(client, 2));
    const auto reply = decodeSocketPacket(decodeEnginePacket(client.frames.at(1))->data);
    QVERIFY(reply);
    QCOMPARE(reply->type, SocketPacketType::Connect);
    QVERIFY(!reply->data.toObject().value(u"sid").toString().isEmpty());
    QTRY_COMPARE(m_server->socketCount(), 1);
    QCOMPARE(connected.count(), 1);
}

void TestWidgetServerSocket::refusedUrl_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("query");
    const QString ok = QStringLiteral("EIO=4&transport=websocket&tenantId=t1&conversationId=c1");
    QTest::newRow("wrong path") << "/ws/" << ok;
    QTest::newRow("EIO=3") << "/socket.io/"
                           << "EIO=3&transport=websocket&tenantId=t1&conversationId=c1";
    QTest::newRow("no EIO") << "/socket.io/"
                            << "transport=websocket&tenantId=t1&conversationId=c1";
    QTest::newRow("polling") << "/socket.io/"
                             << "EIO=4&transport=polling&tenantId=t1&conversationId=c1";
    QTest::newRow("no tenantId") << "/socket.io/"
                                 << "EIO=4&transport=websocket&conversationId=c1";
    QTest::newRow("no conversationId") << "/socket.io/"
                                       << "EIO=4&transport=websocket&tenantId=t1";
    QTest::newRow("empty tenantId") << "/socket.io/"
                                    << "EIO=4&transport=websocket&tenantId=&conversationId=c1";
}

void TestWidgetServerSocket::refusedUrl()
{
    QFETCH(QString, path);
    QFETCH(QString, query);
    SocketClient client;
    QSignalSpy disconnected(&client.socket, &QWebSocket::disconnected);
    QUrl url = m_server->baseUrl();
    url.setScheme(QStringLiteral("ws"));
    url.setPath(path);
    url.setQuery(query);
    client.open(url);
    QVERIFY(disconnected.wait(5000));
    QCOMPARE(client.frames, QStringList {}); // closed without an open packet
    QCOMPARE(m_server->socketCount(), 0);
}

void TestWidgetServerSocket::badToken_data()
{
    QTest::addColumn<QString>("frame");
    QTest::newRow("wrong token") << connectFrame(QJsonObject {{QStringLiteral("token"), QStringLiteral("nope")}});
    QTest::newRow("no auth") << QStringLiteral("40");
    QTest::newRow("token not a string") << QStringLiteral("40{\"token\":42}");
    QTest::newRow("empty token") << connectFrame(QJsonObject {{QStringLiteral("token"), QString()}});
}

void TestWidgetServerSocket::badToken()
{
    QFETCH(QString, frame);
    SocketClient client;
    QSignalSpy disconnected(&client.socket, &QWebSocket::disconnected);
    client.open(socketUrl(*m_server, QStringLiteral("t1"), QStringLiteral("c1")));
    QVERIFY(waitForFrames(client, 1));
    client.socket.sendTextMessage(frame);
    QVERIFY(disconnected.wait(5000));
    QCOMPARE(client.frames.size(), 2);
    QCOMPARE(client.frames.at(1), QStringLiteral("44{\"message\":\"Invalid token\"}"));
    QCOMPARE(m_server->socketCount(), 0);
}

void TestWidgetServerSocket::roomIsolation()
{
    const auto a = connectClient(QStringLiteral("t1"), QStringLiteral("c1"));
    const auto b = connectClient(QStringLiteral("t1"), QStringLiteral("c2"));
    const auto c = connectClient(QStringLiteral("t2"), QStringLiteral("c1")); // same conversation id, other tenant
    QVERIFY(a && b && c);
    const QString forA = m_server->injectInbound(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("for A"));
    m_server->emitStatus(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("x"), QStringLiteral("read"));
    QVERIFY(waitForFrames(*a, 4));
    // Sentinels: b and c each get one event of their own; had anything of A's reached them, it
    // would have arrived first on the same connection.
    m_server->injectInbound(QStringLiteral("t1"), QStringLiteral("c2"), QStringLiteral("for B"));
    m_server->injectInbound(QStringLiteral("t2"), QStringLiteral("c1"), QStringLiteral("for C"));
    QVERIFY(waitForFrames(*b, 3));
    QVERIFY(waitForFrames(*c, 3));
    QCOMPARE(a->events(QStringLiteral("inbound_message")).value(0).value(u"messageId").toString(), forA);
    QCOMPARE(b->eventNames(), QStringList {"inbound_message"});
    QCOMPARE(b->events(QStringLiteral("inbound_message")).value(0).value(u"text").toString(), QStringLiteral("for B"));
    QCOMPARE(c->eventNames(), QStringList {"inbound_message"});
    QCOMPARE(c->events(QStringLiteral("inbound_message")).value(0).value(u"text").toString(), QStringLiteral("for C"));
    QCOMPARE(a->eventNames(), (QStringList {"inbound_message", "status_update"}));
}

void TestWidgetServerSocket::statusUpdatesAfterSend()
{
    m_server->upstream()->setDelays(0, 30, 60);
    const auto client = connectClient(QStringLiteral("t1"), QStringLiteral("c1"));
    QVERIFY(client);
    HttpClient http(m_server->baseUrl());
    const HttpResult r = http.post(QStringLiteral("/api/v1/widget/send"),
        QJsonObject {{"messageId", "msg_1_000000aa"}, {"conversationId", "c1"}, {"tenantId", "t1"},
            {"integrationId", "i1"}, {"text", "hi"}});
    QCOMPARE(r.status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(client->events(QStringLiteral("status_update")).size(), 3, 5000);
    const QList<QJsonObject> events = client->events(QStringLiteral("status_update"));
    QStringList statuses;
    for (const QJsonObject &e : events) {
        QCOMPARE(e.value(u"messageId").toString(), QStringLiteral("msg_1_000000aa"));
        QVERIFY(QDateTime::fromString(e.value(u"timestamp").toString(), Qt::ISODateWithMs).isValid());
        QVERIFY(!e.contains(u"error"));
        statuses.append(e.value(u"status").toString());
    }
    QCOMPARE(statuses, (QStringList {"sent", "delivered", "read"}));
    QCOMPARE(m_server->store()
                 ->message(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("msg_1_000000aa"))
                 ->status,
        QStringLiteral("read"));

    m_server->emitStatus(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("msg_1_000000aa"),
        QStringLiteral("failed"), QStringLiteral("Message undeliverable"));
    QTRY_COMPARE(client->events(QStringLiteral("status_update")).size(), 4);
    const QJsonObject failed = client->events(QStringLiteral("status_update")).at(3);
    QCOMPARE(failed.value(u"status").toString(), QStringLiteral("failed"));
    QCOMPARE(failed.value(u"error").toObject().value(u"message").toString(), QStringLiteral("Message undeliverable"));
}

void TestWidgetServerSocket::inboundMessage()
{
    const auto client = connectClient(QStringLiteral("t1"), QStringLiteral("c1"));
    QVERIFY(client);
    const QString id
        = m_server->injectInbound(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("Where is my order?"));
    QVERIFY(!id.isEmpty());
    QTRY_COMPARE(client->events(QStringLiteral("inbound_message")).size(), 1);
    const QJsonObject event = client->events(QStringLiteral("inbound_message")).first();
    QCOMPARE(event.value(u"messageId").toString(), id);
    QCOMPARE(event.value(u"text").toString(), QStringLiteral("Where is my order?"));
    QVERIFY(event.value(u"mediaUrl").isNull());
    QVERIFY(QDateTime::fromString(event.value(u"timestamp").toString(), Qt::ISODateWithMs).isValid());
    const auto stored = m_server->store()->message(QStringLiteral("t1"), QStringLiteral("c1"), id);
    QVERIFY(stored && stored->inbound);
    QVERIFY(m_server->injectInbound(QStringLiteral("t1"), QStringLiteral("nope"), QStringLiteral("x")).isEmpty());
}

void TestWidgetServerSocket::pongKeepsAlive_data()
{
    QTest::addColumn<int>("interval");
    QTest::addColumn<int>("timeout");
    QTest::addColumn<int>("pings");
    // Many pings within one timeout: the heartbeat keeps going only if every pong re-arms the next ping.
    QTest::newRow("interval << timeout") << 40 << 2000 << 60;
    // Timeout shorter than the interval: a pong that did not cancel the deadline would close the socket.
    QTest::newRow("interval > timeout") << 300 << 250 << 5;
}

void TestWidgetServerSocket::pongKeepsAlive()
{
    QFETCH(int, interval);
    QFETCH(int, timeout);
    QFETCH(int, pings);
    m_server->setPingTiming(interval, timeout);
    auto client = connectClient(QStringLiteral("t1"), QStringLiteral("c1"));
    QVERIFY(client);
    client->autoPong = true;
    if (client->frames.contains(QStringLiteral("2")))
        client->socket.sendTextMessage(QStringLiteral("3")); // a ping that came before autoPong was set
    QSignalSpy disconnected(&client->socket, &QWebSocket::disconnected);
    // Ends early on a close, so a broken heartbeat fails fast rather than at the timeout.
    QTRY_VERIFY_WITH_TIMEOUT(client->frames.count(QStringLiteral("2")) >= pings || disconnected.count() > 0, 20000);
    QCOMPARE(disconnected.count(), 0);
    QCOMPARE(m_server->socketCount(), 1);
}

void TestWidgetServerSocket::noPongCloses()
{
    // Long enough for the client's CONNECT to finish on a loaded machine before the session times out.
    m_server->setPingTiming(250, 500);
    const auto client = connectClient(QStringLiteral("t1"), QStringLiteral("c1"));
    QVERIFY(client);
    QSignalSpy disconnected(&client->socket, &QWebSocket::disconnected);
    QSignalSpy left(m_server.get(), &WidgetServer::socketDisconnected);
    QVERIFY(disconnected.wait(5000));
    QCOMPARE(client->frames.count(QStringLiteral("2")), 1); // one ping, no second without a pong
    QTRY_COMPARE(m_server->socketCount(), 0);
    QCOMPARE(left.count(), 1);
}

void TestWidgetServerSocket::suspendedPings()
{
    m_server->setPingTiming(20, 40);
    m_server->setPingsSuspended(true);
    const auto client = connectClient(QStringLiteral("t1"), QStringLiteral("c1"));
    QVERIFY(client);
    QSignalSpy frames(&client->socket, &QWebSocket::textMessageReceived);
    // Deliberately a bounded wait for nothing: 15 ping intervals must pass without a ping or a close.
    QVERIFY(!frames.wait(300));
    QCOMPARE(client->socket.state(), QAbstractSocket::ConnectedState);
    m_server->setPingsSuspended(false);
    QVERIFY(frames.wait(5000));
    QCOMPARE(frames.at(0).at(0).toString(), QStringLiteral("2"));
}

void TestWidgetServerSocket::malformedFramesDropped_data()
{
    QTest::addColumn<QString>("frame");
    QTest::addColumn<bool>("beforeConnect");
    const QStringList frames {"", "x", "9", "4", "4x", "42", "42not json", "42{\"a\":1}", "43[", "2", "5", "0{}"};
    for (const QString &frame : frames) {
        QTest::addRow("'%s' before CONNECT", qPrintable(frame)) << frame << true;
        QTest::addRow("'%s' after CONNECT", qPrintable(frame)) << frame << false;
    }
}

void TestWidgetServerSocket::malformedFramesDropped()
{
    QFETCH(QString, frame);
    QFETCH(bool, beforeConnect);
    s_previousHandler = qInstallMessageHandler(captureWarnings);
    std::unique_ptr<SocketClient> client;
    if (beforeConnect) {
        client = std::make_unique<SocketClient>();
        client->open(socketUrl(*m_server, QStringLiteral("t1"), QStringLiteral("c1")));
        QVERIFY(waitForFrames(*client, 1));
        client->socket.sendTextMessage(frame);
        client->socket.sendTextMessage(connectFrame(QJsonObject {{QStringLiteral("token"), TestToken}}));
        QVERIFY(waitForFrames(*client, 2)); // processed in order: the bad frame did not end the session
        QVERIFY(client->frames.at(1).startsWith(u"40{"));
    } else {
        client = connectClient(QStringLiteral("t1"), QStringLiteral("c1"));
        QVERIFY(client);
        client->socket.sendTextMessage(frame);
    }
    QTRY_COMPARE(s_serverWarnings.size(), 1);
    QSignalSpy disconnected(&client->socket, &QWebSocket::disconnected);
    m_server->injectInbound(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("still there?"));
    QTRY_COMPARE(client->events(QStringLiteral("inbound_message")).size(), 1);
    QCOMPARE(disconnected.count(), 0);
    QCOMPARE(m_server->socketCount(), 1);
}

void TestWidgetServerSocket::serverDisconnectSends41()
{
    const auto client = connectClient(QStringLiteral("t1"), QStringLiteral("c1"));
    QVERIFY(client);
    QSignalSpy disconnected(&client->socket, &QWebSocket::disconnected);
    m_server->disconnectAllSockets();
    QVERIFY(disconnected.wait(5000));
    QCOMPARE(client->frames.last(), QStringLiteral("41"));
    QCOMPARE(client->socket.closeCode(), QWebSocketProtocol::CloseCodeNormal);
    QCOMPARE(client->socket.closeReason(), QStringLiteral("server disconnect")); // a close frame came
    QTRY_COMPARE(m_server->socketCount(), 0);
}

void TestWidgetServerSocket::dropIsAbrupt()
{
    const auto client = connectClient(QStringLiteral("t1"), QStringLiteral("c1"));
    QVERIFY(client);
    const qsizetype before = client->frames.size();
    QSignalSpy disconnected(&client->socket, &QWebSocket::disconnected);
    m_server->dropAllSockets();
    QVERIFY(disconnected.wait(5000));
    QCOMPARE(client->frames.size(), before); // no "41"
    QCOMPARE(client->socket.closeReason(), QString()); // no close frame either
    QTRY_COMPARE(m_server->socketCount(), 0);
}

void TestWidgetServerSocket::clientDisconnectAndClose_data()
{
    QTest::addColumn<QString>("frame");
    QTest::newRow("Socket.IO disconnect") << QStringLiteral("41");
    QTest::newRow("Engine.IO close") << QStringLiteral("1");
}

void TestWidgetServerSocket::clientDisconnectAndClose()
{
    QFETCH(QString, frame);
    const auto client = connectClient(QStringLiteral("t1"), QStringLiteral("c1"));
    QVERIFY(client);
    QSignalSpy left(m_server.get(), &WidgetServer::socketDisconnected);
    QSignalSpy disconnected(&client->socket, &QWebSocket::disconnected);
    client->socket.sendTextMessage(frame);
    QVERIFY(left.wait(5000));
    QCOMPARE(m_server->socketCount(), 0);
    QTRY_COMPARE(disconnected.count(), 1);
}

QTEST_GUILESS_MAIN(TestWidgetServerSocket)
#include "tst_widgetserver_socket.moc"
