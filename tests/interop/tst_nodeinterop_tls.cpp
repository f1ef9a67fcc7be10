// The console over TLS and across dropped connections, against the real Node.js socket.io 4.x server
// (socketio-server.js): REST over https with a CA made by the test and trusted only through --ca-file,
// and connection-state recovery (CONTRACT.md §2) proven over ws and wss, with recovery on and off, by
// dropping the connection while the server emits.
#include "commandline.h"
#include "nodeserver.h"
#include "retryschedule.h"
#include "socketioclient.h"
#include "widgetapiclient.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

const QString Token = QStringLiteral("interop-secret-token");

// One stream in recoveryAcrossADropWhileTheServerEmits: 30 updates 100 ms apart, the TCP connection
// destroyed before the 6th. The client's first reconnect waits ~1.5 s (jitter pinned), so about 15 updates
// go out while it is away and the last ones after it is back.
constexpr int StreamCount = 30;
constexpr int StreamDropAt = 5;

OutgoingReply reply()
{
    return OutgoingReply {QStringLiteral("msg_1_tls"), QStringLiteral("c1"), QStringLiteral("hello"), QString()};
}

QStringList idsOf(const QSignalSpy &updates)
{
    QStringList ids;
    for (const QList<QVariant> &arguments : updates)
        ids.append(arguments.at(0).value<Wire::StatusUpdate>().messageId);
    return ids;
}

} // namespace

