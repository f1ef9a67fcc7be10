// Token hygiene (issue 5): the token travels only in the Authorization header and the Socket.IO CONNECT
// auth payload. It is never logged (every qDebug/qInfo/qWarning of a full flow is captured with all
// debug output on), never shown in a widget, never in the WebSocket URL, never accepted on the command line.
#include "commandline.h"
#include "conversation.h"
#include "mainwindow.h"
#include "simulatedupstream.h"
#include "socketioclient.h"
#include "widgetserver.h"

#include <QAbstractButton>
#include <QLabel>
#include <QLoggingCategory>
#include <QMutex>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

namespace {

// Distinctive, so a hit can only be a leak; the wrong one is a secret too (someone's mistyped token).
const QString Token = QStringLiteral("tok_live_7f3a9c1e5b2d4f60a8c3e1d9b7f5a2c4");
const QString WrongToken = QStringLiteral("tok_wrong_0d9e8c7b6a5f4e3d2c1b0a9f8e7d6c5b");
const QString Tenant = QStringLiteral("t1");
const QString ConversationId = QStringLiteral("c1");

QMutex capturedMutex; // Qt may log from its network threads
QStringList captured;
QtMessageHandler previousHandler = nullptr;

// Captures, and passes on only warnings and worse: with every debug category on, the rest is thousands
// of lines of Qt internals. A leak is printed by the failing check itself.
void capture(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&capturedMutex);
        captured.append(QStringLiteral("%1: %2").arg(QString::fromLatin1(context.category), message));
    }
    if (previousHandler && type != QtDebugMsg && type != QtInfoMsg)
        previousHandler(type, context, message);
}

QStringList linesContaining(const QString &needle)
{
    QMutexLocker lock(&capturedMutex);
    QStringList hits;
    for (const QString &line : std::as_const(captured)) {
        if (line.contains(needle))
            hits.append(line);
    }
    return hits;
}

} // namespace

class TestTokenHygiene : public QObject
{
    Q_OBJECT

    std::unique_ptr<WidgetServer> m_server;

    ConversationConfig config(const QString &token) const
    {
        ConversationConfig c;
        c.baseUrl = m_server->baseUrl();
        c.tenant = Tenant;
        c.conversation = ConversationId;
        c.token = token;
        return c;
    }

    static void verifyNotShown(const QWidget *window, const QString &secret)
    {
        QList<const QWidget *> widgets {window};
        for (const QWidget *w : window->findChildren<QWidget *>())
            widgets.append(w);
        for (const QWidget *w : std::as_const(widgets)) {
            QStringList texts {w->windowTitle(), w->toolTip(), w->accessibleName(), w->accessibleDescription()};
            if (const auto *label = qobject_cast<const QLabel *>(w))
                texts << label->text();
            if (const auto *button = qobject_cast<const QAbstractButton *>(w))
                texts << button->text();
            if (const auto *edit = qobject_cast<const QPlainTextEdit *>(w))
                texts << edit->toPlainText();
            for (const QString &text : std::as_const(texts))
                QVERIFY2(
                    !text.contains(secret), qPrintable(w->metaObject()->className() + QStringLiteral(" shows it")));
        }
    }

private slots:
    void initTestCase()
    {
        // Everything the process can log, Qt's own categories (network, TLS, websockets, and the
        // in-process widget-server's HTTP library, which at debug level would print whole requests,
        // Authorization header and all, were widget-server not keeping it off) included.
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=true"));
        previousHandler = qInstallMessageHandler(capture);
    }
    void cleanupTestCase()
    {
        qInstallMessageHandler(previousHandler);
        QLoggingCategory::setFilterRules(QString());
    }
    void init()
    {
        m_server = std::make_unique<WidgetServer>();
        m_server->setToken(Token);
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
        m_server->addConversation(Tenant, ConversationId, QStringLiteral("Ana Customer"));
        m_server->upstream()->setDelays(0, 50, 100);
    }
    void cleanup() { m_server.reset(); }

    void fullFlowNeverLogsOrShowsTheToken()
    {
        Conversation controller(config(Token));
        MainWindow window(&controller);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        MessageListModel *model = controller.model();
        const auto statusOf = [&](const QString &id) { return model->at(model->rowOf(id)).status; };

        // Connect (REST context + history with the bearer token, CONNECT with the auth payload).
        QSignalSpy connected(&controller, &Conversation::connected);
        controller.start();
        QVERIFY(connected.wait(10000));

        // Send one reply through to "read".
        QVERIFY(controller.sendReply(QStringLiteral("hello")));
        const QString first = model->at(model->rowCount() - 1).id;
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(first), MessageStatus::Read, 10000);

