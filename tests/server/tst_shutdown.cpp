// The graceful stop of widget-server: the real process on SIGTERM stops accepting, lets the request in
// flight finish, closes every Engine.IO transport without a Socket.IO disconnect ("41": clients must
// reconnect to the next instance), logs JSON lines and exits 0; a
// request that never finishes is dropped when the grace period ends. In-process: /healthz says 503
// while the server drains.

#include "rawhttp.h"
#include "serverprocess.h"
#include "testclient.h"
#include "widgetserver.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTest>

namespace {

QByteArray sendBody()
{
    return QJsonDocument(QJsonObject {{QStringLiteral("tenantId"), QStringLiteral("demo")},
                             {QStringLiteral("conversationId"), QStringLiteral("demo")},
                             {QStringLiteral("integrationId"), QStringLiteral("demo-integration")},
                             {QStringLiteral("messageId"), QStringLiteral("in-flight-1")},
                             {QStringLiteral("text"), QStringLiteral("sent while the server stops")}})
        .toJson(QJsonDocument::Compact);
}

QByteArray sendHead(qsizetype length)
{
    return "POST /api/v1/widget/send HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestToken.toUtf8()
        + "\r\nX-Tenant-ID: demo\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(length)
        + "\r\n\r\n";
}

// A round trip on another connection: once it is answered, bytes sent before it have been read too.
bool roundTrip(quint16 port)
{
    return rawRequest(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").status == 200;
}

} // namespace

class TestShutdown : public QObject
{
    Q_OBJECT

private slots:
    void sigtermStopsGracefully();
    void gracePeriodIsBounded();
    void healthzSaysUnavailableWhileDraining();
    void waitingPollGetsCloseNotDisconnect();
    void badOperationsOptionsExitWithUsageError_data();
    void badOperationsOptionsExitWithUsageError();
    void helpListsOperationsOptions();

private:
    // Starts widget-server on a free port; returns the port, 0 on failure.
    quint16 start(QProcess &process, const QStringList &extra);
};

quint16 TestShutdown::start(QProcess &process, const QStringList &extra)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("WIDGET_SERVER_TOKEN"), TestToken);
    process.setProcessEnvironment(env);
    process.start(
        QStringLiteral(WIDGET_SERVER_BINARY), QStringList {QStringLiteral("--port"), QStringLiteral("0")} + extra);
    QByteArray output;
    const QRegularExpression line(QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)\n"));
    QDeadlineTimer deadline(20000);
    QSignalSpy readable(&process, &QProcess::readyReadStandardOutput);
    while (!deadline.hasExpired() && process.state() != QProcess::NotRunning) {
        output += process.readAllStandardOutput();
        if (const auto match = line.match(QString::fromUtf8(output)); match.hasMatch())
            return quint16(match.captured(1).toUInt());
        readable.wait(100);
    }
    qWarning() << "widget-server did not start:" << output << process.readAllStandardError();
    return 0;
}

