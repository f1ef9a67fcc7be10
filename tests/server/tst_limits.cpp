// Abuse limits of widget-server: the per-token send rate (429 + Retry-After, refilled by a driven
// clock), the body cap answered before the body arrives (413), the per-address connection and session
// limits, and a barrage of malformed requests that must each get a 4xx JSON error with a code.

#include "metrics.h"
#include "ratelimiter.h"
#include "rawhttp.h"
#include "requesthead.h"
#include "serveroperations.h"
#include "testclient.h"
#include "tokenregistry.h"
#include "widgetserver.h"

#include <QTemporaryFile>
#include <QTest>

namespace {

QByteArray sendBody(const QString &messageId, const QString &text = QStringLiteral("hello"))
{
    return QJsonDocument(QJsonObject {{QStringLiteral("tenantId"), QStringLiteral("t1")},
                             {QStringLiteral("conversationId"), QStringLiteral("c1")},
                             {QStringLiteral("integrationId"), QStringLiteral("i1")},
                             {QStringLiteral("messageId"), messageId}, {QStringLiteral("text"), text}})
        .toJson(QJsonDocument::Compact);
}

QByteArray post(const QByteArray &path, const QByteArray &body, const QByteArray &token = TestToken.toUtf8())
{
    return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer " + token
        + "\r\nX-Tenant-ID: t1\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

// A literal with NUL bytes inside, whole.
template <size_t N> QByteArray bytes(const char (&literal)[N])
{
    return QByteArray(literal, N - 1);
}

QByteArray get(const QByteArray &target, const QByteArray &extraHeaders = {})
{
    return "GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestToken.toUtf8()
        + "\r\nX-Tenant-ID: t1\r\n" + extraHeaders + "\r\n";
}

} // namespace

class TestLimits : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void rateLimiterBuckets();
    void requestHeadFraming_data();
    void requestHeadFraming();
    void sendRateLimitedPerToken();
    void retryAfterFollowsTheRate();
    void bodyOverCapRefusedBeforeItArrives();
    void chunkedBodyOverCapRefused();
    void bodyUnderCapGoesThrough();
    void upgradeHeaderAloneKeepsTheGuard_data();
    void upgradeHeaderAloneKeepsTheGuard();
    void pollingPostUpToMaxPayload();
    void bareLineFeedHeadRefused_data();
    void bareLineFeedHeadRefused();
    void connectionLimitPerAddress();
    void sessionLimitPerAddress();
    void malformedRequests_data();
    void malformedRequests();

private:
    double metric(const QByteArray &name, const Metrics::Labels &labels = {})
    {
        return m_server->operations()->metrics().value(name, labels);
    }

    std::unique_ptr<WidgetServer> m_server;
    qint64 m_now = 1000000;
};

void TestLimits::init()
{
    m_server = std::make_unique<WidgetServer>();
    m_server->setToken(TestToken);
    m_server->addConversation(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("Customer"));
    m_server->operations()->sendLimiter().setClock([this] { return m_now; });
    QVERIFY(m_server->listen());
}

void TestLimits::cleanup()
{
    m_server.reset();
}

void TestLimits::rateLimiterBuckets()
{
    qint64 now = 0;
    RateLimiter limiter(2, 3, [&now] { return now; });
    for (int i = 0; i < 3; ++i)
        QVERIFY(limiter.take("a").allowed);
    const RateLimiter::Decision refused = limiter.take("a");
    QVERIFY(!refused.allowed);
    QCOMPARE(refused.retryAfterSeconds, 1); // half a second at 2/s, rounded up
    QVERIFY(limiter.take("b").allowed); // another key has its own bucket
    now += 499;
    QVERIFY(!limiter.take("a").allowed);
    now += 1;
    QVERIFY(limiter.take("a").allowed); // 500 ms earned one token
    now += 60 * 60 * 1000;
    for (int i = 0; i < 3; ++i)
        QVERIFY(limiter.take("a").allowed); // refilled to the burst, not beyond
    QVERIFY(!limiter.take("a").allowed);
    now += 2 * 60 * 1000;
    limiter.take("c"); // a sweep forgets the buckets that refilled completely
    QCOMPARE(limiter.trackedKeys(), 1);

    RateLimiter off(0, 1, [&now] { return now; });
    for (int i = 0; i < 100; ++i)
        QVERIFY(off.take("a").allowed);
}

