// Engine.IO v4 HTTP long-polling of widget-server, driven with raw requests (QNetworkAccessManager): the
// handshake and its refusals, record-separator batching, one waiting GET per session, maxPayload, CORS
// for the web widget, and the polling → WebSocket upgrade (2probe / 3probe / noop / 5).
#include "testclient.h"

#include "protocol.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

using namespace Protocol;

namespace {

const QString RS = QString(QChar(PayloadSeparator));

struct Reply
{
    int status = 0;
    QByteArray body;
    QNetworkReply *raw = nullptr; // for headers; owned by the test's list
};

} // namespace

class TestWidgetServerPolling : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void handshake();
    void handshakeRefused_data();
    void handshakeRefused();
    void connectThenBatchedEvents();
    void overlappingPollClosesSession();
    void malformedPayloadClosesSession();
    void payloadOverMaxPayload();
    void heartbeatOverPolling();
    void pingTimeoutEndsSession();
    void corsPreflight();
    void corsOnPolls();
    void upgradeToWebSocket();

private:
    QNetworkReply *start(const QByteArray &verb, const QString &query, const QByteArray &body = {},
        const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    Reply finish(QNetworkReply *reply);
    Reply request(const QByteArray &verb, const QString &query, const QByteArray &body = {},
        const QList<std::pair<QByteArray, QByteArray>> &headers = {})
    {
        return finish(start(verb, query, body, headers));
    }
    QString openSession(); // handshake; returns the sid
    QString connectedSession(); // handshake + Socket.IO CONNECT with the token, CONNECT reply read

    std::unique_ptr<WidgetServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::vector<std::unique_ptr<QNetworkReply>> m_replies;
};

void TestWidgetServerPolling::init()
{
    m_server = std::make_unique<WidgetServer>();
    m_server->setToken(TestToken);
    m_server->addConversation(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("Ada"));
    QVERIFY(m_server->listen());
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_nam->setProxy(QNetworkProxy::NoProxy);
}

void TestWidgetServerPolling::cleanup()
{
    m_replies.clear();
    m_nam.reset();
    m_server.reset();
}

QNetworkReply *TestWidgetServerPolling::start(const QByteArray &verb, const QString &query, const QByteArray &body,
    const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QUrl url = m_server->baseUrl();
    url.setPath(QStringLiteral("/socket.io/"));
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setTransferTimeout(10000);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/plain;charset=UTF-8"));
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    m_replies.emplace_back(m_nam->sendCustomRequest(request, verb, body));
    return m_replies.back().get();
}

Reply TestWidgetServerPolling::finish(QNetworkReply *reply)
{
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(10000))
        return {};
    return Reply {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll(), reply};
}

static QString pollQuery(const QString &sid = {})
{
    QString query = QStringLiteral("EIO=4&transport=polling&tenantId=t1&conversationId=c1");
    if (!sid.isEmpty())
        query += QStringLiteral("&sid=") + sid;
    return query;
}

QString TestWidgetServerPolling::openSession()
{
    const Reply reply = request("GET", pollQuery());
    const auto open = decodeOpen(QString::fromUtf8(reply.body.mid(1)));
    return reply.status == 200 && reply.body.startsWith('0') && open ? open->sid : QString();
}

QString TestWidgetServerPolling::connectedSession()
{
    const QString sid = openSession();
    const QByteArray connect = connectFrame(QJsonObject {{QStringLiteral("token"), TestToken}}).toUtf8();
    if (sid.isEmpty() || request("POST", pollQuery(sid), connect).body != "ok")
        return {};
    const Reply reply = request("GET", pollQuery(sid));
    return reply.body.startsWith("40{\"sid\":") ? sid : QString();
}

void TestWidgetServerPolling::handshake()
{
    m_server->setPingTiming(30000, 15000);
    m_server->setMaxPayload(4096);
    const Reply reply = request("GET", pollQuery());
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.raw->rawHeader("Content-Type"), QByteArrayLiteral("text/plain; charset=UTF-8"));
    QVERIFY(reply.body.startsWith('0'));
    const auto open = decodeOpen(QString::fromUtf8(reply.body.mid(1)));
    QVERIFY(open);
    QVERIFY(!open->sid.isEmpty());
    QCOMPARE(open->upgrades, QStringList {QStringLiteral("websocket")}); // polling may upgrade
    QCOMPARE(open->pingInterval, 30000);
    QCOMPARE(open->pingTimeout, 15000);
    QCOMPARE(open->maxPayload, 4096);
    QCOMPARE(m_server->socketCount(), 0); // no Socket.IO CONNECT yet
}