void TestShutdown::sigtermStopsGracefully()
{
#ifdef Q_OS_WIN
    QSKIP("Windows has no SIGTERM to send: QProcess::terminate() posts WM_CLOSE, which a console process never "
          "receives (its Ctrl+C/close handling is in server/unixsignals_win.cpp)");
#endif
    QProcess process;
    const quint16 port = start(process, {QStringLiteral("--shutdown-timeout"), QStringLiteral("30")});
    QVERIFY(port > 0);

    // A Socket.IO client in the demo room.
    SocketClient client;
    client.autoPong = true;
    QSignalSpy closed(&client.socket, &QWebSocket::disconnected);
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/socket.io/?EIO=4&transport=websocket&tenantId=demo&"
                                    "conversationId=demo")
                         .arg(port)));
    QTRY_VERIFY_WITH_TIMEOUT(!client.frames.isEmpty(), 10000);
    client.socket.sendTextMessage(QStringLiteral("40{\"token\":\"%1\"}").arg(TestToken));
    QTRY_VERIFY_WITH_TIMEOUT(client.frames.size() >= 2, 10000);
    QVERIFY(client.frames.at(1).startsWith(u"40{"));

    // A request in flight: its head and half of its body have arrived.
    const QByteArray body = sendBody();
    RawConnection inFlight;
    QVERIFY(inFlight.connectTo(port));
    inFlight.send(sendHead(body.size()) + body.left(body.size() / 2));
    QVERIFY(roundTrip(port));

    QSignalSpy finished(&process, &QProcess::finished);
    process.terminate(); // SIGTERM
    QByteArray errors;
    QTRY_VERIFY_WITH_TIMEOUT((errors += process.readAllStandardError()).contains("shutting down"), 10000);

    // The transport is closed with a normal WebSocket close and no "41": after a "41" a client never
    // reconnects (CONTRACT.md §2), so a restart would cut every console off for good.
    QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, 10000);
    QVERIFY2(!client.frames.contains(QStringLiteral("41")), qPrintable(client.frames.join(u' ')));
    QCOMPARE(client.socket.closeCode(), QWebSocketProtocol::CloseCodeNormal);

    // The process waits for the request in flight, but takes no new connection meanwhile.
    QCOMPARE(process.state(), QProcess::Running);
    QTcpSocket late;
    late.setProxy(QNetworkProxy::NoProxy);
    QSignalSpy lateError(&late, &QTcpSocket::errorOccurred);
    late.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(lateError.wait(10000));
    QCOMPARE(late.error(), QAbstractSocket::ConnectionRefusedError);
    QCOMPARE(process.state(), QProcess::Running);

    // The request in flight is answered, on a connection that then closes.
    inFlight.send(body.mid(body.size() / 2));
    const RawResponse answer = inFlight.read();
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.json.value(u"success").toBool(), true);
    QCOMPARE(answer.header("Connection"), QByteArray("close"));
    QVERIFY(inFlight.waitClosed());

    // Then the process exits 0, promptly (not at the end of the 30 s grace period).
    QVERIFY(finished.wait(10000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);

    // Its logs are JSON lines, with the requests, the signal, and never the token.
    errors += process.readAllStandardError();
    QVERIFY(!errors.contains(TestToken.toUtf8()));
    QVERIFY(errors.contains("\"msg\":\"received SIGTERM\""));
    bool sawSend = false;
    for (const QByteArray &line : errors.trimmed().split('\n')) {
        QJsonParseError error;
        const QJsonObject json = QJsonDocument::fromJson(line, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError && !json.isEmpty(), line.constData());
        QVERIFY(json.contains(u"time") && json.contains(u"level") && json.contains(u"msg"));
        sawSend = sawSend
            || (json.value(u"path").toString() == u"/api/v1/widget/send" && json.value(u"status").toInt() == 200);
    }
    QVERIFY(sawSend);
}