void TestLimits::requestHeadFraming_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<int>("errorStatus");
    QTest::addColumn<qint64>("contentLength");
    QTest::addColumn<bool>("chunked");
    QTest::addColumn<bool>("websocket");
    QTest::addColumn<QString>("path");

    QTest::newRow("plain GET") << QByteArray("GET /a?b=c HTTP/1.1\r\nHost: x\r\n\r\n") << 0 << -1LL << false << false
                               << QStringLiteral("/a");
    QTest::newRow("POST with length") << QByteArray("POST /s HTTP/1.1\r\ncontent-LENGTH:  12 \r\n\r\n") << 0 << 12LL
                                      << false << false << QStringLiteral("/s");
    QTest::newRow("same length twice") << QByteArray(
        "POST /s HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n")
                                       << 0 << 3LL << false << false << QStringLiteral("/s");
    QTest::newRow("chunked") << QByteArray("POST /s HTTP/1.0\nTransfer-Encoding: Chunked\n\n") << 0 << -1LL << true
                             << false << QStringLiteral("/s");
    QTest::newRow("websocket") << QByteArray("GET /socket.io/?EIO=4 HTTP/1.1\r\nUpgrade: WebSocket\r\n"
                                             "Connection: keep-alive, UPGRADE\r\n\r\n")
                               << 0 << -1LL << false << true << QStringLiteral("/socket.io/");
    QTest::newRow("websocket, Connection twice") << QByteArray("GET / HTTP/1.1\r\nConnection: keep-alive\r\n"
                                                               "Upgrade: websocket\r\nConnection: upgrade\r\n\r\n")
                                                 << 0 << -1LL << false << true << QStringLiteral("/");
    QTest::newRow("Upgrade without Connection is not one")
        << QByteArray("GET /socket.io/?EIO=4 HTTP/1.1\r\nUpgrade: websocket\r\n\r\n") << 0 << -1LL << false << false
        << QStringLiteral("/socket.io/");
    QTest::newRow("Connection without the upgrade token")
        << QByteArray("GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: keep-alive, upgrades\r\n\r\n") << 0 << -1LL
        << false << false << QStringLiteral("/");
    QTest::newRow("Upgrade twice is not one") << QByteArray("GET / HTTP/1.1\r\nUpgrade: websocket\r\n"
                                                            "Upgrade: websocket\r\nConnection: upgrade\r\n\r\n")
                                              << 0 << -1LL << false << false << QStringLiteral("/");
    QTest::newRow("upgrade in HTTP/1.0 is refused")
        << QByteArray("GET /socket.io/?EIO=4 HTTP/1.0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n") << 400
        << -1LL << false << false << QStringLiteral("/socket.io/");
    QTest::newRow("upgrade by POST is not one") << QByteArray("POST / HTTP/1.1\r\nUpgrade: websocket\r\n"
                                                              "Connection: Upgrade\r\n\r\n")
                                                << 0 << -1LL << false << false << QStringLiteral("/");
    QTest::newRow("length with sign") << QByteArray("POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\n") << 400 << -1LL
                                      << false << false << QStringLiteral("/");
    QTest::newRow("length overflow") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n")
                                     << 400 << -1LL << false << false << QStringLiteral("/");
    QTest::newRow("lowercase method") << QByteArray("get / HTTP/1.1\r\n\r\n") << 405 << -1LL << false << false
                                      << QStringLiteral("/");
    QTest::newRow("two spaces") << QByteArray("GET  / HTTP/1.1\r\n\r\n") << 400 << -1LL << false << false << QString();
    QTest::newRow("space in header name")
        << QByteArray("GET / HTTP/1.1\r\nX Y: z\r\n\r\n") << 400 << -1LL << false << false << QStringLiteral("/");
}

