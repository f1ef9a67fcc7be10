// widget-server through a deploy, as consoles see it: real widget-server processes, the console core
// (Conversation) in this process. SIGTERM must close transports, not send "41" (CONTRACT.md
// §2), so a console reconnects to the next process on the same port within its backoff, receives events
// emitted after the restart and recovers through the history resync what it missed meanwhile (a reply
// another agent sent while the server was down). Then a rolling restart of two instances sharing a
// private RabbitMQ node and a data dir: consoles on either instance end with every reply at its final
// status. Linux only (privatebroker.h).
#include "childprocess.h"
#include "postsend.h"
#include "privatebroker.h"
#include "serverharness.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

namespace {

const QString Token = QStringLiteral("restart-token");
const QString Tenant = QStringLiteral("t1");
const QString ConversationId = QStringLiteral("c1");
// The console's reconnect delay is min(1000 * 2^n, 5000) ms with +-50 % jitter (CONTRACT.md §2): at most
// 7.5 s after the new process listens, plus the handshake. 9 s bounds it without being the backoff itself.
constexpr int ReconnectBoundMs = 9000;

} // namespace

class TestServerRestart : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void consoleRidesOutARestart();
    void rollingRestartOfTwoInstances();

private:
    QStringList serverArguments(const QTemporaryDir &data) const;
    // POST /send as another agent; true on 200.
    bool sendAsColleague(const QUrl &server, const QString &messageId, const QString &text);

    QTemporaryDir m_tokens;
    QNetworkAccessManager m_nam;
};

void TestServerRestart::initTestCase()
{
    QVERIFY(m_tokens.isValid());
    QFile tokens(m_tokens.filePath(QStringLiteral("tokens")));
    QVERIFY(tokens.open(QIODevice::WriteOnly));
    tokens.write((Token + u' ' + Tenant + u'\n').toUtf8());
    m_nam.setProxy(QNetworkProxy::NoProxy);
}

QStringList TestServerRestart::serverArguments(const QTemporaryDir &data) const
{
    return {QStringLiteral("--data-dir"), data.path(), QStringLiteral("--tokens-file"),
        m_tokens.filePath(QStringLiteral("tokens")), QStringLiteral("--add-conversation"),
        QStringLiteral("%1:%2:Ada").arg(Tenant, ConversationId)};
}

bool TestServerRestart::sendAsColleague(const QUrl &server, const QString &messageId, const QString &text)
{
    std::unique_ptr<QNetworkReply> reply(
        postSend(m_nam, SendTarget {server, Token, Tenant, ConversationId}, messageId, text));
    if (!QTest::qWaitFor([&reply] { return reply->isFinished(); }, 25000))
        return false;
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
}

