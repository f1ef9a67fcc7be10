// The shipped nginx config (deploy/nginx/widget-server.conf) run by a real nginx in front of two
// widget-server processes on one data dir: a Socket.IO client over WebSocket and one over long-polling
// connect through it, a POST /send through it reaches both as status events, every request of a polling
// session reaches the instance that opened it, the proxy's timeouts outlast the heartbeat, /metrics stays
// private, a 2 MiB upload passes, and when the serving instance stops the next sessions and send go to the
// other one. Skipped with a message when nginx is not installed (a failure with AGENT_CONSOLE_REQUIRE_ALL=1).
#include "childprocess.h"
#include "freeport.h"
#include "missingdependency.h"
#include "server/testclient.h"

#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <array>
#include <functional>
#include <memory>
#include <unistd.h>

namespace {

const QString Conversation = QStringLiteral("c1");
const QByteArray SocketIoRequest = QByteArrayLiteral("\"path\":\"/socket.io/\"");
const QByteArray SendRequest = QByteArrayLiteral("\"path\":\"/api/v1/widget/send\"");

QString engineQuery(const QString &transport, const QString &sid = {})
{
    QString query = QStringLiteral("EIO=4&transport=%1&tenantId=t1&conversationId=%2").arg(transport, Conversation);
    if (!sid.isEmpty())
        query += QStringLiteral("&sid=") + sid;
    return query;
}

QString connectPacket()
{
    return QStringLiteral("40")
        + QJsonDocument(QJsonObject {{QStringLiteral("token"), TestToken}}).toJson(QJsonDocument::Compact);
}

// The statuses of one message among status_update events, in arrival order.
QStringList statusesOf(const QList<QJsonObject> &events, const QString &messageId)
{
    QStringList statuses;
    for (const QJsonObject &event : events) {
        if (event.value(u"messageId").toString() == messageId)
            statuses.append(event.value(u"status").toString());
    }
    return statuses;
}

// A raw Engine.IO long-polling client that never upgrades: every exchange is one more HTTP request
// through the proxy (handshake, the CONNECT POST, a GET after every answered GET, a POST per pong).
class PollingClient : public QObject
{
public:
    explicit PollingClient(const QUrl &base)
        : m_base(base)
    {
        m_network.setProxy(QNetworkProxy::NoProxy);
    }

    // The handshake and the Socket.IO CONNECT, waited for; then it keeps a GET waiting until the session ends.
    bool open()
    {
        send("GET", {}, [this](const QByteArray &body) { onOpen(body); });
        return QTest::qWaitFor([this] { return m_connected || m_ended; }, 10000) && m_connected;
    }
    bool isEnded() const { return m_ended; }
    int requests() const { return m_requests; }
    QString failure() const { return m_failure; }
    QList<QJsonObject> statusUpdates() const { return m_statusUpdates; }
    QJsonObject handshake() const { return m_handshake; }

private:
    void send(const QByteArray &verb, const QByteArray &body, std::function<void(const QByteArray &)> done)
    {
        QUrl url = m_base;
        url.setPath(QStringLiteral("/socket.io/"));
        url.setQuery(engineQuery(QStringLiteral("polling"), m_sid));
        QNetworkRequest request(url);
        request.setTransferTimeout(60000);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/plain;charset=UTF-8"));
        QNetworkReply *reply = m_network.sendCustomRequest(request, verb, body);
        const int number = ++m_requests;
        connect(reply, &QNetworkReply::finished, this, [this, reply, verb, number, done = std::move(done)] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QByteArray answer = reply->readAll();
            if (m_ended)
                return;
            if (status != 200) {
                m_failure = QStringLiteral("%1 #%2 answered %3: %4")
                                .arg(QString::fromLatin1(verb))
                                .arg(number)
                                .arg(status)
                                .arg(QString::fromUtf8(answer.left(200)));
                m_ended = true;
                return;
            }
            done(answer);
        });
    }
    void onOpen(const QByteArray &body)
    {
        m_handshake = QJsonDocument::fromJson(body.mid(1)).object();
        m_sid = m_handshake.value(u"sid").toString();
        if (!body.startsWith('0') || m_sid.isEmpty()) {
            m_failure = QStringLiteral("no open packet: ") + QString::fromUtf8(body.left(200));
            m_ended = true;
            return;
        }
        send("POST", connectPacket().toUtf8(), [](const QByteArray &) {});
        poll();
    }
    void poll()
    {
        send("GET", {}, [this](const QByteArray &body) {
            for (const QByteArray &packet : body.split('\x1e'))
                onPacket(QString::fromUtf8(packet));
            if (!m_ended)
                poll();
        });
    }
    void onPacket(const QString &packet)
    {
        if (packet == u"2") {
            send("POST", "3", [](const QByteArray &) {});
        } else if (packet == u"1" || packet.startsWith(u"41")) {
            m_ended = true;
        } else if (packet.startsWith(u"40{")) {
            m_connected = true;
        } else if (packet.startsWith(u"42[\"status_update\",")) {
            m_statusUpdates.append(QJsonDocument::fromJson(packet.mid(2).toUtf8()).array().at(1).toObject());
        }
    }