void TestLimits::requestHeadFraming()
{
    QFETCH(QByteArray, head);
    const RequestHead parsed = RequestHead::parse(head);
    QTEST(parsed.errorStatus, "errorStatus");
    QTEST(parsed.path, "path");
    if (parsed.errorStatus != 0) {
        QVERIFY(!parsed.errorCode.isEmpty() && !parsed.errorMessage.isEmpty());
        return;
    }
    QTEST(parsed.contentLength, "contentLength");
    QTEST(parsed.chunked, "chunked");
    QTEST(parsed.websocket, "websocket");
}

void TestLimits::sendRateLimitedPerToken()
{
    QTemporaryFile tokens;
    QVERIFY(tokens.open());
    tokens.write("token-a t1\ntoken-b t1\n");
    tokens.flush();
    QVERIFY(m_server->tokenRegistry()->loadFile(tokens.fileName()));
    m_server->operations()->sendLimiter().setLimits(10, 3);
    const quint16 port = m_server->port();

    for (int i = 0; i < 3; ++i)
        QCOMPARE(
            rawRequest(port, post("/api/v1/widget/send", sendBody(QStringLiteral("a%1").arg(i)), "token-a")).status,
            200);
    const RawResponse limited
        = rawRequest(port, post("/api/v1/widget/send", sendBody(QStringLiteral("a9")), "token-a"));
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.errorCode(), QStringLiteral("RATE_LIMITED"));
    QCOMPARE(limited.header("Retry-After"), QByteArray("1"));
    QCOMPARE(limited.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(metric("widget_server_sends_rate_limited_total"), 1.0);
    // The refused message was not accepted: nothing stored under its id.
    QVERIFY(!m_server->acceptedMessageIds(QStringLiteral("t1"), QStringLiteral("c1")).contains(QStringLiteral("a9")));

    // Another token has its own bucket.
    QCOMPARE(rawRequest(port, post("/api/v1/widget/send", sendBody(QStringLiteral("b0")), "token-b")).status, 200);

    // 100 ms at 10/s earn one send, and only one.
    m_now += 100;
    QCOMPARE(rawRequest(port, post("/api/v1/widget/send", sendBody(QStringLiteral("a9")), "token-a")).status, 200);
    QCOMPARE(rawRequest(port, post("/api/v1/widget/send", sendBody(QStringLiteral("a10")), "token-a")).status, 429);
    // A malformed send does not spend a token: it is refused before the limit is asked.
    m_now += 100;
    QCOMPARE(rawRequest(port, post("/api/v1/widget/send", "{", "token-a")).status, 400);
    QCOMPARE(rawRequest(port, post("/api/v1/widget/send", sendBody(QStringLiteral("a10")), "token-a")).status, 200);
    QCOMPARE(metric("widget_server_sends_rate_limited_total"), 2.0);
}

void TestLimits::retryAfterFollowsTheRate()
{
    m_server->operations()->sendLimiter().setLimits(0.25, 1); // one send per 4 s
    const quint16 port = m_server->port();
    QCOMPARE(rawRequest(port, post("/api/v1/widget/send", sendBody(QStringLiteral("m1")))).status, 200);
    RawResponse limited = rawRequest(port, post("/api/v1/widget/send", sendBody(QStringLiteral("m2"))));
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.header("Retry-After"), QByteArray("4"));
    m_now += 2500;
    limited = rawRequest(port, post("/api/v1/widget/send", sendBody(QStringLiteral("m2"))));
    QCOMPARE(limited.header("Retry-After"), QByteArray("2")); // 1.5 s left, rounded up
    m_now += 1500;
    QCOMPARE(rawRequest(port, post("/api/v1/widget/send", sendBody(QStringLiteral("m2")))).status, 200);
}

