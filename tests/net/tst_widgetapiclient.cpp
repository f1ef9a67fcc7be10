// WidgetApiClient against a real HTTP server on 127.0.0.1:0 that answers from a script, so each test
// controls exactly which attempt fails how, and proves what did not happen (scripted answers left over).
#include "retryschedule.h"
#include "widgetapiclient.h"

#include <QElapsedTimer>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

struct Scripted
{
    int status = 200;
    QByteArray body;
    QByteArray retryAfter;
};

class ScriptedServer
{
public:
    ScriptedServer()
    {
        m_server.route(QStringLiteral("/api/v1/widget/send"), QHttpServerRequest::Method::Post,
                       [this](const QHttpServerRequest &request) { return answer(request); });
        m_server.route(QStringLiteral("/api/v1/widget/context/<arg>"),
                       [this](const QString &, const QHttpServerRequest &request) { return answer(request); });
        m_server.route(QStringLiteral("/api/v1/widget/conversation/<arg>/history"),
                       [this](const QString &, const QHttpServerRequest &request) { return answer(request); });
        m_port = m_server.listen(QHostAddress::LocalHost, 0);
        m_clock.start();
    }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)); }

    QList<Scripted> script;
    QList<qint64> arrivals; // ms since start, one per request
    QList<QJsonObject> bodies;
    QList<QHttpServerRequest::Method> methods;
    QList<QUrl> urls;
    QList<QByteArray> authorizations;
    QList<QByteArray> tenants;

private:
    QHttpServerResponse answer(const QHttpServerRequest &request)
    {
        arrivals.append(m_clock.elapsed());
        bodies.append(QJsonDocument::fromJson(request.body()).object());
        urls.append(request.url());
        authorizations.append(request.value("Authorization"));
        tenants.append(request.value("X-Tenant-ID"));
        const Scripted next = script.isEmpty() ? Scripted{500, "{}", {}} : script.takeFirst();
        QHttpServerResponse response("application/json", next.body, QHttpServerResponse::StatusCode(next.status));
        if (!next.retryAfter.isEmpty())
            response.setHeader("Retry-After", next.retryAfter);
        return response;
    }
    QHttpServer m_server;
    QElapsedTimer m_clock;
    quint16 m_port = 0;
};

static QByteArray accepted(const char *id)
{
    return QByteArray(R"({"success":true,"messageId":")") + id + "\"}";
}
static QByteArray errorBody(const char *message, const char *code)
{
    return QByteArray(R"({"error":{"message":")") + message + R"(","code":")" + code + "\"}}";
}

class TestWidgetApiClient : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<WidgetApiClient> clientFor(const QUrl &url, int timeoutMs = 5000)
    {
        auto client = std::make_unique<WidgetApiClient>();
        client->setConfig(ApiConfig{url, QStringLiteral("t1"), QStringLiteral("i1"), QStringLiteral("secret"), timeoutMs});
        return client;
    }
    static OutgoingReply reply(const char *id = "msg_1_deadbeef")
    {
        return OutgoingReply{QString::fromLatin1(id), QStringLiteral("c1"), QStringLiteral("hello"), QString()};
    }