    QUrl m_base;
    QNetworkAccessManager m_network;
    QString m_sid;
    QJsonObject m_handshake;
    QString m_failure;
    QList<QJsonObject> m_statusUpdates;
    int m_requests = 0;
    bool m_connected = false;
    bool m_ended = false;
};

} // namespace

class TestNginxProxy : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void bothTransportsThroughTheProxy();
    void timeoutsOutlastTheHeartbeat();
    void metricsStayPrivate();
    void uploadsAsLargeAsTheServerTakes();
    void anotherInstanceTakesOverWhenOneStops();
    void instancesStopCleanly();

private:
    // The shipped config with the test's instances and port; false (and a failure) if its lines moved.
    bool renderConfig(const QList<quint16> &instancePorts, quint16 listenPort, QString *site);
    std::unique_ptr<ChildProcess> startInstance(quint16 *port);
    // nginx in the foreground on a free port with the rendered site; an empty string once it serves.
    QString startNginx(const QString &program, const QList<quint16> &instancePorts);
    QUrl proxyUrl() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_proxyPort)); }
    std::unique_ptr<SocketClient> connectWebSocket();
    int instanceServing() const; // the index of the instance that logged socket.io requests, -1 if both or none
    QString sendReply(const QString &messageId);

    QTemporaryDir m_dir;
    std::array<std::unique_ptr<ChildProcess>, 2> m_instances;
    std::unique_ptr<ChildProcess> m_nginx;
    quint16 m_proxyPort = 0;
};

bool TestNginxProxy::renderConfig(const QList<quint16> &instancePorts, quint16 listenPort, QString *site)
{
    QFile file(QStringLiteral(DEPLOY_DIR "/nginx/widget-server.conf"));
    if (!file.open(QIODevice::ReadOnly))
        return false;
    *site = QString::fromUtf8(file.readAll());
    static const QRegularExpression server(
        QStringLiteral("^(\\s*server\\s+)\\S+:\\d+"), QRegularExpression::MultilineOption);
    static const QRegularExpression listen(QStringLiteral("^(\\s*listen\\s+)80;"), QRegularExpression::MultilineOption);
    QList<QRegularExpressionMatch> servers;
    for (auto it = server.globalMatch(*site); it.hasNext();)
        servers.append(it.next());
    if (servers.size() != instancePorts.size() || site->count(listen) != 1)
        return false;
    for (qsizetype i = servers.size() - 1; i >= 0; --i) {
        site->replace(servers[i].capturedStart(), servers[i].capturedLength(),
            servers[i].captured(1) + QStringLiteral("127.0.0.1:%1").arg(instancePorts[i]));
    }
    site->replace(listen, QStringLiteral("\\1127.0.0.1:%1;").arg(listenPort));
    return true;
}