void TestLimits::bodyOverCapRefusedBeforeItArrives()
{
    m_server->setMaxBodyBytes(1000);
    RawConnection connection;
    QVERIFY(connection.connectTo(m_server->port()));
    // Only the head: the answer must come without the server waiting for (or buffering) the body.
    connection.send("POST /api/v1/widget/send HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestToken.toUtf8()
        + "\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n");
    connection.send(QByteArray(4096, 'x')); // a little of the body is in flight already
    const RawResponse r = connection.read();
    QVERIFY(r.complete);
    QCOMPARE(r.status, 413);
    QCOMPARE(r.errorCode(), QStringLiteral("PAYLOAD_TOO_LARGE"));
    QCOMPARE(r.header("Connection"), QByteArray("close"));
    // The client may go on sending for a while (lingering close) but the server ends the connection.
    connection.send(QByteArray(65536, 'x'));
    QVERIFY(connection.waitClosed());
    QCOMPARE(m_server->sendRequestCount(), 0); // the handler never saw it

    // Through QNetworkAccessManager too, which sends head and body at once.
    HttpClient http(m_server->baseUrl());
    const HttpResult big = http.request("POST", QStringLiteral("/api/v1/widget/send"), QByteArray(200000, ' '));
    QCOMPARE(big.status, 413);
    QCOMPARE(big.json.value(u"error").toObject().value(u"code").toString(), QStringLiteral("PAYLOAD_TOO_LARGE"));
}

void TestLimits::chunkedBodyOverCapRefused()
{
    m_server->setMaxBodyBytes(1000);
    RawConnection connection;
    QVERIFY(connection.connectTo(m_server->port()));
    connection.send("POST /api/v1/widget/send HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    connection.send("200\r\n" + QByteArray(0x200, 'a') + "\r\n");
    connection.send("300\r\n" + QByteArray(0x300, 'a') + "\r\n"); // 1280 bytes in all
    const RawResponse r = connection.read();
    QCOMPARE(r.status, 413);
    QCOMPARE(r.errorCode(), QStringLiteral("PAYLOAD_TOO_LARGE"));
}

void TestLimits::bodyUnderCapGoesThrough()
{
    m_server->setMaxBodyBytes(1000);
    const quint16 port = m_server->port();
    // Keep-alive: several requests on one connection stay framed right (the guard counts the bodies).
    RawConnection connection;
    QVERIFY(connection.connectTo(port));
    for (int i = 0; i < 3; ++i) {
        connection.send(post("/api/v1/widget/send", sendBody(QStringLiteral("k%1").arg(i))));
        const RawResponse r = connection.read();
        QCOMPARE(r.status, 200);
        QVERIFY(!r.closedByServer);
    }
    // A chunked body under the cap reaches the handler.
    const QByteArray body = sendBody(QStringLiteral("chunked"));
    connection.send("POST /api/v1/widget/send HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestToken.toUtf8()
        + "\r\nTransfer-Encoding: chunked\r\n\r\n" + QByteArray::number(body.size(), 16) + "\r\n" + body
        + "\r\n0\r\n\r\n");
    QCOMPARE(connection.read().status, 200);
    QCOMPARE(m_server->acceptedMessageIds(QStringLiteral("t1"), QStringLiteral("c1")).size(), 4);
}

void TestLimits::upgradeHeaderAloneKeepsTheGuard_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status"); // 0: any 4xx with a JSON error code

    QTest::newRow("REST route") << QByteArray("/healthz") << 200;
    QTest::newRow("Engine.IO path") << QByteArray("/socket.io/?EIO=4&transport=websocket&tenantId=t1&conversationId=c1")
                                    << 0;
}

