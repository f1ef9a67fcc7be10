// What a client can make widget-server hold is bounded: binary packets before CONNECT close the session;
// a binary packet may announce at most SocketIoConnection::MaxAttachments attachments of at most
// maxPayload bytes together; a pong answers only a ping the client was given, so a polling client that
// POSTs "3" and never GETs times out; a session's unsent output is capped in bytes and packets, over
// polling and over a WebSocket whose client stops reading. Over a cap the session closes (its client
// reconnects and resyncs from history). The same against the real process from 64 sessions: tst_abuse.
#include "protocol.h"
#include "rawhttp.h"
#include "rawwebsocket.h"
#include "serveroperations.h"
#include "socketioconnection.h"
#include "testclient.h"
#include "widgetserver.h"

#include <QDeadlineTimer>
#include <QScopeGuard>
#include <QTest>

using namespace Protocol;

namespace {

const QByteArray Room = "tenantId=t1&conversationId=c1";
const QByteArray PollPath = "/socket.io/?EIO=4&transport=polling&" + Room;

QByteArray post(const QByteArray &sid, const QByteArray &body)
{
    return "POST " + PollPath + "&sid=" + sid + " HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

// The server's warnings that it closed a session over its output cap, counted as they are logged.
int s_outputCapCloses = 0;
QtMessageHandler s_previousHandler = nullptr;
void countOutputCapCloses(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message.contains(u"over the output cap"))
        ++s_outputCapCloses;
    s_previousHandler(type, context, message);
}

QByteArray echo(qsizetype size)
{
    return "421[\"echo\",\"" + QByteArray(size, 'x') + "\"]";
}

} // namespace

class TestBounds : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void binaryBeforeConnectClosesSession();
    void attachmentCountIsCapped();
    void attachmentBytesAreCappedAtMaxPayload();
    void unsolicitedPongsDoNotKeepAPollingSessionAlive();
    void pollingOutputIsCappedInBytes();
    void pollingOutputIsCappedInPackets();
    void webSocketOutputIsCappedWhenTheClientStopsReading();

private:
    std::unique_ptr<SocketClient> webSocket(bool connect);
    // A polling session with its Socket.IO CONNECT answered, on a keep-alive connection; empty sid on failure.
    QByteArray pollingSession(RawConnection &connection);

    std::unique_ptr<WidgetServer> m_server;
};

void TestBounds::init()
{
    m_server = std::make_unique<WidgetServer>();
    m_server->setToken(TestToken);
    m_server->addConversation(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("Ada"));
    QVERIFY(m_server->listen());
}

void TestBounds::cleanup()
{
    m_server.reset();
}

std::unique_ptr<SocketClient> TestBounds::webSocket(bool connect)
{
    auto client = std::make_unique<SocketClient>();
    client->open(socketUrl(*m_server, QStringLiteral("t1"), QStringLiteral("c1")));
    if (!QTest::qWaitFor([&] { return !client->frames.isEmpty(); }, 5000))
        return nullptr;
    if (connect) {
        client->socket.sendTextMessage(connectFrame(QJsonObject {{QStringLiteral("token"), TestToken}}));
        if (!QTest::qWaitFor([&] { return client->frames.size() >= 2; }, 5000))
            return nullptr;
    }
    return client;
}

QByteArray TestBounds::pollingSession(RawConnection &connection)
{
    if (!connection.connectTo(m_server->port()))
        return {};
    connection.send("GET " + PollPath + " HTTP/1.1\r\nHost: x\r\n\r\n");
    const QByteArray sid
        = QJsonDocument::fromJson(connection.read().body.mid(1)).object().value(u"sid").toString().toUtf8();
    connection.send(post(sid, "40{\"token\":\"" + TestToken.toUtf8() + "\"}"));
    if (connection.read().body != "ok")
        return {};
    connection.send("GET " + PollPath + "&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n\r\n");
    return connection.read().body.startsWith("40{") ? sid : QByteArray();
}

// A client announcing a binary event before its CONNECT would have its attachments held for a socket
// that does not exist; it is closed instead.
void TestBounds::binaryBeforeConnectClosesSession()
{
    const auto client = webSocket(false);
    QVERIFY(client);
    QSignalSpy closed(&client->socket, &QWebSocket::disconnected);
    client->socket.sendTextMessage(QStringLiteral("451-[\"x\",{\"_placeholder\":true,\"num\":0}]"));
    client->socket.sendBinaryMessage(QByteArray(1000, 'b'));
    QVERIFY(closed.wait(5000));
    QTRY_COMPARE(engineSessions(*m_server), 0);
}

void TestBounds::attachmentCountIsCapped()
{
    // At the cap: held until complete, then dispatched (echo acks with the attachments).
    const auto client = webSocket(true);
    QVERIFY(client);
    QSignalSpy closed(&client->socket, &QWebSocket::disconnected);
    QSignalSpy binary(&client->socket, &QWebSocket::binaryMessageReceived);
    const int cap = SocketIoConnection::MaxAttachments;
    QJsonArray args {QStringLiteral("echo")};
    for (int i = 0; i < cap; ++i)
        args.append(placeholder(i));
    client->socket.sendTextMessage(
        QStringLiteral("45%1-7").arg(cap) + QString::fromUtf8(QJsonDocument(args).toJson(QJsonDocument::Compact)));
    for (int i = 0; i < cap; ++i)
        client->socket.sendBinaryMessage(QByteArray(10, char('a' + i)));
    QTRY_COMPARE(binary.size(), cap);
    QVERIFY(closed.isEmpty());

    // One more than the cap: the session closes.
    client->socket.sendTextMessage(QStringLiteral("45%1-[\"x\"]").arg(cap + 1));
    QVERIFY(closed.wait(5000));
}