std::unique_ptr<ChildProcess> TestNginxProxy::startInstance(quint16 *port)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("WIDGET_SERVER_TOKEN"), TestToken);
    // Behind a proxy every client has the proxy's address: the per-address limit is the proxy's to set.
    auto instance = std::make_unique<ChildProcess>(QStringLiteral(WIDGET_SERVER),
        QStringList {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"),
            m_dir.filePath(QStringLiteral("data")), QStringLiteral("--add-conversation"),
            QStringLiteral("t1:%1:Ada").arg(Conversation), QStringLiteral("--max-connections-per-ip"),
            QStringLiteral("0"), QStringLiteral("--send-rate"), QStringLiteral("0"),
            QStringLiteral("--shutdown-timeout"), QStringLiteral("2")},
        env);
    static const QRegularExpression listening(QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)"));
    const bool settled = QTest::qWaitFor(
        [&] {
            for (const QByteArray &line : instance->lines()) {
                if (const auto match = listening.match(QString::fromUtf8(line)); match.hasMatch())
                    *port = quint16(match.captured(1).toUInt());
            }
            return *port != 0 || !instance->isRunning();
        },
        20000);
    if (!settled || *port == 0)
        qWarning().noquote() << "widget-server did not come up:" << instance->standardError().right(2000);
    return instance;
}

