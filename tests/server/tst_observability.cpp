// What an operator sees of widget-server: one JSON access-log line per request with its fields and
// never the token, /healthz, and /metrics in the Prometheus text format with values that follow real
// requests and sockets.

#include "accesslog.h"
#include "metrics.h"
#include "rawhttp.h"
#include "serveroperations.h"
#include "testclient.h"
#include "widgetserver.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

namespace {

QByteArray sendBody(const QString &messageId)
{
    return QJsonDocument(QJsonObject {{QStringLiteral("tenantId"), QStringLiteral("t1")},
                             {QStringLiteral("conversationId"), QStringLiteral("c1")},
                             {QStringLiteral("integrationId"), QStringLiteral("i1")},
                             {QStringLiteral("messageId"), messageId}, {QStringLiteral("text"), QStringLiteral("hi")}})
        .toJson(QJsonDocument::Compact);
}

QByteArray request(const QByteArray &method, const QByteArray &target, const QByteArray &body = {},
    const QByteArray &token = TestToken.toUtf8())
{
    QByteArray out = method + ' ' + target + " HTTP/1.1\r\nHost: x\r\nX-Tenant-ID: t1\r\n";
    if (!token.isEmpty())
        out += "Authorization: Bearer " + token + "\r\n";
    if (!body.isEmpty())
        out += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    return out + "\r\n" + body;
}

// The text exposition format, line by line (prometheus/docs exposition_formats.md).
const QRegularExpression sampleLine(
    QStringLiteral(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")"
                   R"((?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*\})? )"
                   R"(([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|NaN|[+-]Inf)$)"));
const QRegularExpression helpLine(QStringLiteral(R"(^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (?:[^\\\n]|\\[\\n])*$)"));
const QRegularExpression typeLine(
    QStringLiteral(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$)"));

// Checks every line against the grammar; returns "" or what is wrong.
QString checkExposition(const QByteArray &text)
{
    if (!text.endsWith('\n'))
        return QStringLiteral("no final newline");
    QSet<QString> typed;
    QSet<QString> helped;
    const QList<QByteArray> lines = text.chopped(1).split('\n');
    for (const QByteArray &raw : lines) {
        const QString line = QString::fromUtf8(raw);
        if (const auto m = typeLine.match(line); m.hasMatch()) {
            if (typed.contains(m.captured(1)))
                return QStringLiteral("TYPE twice: ") + line;
            typed.insert(m.captured(1));
        } else if (const auto h = helpLine.match(line); h.hasMatch()) {
            if (helped.contains(h.captured(1)))
                return QStringLiteral("HELP twice: ") + line;
            helped.insert(h.captured(1));
        } else if (const auto s = sampleLine.match(line); s.hasMatch()) {
            if (!typed.contains(s.captured(1)))
                return QStringLiteral("sample before its TYPE: ") + line;
        } else {
            return QStringLiteral("not in the grammar: ") + line;
        }
    }
    return {};
}

} // namespace

class TestObservability : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void accessLogLinePerRequest();
    void accessLogNeverHoldsTheToken();
    void accessLogTextFormat();
    void healthz();
    void metricsFormat();
    void metricsEscaping();
    void metricsValuesFollowRequests();
    void metricsRestrictedToAllowedPeers();

private:
    double metric(const QByteArray &name, const Metrics::Labels &labels = {})
    {
        return m_server->operations()->metrics().value(name, labels);
    }
    QList<QJsonObject> jsonLines() const
    {
        QList<QJsonObject> out;
        for (const QByteArray &line : m_lines)
            out.append(QJsonDocument::fromJson(line).object());
        return out;
    }

    std::unique_ptr<WidgetServer> m_server;
    QList<QByteArray> m_lines;
};

void TestObservability::init()
{
    m_lines.clear();
    m_server = std::make_unique<WidgetServer>();
    m_server->setToken(TestToken);
    m_server->addConversation(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("Customer"));
    m_server->operations()->setAccessLog(
        std::make_unique<AccessLog>(AccessLog::Format::Json, [this](const QByteArray &line) { m_lines.append(line); }));
    QVERIFY(m_server->listen());
}

void TestObservability::cleanup()
{
    m_server.reset();
}

