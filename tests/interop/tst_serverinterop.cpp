// widget-server against the stock npm socket.io-client (serverclient.js), the client the customers' web
// widget ships: each transport the client can choose (long-polling only, WebSocket only, and its default
// of polling then upgrade) × connect with auth, server events, acks, binary, and the two refusals.
#include "missingdependency.h"
#include "widgetserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <memory>

namespace {

const QString Token = QStringLiteral("interop-server-token");

// serverclient.js in a child process; its JSON lines are kept in order.
class NodeClient
{
public:
    NodeClient(const QUrl &url, const QString &transport, const QString &nsp, const QString &token)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TOKEN"), token);
        m_process.setProcessEnvironment(env);
        m_process.setProgram(QStandardPaths::findExecutable(QStringLiteral("node")));
        m_process.setArguments({QStringLiteral(INTEROP_DIR "/serverclient.js"), url.toString(), transport, nsp});
        m_process.setWorkingDirectory(QStringLiteral(INTEROP_DIR));
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process, [this] {
            while (m_process.canReadLine())
                m_lines.append(QJsonDocument::fromJson(m_process.readLine()).object());
        });
        m_process.start();
    }
    ~NodeClient()
    {
        m_process.kill();
        m_process.waitForFinished(5000); // reaps the child: kill() only sends the signal
    }

    QList<QJsonObject> events(QStringView name) const
    {
        QList<QJsonObject> matching;
        for (const QJsonObject &line : m_lines) {
            if (line.value(u"event").toString() == name)
                matching.append(line);
        }
        return matching;
    }
    qsizetype count(QStringView name) const { return events(name).size(); }
    QJsonObject first(QStringView name) const { return events(name).value(0); }
    void command(const QJsonObject &command)
    {
        m_process.write(QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n');
    }

private:
    QProcess m_process;
    QList<QJsonObject> m_lines;
};

} // namespace

class TestServerInterop : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void connectsAndExchangesEvents_data();
    void connectsAndExchangesEvents();
    void wrongTokenIsRefused_data();
    void wrongTokenIsRefused();
    void unknownNamespaceIsRefused_data();
    void unknownNamespaceIsRefused();

private:
    static void transports();
    std::unique_ptr<WidgetServer> m_server;
};

void TestServerInterop::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty())
        SKIP_MISSING_DEPENDENCY("node is not on PATH");
}

void TestServerInterop::init()
{
    m_server = std::make_unique<WidgetServer>();
    m_server->setToken(Token);
    m_server->addConversation(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("Ada"));
    QVERIFY(m_server->listen());
}

void TestServerInterop::cleanup()
{
    m_server.reset();
}

void TestServerInterop::transports()
{
    QTest::addColumn<QString>("transport");
    QTest::addColumn<QString>("expected"); // the transport the events travel on
    QTest::newRow("polling") << "polling"
                             << "polling";
    QTest::newRow("websocket") << "websocket"
                               << "websocket";
    QTest::newRow("polling then upgrade") << "default"
                                          << "websocket";
}

void TestServerInterop::connectsAndExchangesEvents_data()
{
    transports();
}

void TestServerInterop::connectsAndExchangesEvents()
{
    QFETCH(QString, transport);
    QFETCH(QString, expected);
    NodeClient client(m_server->baseUrl(), transport, QStringLiteral("/"), Token);
    QTRY_COMPARE_WITH_TIMEOUT(client.count(u"connect"), 1, 15000);
    QTRY_COMPARE(m_server->socketCount(), 1);
    if (transport == u"default") {
        // The official client's upgrade (2probe / 3probe / noop / 5) completed.
        QTRY_COMPARE_WITH_TIMEOUT(client.count(u"upgrade"), 1, 10000);
        QCOMPARE(client.first(u"upgrade").value(u"transport").toString(), QStringLiteral("websocket"));
    }

    const QString inbound = m_server->injectInbound(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("hi"));
    QTRY_COMPARE(client.count(u"inbound_message"), 1);
    const QJsonObject message = client.first(u"inbound_message");
    QCOMPARE(message.value(u"payload").toObject().value(u"messageId").toString(), inbound);
    QCOMPARE(message.value(u"transport").toString(), expected);

    m_server->emitStatus(
        QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("msg_1_0000abcd"), QStringLiteral("delivered"));
    QTRY_COMPARE(client.count(u"status_update"), 1);
    const QJsonObject status = client.first(u"status_update").value(u"payload").toObject();
    QCOMPARE(status.value(u"messageId").toString(), QStringLiteral("msg_1_0000abcd"));
    QCOMPARE(status.value(u"status").toString(), QStringLiteral("delivered"));

    const QJsonArray args {QStringLiteral("ping"), QJsonObject {{QStringLiteral("n"), 1}}};
    client.command(QJsonObject {{QStringLiteral("cmd"), QStringLiteral("echo")}, {QStringLiteral("args"), args}});
    QTRY_COMPARE(client.count(u"ack"), 1);
    QCOMPARE(client.first(u"ack").value(u"args").toArray(), args);

    client.command(QJsonObject {{QStringLiteral("cmd"), QStringLiteral("echoBinary")},
        {QStringLiteral("bytes"), QJsonArray {0, 1, 2, 255}}, {QStringLiteral("text"), QStringLiteral("x")}});
    QTRY_COMPARE(client.count(u"binaryAck"), 1);
    const QJsonObject binary = client.first(u"binaryAck");
    QVERIFY(binary.value(u"isBuffer").toBool());
    QCOMPARE(binary.value(u"bytes").toArray(), (QJsonArray {0, 1, 2, 255}));
    QCOMPARE(binary.value(u"text").toString(), QStringLiteral("x"));
    QCOMPARE(client.count(u"disconnect"), 0);
}

void TestServerInterop::wrongTokenIsRefused_data()
{
    transports();
}

void TestServerInterop::wrongTokenIsRefused()
{
    QFETCH(QString, transport);
    NodeClient client(m_server->baseUrl(), transport, QStringLiteral("/"), QStringLiteral("not-the-token"));
    QTRY_COMPARE_WITH_TIMEOUT(client.count(u"connect_error"), 1, 15000);
    QCOMPARE(client.first(u"connect_error").value(u"message").toString(), QStringLiteral("Invalid token"));
    QCOMPARE(client.count(u"connect"), 0);
    QCOMPARE(m_server->socketCount(), 0);
}

void TestServerInterop::unknownNamespaceIsRefused_data()
{
    transports();
}

void TestServerInterop::unknownNamespaceIsRefused()
{
    QFETCH(QString, transport);
    NodeClient client(m_server->baseUrl(), transport, QStringLiteral("/nope"), Token);
    QTRY_COMPARE_WITH_TIMEOUT(client.count(u"connect_error"), 1, 15000);
    QCOMPARE(client.first(u"connect_error").value(u"message").toString(), QStringLiteral("Invalid namespace"));
    QCOMPARE(client.count(u"connect"), 0);
    QCOMPARE(m_server->socketCount(), 0);
}

QTEST_GUILESS_MAIN(TestServerInterop)
#include "tst_serverinterop.moc"