        // Fail (upstream down: four attempts), then Retry succeeds.
        m_server->upstream()->setDown(true);
        QVERIFY(controller.sendReply(QStringLiteral("second")));
        const QString second = model->at(model->rowCount() - 1).id;
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(second), MessageStatus::Failed, 10000);
        verifyNotShown(&window, Token);
        m_server->upstream()->setDown(false);
        controller.retry(second);
        QTRY_VERIFY_WITH_TIMEOUT(
            statusOf(second) >= MessageStatus::Sent && statusOf(second) != MessageStatus::Failed, 10000);

        // Reconnect after the server drops the socket.
        connected.clear();
        m_server->dropAllSockets();
        QVERIFY(connected.wait(15000));
        verifyNotShown(&window, Token);

        // The wrong token: REST answers 401 (the conversation does not open), the socket gets CONNECT_ERROR.
        Conversation wrong(config(WrongToken));
        MainWindow wrongWindow(&wrong);
        wrongWindow.show();
        QSignalSpy openFailed(&wrong, &Conversation::openFailed);
        wrong.start();
        QVERIFY(openFailed.wait(10000));
        QVERIFY(!openFailed.first().at(0).toString().contains(WrongToken));
        verifyNotShown(&wrongWindow, WrongToken);
        verifyNotShown(&wrongWindow, Token);

        SocketIoClient socket;
        QSignalSpy refused(&socket, &SocketIoClient::connectError);
        socket.open(SocketConfig {m_server->baseUrl(), Tenant, ConversationId, WrongToken});
        QVERIFY(refused.wait(10000));
        QVERIFY(!refused.first().at(0).toString().contains(WrongToken));
        QCOMPARE(socket.state(), SocketIoClient::State::Disconnected); // and no reconnect with it

        // The capture worked: the flow above logged (info lines of the reconnect and the failure at least).
        QVERIFY(!linesContaining(QStringLiteral("agentconsole.socket")).isEmpty());
        QVERIFY(!linesContaining(QStringLiteral("agentconsole.replies")).isEmpty());
        for (const QString &secret : {Token, WrongToken}) {
            const QStringList leaks = linesContaining(secret);
            QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(u'\n')));
        }
    }

    void notInTheWebSocketUrl()
    {
        SocketConfig socket;
        socket.baseUrl = QUrl(QStringLiteral("https://chat.example.com/base"));
        socket.tenant = Tenant;
        socket.conversation = ConversationId;
        socket.token = Token;
        const QUrl url = SocketIoClient::socketUrl(socket);
        QCOMPARE(url.scheme(), u"wss");
        QVERIFY(!url.toString(QUrl::FullyEncoded).contains(Token));
        QVERIFY(!url.toString().contains(Token));
        QVERIFY(!url.query().contains(u"token"));
        QVERIFY(url.userInfo().isEmpty());
    }

    void notAcceptedOnTheCommandLine_data()
    {
        QTest::addColumn<QStringList>("tokenArguments");
        QTest::newRow("--token value") << QStringList {QStringLiteral("--token"), Token};
        QTest::newRow("--token=value") << QStringList {QStringLiteral("--token=") + Token};
        QTest::newRow("-t value") << QStringList {QStringLiteral("-t"), Token};
        QTest::newRow("bare value") << QStringList {Token};
    }

    void notAcceptedOnTheCommandLine()
    {
        QFETCH(QStringList, tokenArguments);
        const QStringList arguments = QStringList {QStringLiteral("agent-console"), QStringLiteral("--api-url"),
                                          QStringLiteral("http://127.0.0.1:1"), QStringLiteral("--tenant"), Tenant,
                                          QStringLiteral("--conversation"), ConversationId}
            + tokenArguments;
        const auto parsed = parseCommandLine(arguments, QString());
        const auto *exit = std::get_if<EarlyExit>(&parsed);
        QVERIFY2(exit, "a token in argv was accepted");
        QCOMPARE(exit->code, 2);
        // The refusal must not echo it back into a terminal's scrollback or a CI log either.
        QVERIFY2(!exit->text.contains(Token), qPrintable(exit->text));
    }

    void theExecutableRefusesIt()
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.remove(QStringLiteral("AGENT_CONSOLE_TOKEN"));
        process.setProcessEnvironment(env);
        QSignalSpy finished(&process, &QProcess::finished);
        process.start(QStringLiteral(AGENT_CONSOLE_EXECUTABLE),
            {QStringLiteral("--api-url"), QStringLiteral("http://127.0.0.1:1"), QStringLiteral("--tenant"), Tenant,
                QStringLiteral("--conversation"), ConversationId, QStringLiteral("--token"), Token});
        QVERIFY(finished.wait(20000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 2);
        const QString output = QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
        QVERIFY2(output.contains(u"token"), qPrintable(output));
        QVERIFY2(!output.contains(Token), qPrintable(output));
    }
};

QTEST_MAIN(TestTokenHygiene)
#include "tst_tokenhygiene.moc"
