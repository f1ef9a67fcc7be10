// The server's own WebSocket (RFC 6455, server/http/websocketconnection): what a client may write is taken
// (a message in fragments, a ping answered with its payload, the close handshake) and what it may not closes
// the connection with the code RFC 6455 gives (an unmasked frame 1002, text that is not UTF-8 1007, a
// message over maxPayload 1009, announced in its head and closed before its bytes arrive), and the Engine.IO
// session on it ends.
#include "rawwebsocket.h"
#include "testclient.h"
#include "widgetserver.h"

#include <QTest>

namespace {

const QByteArray WebSocketPath = "/socket.io/?EIO=4&transport=websocket&tenantId=t1&conversationId=c1";
constexpr int MaxPayload = 1000;

// A server close frame with this code and no reason.
QByteArray closeFrame(quint16 code)
{
    return QByteArray("\x88\x02", 2) + char(code >> 8) + char(code & 0xff);
}

} // namespace

class TestWebSocketFrames : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void fragmentedMessageIsReassembled();
    void pingIsAnsweredWithItsPayload();
    void closeHandshakeIsAnswered();
    void unmaskedFrameClosesWith1002();
    void invalidCloseCodeClosesWith1002();
    void continuationWithoutMessageClosesWith1002();
    void textThatIsNotUtf8ClosesWith1007();
    void messageOverMaxPayloadClosesWith1009();

private:
    // An open Engine.IO session over a raw WebSocket (its open packet received).
    bool open(RawWebSocket &client);
    // The connection is closed with `code` and its session is gone.
    bool closedWith(RawWebSocket &client, quint16 code);

    std::unique_ptr<WidgetServer> m_server;
};

void TestWebSocketFrames::init()
{
    m_server = std::make_unique<WidgetServer>();
    m_server->setToken(TestToken);
    m_server->addConversation(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("Ada"));
    m_server->setMaxPayload(MaxPayload);
    QVERIFY(m_server->listen());
}

void TestWebSocketFrames::cleanup()
{
    m_server.reset();
}

bool TestWebSocketFrames::open(RawWebSocket &client)
{
    return client.open(m_server->port(), WebSocketPath) && client.waitFor("\"pingInterval\"")
        && engineSessions(*m_server) == 1;
}

bool TestWebSocketFrames::closedWith(RawWebSocket &client, quint16 code)
{
    if (!client.waitFor(closeFrame(code)))
        return false;
    return QTest::qWaitFor([&] { return !client.isConnected() && engineSessions(*m_server) == 0; }, 10000);
}

void TestWebSocketFrames::fragmentedMessageIsReassembled()
{
    RawWebSocket client;
    QVERIFY(open(client));
    const QByteArray connect = "40{\"token\":\"" + TestToken.toUtf8() + "\"}";
    client.sendFrame(0x1, connect.left(5), false);
    client.sendFrame(0x9, "between"); // a control frame may come between the fragments
    client.sendFrame(0x0, connect.mid(5, 4), false);
    client.sendFrame(0x0, connect.mid(9));
    QVERIFY(client.waitFor("40{\"sid\":"));
    QVERIFY(client.received().contains("\x8a\x07" "between"));
    QVERIFY(client.isConnected());
}

void TestWebSocketFrames::pingIsAnsweredWithItsPayload()
{
    RawWebSocket client;
    QVERIFY(open(client));
    client.sendFrame(0x9, "hello");
    QVERIFY(client.waitFor("\x8a\x05hello"));
    QVERIFY(client.isConnected());
    QCOMPARE(engineSessions(*m_server), 1);
}

void TestWebSocketFrames::closeHandshakeIsAnswered()
{
    RawWebSocket client;
    QVERIFY(open(client));
    client.sendFrame(0x8, QByteArray("\x03\xe8", 2)); // 1000, no reason
    QVERIFY(closedWith(client, 1000));
}

void TestWebSocketFrames::unmaskedFrameClosesWith1002()
{
    RawWebSocket client;
    QVERIFY(open(client));
    client.sendFrame(0x1, "40", true, false);
    QVERIFY(closedWith(client, 1002));
}

void TestWebSocketFrames::invalidCloseCodeClosesWith1002()
{
    RawWebSocket client;
    QVERIFY(open(client));
    client.sendFrame(0x8, QByteArray("\x03\xed", 2)); // 1005 is never sent in a frame
    QVERIFY(closedWith(client, 1002));
}

void TestWebSocketFrames::continuationWithoutMessageClosesWith1002()
{
    RawWebSocket client;
    QVERIFY(open(client));
    client.sendFrame(0x0, "40");
    QVERIFY(closedWith(client, 1002));
}

void TestWebSocketFrames::textThatIsNotUtf8ClosesWith1007()
{
    RawWebSocket client;
    QVERIFY(open(client));
    client.sendFrame(0x1, "4\xed\xa0\x80"); // a UTF-16 surrogate written as UTF-8
    QVERIFY(closedWith(client, 1007));
}

void TestWebSocketFrames::messageOverMaxPayloadClosesWith1009()
{
    RawWebSocket client;
    QVERIFY(open(client));
    constexpr qsizetype Half = MaxPayload / 2;
    // Fragments that add up to one byte too many, then a head that alone announces more than allowed.
    client.sendFrame(0x1, QByteArray(Half, '4'), false);
    client.sendFrame(0x0, QByteArray(MaxPayload - Half + 1, 'x'), false);
    QVERIFY(closedWith(client, 1009));

    RawWebSocket announcing;
    QVERIFY(open(announcing));
    announcing.sendFrameHead(0x1, MaxPayload + 1); // none of its bytes follow: closed on the head
    QVERIFY(closedWith(announcing, 1009));
}

QTEST_MAIN(TestWebSocketFrames)
#include "tst_websocketframes.moc"