void TestBounds::attachmentBytesAreCappedAtMaxPayload()
{
    m_server->setMaxPayload(1000);
    const auto client = webSocket(true);
    QVERIFY(client);
    QSignalSpy closed(&client->socket, &QWebSocket::disconnected);
    QSignalSpy binary(&client->socket, &QWebSocket::binaryMessageReceived);
    const QString twoAttachments = QStringLiteral("452-8[\"echo\",{\"_placeholder\":true,\"num\":0},"
                                                  "{\"_placeholder\":true,\"num\":1}]");
    // 2 x 500 bytes: exactly maxPayload, fine.
    client->socket.sendTextMessage(twoAttachments);
    client->socket.sendBinaryMessage(QByteArray(500, 'a'));
    client->socket.sendBinaryMessage(QByteArray(500, 'b'));
    QTRY_COMPARE(binary.size(), 2);
    // 2 x 600 bytes, each under maxPayload, together over it.
    client->socket.sendTextMessage(twoAttachments);
    client->socket.sendBinaryMessage(QByteArray(600, 'a'));
    client->socket.sendBinaryMessage(QByteArray(600, 'b'));
    QVERIFY(closed.wait(5000));
    QCOMPARE(binary.size(), 2);
}

// Pongs to no ping the client received (it never GETs) do not keep the session: it times out after
// pingInterval + pingTimeout as any silent client does.
void TestBounds::unsolicitedPongsDoNotKeepAPollingSessionAlive()
{
    m_server->setPingTiming(200, 200);
    RawConnection connection;
    const QByteArray sid = pollingSession(connection);
    QVERIFY(!sid.isEmpty());
    QDeadlineTimer deadline(5000);
    QByteArray answer = "ok";
    while (answer == "ok" && !deadline.hasExpired()) {
        connection.send(post(sid, "3"));
        answer = connection.read().body;
    }
    QVERIFY2(answer.contains("Session ID unknown"), answer.constData());
    QCOMPARE(engineSessions(*m_server), 0);
}

void TestBounds::pollingOutputIsCappedInBytes()
{
    m_server->setMaxPayload(10000); // unsent output cap: 20,000 bytes
    RawConnection connection;
    const QByteArray sid = pollingSession(connection);
    QVERIFY(!sid.isEmpty());
    // Each echo makes the server buffer ~4 kB for a GET that never comes.
    for (int i = 0; i < 4; ++i) {
        connection.send(post(sid, echo(4000)));
        QCOMPARE(connection.read().body, QByteArray("ok"));
    }
    QCOMPARE(engineSessions(*m_server), 1); // 16 kB: under the cap
    connection.send(post(sid, echo(4000)));
    connection.read();
    QTRY_COMPARE(engineSessions(*m_server), 0);
    QCOMPARE(m_server->socketCount(), 0);
}

void TestBounds::pollingOutputIsCappedInPackets()
{
    RawConnection connection;
    const QByteArray sid = pollingSession(connection);
    QVERIFY(!sid.isEmpty());
    // Small packets, many of them: one POST of 5,000 echoes is 50 kB in, 5,000 acks out.
    QByteArrayList echoes(5000, "421[\"echo\"]");
    connection.send(post(sid, echoes.join('\x1e')));
    connection.read();
    QTRY_COMPARE(engineSessions(*m_server), 0);
}

void TestBounds::webSocketOutputIsCappedWhenTheClientStopsReading()
{
    RawWebSocket client;
    QVERIFY(client.open(m_server->port(), "/socket.io/?EIO=4&transport=websocket&" + Room));
    client.sendText("40{\"token\":\"" + TestToken.toUtf8() + "\"}");
    QVERIFY(client.waitFor("40{\"sid\""));
    client.stopReading();
    s_outputCapCloses = 0;
    s_previousHandler = qInstallMessageHandler(countOutputCapCloses);
    const auto restore = qScopeGuard([] { qInstallMessageHandler(s_previousHandler); });
    // Echoes of 500 kB that the client never reads: the kernel's buffers fill, then the server's, until
    // the session is over its cap (2 x maxPayload = 2 MB). 100 of them (50 MB) without the cap.
    int sent = 0;
    while (s_outputCapCloses == 0 && sent < 100 && client.isConnected()) {
        client.sendText(echo(500000));
        ++sent;
        QTRY_COMPARE(client.bytesToWrite(), 0);
    }
    qInfo() << "closed after" << sent << "echoes of 500 kB";
    QCOMPARE(s_outputCapCloses, 1);
    QTRY_COMPARE_WITH_TIMEOUT(engineSessions(*m_server), 0, 10000);
}

QTEST_GUILESS_MAIN(TestBounds)
#include "tst_bounds.moc"