void TestLimits::upgradeHeaderAloneKeepsTheGuard()
{
    // Upgrade: websocket without Connection: Upgrade is no upgrade for Qt's parser: it is answered as
    // plain HTTP, and the connection stays guarded for the requests that follow on it.
    QFETCH(QByteArray, target);
    QFETCH(int, status);
    m_server->setMaxBodyBytes(1000);
    RawConnection connection;
    QVERIFY(connection.connectTo(m_server->port()));
    connection.send(get(target,
        "Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n"));
    const RawResponse answer = connection.read(5000);
    QVERIFY2(answer.complete, "no answer to a GET with an Upgrade header alone");
    if (status != 0) {
        QCOMPARE(answer.status, status);
    } else {
        QVERIFY(answer.status >= 400 && answer.status < 500);
        QCOMPARE(answer.header("Content-Type"), QByteArray("application/json"));
        QVERIFY2(!answer.errorCode().isEmpty(), answer.body.constData());
    }
    QVERIFY(!answer.closedByServer);

    connection.send("POST /api/v1/widget/send HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestToken.toUtf8()
        + "\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n" + QByteArray(4096, 'x'));
    const RawResponse refused = connection.read(5000);
    QVERIFY2(refused.complete, "the body cap no longer guards the connection");
    QCOMPARE(refused.status, 413);
    QCOMPARE(refused.errorCode(), QStringLiteral("PAYLOAD_TOO_LARGE"));
    QCOMPARE(refused.header("Connection"), QByteArray("close"));
    QVERIFY(connection.waitClosed());
}

void TestLimits::pollingPostUpToMaxPayload()
{
    // The open packet announces maxPayload 1000000: a polling POST that large is the protocol's own
    // business, while the body cap still holds for the REST routes.
    m_server->setMaxBodyBytes(64 * 1024);
    RawConnection connection;
    QVERIFY(connection.connectTo(m_server->port()));
    connection.send("GET /socket.io/?EIO=4&transport=polling&tenantId=t1&conversationId=c1 HTTP/1.1\r\n"
                    "Host: x\r\n\r\n");
    const RawResponse open = connection.read();
    QCOMPARE(open.status, 200);
    QVERIFY(open.body.startsWith("0{"));
    const QJsonObject handshake = QJsonDocument::fromJson(open.body.mid(1)).object();
    QCOMPARE(handshake.value(u"maxPayload").toInt(), 1000000);
    const QByteArray sid = handshake.value(u"sid").toString().toLatin1();
    QVERIFY(!sid.isEmpty());

    const QByteArray payload = "4" + QByteArray(100 * 1000, 'a'); // one 100 KB message packet
    connection.send("POST /socket.io/?EIO=4&transport=polling&sid=" + sid
        + " HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: "
        + QByteArray::number(payload.size()) + "\r\n\r\n" + payload);
    const RawResponse posted = connection.read();
    QVERIFY(posted.complete);
    QCOMPARE(posted.status, 200);
    QCOMPARE(posted.body, QByteArray("ok"));

    const RawResponse rest = rawRequest(m_server->port(), post("/api/v1/widget/send", QByteArray(100 * 1000, ' ')));
    QCOMPARE(rest.status, 413);
    QCOMPARE(rest.errorCode(), QStringLiteral("PAYLOAD_TOO_LARGE"));
    // Beyond maxPayload the Engine.IO path is capped too, before the body arrives.
    RawConnection big;
    QVERIFY(big.connectTo(m_server->port()));
    big.send("POST /socket.io/?EIO=4&transport=polling&sid=" + sid
        + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1000001\r\n\r\n");
    const RawResponse tooBig = big.read();
    QCOMPARE(tooBig.status, 413);
    QCOMPARE(tooBig.errorCode(), QStringLiteral("PAYLOAD_TOO_LARGE"));
}

void TestLimits::bareLineFeedHeadRefused_data()
{
    QTest::addColumn<QByteArray>("request");

    // Qt's parser ends the head at "\n\r\n" (a bare LF line, then CRLF) and takes a bare LF for a line
    // end: a head the guard framed differently would let the bytes after it reach Qt unguarded.
    QTest::newRow("LF then CRLF") << QByteArray("GET /healthz HTTP/1.1\r\nHost: x\n\r\n");
    QTest::newRow("LF only") << QByteArray("GET /healthz HTTP/1.1\nHost: x\n\n");
    QTest::newRow("LF in the request line") << QByteArray("GET /healthz HTTP/1.1\nHost: x\r\n\r\n");
}

void TestLimits::bareLineFeedHeadRefused()
{
    QFETCH(QByteArray, request);
    RawConnection connection;
    QVERIFY(connection.connectTo(m_server->port()));
    connection.send(request);
    const RawResponse r = connection.read(5000);
    QVERIFY2(r.complete, "no answer");
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("BAD_REQUEST"));
    QCOMPARE(r.header("Connection"), QByteArray("close"));
    QVERIFY(connection.waitClosed());
    QCOMPARE(rawRequest(m_server->port(), get("/healthz")).status, 200);
}