void TestNginxProxy::initTestCase()
{
    // Debian puts it in /usr/sbin, which is not on every user's PATH.
    QString nginx = QStandardPaths::findExecutable(QStringLiteral("nginx"));
    if (nginx.isEmpty())
        nginx = QStandardPaths::findExecutable(
            QStringLiteral("nginx"), {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")});
    if (nginx.isEmpty())
        SKIP_MISSING_DEPENDENCY(
            QStringLiteral("nginx is not installed (Debian package nginx): the shipped nginx config "
                           "cannot be tried in front of widget-server"));
    QVERIFY(m_dir.isValid());

    // One after the other: the second opens the data dir the first has created.
    QList<quint16> ports;
    for (auto &instance : m_instances) {
        quint16 port = 0;
        instance = startInstance(&port);
        QVERIFY(port != 0);
        ports.append(port);
    }

    const QString failure = startNginx(nginx, ports);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
}

QString TestNginxProxy::startNginx(const QString &program, const QList<quint16> &instancePorts)
{
    m_proxyPort = freeLocalPort();
    QString site;
    if (m_proxyPort == 0 || !renderConfig(instancePorts, m_proxyPort, &site))
        return QStringLiteral(
            "deploy/nginx/widget-server.conf no longer has one `listen 80;` and two upstream `server` lines");
    // nginx's own files all in the temporary dir: it runs in the foreground, as whoever runs the test.
    // As root its workers would switch to `nobody`, who cannot write the temp dirs, so they stay root.
    const QString main = (::geteuid() == 0 ? QStringLiteral("user root;\n") : QString())
        + QStringLiteral("daemon off;\nworker_processes 1;\npid nginx.pid;\nerror_log stderr warn;\n"
                         "events { worker_connections 256; }\n"
                         "http {\n"
                         "    access_log off;\n"
                         "    client_body_temp_path body; proxy_temp_path proxy; fastcgi_temp_path fastcgi;\n"
                         "    uwsgi_temp_path uwsgi; scgi_temp_path scgi;\n"
                         "    include site.conf;\n"
                         "}\n");
    for (const auto &[name, text] :
        {std::pair {QStringLiteral("site.conf"), site}, {QStringLiteral("nginx.conf"), main}}) {
        QFile file(m_dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) != text.toUtf8().size())
            return QStringLiteral("cannot write ") + file.fileName();
    }
    m_nginx = std::make_unique<ChildProcess>(program,
        QStringList {QStringLiteral("-p"), m_dir.path() + u'/', QStringLiteral("-c"),
            m_dir.filePath(QStringLiteral("nginx.conf")), QStringLiteral("-e"), QStringLiteral("stderr")},
        QProcessEnvironment::systemEnvironment(), m_dir.path());
    HttpClient http(proxyUrl());
    const bool up = QTest::qWaitFor(
        [&] { return !m_nginx->isRunning() || http.get(QStringLiteral("/healthz")).status == 200; }, 20000);
    return up && m_nginx->isRunning() ? QString() : QStringLiteral("nginx did not serve: ") + m_nginx->standardError();
}

void TestNginxProxy::cleanupTestCase()
{
    m_nginx.reset();
    for (auto &instance : m_instances)
        instance.reset();
}

std::unique_ptr<SocketClient> TestNginxProxy::connectWebSocket()
{
    auto client = std::make_unique<SocketClient>();
    client->autoPong = true;
    QUrl url = proxyUrl();
    url.setScheme(QStringLiteral("ws"));
    url.setPath(QStringLiteral("/socket.io/"));
    url.setQuery(engineQuery(QStringLiteral("websocket")));
    // A refused handshake is an error (Qt 6.4's name for errorOccurred): no need to wait out the timeout.
    QSignalSpy closed(&client->socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
    client->open(url);
    if (!QTest::qWaitFor([&] { return !client->frames.isEmpty() || !closed.isEmpty(); }, 10000)
        || client->frames.isEmpty() || !client->frames.first().startsWith(u'0'))
        return nullptr;
    client->socket.sendTextMessage(connectPacket());
    if (!QTest::qWaitFor([&] { return client->frames.size() > 1; }, 10000) || !client->frames.at(1).startsWith(u"40{"))
        return nullptr;
    return client;
}

int TestNginxProxy::instanceServing() const
{
    QList<int> serving;
    for (int i = 0; i < int(m_instances.size()); ++i) {
        if (m_instances[i] && m_instances[i]->isRunning()
            && m_instances[i]->standardError().toUtf8().contains(SocketIoRequest))
            serving.append(i);
    }
    return serving.size() == 1 ? serving.first() : -1;
}

QString TestNginxProxy::sendReply(const QString &messageId)
{
    HttpClient http(proxyUrl());
    const HttpResult result = http.post(QStringLiteral("/api/v1/widget/send"),
        QJsonObject {{QStringLiteral("messageId"), messageId}, {QStringLiteral("conversationId"), Conversation},
            {QStringLiteral("tenantId"), QStringLiteral("t1")}, {QStringLiteral("integrationId"), QStringLiteral("i1")},
            {QStringLiteral("text"), QStringLiteral("through nginx")}});
    return result.status == 200
        ? QString()
        : QStringLiteral("POST /send answered %1: %2").arg(result.status).arg(QString::fromUtf8(result.body));
}

void TestNginxProxy::bothTransportsThroughTheProxy()
{
    // WebSocket: fails at the handshake when nginx does not pass Upgrade and Connection on.
    const auto webSocket = connectWebSocket();
    QVERIFY2(webSocket, "no Socket.IO session over WebSocket through nginx");

    PollingClient polling(proxyUrl());
    QVERIFY2(polling.open(), qPrintable(polling.failure()));

    QCOMPARE(sendReply(QStringLiteral("msg_nginx_1")), QString());
    const QStringList progression {QStringLiteral("sent"), QStringLiteral("delivered"), QStringLiteral("read")};
    QTRY_COMPARE_WITH_TIMEOUT(
        statusesOf(webSocket->events(QStringLiteral("status_update")), QStringLiteral("msg_nginx_1")), progression,
        10000);
    QTRY_COMPARE_WITH_TIMEOUT(statusesOf(polling.statusUpdates(), QStringLiteral("msg_nginx_1")), progression, 10000);
    // Stickiness: every request of the polling session reached the instance that opened it (another one
    // answers an unknown sid with 400, which ends the client), and it made many.
    QVERIFY2(!polling.isEnded(), qPrintable(polling.failure()));
    QVERIFY2(polling.requests() >= 5, qPrintable(QString::number(polling.requests())));
    QVERIFY(instanceServing() >= 0);
}

void TestNginxProxy::timeoutsOutlastTheHeartbeat()
{
    // A held poll or a quiet WebSocket sees nothing for up to pingInterval, and the server gives a silent
    // client pingInterval + pingTimeout: nginx must not cut the connection before that. (Holding a poll for
    // a minute to see it would take a minute; the figures come from the instances' own handshake.)
    PollingClient polling(proxyUrl());
    QVERIFY2(polling.open(), qPrintable(polling.failure()));
    const int heartbeatMs
        = polling.handshake().value(u"pingInterval").toInt() + polling.handshake().value(u"pingTimeout").toInt();
    QVERIFY(heartbeatMs > 0);
    QString site;
    QVERIFY(renderConfig({8081, 8082}, 8080, &site));
    static const QRegularExpression socketIo(QStringLiteral("location /socket\\.io/ \\{([^}]*)\\}"));
    const QString location = socketIo.match(site).captured(1);
    for (const char *directive : {"proxy_read_timeout", "proxy_send_timeout"}) {
        const auto match
            = QRegularExpression(QStringLiteral("\\b%1\\s+(\\d+)s;").arg(QLatin1String(directive))).match(location);
        QVERIFY2(match.hasMatch(), directive);
        QVERIFY2(match.captured(1).toInt() * 1000 > heartbeatMs, directive);
    }
}

void TestNginxProxy::metricsStayPrivate()
{
    HttpClient proxy(proxyUrl());
    QCOMPARE(proxy.get(QStringLiteral("/metrics")).status, 404);
    QCOMPARE(proxy.get(QStringLiteral("/healthz")).json.value(u"status").toString(), QStringLiteral("ok"));
}

void TestNginxProxy::uploadsAsLargeAsTheServerTakes()
{
    // 2 MiB: over nginx's default client_max_body_size (1 MiB), under --max-upload-bytes (16 MiB).
    const QByteArray boundary = "----nginx-test-boundary";
    const QByteArray pdf = "%PDF-1.4\n" + QByteArray(2 * 1024 * 1024, 'x');
    const QByteArray body = "--" + boundary
        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\nContent-Type: "
          "application/pdf\r\n\r\n"
        + pdf + "\r\n--" + boundary + "--\r\n";
    HttpClient http(proxyUrl());
    const HttpResult result
        = http.request("POST", QStringLiteral("/api/v1/widget/upload?conversationId=") + Conversation, body,
            {{"Content-Type", "multipart/form-data; boundary=" + boundary}, {"Idempotency-Key", "upload_1"}});
    QVERIFY2(result.status == 200,
        qPrintable(QString::number(result.status) + u' ' + QString::fromUtf8(result.body.left(300))));
    QCOMPARE(result.json.value(u"size").toInt(), pdf.size());
}

void TestNginxProxy::anotherInstanceTakesOverWhenOneStops()
{
    const int serving = instanceServing();
    QVERIFY(serving >= 0);
    const int other = 1 - serving;
    m_instances[serving]->stop(); // SIGTERM: a rolling deploy's stop
    QVERIFY(!m_instances[serving]->isRunning());
    QVERIFY2(
        !m_instances[serving]->hasSanitizerReport(), qPrintable(m_instances[serving]->standardError().right(4000)));
    m_instances[serving].reset();

    const auto webSocket = connectWebSocket();
    QVERIFY2(webSocket, "no Socket.IO session over WebSocket through nginx after the stop");
    PollingClient polling(proxyUrl());
    QVERIFY2(polling.open(), qPrintable(polling.failure()));
    QCOMPARE(sendReply(QStringLiteral("msg_nginx_2")), QString());
    QTRY_VERIFY_WITH_TIMEOUT(
        statusesOf(webSocket->events(QStringLiteral("status_update")), QStringLiteral("msg_nginx_2")).contains(u"sent"),
        10000);
    QTRY_VERIFY_WITH_TIMEOUT(
        statusesOf(polling.statusUpdates(), QStringLiteral("msg_nginx_2")).contains(u"sent"), 10000);
    QVERIFY2(!polling.isEnded(), qPrintable(polling.failure()));
    QTRY_VERIFY(m_instances[other]->standardError().toUtf8().contains(SendRequest));
}

void TestNginxProxy::instancesStopCleanly()
{
    for (auto &instance : m_instances) {
        if (!instance)
            continue;
        instance->stop();
        QVERIFY(!instance->isRunning());
        QVERIFY2(!instance->hasSanitizerReport(), qPrintable(instance->standardError().right(4000)));
    }
}

QTEST_GUILESS_MAIN(TestNginxProxy)
#include "tst_nginxproxy.moc"