class TestNodeInteropTls : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_pki; // CA and server certificate, made by initTestCase with the openssl CLI
    QSslConfiguration m_trustingCa; // exactly what the app builds from `--ca-file <test CA>`
    std::unique_ptr<NodeServer> m_node;
    std::unique_ptr<SocketIoClient> m_client;

    QString pki(const char *name) const { return m_pki.filePath(QString::fromLatin1(name)); }

    void openssl(const QStringList &arguments)
    {
        QProcess process;
        process.setWorkingDirectory(m_pki.path());
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QSignalSpy finished(&process, &QProcess::finished);
        process.start(QStandardPaths::findExecutable(QStringLiteral("openssl")), arguments);
        QVERIFY(finished.wait(30000));
        QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
            qPrintable(u"openssl "_qs + arguments.join(u' ')));
    }
    // A private CA, and a server certificate it signs for 127.0.0.1 and localhost (subjectAltName: Qt,
    // like every current client, ignores the CN).
    void makeCertificates()
    {
        const QStringList ecKey {
            u"-newkey"_qs, u"ec"_qs, u"-pkeyopt"_qs, u"ec_paramgen_curve:prime256v1"_qs, u"-nodes"_qs};
        REQUIRE(openssl(QStringList {u"req"_qs, u"-x509"_qs} + ecKey
            + QStringList {u"-keyout"_qs, u"ca.key"_qs, u"-out"_qs, u"ca.pem"_qs, u"-days"_qs, u"2"_qs, u"-subj"_qs,
                u"/CN=Agent Console Test CA"_qs, u"-addext"_qs, u"basicConstraints=critical,CA:TRUE"_qs, u"-addext"_qs,
                u"keyUsage=critical,keyCertSign,cRLSign"_qs}));
        REQUIRE(openssl(QStringList {u"req"_qs} + ecKey
            + QStringList {
                u"-keyout"_qs, u"server.key"_qs, u"-out"_qs, u"server.csr"_qs, u"-subj"_qs, u"/CN=localhost"_qs}));
        QFile extensions(pki("server.ext"));
        QVERIFY(extensions.open(QIODevice::WriteOnly));
        extensions.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                         "basicConstraints=CA:FALSE\n"
                         "keyUsage=critical,digitalSignature\n"
                         "extendedKeyUsage=serverAuth\n");
        extensions.close();
        REQUIRE(openssl({u"x509"_qs, u"-req"_qs, u"-in"_qs, u"server.csr"_qs, u"-CA"_qs, u"ca.pem"_qs, u"-CAkey"_qs,
            u"ca.key"_qs, u"-CAcreateserial"_qs, u"-days"_qs, u"2"_qs, u"-extfile"_qs, u"server.ext"_qs, u"-out"_qs,
            u"server.pem"_qs}));
    }

    void startServer(bool tls, bool recovery = false)
    {
        QStringList extra;
        if (tls)
            extra << QStringLiteral("TLS_CERT=") + pki("server.pem") << QStringLiteral("TLS_KEY=") + pki("server.key");
        if (recovery)
            extra << QStringLiteral("RECOVERY=1");
        m_node = std::make_unique<NodeServer>(nodeEnvironment(Token, extra));
        m_node->waitUntilListening();
    }
    QUrl baseUrl(bool tls) const
    {
        return QUrl(QStringLiteral("%1://127.0.0.1:%2").arg(tls ? u"https" : u"http").arg(m_node->port()));
    }
    void parseCaFileOption()
    {
        const auto parsed
            = parseCommandLine({u"agent-console"_qs, u"--api-url"_qs, u"https://127.0.0.1"_qs, u"--tenant"_qs, u"t1"_qs,
                                   u"--conversation"_qs, u"c1"_qs, u"--ca-file"_qs, pki("ca.pem")},
                Token);
        const auto *exit = std::get_if<EarlyExit>(&parsed);
        QVERIFY2(!exit, exit ? qPrintable(exit->text) : "");
        m_trustingCa = sslConfiguration(std::get<Options>(parsed).caCertificates);
    }
    std::unique_ptr<WidgetApiClient> apiClient(const QSslConfiguration &ssl)
    {
        auto client = std::make_unique<WidgetApiClient>();
        ApiConfig config {baseUrl(true), u"t1"_qs, u"i1"_qs, Token, 5000};
        config.ssl = ssl;
        client->setConfig(config);
        return client;
    }
    // A client connected to the Node server. The jitter is pinned to its top (factor ~1.5) so the first
    // reconnect waits ~1.5 s: long enough for the server to emit while the client is away.
    void connectClient(bool tls)
    {
        m_client = std::make_unique<SocketIoClient>();
        m_client->setRandomSource([] { return 0.999; });
        QSignalSpy connected(m_client.get(), &SocketIoClient::connected);
        SocketConfig config {baseUrl(tls), u"t1"_qs, u"c1"_qs, Token};
        if (tls)
            config.ssl = m_trustingCa;
        m_client->open(config);
        QVERIFY2(connected.wait(10000), tls ? "no wss connection: is SocketConfig::ssl applied to the socket?" : "");
        QTRY_COMPARE(m_node->count(u"connection"), 1);
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty(), "node is not on PATH");
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty(), "openssl is not on PATH");
        QVERIFY2(QFileInfo::exists(QStringLiteral(INTEROP_DIR "/node_modules/socket.io/package.json")),
            "socket.io is not installed: run `npm ci` in " INTEROP_DIR " (ctest runs it as interop_npm_ci)");
        QVERIFY(QSslSocket::supportsSsl());
        QVERIFY(m_pki.isValid());
        REQUIRE(makeCertificates());
        parseCaFileOption();
    }
    void cleanup()
    {
        m_client.reset(); // before the server, so its teardown is not a transport loss under test
        m_node.reset();
    }

    void restOverHttpsSucceedsWithTheCaFile()
    {
        REQUIRE(startServer(true));
        auto client = apiClient(m_trustingCa);
        QSignalSpy accepted(client.get(), &WidgetApiClient::sendAccepted);
        client->send(reply());
        QVERIFY(accepted.wait(10000));
        QCOMPARE(accepted.first().at(1).toString(), u"msg_1_tls");
        const QList<QJsonObject> requests = m_node->events(u"http-request");
        QCOMPARE(requests.size(), 1);
        QCOMPARE(requests.first().value(u"url").toString(), u"/api/v1/widget/send");
        QVERIFY(requests.first().value(u"secure").toBool());
        QCOMPARE(m_node->count(u"tls-client-error"), 0);
    }

    void restWithoutTheCaIsRefusedOnceWithHostAndReason()
    {
        REQUIRE(startServer(true));
        auto client = apiClient(QSslConfiguration::defaultConfiguration()); // system store only
        QSignalSpy attempts(client.get(), &WidgetApiClient::sendAttemptStarted);
        QSignalSpy failed(client.get(), &WidgetApiClient::sendFailed);
        QSignalSpy accepted(client.get(), &WidgetApiClient::sendAccepted);
        client->send(reply());
        QVERIFY(failed.wait(10000));
        const auto error = failed.first().at(1).value<Wire::ApiError>();
        QCOMPARE(error.code, u"TLS");
        QCOMPARE(error.httpStatus, 0);
        QVERIFY2(error.message.startsWith(u"The certificate of 127.0.0.1 is not trusted: "), qPrintable(error.message));
        // Qt's reason follows the host; with the test CA unknown it names the missing issuer.
        QVERIFY2(error.message.contains(u"issuer", Qt::CaseInsensitive), qPrintable(error.message));
        QVERIFY(!client->isSending(u"msg_1_tls"_qs));
        // The server saw the client abort the handshake, and no request: nothing was sent, in clear or not.
        QTRY_COMPARE_WITH_TIMEOUT(m_node->count(u"tls-client-error"), 1, 5000);
        // A retry would start 100 ms after the failure (RetrySchedule); none comes.
        QVERIFY(!attempts.wait(1000));
        QCOMPARE(attempts.size(), 1);
        QCOMPARE(accepted.size(), 0);
        QCOMPARE(m_node->count(u"tls-client-error"), 1);
        QCOMPARE(m_node->count(u"http-request"), 0);
    }

    void everyRequestCarriesTheTlsConfiguration()
    {
        REQUIRE(startServer(true));
        auto trusted = apiClient(m_trustingCa);
        QSignalSpy contextFailed(trusted.get(), &WidgetApiClient::contextFailed);
        QSignalSpy historyFailed(trusted.get(), &WidgetApiClient::historyFailed);
        trusted->fetchContext(u"c1"_qs);
        trusted->fetchHistory(u"c1"_qs, 20, 0);
        // Both reach the server (which has no such routes): the CA was trusted for GETs too.
        QTRY_COMPARE_WITH_TIMEOUT(contextFailed.size() + historyFailed.size(), 2, 10000);
        QCOMPARE(contextFailed.first().at(0).value<Wire::ApiError>().httpStatus, 404);
        QCOMPARE(historyFailed.first().at(1).value<Wire::ApiError>().httpStatus, 404);

        auto untrusted = apiClient(QSslConfiguration::defaultConfiguration());
        QSignalSpy refused(untrusted.get(), &WidgetApiClient::contextFailed);
        untrusted->fetchContext(u"c1"_qs);
        QVERIFY(refused.wait(10000));
        QCOMPARE(refused.first().at(0).value<Wire::ApiError>().code, u"TLS");
        QCOMPARE(m_node->count(u"http-request"), 2);
    }

    void wssWithoutTheCaNeverConnects()
    {
        REQUIRE(startServer(true));
        SocketIoClient client;
        client.setRandomSource([] { return 0.999; });
        QSignalSpy connected(&client, &SocketIoClient::connected);
        client.open(SocketConfig {baseUrl(true), u"t1"_qs, u"c1"_qs, Token}); // system store only
        QTRY_VERIFY_WITH_TIMEOUT(m_node->count(u"tls-client-error") >= 1, 10000);
        QVERIFY(!connected.wait(1000));
        QVERIFY(client.state() != SocketIoClient::State::Connected);
        QCOMPARE(m_node->count(u"connection"), 0);
        client.close();
    }

    void recoveryAcrossADropWhileTheServerEmits_data()
    {
        QTest::addColumn<bool>("tls");
        QTest::addColumn<bool>("recovery");
        QTest::newRow("ws, recovery on") << false << true;
        QTest::newRow("ws, recovery off") << false << false;
        QTest::newRow("wss, recovery on") << true << true;
        QTest::newRow("wss, recovery off") << true << false;
    }
    void recoveryAcrossADropWhileTheServerEmits()
    {
        QFETCH(bool, tls);
        QFETCH(bool, recovery);
        REQUIRE(startServer(tls, recovery));
        REQUIRE(connectClient(tls));
        QSignalSpy updates(m_client.get(), &SocketIoClient::statusUpdate);
        QSignalSpy disconnected(m_client.get(), &SocketIoClient::disconnected);
        QSignalSpy connected(m_client.get(), &SocketIoClient::connected);

        m_node->command({{u"cmd"_qs, u"stream"_qs}, {u"count"_qs, StreamCount}, {u"dropAt"_qs, StreamDropAt},
            {u"intervalMs"_qs, 100}, {u"prefix"_qs, u"s"_qs}});
        QTRY_COMPARE_WITH_TIMEOUT(m_node->count(u"stream-done"), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, 10000);
        // Emitted last, on the connection the stream ended on: once it is here, every replayed or live
        // update before it is here too, and nothing arrives twice or late unnoticed.
        REQUIRE(m_node->run({{u"cmd"_qs, u"status"_qs}, {u"messageId"_qs, u"sentinel"_qs}, {u"status"_qs, u"read"_qs}}));
        QTRY_VERIFY_WITH_TIMEOUT(idsOf(updates).contains(u"sentinel"), 5000);

        QCOMPARE(disconnected.size(), 1);
        QCOMPARE(disconnected.first().at(1).toBool(), true); // willReconnect
        QCOMPARE(m_node->count(u"stream-dropped"), 1);
        // A TCP connection destroyed under a WebSocket, as a NAT or proxy does.
        QCOMPARE(
            m_node->events(u"stream-dropped").first().value(u"transports").toArray(), QJsonArray {u"websocket"_qs});
        QCOMPARE(m_node->count(u"connection"), 2);
        QStringList all;
        QStringList live; // went out while the client was in the room
        QStringList missed;
        for (const QJsonObject &streamed : m_node->events(u"streamed")) {
            const QString id = streamed.value(u"messageId").toString();
            all.append(id);
            (streamed.value(u"listeners").toInt() > 0 ? live : missed).append(id);
        }
        QCOMPARE(all.size(), StreamCount);
        // The drop really fell inside the stream: updates went out to nobody, and some after the return.
        QVERIFY2(!missed.isEmpty(), qPrintable(missed.join(u',')));
        QVERIFY2(live.size() > StreamDropAt, "the client came back only after the stream ended");

        const QJsonObject reconnection = m_node->events(u"connection").value(1);
        const QJsonObject auth = reconnection.value(u"auth").toObject();
        QStringList received = idsOf(updates);
        QCOMPARE(received.takeLast(), u"sentinel");
        if (recovery) {
            // CONTRACT.md §2: the client sent back the pid and its last offset, and the server replayed
            // exactly what it missed: every update once, in order.
            QVERIFY2(!auth.value(u"pid").toString().isEmpty(), qPrintable(QJsonDocument(reconnection).toJson()));
            QVERIFY2(!auth.value(u"offset").toString().isEmpty(), qPrintable(QJsonDocument(reconnection).toJson()));
            QVERIFY(reconnection.value(u"recovered").toBool());
            QCOMPARE(received, all);
        } else {
            // Nothing to recover with: a fresh session, no replay, only what went out while connected.
            // Filling the gap is the history re-read after `connected` (Conversation).
            QVERIFY(!auth.contains(u"pid"));
            QVERIFY(!reconnection.value(u"recovered").toBool());
            QCOMPARE(received, live);
        }
    }
};

QTEST_GUILESS_MAIN(TestNodeInteropTls)
#include "tst_nodeinterop_tls.moc"