void TestLimits::connectionLimitPerAddress()
{
    m_server->setMaxConnectionsPerAddress(3);
    const quint16 port = m_server->port();
    std::vector<std::unique_ptr<RawConnection>> open;
    for (int i = 0; i < 3; ++i) {
        open.push_back(std::make_unique<RawConnection>());
        QVERIFY(open.back()->connectTo(port));
        open.back()->send(get("/healthz"));
        QCOMPARE(open.back()->read().status, 200); // accepted, and kept alive
    }
    QCOMPARE(metric("widget_server_http_connections"), 3.0);

    const RawResponse refused = rawRequest(port, get("/healthz"));
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.errorCode(), QStringLiteral("TOO_MANY_CONNECTIONS"));
    QVERIFY(refused.header("Retry-After").toInt() >= 1);

    // Another address is not affected (127.0.0.2 is loopback too).
    RawConnection other;
    QVERIFY(other.connectTo(port, QHostAddress(QStringLiteral("127.0.0.2"))));
    other.send(get("/healthz"));
    QCOMPARE(other.read().status, 200);

    // A WebSocket from the full address is refused as well.
    QWebSocket socket;
    socket.setProxy(QNetworkProxy::NoProxy);
    QSignalSpy connected(&socket, &QWebSocket::connected);
    QSignalSpy failed(&socket, &QWebSocket::disconnected);
    socket.open(socketUrl(*m_server, QStringLiteral("t1"), QStringLiteral("c1")));
    QVERIFY(failed.wait(10000));
    QVERIFY(connected.isEmpty());

    // A closed connection frees its place.
    open.front()->socket().disconnectFromHost();
    QTRY_COMPARE(metric("widget_server_http_connections"), 3.0); // two of ours + 127.0.0.2
    QCOMPARE(rawRequest(port, get("/healthz")).status, 200);
}

void TestLimits::sessionLimitPerAddress()
{
    // Polling sessions outlive their requests: they are counted per address on their own.
    m_server->setMaxConnectionsPerAddress(2);
    RawConnection connection;
    QVERIFY(connection.connectTo(m_server->port()));
    const QByteArray handshake = "GET /socket.io/?EIO=4&transport=polling&tenantId=t1&conversationId=c1 HTTP/1.1\r\n"
                                 "Host: x\r\n\r\n";
    for (int i = 0; i < 2; ++i) {
        connection.send(handshake);
        const RawResponse r = connection.read();
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.startsWith("0{"));
    }
    connection.send(handshake);
    const RawResponse refused = connection.read();
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.errorCode(), QStringLiteral("TOO_MANY_CONNECTIONS"));
    // A WebSocket session too: its TCP connection is the second one (allowed), its session the third.
    QWebSocket socket;
    socket.setProxy(QNetworkProxy::NoProxy);
    QSignalSpy closed(&socket, &QWebSocket::disconnected);
    socket.open(socketUrl(*m_server, QStringLiteral("t1"), QStringLiteral("c1")));
    QVERIFY(closed.wait(10000));
    QCOMPARE(socket.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    QCOMPARE(m_server->operations()->metrics().value(
                 "widget_server_engine_sessions", {{"transport", QStringLiteral("polling")}}),
        2.0);
}

