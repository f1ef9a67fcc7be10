// SocketIoClient against the real widget-server on 127.0.0.1:0: handshake with auth, events,
// CONNECT_ERROR, ping timeout, reconnect with backoff, server disconnect, malformed frames.
#include "pollingtransport.h"
#include "socketioclient.h"
#include "widgetserver.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

// A backend that refuses the WebSocket (so the client polls) and answers the Engine.IO requests with
// a redirect to another port: the first GET already, or only the POST that carries the CONNECT and
// its token. A second server on that port counts whoever reaches it.
class RedirectingBackend : public QObject
{
public:
    enum class Redirect { Poll, Post };

    explicit RedirectingBackend(Redirect redirect)
        : m_redirect(redirect)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { answer(socket); });
        });
        connect(&m_trap, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_trap.nextPendingConnection()) {
                ++trapped;
                socket->deleteLater();
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
        m_trap.listen(QHostAddress::LocalHost, 0);
    }
    QUrl baseUrl() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort())); }

    int trapped = 0; // connections that reached the redirect's target
    int redirects = 0;

private:
    void answer(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QByteArray head = buffer.left(end);
        const qsizetype length = head.toLower().contains("content-length:")
            ? head.mid(head.toLower().indexOf("content-length:") + 15).split('\r').first().trimmed().toLongLong()
            : 0;
        if (buffer.size() < end + 4 + length)
            return;
        buffer.remove(0, end + 4 + length);
        const bool upgrade = head.toLower().contains("upgrade: websocket");
        const bool post = head.startsWith("POST ");
        const QByteArray target = "http://127.0.0.1:" + QByteArray::number(m_trap.serverPort()) + "/socket.io/";
        if (upgrade) {
            socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        } else if (post || m_redirect == Redirect::Poll) {
            ++redirects;
            socket->write("HTTP/1.1 307 Temporary Redirect\r\nLocation: " + target + "\r\nContent-Length: 0\r\n\r\n");
        } else if (!head.contains("sid=")) {
            const QByteArray open = R"(0{"sid":"s1","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})";
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: "
                          + QByteArray::number(open.size()) + "\r\n\r\n" + open);
        } // later polls stay open, as a server with nothing to say keeps them
    }

    Redirect m_redirect;
    QTcpServer m_server;
    QTcpServer m_trap;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};
Q_DECLARE_METATYPE(RedirectingBackend::Redirect)

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

    // The token travels in the CONNECT of the polling POST: a redirect is a failed transport, never
    // followed, whether it answers the first poll or that POST.
    void pollingNeverFollowsARedirect_data()
    {
        QTest::addColumn<RedirectingBackend::Redirect>("redirect");
        QTest::newRow("poll") << RedirectingBackend::Redirect::Poll;
        QTest::newRow("post with the CONNECT") << RedirectingBackend::Redirect::Post;
    }
    void pollingNeverFollowsARedirect()
    {
        QFETCH(RedirectingBackend::Redirect, redirect);
        RedirectingBackend backend(redirect);
        SocketIoClient client;
        client.setRandomSource([] { return 0.0; });
        QSignalSpy lost(&client, &SocketIoClient::disconnected);
        client.open(SocketConfig {backend.baseUrl(), QStringLiteral("t1"), QStringLiteral("c1"), m_token});
        QVERIFY(lost.wait(10000));
        QVERIFY(backend.redirects >= 1);
        // A second round after the backoff is refused the same way.
        QTRY_VERIFY_WITH_TIMEOUT(lost.size() >= 2, 10000);
        QCOMPARE(backend.trapped, 0);
        QVERIFY2(lost.first().at(0).toString().contains(u"redirect"), qPrintable(lost.first().at(0).toString()));
        QVERIFY(lost.first().at(1).toBool()); // the transport failed: reconnect later, as for any other failure
        QCOMPARE(client.state(), SocketIoClient::State::Reconnecting);
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