void TestWidgetServerPolling::handshakeRefused_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("status");
    const QString room = QStringLiteral("&tenantId=t1&conversationId=c1");
    QTest::newRow("no EIO") << QByteArray("GET") << "transport=polling" + room << 400;
    QTest::newRow("EIO=3") << QByteArray("GET") << "EIO=3&transport=polling" + room << 400;
    QTest::newRow("no transport") << QByteArray("GET") << "EIO=4" + room << 400;
    QTest::newRow("unknown transport") << QByteArray("GET") << "EIO=4&transport=abc" + room << 400;
    QTest::newRow("websocket without upgrade") << QByteArray("GET") << "EIO=4&transport=websocket" + room << 400;
    QTest::newRow("POST handshake") << QByteArray("POST") << "EIO=4&transport=polling" + room << 400;
    QTest::newRow("PUT handshake") << QByteArray("PUT") << "EIO=4&transport=polling" + room << 400;
    QTest::newRow("no room") << QByteArray("GET") << "EIO=4&transport=polling" << 403;
    QTest::newRow("unknown sid GET") << QByteArray("GET") << "EIO=4&transport=polling&sid=nope" + room << 400;
    QTest::newRow("unknown sid POST") << QByteArray("POST") << "EIO=4&transport=polling&sid=nope" + room << 400;
}

void TestWidgetServerPolling::handshakeRefused()
{
    QFETCH(QByteArray, verb);
    QFETCH(QString, query);
    QFETCH(int, status);
    const Reply reply = request(verb, query, verb == "GET" ? QByteArray() : QByteArrayLiteral("40"));
    QCOMPARE(reply.status, status);
    QVERIFY(!reply.body.startsWith('0')); // no open packet
}

void TestWidgetServerPolling::connectThenBatchedEvents()
{
    const QString sid = connectedSession();
    QVERIFY(!sid.isEmpty());
    QTRY_COMPARE(m_server->socketCount(), 1);
    QNetworkReply *poll = start("GET", pollQuery(sid)); // waits: nothing to say yet
    QSignalSpy finished(poll, &QNetworkReply::finished);
    QVERIFY(!finished.wait(200)); // a long poll really waits
    // Two events in one pass of the event loop go out as one payload.
    m_server->injectInbound(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("one"));
    m_server->injectInbound(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("two"));
    const Reply reply = finish(poll);
    QCOMPARE(reply.status, 200);
    const QStringList records = QString::fromUtf8(reply.body).split(RS);
    QCOMPARE(records.size(), 2);
    QVERIFY(records.at(0).startsWith(u"42[\"inbound_message\""));
    QVERIFY(records.at(0).contains(u"\"text\":\"one\""));
    QVERIFY(records.at(1).contains(u"\"text\":\"two\""));
}

void TestWidgetServerPolling::overlappingPollClosesSession()
{
    const QString sid = connectedSession();
    QVERIFY(!sid.isEmpty());
    QNetworkReply *first = start("GET", pollQuery(sid));
    QSignalSpy firstFinished(first, &QNetworkReply::finished);
    QVERIFY(!firstFinished.wait(200));
    QCOMPARE(request("GET", pollQuery(sid)).status, 400); // the second poll is refused ...
    const Reply closed = finish(first);
    QCOMPARE(closed.status, 200);
    QCOMPARE(closed.body, QByteArrayLiteral("1")); // ... and the first ends with a close packet
    QCOMPARE(request("GET", pollQuery(sid)).status, 400);
    QTRY_COMPARE(m_server->socketCount(), 0);
}

void TestWidgetServerPolling::malformedPayloadClosesSession()
{
    const QString sid = connectedSession();
    QVERIFY(!sid.isEmpty());
    QCOMPARE(request("POST", pollQuery(sid), "abc").status, 400);
    QCOMPARE(request("GET", pollQuery(sid)).status, 400);
    QTRY_COMPARE(m_server->socketCount(), 0);
}

void TestWidgetServerPolling::payloadOverMaxPayload()
{
    m_server->setMaxPayload(100);
    const QString sid = connectedSession();
    QVERIFY(!sid.isEmpty());
    const QByteArray big = "42[\"echo\",\"" + QByteArray(100, 'x') + "\"]";
    QCOMPARE(request("POST", pollQuery(sid), big).status, 413);
    QCOMPARE(request("POST", pollQuery(sid), "42[\"echo\",\"small\"]").status, 200); // the session lives on
}

void TestWidgetServerPolling::heartbeatOverPolling()
{
    m_server->setPingTiming(100, 10000);
    const QString sid = connectedSession();
    QVERIFY(!sid.isEmpty());
    for (int i = 0; i < 2; ++i) {
        const Reply ping = request("GET", pollQuery(sid));
        QCOMPARE(ping.body, QByteArrayLiteral("2"));
        QCOMPARE(request("POST", pollQuery(sid), "3").body, QByteArrayLiteral("ok"));
    }
    QCOMPARE(m_server->socketCount(), 1);
}