void TestObservability::accessLogLinePerRequest()
{
    const quint16 port = m_server->port();
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    const RawResponse context = rawRequest(port, request("GET", "/api/v1/widget/context/c1"));
    const RawResponse send = rawRequest(port, request("POST", "/api/v1/widget/send", sendBody(QStringLiteral("m1"))));
    const RawResponse missing = rawRequest(port, request("GET", "/nowhere"));
    const RawResponse unauthorized = rawRequest(port, request("GET", "/api/v1/widget/context/c1", {}, {}));
    const RawResponse tooLarge = rawRequest(port,
        "POST /api/v1/widget/send HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n"); // refused by the guard
    QCOMPARE(context.status, 200);
    QCOMPARE(send.status, 200);
    QCOMPARE(missing.status, 404);
    QCOMPARE(unauthorized.status, 401);
    QCOMPARE(tooLarge.status, 413);

    QTRY_COMPARE(m_lines.size(), 5);
    const QList<QJsonObject> lines = jsonLines();
    const QList<const RawResponse *> responses {&context, &send, &missing, &unauthorized, &tooLarge};
    const QStringList methods {QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("GET"),
        QStringLiteral("GET"), QStringLiteral("POST")};
    const QStringList paths {QStringLiteral("/api/v1/widget/context/c1"), QStringLiteral("/api/v1/widget/send"),
        QStringLiteral("/nowhere"), QStringLiteral("/api/v1/widget/context/c1"), QStringLiteral("/api/v1/widget/send")};
    const QRegularExpression hex16(QStringLiteral("^[0-9a-f]{16}$"));
    for (int i = 0; i < 5; ++i) {
        const QJsonObject &line = lines.at(i);
        QVERIFY2(!line.isEmpty(), m_lines.at(i).constData());
        const QDateTime time = QDateTime::fromString(line.value(u"time").toString(), Qt::ISODateWithMs);
        QVERIFY(time.isValid() && time >= before && time <= QDateTime::currentDateTimeUtc());
        QCOMPARE(line.value(u"method").toString(), methods.at(i));
        QCOMPARE(line.value(u"path").toString(), paths.at(i));
        QCOMPARE(line.value(u"status").toInt(), responses.at(i)->status);
        QVERIFY(line.value(u"duration_ms").isDouble() && line.value(u"duration_ms").toDouble() >= 0);
        QCOMPARE(line.value(u"remote").toString(), QStringLiteral("127.0.0.1"));
        QVERIFY(hex16.match(line.value(u"requestId").toString()).hasMatch());
        // The same id the client got back.
        QCOMPARE(line.value(u"requestId").toString().toLatin1(), responses.at(i)->header("X-Request-ID"));
    }
    // The tenant only once the token is known to reach it.
    QCOMPARE(lines.at(0).value(u"tenant").toString(), QStringLiteral("t1"));
    QCOMPARE(lines.at(1).value(u"tenant").toString(), QStringLiteral("t1"));
    QVERIFY(lines.at(3).value(u"tenant").isNull());
    QVERIFY(lines.at(4).value(u"tenant").isNull());
    QSet<QString> ids;
    for (const QJsonObject &line : lines)
        ids.insert(line.value(u"requestId").toString());
    QCOMPARE(ids.size(), 5);
}

void TestObservability::accessLogNeverHoldsTheToken()
{
    const quint16 port = m_server->port();
    rawRequest(port, request("GET", "/api/v1/widget/context/c1?token=" + TestToken.toUtf8() + "&secret=q-s3cr3t"));
    rawRequest(port, request("GET", "/api/v1/widget/context/c1", {}, "wrong-" + TestToken.toUtf8()));
    rawRequest(port, request("POST", "/api/v1/widget/send", sendBody(QStringLiteral("m2"))));
    // A socket: the token travels in the Socket.IO CONNECT, and in the query here too.
    SocketClient client;
    QUrl url = socketUrl(*m_server, QStringLiteral("t1"), QStringLiteral("c1"));
    QUrlQuery query(url);
    query.addQueryItem(QStringLiteral("token"), TestToken);
    url.setQuery(query);
    client.open(url);
    QTRY_VERIFY(!client.frames.isEmpty());
    client.socket.sendTextMessage(QStringLiteral("40{\"token\":\"%1\"}").arg(TestToken));
    QTRY_COMPARE(m_server->socketCount(), 1);

    QTRY_COMPARE(m_lines.size(), 4);
    QCOMPARE(jsonLines().at(3).value(u"status").toInt(), 101); // the WebSocket upgrade
    for (const QByteArray &line : std::as_const(m_lines)) {
        QVERIFY2(!line.contains(TestToken.toUtf8()), line.constData());
        QVERIFY2(!line.contains("q-s3cr3t"), line.constData());
        QVERIFY2(!line.contains("Bearer"), line.constData());
        QVERIFY2(!line.contains("uthorization"), line.constData());
    }
}