void TestServerRestart::consoleRidesOutARestart()
{
    QTemporaryDir data;
    QVERIFY(data.isValid());
    auto server = std::make_unique<ServerProcess>(0, serverArguments(data));
    QVERIFY(server->waitListening(false));
    const quint16 port = server->port();

    Console console(server->url(), Token, Tenant, ConversationId);
    QSignalSpy opened(&console.conversation(), &Conversation::opened);
    QVERIFY(opened.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(console.isConnected(), 10000);

    // SIGTERM: the console loses its transport, but is not told to stay away.
    QVERIFY(server->terminate());
    QTRY_VERIFY_WITH_TIMEOUT(!console.isConnected(), 10000);
    QVERIFY2(console.finalDisconnects().isEmpty(), qPrintable(console.finalDisconnects().join(u", ")));
    QVERIFY(console.conversation().connectionState() != SocketIoClient::State::Disconnected);

    // Meanwhile a colleague replies through another instance on the same data dir.
    const QString colleagueText = QStringLiteral("Sent by a colleague while the server restarted");
    {
        ServerProcess other(0, serverArguments(data));
        QVERIFY(other.waitListening(false));
        QVERIFY(sendAsColleague(other.url(), QStringLiteral("msg_1763892000000_00c0ffee"), colleagueText));
        QVERIFY(other.terminate());
    }
    QVERIFY(!console.statusOf(colleagueText));

    // The new process on the same port and data dir: the console comes back within its backoff, and the
    // history resync brings the colleague's reply.
    server = std::make_unique<ServerProcess>(port, serverArguments(data));
    QVERIFY(server->waitListening(false));
    QElapsedTimer back;
    back.start();
    QTRY_VERIFY_WITH_TIMEOUT(console.isConnected(), ReconnectBoundMs);
    qInfo() << "reconnected" << back.elapsed() << "ms after the new process listened";
    QTRY_VERIFY_WITH_TIMEOUT(console.statusOf(colleagueText).has_value(), 10000);

    // Events emitted after the restart reach it: its own reply goes from sent to read, and only the
    // socket carries delivered and read (the POST answer says sent).
    const QString ownText = QStringLiteral("Written after the restart");
    QVERIFY(console.conversation().sendReply(ownText));
    QTRY_COMPARE_WITH_TIMEOUT(console.statusOf(ownText), std::optional(MessageStatus::Read), 10000);
    QVERIFY(console.finalDisconnects().isEmpty());
    QVERIFY(console.isConnected()); // no reconnect since, so no resync brought "read"
    QVERIFY(server->terminate());
    QVERIFY2(!server->errors().contains(Token.toUtf8()), "the token reached the log");
}

void TestServerRestart::rollingRestartOfTwoInstances()
{
    if (const QString missing = PrivateBroker::missingReason(); !missing.isEmpty())
        QSKIP(qPrintable(missing));
    PrivateBroker broker;
    QString why;
    if (!broker.start(&why))
        QSKIP(qPrintable(QStringLiteral("cannot start a private RabbitMQ: ") + why));
    ChildProcess simulator(QStringLiteral(UPSTREAM_SIMULATOR),
        QStringList {QStringLiteral("--upstream"), broker.url(), QStringLiteral("--delay"), QStringLiteral("100")},
        QProcessEnvironment::systemEnvironment());
    QTRY_COMPARE_WITH_TIMEOUT(simulator.count(u"ready"), 1, 20000);

    QTemporaryDir data;
    QVERIFY(data.isValid());
    const QStringList arguments
        = serverArguments(data) + QStringList {QStringLiteral("--upstream"), broker.url(QStringLiteral("?heartbeat=5"))};
    std::unique_ptr<ServerProcess> instances[2];
    quint16 ports[2] = {0, 0};
    for (int i : {0, 1}) {
        instances[i] = std::make_unique<ServerProcess>(0, arguments);
        QVERIFY(instances[i]->waitListening(true));
        ports[i] = instances[i]->port();
    }
    // One console on each instance.
    std::unique_ptr<Console> consoles[2];
    for (int i : {0, 1}) {
        consoles[i] = std::make_unique<Console>(instances[i]->url(), Token, Tenant, ConversationId);
        QTRY_VERIFY_WITH_TIMEOUT(consoles[i]->isConnected(), 10000);
    }

    // Restart one instance after the other. Just before its instance stops, its console writes a reply
    // (whose delivered and read come while it is away); while it is down a colleague replies through
    // the other instance, and the other console writes a reply of its own.
    QStringList own[2];
    QStringList missedWhileDown[2];
    int replies = 0;
    for (int down : {0, 1}) {
        const int up = 1 - down;
        own[down].append(QStringLiteral("Console %1 just before its instance stopped").arg(down));
        QVERIFY(consoles[down]->conversation().sendReply(own[down].constLast()));
        QTRY_VERIFY_WITH_TIMEOUT(consoles[down]->statusOf(own[down].constLast()) >= MessageStatus::Sent, 10000);
        QVERIFY(instances[down]->terminate());
        QTRY_VERIFY_WITH_TIMEOUT(!consoles[down]->isConnected(), 10000);

        missedWhileDown[down].append(QStringLiteral("A colleague's reply while instance %1 restarted").arg(down));
        QVERIFY(sendAsColleague(instances[up]->url(), QStringLiteral("msg_1763892000000_0000beb%1").arg(down),
            missedWhileDown[down].constLast()));
        own[up].append(QStringLiteral("Console %1 while instance %2 restarted").arg(up).arg(down));
        QVERIFY(consoles[up]->conversation().sendReply(own[up].constLast()));
        replies += 3;

        instances[down] = std::make_unique<ServerProcess>(ports[down], arguments);
        QVERIFY(instances[down]->waitListening(true));
        QTRY_VERIFY_WITH_TIMEOUT(consoles[down]->isConnected(), ReconnectBoundMs);
    }

    // Neither console missed anything: each of its own replies reached read (live, or through the
    // resync and the events after it), and so did what a colleague sent while its instance was down.
    for (int i : {0, 1}) {
        for (const QString &text : own[i] + missedWhileDown[i])
            QTRY_COMPARE_WITH_TIMEOUT(consoles[i]->statusOf(text), std::optional(MessageStatus::Read), 20000);
        QVERIFY2(consoles[i]->finalDisconnects().isEmpty(), qPrintable(consoles[i]->finalDisconnects().join(u", ")));
    }
    // Each reply went to the upstream once, whichever instance took it.
    QCOMPARE(int(simulator.count(u"outbound")), replies);
    for (int i : {0, 1})
        QVERIFY(instances[i]->terminate());
}

QTEST_GUILESS_MAIN(TestServerRestart)
#include "tst_serverrestart.moc"