void TestShutdown::gracePeriodIsBounded()
{
#ifdef Q_OS_WIN
    QSKIP("Windows has no SIGTERM to send: QProcess::terminate() posts WM_CLOSE, which a console process never "
          "receives (its Ctrl+C/close handling is in server/unixsignals_win.cpp)");
#endif
    QProcess process;
    const quint16 port = start(process, {QStringLiteral("--shutdown-timeout"), QStringLiteral("1")});
    QVERIFY(port > 0);
    RawConnection stuck;
    QVERIFY(stuck.connectTo(port));
    stuck.send(sendHead(1000) + "{\"te"); // the rest never comes
    QVERIFY(roundTrip(port));

    QSignalSpy finished(&process, &QProcess::finished);
    process.terminate();
    QVERIFY(finished.wait(15000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    QVERIFY(stuck.waitClosed());
    QVERIFY(!stuck.read(100).complete); // dropped without an answer
    QVERIFY(process.readAllStandardError().contains("grace period over"));
}

void TestShutdown::healthzSaysUnavailableWhileDraining()
{
    WidgetServer server;
    server.setToken(TestToken);
    QVERIFY(server.listen());
    const quint16 port = server.port();
    QCOMPARE(rawRequest(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").json.value(u"status").toString(),
        QStringLiteral("ok"));

    RawConnection probe;
    QVERIFY(probe.connectTo(port));
    probe.send("GET /healthz HTTP/1.1\r\nHost: x\r\n"); // the head is not complete yet
    QVERIFY(roundTrip(port));
    QSignalSpy stopped(&server, &WidgetServer::stopped);
    server.shutdown(10000);
    QVERIFY(server.isShuttingDown());

    probe.send("\r\n");
    const RawResponse r = probe.read();
    QCOMPARE(r.status, 503);
    QCOMPARE(r.json.value(u"status").toString(), QStringLiteral("unavailable"));
    QCOMPARE(r.json.value(u"reason").toString(), QStringLiteral("shutting down"));
    QCOMPARE(r.header("Connection"), QByteArray("close"));
    QVERIFY(probe.waitClosed());
    QVERIFY(stopped.wait(5000)); // nothing left open: stopped long before the 10 s

    RawConnection late;
    QVERIFY(!late.connectTo(port));
}

// Over long-polling the same: a waiting GET is answered with an Engine.IO close packet ("1"), never a
// Socket.IO disconnect ("41", after which a client does not reconnect).
void TestShutdown::waitingPollGetsCloseNotDisconnect()
{
    WidgetServer server;
    server.setToken(TestToken);
    server.addConversation(QStringLiteral("demo"), QStringLiteral("demo"), QStringLiteral("Ada"));
    QVERIFY(server.listen());
    const quint16 port = server.port();
    const QByteArray path = "/socket.io/?EIO=4&transport=polling&tenantId=demo&conversationId=demo";
    const RawResponse open = rawRequest(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
    QCOMPARE(open.status, 200);
    const QByteArray sid = QJsonDocument::fromJson(open.body.mid(1)).object().value(u"sid").toString().toUtf8();
    QVERIFY(!sid.isEmpty());
    const QByteArray connect = "40{\"token\":\"" + TestToken.toUtf8() + "\"}";
    QCOMPARE(rawRequest(port,
                 "POST " + path + "&sid=" + sid + " HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                     + "Content-Length: " + QByteArray::number(connect.size()) + "\r\n\r\n" + connect)
                 .body,
        QByteArray("ok"));
    QVERIFY(rawRequest(port, "GET " + path + "&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n\r\n").body.startsWith("40{"));
    QTRY_COMPARE(server.socketCount(), 1);

    RawConnection poll;
    QVERIFY(poll.connectTo(port));
    poll.send("GET " + path + "&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(roundTrip(port)); // the poll now waits at the server
    QSignalSpy stopped(&server, &WidgetServer::stopped);
    server.shutdown(10000);
    const RawResponse closed = poll.read();
    QCOMPARE(closed.status, 200);
    QCOMPARE(closed.body, QByteArray("1"));
    QVERIFY(stopped.wait(5000));
    QCOMPARE(server.socketCount(), 0);
}

// Every refused value is a row of tst_serveroptions; here the process's side of it: exit 2, stderr only.
void TestShutdown::badOperationsOptionsExitWithUsageError_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("send rate not a number") << QStringList {QStringLiteral("--send-rate"), QStringLiteral("fast")};
    QTest::newRow("shutdown timeout") << QStringList {QStringLiteral("--shutdown-timeout"), QStringLiteral("soon")};
}

void TestShutdown::badOperationsOptionsExitWithUsageError()
{
    QFETCH(QStringList, arguments);
    QProcess process;
    process.setProcessEnvironment(serverEnvironment(TestToken));
    QVERIFY(runServerToExit(process, QStringList {QStringLiteral("--port"), QStringLiteral("0")} + arguments));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 2);
    const QByteArray errors = process.readAllStandardError();
    QVERIFY2(errors.contains(arguments.at(1).toUtf8()), errors.constData()); // names the bad value
    QVERIFY(process.readAllStandardOutput().isEmpty());
}

void TestShutdown::helpListsOperationsOptions()
{
    QProcess process;
    QVERIFY(runServerToExit(process, {QStringLiteral("--help")}));
    QCOMPARE(process.exitCode(), 0);
    const QByteArray help = process.readAllStandardOutput();
    for (const char *option : {"--send-rate", "--send-burst", "--max-body-bytes", "--max-connections-per-ip",
             "--log-format", "--metrics-allow", "--shutdown-timeout"}) {
        QVERIFY2(help.contains(option), option);
    }
}

QTEST_GUILESS_MAIN(TestShutdown)
#include "tst_shutdown.moc"