void TestObservability::accessLogTextFormat()
{
    m_server->operations()->setAccessLog(
        std::make_unique<AccessLog>(AccessLog::Format::Text, [this](const QByteArray &line) { m_lines.append(line); }));
    rawRequest(m_server->port(), request("GET", "/api/v1/widget/context/c1"));
    QTRY_COMPARE(m_lines.size(), 1);
    const QRegularExpression text(
        QStringLiteral(R"(^\S+Z 127\.0\.0\.1 GET /api/v1/widget/context/c1 200 \d+ms tenant=t1 id=[0-9a-f]{16}$)"));
    QVERIFY2(text.match(QString::fromUtf8(m_lines.first())).hasMatch(), m_lines.first().constData());
}

void TestObservability::healthz()
{
    const quint16 port = m_server->port();
    // No token needed.
    const RawResponse ok = rawRequest(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    QCOMPARE(ok.status, 200);
    // The database and the broker each say how they are.
    const QJsonObject checks {{QStringLiteral("database"),
                                  QJsonObject {{QStringLiteral("status"), QStringLiteral("ok")},
                                      {QStringLiteral("backend"), QStringLiteral("memory")}}},
        {QStringLiteral("broker"), QJsonObject {{QStringLiteral("status"), QStringLiteral("not used")}}}};
    QCOMPARE(ok.json,
        (QJsonObject {{QStringLiteral("status"), QStringLiteral("ok")}, {QStringLiteral("checks"), checks}}));
    QCOMPARE(ok.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(rawRequest(port, "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n").status, 200);
    QCOMPARE(rawRequest(port, "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").status, 405);
}

void TestObservability::metricsFormat()
{
    // Some traffic first, so that labelled samples exist.
    rawRequest(m_server->port(), request("GET", "/api/v1/widget/context/c1"));
    rawRequest(m_server->port(), request("GET", "/nope"));
    const RawResponse r = rawRequest(m_server->port(), "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Content-Type"), QByteArray("text/plain; version=0.0.4; charset=utf-8"));
    const QString problem = checkExposition(r.body);
    QVERIFY2(problem.isEmpty(), qPrintable(problem + QStringLiteral("\n") + QString::fromUtf8(r.body)));
    for (const char *family : {"widget_server_http_requests_total", "widget_server_sends_accepted_total",
             "widget_server_sends_deduplicated_total", "widget_server_sends_rate_limited_total",
             "widget_server_sockets_connected", "widget_server_engine_sessions", "widget_server_uptime_seconds",
             "widget_server_http_connections"}) {
        QVERIFY2(r.body.contains(QByteArray("# TYPE ") + family + ' '), family);
    }
    QVERIFY(r.body.contains("widget_server_http_requests_total{method=\"GET\",route=\"context\",status=\"2xx\"} 1\n"));
    QVERIFY(r.body.contains("widget_server_http_requests_total{method=\"GET\",route=\"other\",status=\"4xx\"} 1\n"));
    // The grammar check can fail: a broken line is caught.
    QVERIFY(!checkExposition("# TYPE x counter\nx{a=\"b} 1\n").isEmpty());
    QVERIFY(!checkExposition("y 1\n").isEmpty());
}

void TestObservability::metricsEscaping()
{
    Metrics metrics;
    metrics.declare("test_total", Metrics::Type::Counter, QStringLiteral("Help with a \\ and a\nnewline."));
    metrics.add("test_total", {{"label", QStringLiteral("quote \" backslash \\ newline \n end")}}, 2);
    metrics.add("test_total", {{"label", QStringLiteral("quote \" backslash \\ newline \n end")}});
    metrics.declare("test_gauge", Metrics::Type::Gauge, QStringLiteral("A gauge."));
    metrics.set("test_gauge", {}, 0.5);
    const QByteArray text = metrics.render();
    const QString problem = checkExposition(text);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(text.contains("test_total{label=\"quote \\\" backslash \\\\ newline \\n end\"} 3\n"));
    QVERIFY(text.contains("# HELP test_total Help with a \\\\ and a\\nnewline.\n"));
    QVERIFY(text.contains("test_gauge 0.5\n"));
    QCOMPARE(metrics.value("test_total", {{"label", QStringLiteral("quote \" backslash \\ newline \n end")}}), 3.0);
    QVERIFY(Metrics::isValidName("a_b:c1"));
    QVERIFY(!Metrics::isValidName("1abc"));
    QVERIFY(!Metrics::isValidName("a-b"));
}

void TestObservability::metricsValuesFollowRequests()
{
    m_server->operations()->sendLimiter().setLimits(0.001, 2);
    const quint16 port = m_server->port();
    const Metrics::Labels sendOk {
        {"method", QStringLiteral("POST")}, {"route", QStringLiteral("send")}, {"status", QStringLiteral("2xx")}};
    QCOMPARE(metric("widget_server_sends_accepted_total"), 0.0);

    QCOMPARE(rawRequest(port, request("POST", "/api/v1/widget/send", sendBody(QStringLiteral("a")))).status, 200);
    QCOMPARE(rawRequest(port, request("POST", "/api/v1/widget/send", sendBody(QStringLiteral("a")))).status, 200);
    QCOMPARE(rawRequest(port, request("POST", "/api/v1/widget/send", sendBody(QStringLiteral("b")))).status, 429);
    QCOMPARE(metric("widget_server_sends_accepted_total"), 2.0);
    QCOMPARE(metric("widget_server_sends_deduplicated_total"), 1.0); // the repeat of "a"
    QCOMPARE(metric("widget_server_sends_rate_limited_total"), 1.0);
    QCOMPARE(metric("widget_server_http_requests_total", sendOk), 2.0);

    // Live gauges: a Socket.IO socket over WebSocket.
    QCOMPARE(metric("widget_server_sockets_connected"), 0.0);
    SocketClient client;
    client.open(socketUrl(*m_server, QStringLiteral("t1"), QStringLiteral("c1")));
    QTRY_VERIFY(!client.frames.isEmpty());
    client.socket.sendTextMessage(QStringLiteral("40{\"token\":\"%1\"}").arg(TestToken));
    QTRY_COMPARE(metric("widget_server_sockets_connected"), 1.0);
    QCOMPARE(metric("widget_server_engine_sessions", {{"transport", QStringLiteral("websocket")}}), 1.0);
    QCOMPARE(metric("widget_server_engine_sessions", {{"transport", QStringLiteral("polling")}}), 0.0);

    // What /metrics renders says the same.
    const RawResponse r = rawRequest(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(r.body.contains("widget_server_sends_accepted_total 2\n"));
    QVERIFY(r.body.contains("widget_server_sends_deduplicated_total 1\n"));
    QVERIFY(r.body.contains("widget_server_sends_rate_limited_total 1\n"));
    QVERIFY(r.body.contains("widget_server_sockets_connected 1\n"));
    QVERIFY(r.body.contains("widget_server_engine_sessions{transport=\"websocket\"} 1\n"));
    QVERIFY(metric("widget_server_uptime_seconds") >= 0);

    client.socket.close();
    QTRY_COMPARE(metric("widget_server_sockets_connected"), 0.0);
    QTRY_COMPARE(metric("widget_server_engine_sessions", {{"transport", QStringLiteral("websocket")}}), 0.0);
}

void TestObservability::metricsRestrictedToAllowedPeers()
{
    m_server->operations()->setMetricsAllowed({QHostAddress::parseSubnet(QStringLiteral("10.0.0.0/8"))});
    const RawResponse r = rawRequest(m_server->port(), "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    QCOMPARE(r.status, 404);
    QVERIFY(!r.body.contains("widget_server"));
    QCOMPARE(rawRequest(m_server->port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").status, 200);
}

QTEST_GUILESS_MAIN(TestObservability)
#include "tst_observability.moc"