private slots:
    void sendsTheContractBodyAndHeaders()
    {
        ScriptedServer server;
        server.script = {{200, accepted("msg_1_deadbeef"), {}}};
        auto client = clientFor(server.url());
        QSignalSpy acceptedSpy(client.get(), &WidgetApiClient::sendAccepted);
        client->send(reply());
        QVERIFY(acceptedSpy.wait());
        QCOMPARE(server.bodies.size(), 1);
        const QJsonObject body = server.bodies.first();
        QCOMPARE(body.value(u"messageId").toString(), u"msg_1_deadbeef");
        QCOMPARE(body.value(u"conversationId").toString(), u"c1");
        QCOMPARE(body.value(u"tenantId").toString(), u"t1");
        QCOMPARE(body.value(u"integrationId").toString(), u"i1");
        QCOMPARE(body.value(u"text").toString(), u"hello");
        QVERIFY(body.value(u"mediaUrl").isNull());
        QCOMPARE(server.authorizations.first(), QByteArray("Bearer secret"));
        QCOMPARE(server.tenants.first(), QByteArray("t1"));
    }

    void serverAssignedIdIsReported()
    {
        ScriptedServer server;
        server.script = {{200, accepted("wamid.XYZ"), {}}};
        auto client = clientFor(server.url());
        QSignalSpy spy(client.get(), &WidgetApiClient::sendAccepted);
        client->send(reply());
        QVERIFY(spy.wait());
        QCOMPARE(spy.first().at(0).toString(), u"msg_1_deadbeef");
        QCOMPARE(spy.first().at(1).toString(), u"wamid.XYZ");
    }

    void retriesFourTimesWithBackoff()
    {
        ScriptedServer server;
        const Scripted down{503, errorBody("Upstream unavailable", "UPSTREAM_DOWN"), {}};
        server.script = {down, down, down, down, {200, accepted("never"), {}}};
        auto client = clientFor(server.url());
        QSignalSpy failed(client.get(), &WidgetApiClient::sendFailed);
        QSignalSpy accepted(client.get(), &WidgetApiClient::sendAccepted);
        client->send(reply());
        QVERIFY(failed.wait(10000));
        QCOMPARE(server.arrivals.size(), 4);
        QCOMPARE(server.script.size(), 1); // the sentinel success was never consumed
        QCOMPARE(accepted.size(), 0);
        const QList<qint64> minimumGap{100, 200, 400};
        for (int i = 1; i < 4; ++i)
            QVERIFY2(server.arrivals[i] - server.arrivals[i - 1] >= minimumGap[i - 1],
                     qPrintable(QStringLiteral("gap %1 was %2 ms").arg(i).arg(server.arrivals[i] - server.arrivals[i - 1])));
        for (const QJsonObject &body : server.bodies)
            QCOMPARE(body.value(u"messageId").toString(), u"msg_1_deadbeef");
        const auto error = failed.first().at(1).value<Wire::ApiError>();
        QCOMPARE(error.httpStatus, 503);
        QCOMPARE(error.message, u"Upstream unavailable");
        QCOMPARE(error.code, u"UPSTREAM_DOWN");
    }

    void retryableStatuses_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("attempts");
        QTest::newRow("408") << 408 << 2;
        QTest::newRow("429") << 429 << 2;
        QTest::newRow("500") << 500 << 2;
        QTest::newRow("502") << 502 << 2;
        QTest::newRow("400") << 400 << 1;
        QTest::newRow("401") << 401 << 1;
        QTest::newRow("403") << 403 << 1;
        QTest::newRow("404") << 404 << 1;
        QTest::newRow("409") << 409 << 1;
        QTest::newRow("422") << 422 << 1;
    }
    void retryableStatuses()
    {
        QFETCH(int, status);
        QFETCH(int, attempts);
        ScriptedServer server;
        server.script = {{status, errorBody("integrationId required", "MISSING_FIELD"), {}},
                         {200, accepted("msg_1_deadbeef"), {}}};
        auto client = clientFor(server.url());
        QSignalSpy accepted(client.get(), &WidgetApiClient::sendAccepted);
        QSignalSpy failed(client.get(), &WidgetApiClient::sendFailed);
        client->send(reply());
        QTRY_COMPARE(accepted.size() + failed.size(), 1);
        QCOMPARE(server.arrivals.size(), attempts);
        if (attempts == 1) {
            QCOMPARE(failed.size(), 1);
            QCOMPARE(failed.first().at(1).value<Wire::ApiError>().message, u"integrationId required");
            QCOMPARE(server.script.size(), 1); // never retried
        } else {
            QCOMPARE(accepted.size(), 1);
        }
    }

    void retryAfterIsHonoured()
    {
        ScriptedServer server;
        server.script = {{429, errorBody("Slow down", "RATE_LIMITED"), "1"}, {200, accepted("msg_1_deadbeef"), {}}};
        auto client = clientFor(server.url());
        QSignalSpy accepted(client.get(), &WidgetApiClient::sendAccepted);
        client->send(reply());
        QVERIFY(accepted.wait(5000));
        QCOMPARE(server.arrivals.size(), 2);
        QVERIFY2(server.arrivals[1] - server.arrivals[0] >= 1000, "Retry-After: 1 must delay the retry by 1 s");
    }

    void networkErrorIsRetriedThenFails()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const QUrl url(QStringLiteral("http://127.0.0.1:%1").arg(probe.serverPort()));
        probe.close(); // nothing listens there now: connection refused
        auto client = clientFor(url);
        QSignalSpy attempts(client.get(), &WidgetApiClient::sendAttemptStarted);
        QSignalSpy failed(client.get(), &WidgetApiClient::sendFailed);
        client->send(reply());
        QVERIFY(failed.wait(10000));
        QCOMPARE(attempts.size(), RetrySchedule::MaxSendAttempts);
        const auto error = failed.first().at(1).value<Wire::ApiError>();
        QCOMPARE(error.httpStatus, 0);
        QCOMPARE(error.code, u"NETWORK");
        QVERIFY(!error.message.isEmpty());
    }

    void timeoutIsRetried()
    {
        QTcpServer silent; // accepts connections and never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        auto client = clientFor(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort())), 200);
        QSignalSpy attempts(client.get(), &WidgetApiClient::sendAttemptStarted);
        QSignalSpy failed(client.get(), &WidgetApiClient::sendFailed);
        client->send(reply());
        QVERIFY(failed.wait(15000));
        QCOMPARE(attempts.size(), RetrySchedule::MaxSendAttempts);
        QCOMPARE(failed.first().at(1).value<Wire::ApiError>().code, u"TIMEOUT");
    }

    void unreadableSuccessIsAFailure_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("html") << QByteArray("<html><body>Bad gateway</body></html>");
        QTest::newRow("array") << QByteArray("[1,2]");
        QTest::newRow("success false") << QByteArray(R"({"success":false,"error":{"message":"nope"}})");
    }
    void unreadableSuccessIsAFailure()
    {
        QFETCH(QByteArray, body);
        ScriptedServer server;
        server.script = {{200, body, {}}};
        auto client = clientFor(server.url());
        QSignalSpy failed(client.get(), &WidgetApiClient::sendFailed);
        client->send(reply());
        QVERIFY(failed.wait());
        QCOMPARE(failed.first().at(1).value<Wire::ApiError>().code, u"BAD_REPLY");
    }

    // https:// to a server that answers in plain HTTP: the handshake fails before any request is written.
    // A TLS failure will not fix itself in 400 ms, so it is not retried (RetrySchedule::AttemptFailure::tlsFailed).
    void failedTlsHandshakeIsATlsErrorAndNeverRetried()
    {
        QTcpServer plain;
        QVERIFY(plain.listen(QHostAddress::LocalHost, 0));
        QByteArray received; // every byte the client sent, over all connections
        int connections = 0;
        connect(&plain, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *socket = plain.nextPendingConnection()) {
                ++connections;
                connect(socket, &QTcpSocket::readyRead, socket, [&received, socket] {
                    received += socket->readAll();
                    socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
                });
            }
        });
        auto client = clientFor(QUrl(QStringLiteral("https://127.0.0.1:%1").arg(plain.serverPort())));
        QSignalSpy attempts(client.get(), &WidgetApiClient::sendAttemptStarted);
        QSignalSpy failed(client.get(), &WidgetApiClient::sendFailed);
        client->send(reply());
        QVERIFY(failed.wait(10000));
        const auto error = failed.first().at(1).value<Wire::ApiError>();
        QCOMPARE(error.code, u"TLS");
        QCOMPARE(error.httpStatus, 0);
        QVERIFY2(error.message.startsWith(u"The secure connection to 127.0.0.1 failed: "), qPrintable(error.message));
        QVERIFY(!attempts.wait(1000)); // a retry would start 100 ms after the failure
        QCOMPARE(attempts.size(), 1);
        QCOMPARE(connections, 1);
        // Only a TLS ClientHello went out (record type 0x16): no request line, no token, in clear.
        QVERIFY(received.startsWith('\x16'));
        QVERIFY(!received.contains("POST"));
        QVERIFY(!received.contains("secret"));
    }

    void htmlErrorPageGivesAReadableError()
    {
        ScriptedServer server;
        server.script = {{404, "<html>Not Found</html>", {}}};
        auto client = clientFor(server.url());
        QSignalSpy failed(client.get(), &WidgetApiClient::contextFailed);
        client->fetchContext(QStringLiteral("c1"));
        QVERIFY(failed.wait());
        const auto error = failed.first().at(0).value<Wire::ApiError>();
        QCOMPARE(error.httpStatus, 404);
        QVERIFY(error.message.contains(u"404"));
    }

    void hugeReplyIsRefusedNotRead()
    {
        ScriptedServer server;
        server.script = {{200, QByteArray(R"({"messages":[],"pad":")") + QByteArray(WidgetApiClient::MaxReplyBytes + 1024, 'x') + "\"}", {}}};
        auto client = clientFor(server.url());
        QSignalSpy failed(client.get(), &WidgetApiClient::historyFailed);
        QSignalSpy loaded(client.get(), &WidgetApiClient::historyLoaded);
        client->fetchHistory(QStringLiteral("c1"), 20, 0);
        QVERIFY(failed.wait(20000));
        QCOMPARE(loaded.size(), 0);
        const auto error = failed.first().at(1).value<Wire::ApiError>();
        QCOMPARE(error.code, u"TOO_LARGE");
        QVERIFY(error.message.contains(u"MiB"));
    }

    void redirectsAreNotFollowed()
    {
        ScriptedServer server;
        server.script = {{302, "{}", {}}};
        auto client = clientFor(server.url());
        QSignalSpy failed(client.get(), &WidgetApiClient::contextFailed);
        client->fetchContext(QStringLiteral("c1"));
        QVERIFY(failed.wait());
        QCOMPARE(failed.first().at(0).value<Wire::ApiError>().code, u"REDIRECT");
        QCOMPARE(server.arrivals.size(), 1);
    }

    void historyPageAndOffset()
    {
        ScriptedServer server;
        server.script = {{200, R"({"messages":[{"messageId":"a","direction":"inbound","text":"hi","timestamp":1763892000000},
                          {"id":"b","direction":"outbound","text":"yo","timestamp":"2026-11-23T10:00:00Z","status":"read"}],"total":42})",
                          {}}};
        auto client = clientFor(server.url());
        QSignalSpy loaded(client.get(), &WidgetApiClient::historyLoaded);
        const quint64 request = client->fetchHistory(QStringLiteral("c1"), 20, 40);
        QVERIFY(loaded.wait());
        QCOMPARE(server.urls.first().query(), u"limit=20&offset=40");
        QCOMPARE(loaded.first().at(0).value<quint64>(), request); // the answer names its request
        QVERIFY(client->fetchHistory(QStringLiteral("c1"), 20, 0) != request);
        const auto page = loaded.first().at(1).value<Wire::HistoryPage>();
        QCOMPARE(page.total, 42);
        QCOMPARE(page.messages.size(), 2);
        QCOMPARE(page.messages[0].id, u"a");
        QCOMPARE(page.messages[0].timestamp.toMSecsSinceEpoch(), 1763892000000);
        QCOMPARE(page.messages[1].status, MessageStatus::Read);
    }
};

QTEST_GUILESS_MAIN(TestWidgetApiClient)
#include "tst_widgetapiclient.moc"