static QStringList s_serverInfo;
static QtMessageHandler s_previousHandler = nullptr;

static void captureServerInfo(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (context.category && qstrcmp(context.category, "agentconsole.server") == 0)
        s_serverInfo.append(message);
    s_previousHandler(type, context, message);
}

void TestWidgetServerPolling::pingTimeoutEndsSession()
{
    m_server->setPingTiming(100, 100);
    const QString sid = connectedSession();
    QVERIFY(!sid.isEmpty());
    s_serverInfo.clear();
    s_previousHandler = qInstallMessageHandler(captureServerInfo);
    const auto timedOut = [] { return s_serverInfo.filter(QStringLiteral("no pong within")).size() == 1; };
    const bool declared = QTest::qWaitFor(timedOut, 5000);
    qInstallMessageHandler(s_previousHandler);
    QVERIFY(declared);
    // The ping no poll fetched is not handed to a poll that comes after the deadline: the session is gone.
    QCOMPARE(request("GET", pollQuery(sid)).status, 400);
    QTRY_COMPARE(m_server->socketCount(), 0);
}

void TestWidgetServerPolling::corsPreflight()
{
    const Reply reply = request("OPTIONS", pollQuery(), {},
        {{"Origin", "https://shop.example"}, {"Access-Control-Request-Method", "POST"},
            {"Access-Control-Request-Headers", "content-type, x-widget"}});
    QCOMPARE(reply.status, 204);
    QCOMPARE(reply.raw->rawHeader("Access-Control-Allow-Origin"), QByteArrayLiteral("https://shop.example"));
    QCOMPARE(reply.raw->rawHeader("Access-Control-Allow-Credentials"), QByteArrayLiteral("true"));
    QVERIFY(reply.raw->rawHeader("Access-Control-Allow-Methods").contains("POST"));
    QCOMPARE(reply.raw->rawHeader("Access-Control-Allow-Headers"), QByteArrayLiteral("content-type, x-widget"));
    QCOMPARE(m_server->socketCount(), 0);
}

void TestWidgetServerPolling::corsOnPolls()
{
    const Reply open = request("GET", pollQuery(), {}, {{"Origin", "https://shop.example"}});
    QCOMPARE(open.status, 200);
    QCOMPARE(open.raw->rawHeader("Access-Control-Allow-Origin"), QByteArrayLiteral("https://shop.example"));
    QCOMPARE(open.raw->rawHeader("Access-Control-Allow-Credentials"), QByteArrayLiteral("true"));
    const Reply refused = request("GET", pollQuery(QStringLiteral("nope")), {}, {{"Origin", "https://shop.example"}});
    QCOMPARE(refused.status, 400);
    QCOMPARE(refused.raw->rawHeader("Access-Control-Allow-Origin"), QByteArrayLiteral("https://shop.example"));
    // Without an Origin (not a browser) no CORS headers are invented.
    QVERIFY(!request("GET", pollQuery()).raw->hasRawHeader("Access-Control-Allow-Origin"));
}

void TestWidgetServerPolling::upgradeToWebSocket()
{
    const QString sid = connectedSession();
    QVERIFY(!sid.isEmpty());
    QNetworkReply *poll = start("GET", pollQuery(sid)); // the client always has a poll waiting

    SocketClient probe;
    QUrl url = socketUrl(*m_server, QStringLiteral("t1"), QStringLiteral("c1"));
    QUrlQuery query(url);
    query.addQueryItem(QStringLiteral("sid"), sid);
    url.setQuery(query);
    QSignalSpy connected(&probe.socket, &QWebSocket::connected);
    probe.open(url);
    QVERIFY(connected.wait(5000));
    probe.socket.sendTextMessage(QStringLiteral("2probe"));
    QTRY_COMPARE(probe.frames, QStringList {QStringLiteral("3probe")}); // no open packet on a probe
    const Reply noop = finish(poll); // the waiting poll ends so the client can send "5"
    QCOMPARE(noop.status, 200);
    QCOMPARE(noop.body, QByteArrayLiteral("6"));
    probe.socket.sendTextMessage(QStringLiteral("5"));
    QTRY_COMPARE(request("GET", pollQuery(sid)).status, 400); // polling is over for this sid

    m_server->injectInbound(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("over ws"));
    QTRY_COMPARE(probe.events(QStringLiteral("inbound_message")).size(), 1);
    QCOMPARE(m_server->socketCount(), 1); // the same Socket.IO connection, now on the WebSocket

    SocketClient second; // a second probe for an upgraded session is closed
    QSignalSpy secondClosed(&second.socket, &QWebSocket::disconnected);
    second.open(url);
    QVERIFY(secondClosed.wait(5000));
    QCOMPARE(second.frames, QStringList {});
}

QTEST_GUILESS_MAIN(TestWidgetServerPolling)
#include "tst_widgetserver_polling.moc"