void TestLimits::malformedRequests_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");

    const QByteArray auth = "Authorization: Bearer " + TestToken.toUtf8() + "\r\n";
    QTest::newRow("bad JSON") << post("/api/v1/widget/send", "{\"text\":") << 400;
    QTest::newRow("body not an object") << post("/api/v1/widget/send", "[1,2]") << 400;
    QTest::newRow("empty body") << post("/api/v1/widget/send", "") << 400;
    QTest::newRow("text not a string") << post(
        "/api/v1/widget/send", R"({"tenantId":"t1","conversationId":"c1","messageId":"m","text":5})")
                                       << 400;
    QTest::newRow("ids not strings") << post(
        "/api/v1/widget/send", R"({"tenantId":["t1"],"conversationId":{},"text":"x"})")
                                     << 400;
    QTest::newRow("text too long") << post("/api/v1/widget/send", sendBody(QStringLiteral("m"), QString(5000, u'x')))
                                   << 400;
    QTest::newRow("invalid UTF-8") << post("/api/v1/widget/send", "{\"text\":\"\xff\xfe\"}") << 400;
    QTest::newRow("missing auth") << QByteArray("GET /api/v1/widget/context/c1 HTTP/1.1\r\nHost: x\r\n\r\n") << 401;
    QTest::newRow("wrong token") << QByteArray("GET /api/v1/widget/context/c1 HTTP/1.1\r\nHost: x\r\n"
                                               "Authorization: Bearer nope\r\n\r\n")
                                 << 401;
    QTest::newRow("basic auth") << QByteArray("GET /api/v1/widget/context/c1 HTTP/1.1\r\nHost: x\r\n"
                                              "Authorization: Basic Zm9vOmJhcg==\r\n\r\n")
                                << 401;
    QTest::newRow("unknown route") << get("/nope") << 404;
    QTest::newRow("unknown api route") << get("/api/v1/widget/nope/x") << 404;
    QTest::newRow("wrong method on a route")
        << QByteArray("DELETE /api/v1/widget/send HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n") << 405;
    QTest::newRow("unknown method") << QByteArray("BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n") << 405;
    QTest::newRow("TRACE") << QByteArray("TRACE / HTTP/1.1\r\nHost: x\r\n\r\n") << 405;
    QTest::newRow("CONNECT") << QByteArray("CONNECT example.com:443 HTTP/1.1\r\nHost: x\r\n\r\n") << 405;
    QTest::newRow("garbage request line") << QByteArray("hello there\r\n\r\n") << 400;
    QTest::newRow("binary garbage") << bytes("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n") << 400;
    QTest::newRow("HTTP/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 405;
    QTest::newRow("HTTP/2.0 version") << QByteArray("GET / HTTP/2.0\r\nHost: x\r\n\r\n") << 400;
    QTest::newRow("absolute-form target") << QByteArray("GET http://x/healthz HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
    QTest::newRow("header without colon") << QByteArray("GET /healthz HTTP/1.1\r\nHost x\r\n\r\n") << 400;
    QTest::newRow("header with NUL") << bytes("GET /healthz HTTP/1.1\r\nHost: a\0b\r\n\r\n") << 400;
    QTest::newRow("CR without LF") << QByteArray("GET /healthz HTTP/1.1\r\nHost: x\r\r\n\r\n") << 400;
    QTest::newRow("obs-fold header") << QByteArray("GET /healthz HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n") << 400;
    QTest::newRow("huge header") << get("/healthz", "X-Big: " + QByteArray(100000, 'a') + "\r\n") << 431;
    QTest::newRow("many headers") << get("/healthz", QByteArray("X-A: b\r\n").repeated(5000)) << 431;
    QTest::newRow("huge URL") << get("/api/v1/widget/context/" + QByteArray(100000, 'a')) << 431;
    QTest::newRow("bad Content-Length") << QByteArray("POST /api/v1/widget/send HTTP/1.1\r\nHost: x\r\n"
                                                      "Content-Length: abc\r\n\r\n")
                                        << 400;
    QTest::newRow("negative Content-Length") << QByteArray("POST /api/v1/widget/send HTTP/1.1\r\nHost: x\r\n"
                                                           "Content-Length: -5\r\n\r\n")
                                             << 400;
    QTest::newRow("conflicting Content-Length") << QByteArray("POST /api/v1/widget/send HTTP/1.1\r\nHost: x\r\n"
                                                              "Content-Length: 5\r\nContent-Length: 6\r\n\r\n")
                                                << 400;
    QTest::newRow("Content-Length and chunked") << QByteArray("POST /api/v1/widget/send HTTP/1.1\r\nHost: x\r\n"
                                                              "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")
                                                << 400;
    QTest::newRow("unknown Transfer-Encoding") << QByteArray("POST /api/v1/widget/send HTTP/1.1\r\nHost: x\r\n"
                                                             "Transfer-Encoding: gzip\r\n\r\n")
                                               << 400;
    QTest::newRow("bad chunk size") << QByteArray("POST /api/v1/widget/send HTTP/1.1\r\nHost: x\r\n"
                                                  "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n")
                                    << 400;
    QTest::newRow("bad percent-encoding") << get("/api/v1/widget/context/%zz%") << 404;
    QTest::newRow("encoded slash in id") << get("/api/v1/widget/context/a%2Fb") << 404;
    QTest::newRow("history limit not a number") << get("/api/v1/widget/conversation/c1/history?limit=abc") << 400;
    QTest::newRow("history limit huge") << get("/api/v1/widget/conversation/c1/history?limit=99999999999999999999")
                                        << 400;
    QTest::newRow("history offset negative") << get("/api/v1/widget/conversation/c1/history?offset=-1") << 400;
    QTest::newRow("history bad percent in query") << get("/api/v1/widget/conversation/c1/history?limit=%zz") << 400;
    QTest::newRow("context without tenant")
        << QByteArray("GET /api/v1/widget/context/c1 HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n") << 400;
    QTest::newRow("Engine.IO bad version") << get("/socket.io/?EIO=3&transport=polling") << 400;
    QTest::newRow("Engine.IO unknown transport") << get("/socket.io/?EIO=4&transport=carrier-pigeon") << 400;
    QTest::newRow("Engine.IO unknown sid") << get("/socket.io/?EIO=4&transport=polling&sid=nope") << 400;
    QTest::newRow("Engine.IO without room") << get("/socket.io/?EIO=4&transport=polling") << 403;
    QTest::newRow("WebSocket upgrade on a wrong path") << get("/nope",
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n") << 404;
    QTest::newRow("metrics by POST") << post("/metrics", "{}") << 405;
    QTest::newRow("healthz by DELETE") << QByteArray("DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n") << 405;
}

void TestLimits::malformedRequests()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    const RawResponse r = rawRequest(m_server->port(), request);
    QVERIFY2(r.complete, "no answer: the connection was dropped or timed out");
    QCOMPARE(r.status, status);
    QVERIFY(r.status >= 400 && r.status < 500);
    QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
    QVERIFY2(!r.errorCode().isEmpty(), r.body.constData());
    // The server is still well.
    QCOMPARE(rawRequest(m_server->port(), get("/healthz")).status, 200);
}

QTEST_GUILESS_MAIN(TestLimits)
#include "tst_limits.moc"
