// Tenants of widget-server: the tokens file, a token reaching only its tenant over REST (404 for the
// others) and Socket.IO (CONNECT_ERROR), events that never cross tenants, token reloads (in-process and
// by SIGHUP to the real executable). Real servers on 127.0.0.1, real QWebSocket clients.
#include "protocol.h"
#include "serverprocess.h"
#include "testclient.h"
#include "tokenregistry.h"
#include "widgetserver.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using Headers = QList<std::pair<QByteArray, QByteArray>>;

static const QString TokenA = QStringLiteral("token-of-tenant-a");
static const QString TokenB = QStringLiteral("token-of-tenant-b");

static bool writeFile(const QString &path, const QByteArray &content)
{
    QSaveFile file(path); // replaced whole, as the documentation tells operators to do
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size() && file.commit();
}

static Headers as(const QString &token, const QByteArray &tenant)
{
    return {{"Authorization", "Bearer " + token.toUtf8()}, {"X-Tenant-ID", tenant}};
}

class TestTenants : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void parse_data();
    void parse();
    void loadKeepsTableOnError();
    void crossTenantRestIsNotFound_data();
    void crossTenantRestIsNotFound();
    void unknownTokenIsUnauthorized();
    void singleTokenReachesEveryTenant();
    void crossTenantSocketRefused_data();
    void crossTenantSocketRefused();
    void eventsStayInTheirTenant();
    void reloadDisconnectsRevokedSockets();
    void executableRejectsBadTokensFile_data();
    void executableRejectsBadTokensFile();
    void sighupReloadsTheProcess();

private:
    std::unique_ptr<SocketClient> connectClient(
        const QString &tenant, const QString &conversation, const QString &token);
    QString tokensPath() const { return m_dir->filePath(QStringLiteral("tokens")); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<WidgetServer> m_server;
    std::unique_ptr<HttpClient> m_http;
};

void TestTenants::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(writeFile(tokensPath(), "# tenants of the test\n" + TokenA.toUtf8() + " A\n" + TokenB.toUtf8() + " B\n"));
    m_server = std::make_unique<WidgetServer>();
    QVERIFY2(m_server->tokenRegistry()->loadFile(tokensPath()), qPrintable(m_server->tokenRegistry()->error()));
    // The same conversation id in both tenants: rooms and rows must still never meet.
    m_server->addConversation(QStringLiteral("A"), QStringLiteral("c1"), QStringLiteral("Ada"));
    m_server->addConversation(QStringLiteral("B"), QStringLiteral("c1"), QStringLiteral("Bob"));
    m_server->addConversation(QStringLiteral("B"), QStringLiteral("c2"), QStringLiteral("Bea"));
    QVERIFY(m_server->listen());
    m_http = std::make_unique<HttpClient>(m_server->baseUrl());
}

void TestTenants::cleanup()
{
    m_http.reset();
    m_server.reset();
    m_dir.reset();
}

std::unique_ptr<SocketClient> TestTenants::connectClient(
    const QString &tenant, const QString &conversation, const QString &token)
{
    auto client = std::make_unique<SocketClient>();
    client->autoPong = true;
    client->open(socketUrl(*m_server, tenant, conversation));
    if (!QTest::qWaitFor([&] { return !client->frames.isEmpty(); }, 5000) || !client->frames.first().startsWith(u'0'))
        return nullptr;
    client->socket.sendTextMessage(Protocol::connectFrame(QJsonObject {{QStringLiteral("token"), token}}));
    if (!QTest::qWaitFor([&] { return client->frames.size() >= 2; }, 5000))
        return nullptr;
    return client;
}

void TestTenants::parse_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QStringList>("entries"); // token=tenant; empty when refused
    QTest::addColumn<QString>("error");

    QTest::newRow("one line") << QByteArray("tok1 t1\n") << QStringList {"tok1=t1"} << QString();
    QTest::newRow("no final newline") << QByteArray("tok1 t1") << QStringList {"tok1=t1"} << QString();
    QTest::newRow("comments, blanks, tabs, CRLF")
        << QByteArray("# who may use this server\n\n   \n  tok1   t1  \r\n\t# an indented comment\ntok2\tt2\r\n")
        << QStringList {"tok1=t1", "tok2=t2"} << QString();
    QTest::newRow("a token with symbols") << QByteArray("a#b=c/d+e t1\n") << QStringList {"a#b=c/d+e=t1"} << QString();
    QTest::newRow("token without tenant") << QByteArray("tok1 t1\nsecret-two\n") << QStringList {}
                                          << "line 2: expected \"token tenantId\", found 1 fields";
    QTest::newRow("three fields") << QByteArray("# x\n\nsecret-two t2 extra\n") << QStringList {}
                                  << "line 3: expected \"token tenantId\", found 3 fields";
    QTest::newRow("token twice") << QByteArray("secret-two t1\n\nsecret-two t2\n") << QStringList {}
                                 << "line 3: the token of line 1 again (a token reaches one tenant)";
    QTest::newRow("non-ASCII token") << QByteArray("s\xc3\xa9\x63ret-two t1\n") << QStringList {}
                                     << "line 1: the token may hold only visible ASCII characters";
    QTest::newRow("only comments") << QByteArray("# nobody yet\n\n") << QStringList {} << "no token in the file";
    QTest::newRow("empty") << QByteArray() << QStringList {} << "no token in the file";
}

void TestTenants::parse()
{
    QFETCH(QByteArray, text);
    QFETCH(QStringList, entries);
    QFETCH(QString, error);
    QString why;
    const auto parsed = TokenRegistry::parse(text, &why);
    QCOMPARE(parsed.has_value(), error.isEmpty());
    QCOMPARE(why, error);
    QVERIFY(!why.contains(u"secret")); // an error names the line, never its token
    QStringList got;
    for (const TokenRegistry::Entry &entry : parsed.value_or(QList<TokenRegistry::Entry> {}))
        got.append(entry.token + u'=' + entry.tenant);
    QCOMPARE(got, entries);
}

void TestTenants::loadKeepsTableOnError()
{
    TokenRegistry registry;
    QSignalSpy changed(&registry, &TokenRegistry::changed);
    QVERIFY(registry.loadFile(tokensPath()));
    QCOMPARE(changed.size(), 1);
    QVERIFY(writeFile(tokensPath(), "token-new A\nhalf-a-line\n"));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("tokens not reloaded.*line 2")));
    QVERIFY(!registry.reload());
    QVERIFY2(registry.error().contains(u"line 2"), qPrintable(registry.error()));
    QVERIFY(registry.error().contains(tokensPath()));
    QCOMPARE(changed.size(), 1);
    QVERIFY(registry.allows(TokenA, QStringLiteral("A")));
    QVERIFY(!registry.isKnown(QStringLiteral("token-new")));
    QVERIFY(!registry.loadFile(m_dir->filePath(QStringLiteral("missing"))));
    QVERIFY(registry.error().contains(u"cannot read"));
    QVERIFY(registry.allows(TokenB, QStringLiteral("B")));
    QVERIFY(!registry.allows(TokenB, QStringLiteral("A")));
}

void TestTenants::crossTenantRestIsNotFound_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("tenant"); // X-Tenant-ID
    QTest::addColumn<QJsonObject>("body");

    const auto send = [](const QString &tenant, const QString &conversation) {
        return QJsonObject {{QStringLiteral("messageId"), QStringLiteral("msg_1_0000cccc")},
            {QStringLiteral("conversationId"), conversation}, {QStringLiteral("tenantId"), tenant},
            {QStringLiteral("integrationId"), QStringLiteral("i1")}, {QStringLiteral("text"), QStringLiteral("hi")}};
    };
    QTest::newRow("context, same conversation id")
        << QByteArray("GET") << "/api/v1/widget/context/c1" << QByteArray("B") << QJsonObject {};
    QTest::newRow("context") << QByteArray("GET") << "/api/v1/widget/context/c2" << QByteArray("B") << QJsonObject {};
    QTest::newRow("history") << QByteArray("GET") << "/api/v1/widget/conversation/c2/history" << QByteArray("B")
                             << QJsonObject {};
    QTest::newRow("send") << QByteArray("POST") << "/api/v1/widget/send" << QByteArray("B") << send("B", "c2");
    // The body's tenant is the one that counts, whatever the header says.
    QTest::newRow("send, body names the other tenant")
        << QByteArray("POST") << "/api/v1/widget/send" << QByteArray("A") << send("B", "c1");
}

void TestTenants::crossTenantRestIsNotFound()
{
    QFETCH(QByteArray, verb);
    QFETCH(QString, path);
    QFETCH(QByteArray, tenant);
    QFETCH(QJsonObject, body);
    const QByteArray payload = body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson();
    // Tenant A's token: exactly the answer of a conversation that does not exist.
    const HttpResult foreign = m_http->request(verb, path, payload, as(TokenA, tenant));
    QCOMPARE(foreign.status, 404);
    const HttpResult unknown = m_http->request(verb,
        QString(path)
            .replace(QStringLiteral("c1"), QStringLiteral("nope"))
            .replace(QStringLiteral("c2"), QStringLiteral("nope")),
        QByteArray(payload).replace("\"c1\"", "\"nope\"").replace("\"c2\"", "\"nope\""), as(TokenB, tenant));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(foreign.body, unknown.body);
    QCOMPARE(foreign.json.value(u"error").toObject().value(u"code").toString(), QStringLiteral("NOT_FOUND"));
    QCOMPARE(m_server->store()->messageCount(QStringLiteral("B"), QStringLiteral("c1")), 0);
    QCOMPARE(m_server->store()->messageCount(QStringLiteral("B"), QStringLiteral("c2")), 0);
    // The owner's token reaches it: the 404 above was the tenant check, not a missing conversation.
    QCOMPARE(m_http->request(verb, path, payload, as(TokenB, tenant)).status, 200);
}

void TestTenants::unknownTokenIsUnauthorized()
{
    const HttpResult r = m_http->get(QStringLiteral("/api/v1/widget/context/c1"), as(QStringLiteral("nobody"), "A"));
    QCOMPARE(r.status, 401);
    QCOMPARE(r.json.value(u"error").toObject().value(u"code").toString(), QStringLiteral("UNAUTHORIZED"));
    QCOMPARE(m_http->get(QStringLiteral("/api/v1/widget/context/c1"), as(TokenA, "A")).status, 200);
}

void TestTenants::singleTokenReachesEveryTenant()
{
    m_server->setToken(TestToken);
    QCOMPARE(m_http->get(QStringLiteral("/api/v1/widget/context/c1"), as(TestToken, "A")).status, 200);
    QCOMPARE(m_http->get(QStringLiteral("/api/v1/widget/context/c2"), as(TestToken, "B")).status, 200);
    QCOMPARE(m_http->get(QStringLiteral("/api/v1/widget/context/c2"), as(TokenA, "B")).status, 404);
    auto client = connectClient(QStringLiteral("B"), QStringLiteral("c2"), TestToken);
    QVERIFY(client);
    QVERIFY(client->frames.at(1).startsWith(u"40{"));
}

void TestTenants::crossTenantSocketRefused_data()
{
    QTest::addColumn<QString>("tenant");
    QTest::addColumn<QString>("conversation");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("message");
    QTest::newRow("other tenant, same conversation id") << "B"
                                                        << "c1" << TokenA << "Not authorized for this tenant";
    QTest::newRow("other tenant") << "B"
                                  << "c2" << TokenA << "Not authorized for this tenant";
    QTest::newRow("other tenant that does not exist") << "Z"
                                                      << "c1" << TokenA << "Not authorized for this tenant";
    QTest::newRow("unknown token") << "A"
                                   << "c1"
                                   << "nobody"
                                   << "Invalid token";
}

void TestTenants::crossTenantSocketRefused()
{
    QFETCH(QString, tenant);
    QFETCH(QString, conversation);
    QFETCH(QString, token);
    QFETCH(QString, message);
    auto client = connectClient(tenant, conversation, token);
    QVERIFY(client);
    const auto packet = Protocol::decodeSocketPacket(Protocol::decodeEnginePacket(client->frames.at(1))->data);
    QVERIFY(packet);
    QCOMPARE(packet->type, Protocol::SocketPacketType::ConnectError);
    QCOMPARE(packet->data.toObject().value(u"message").toString(), message);
    QCOMPARE(m_server->socketCount(), 0);
    // The owner is let in.
    auto owner = connectClient(QStringLiteral("B"), QStringLiteral("c2"), TokenB);
    QVERIFY(owner);
    QVERIFY(owner->frames.at(1).startsWith(u"40{"));
    QTRY_COMPARE(m_server->socketCount(), 1);
}

void TestTenants::eventsStayInTheirTenant()
{
    auto a = connectClient(QStringLiteral("A"), QStringLiteral("c1"), TokenA);
    auto b = connectClient(QStringLiteral("B"), QStringLiteral("c1"), TokenB);
    QVERIFY(a && b);
    QTRY_COMPARE(m_server->socketCount(), 2);

    m_server->emitStatus(
        QStringLiteral("B"), QStringLiteral("c1"), QStringLiteral("msg_b"), QStringLiteral("delivered"));
    const QString inboundB
        = m_server->injectInbound(QStringLiteral("B"), QStringLiteral("c1"), QStringLiteral("for B"));
    QVERIFY(!inboundB.isEmpty());
    // A's own events come after B's on the same server: once A has them, B's would have arrived first.
    m_server->emitStatus(QStringLiteral("A"), QStringLiteral("c1"), QStringLiteral("msg_a"), QStringLiteral("read"));
    const QString inboundA
        = m_server->injectInbound(QStringLiteral("A"), QStringLiteral("c1"), QStringLiteral("for A"));

    QTRY_COMPARE(a->events(QStringLiteral("inbound_message")).size(), 1);
    QTRY_COMPARE(b->events(QStringLiteral("inbound_message")).size(), 1);
    QCOMPARE(a->eventNames(), (QStringList {"status_update", "inbound_message"}));
    QCOMPARE(a->events(QStringLiteral("status_update")).at(0).value(u"messageId").toString(), QStringLiteral("msg_a"));
    QCOMPARE(a->events(QStringLiteral("inbound_message")).at(0).value(u"messageId").toString(), inboundA);
    QCOMPARE(b->eventNames(), (QStringList {"status_update", "inbound_message"}));
    QCOMPARE(b->events(QStringLiteral("status_update")).at(0).value(u"messageId").toString(), QStringLiteral("msg_b"));
    QCOMPARE(b->events(QStringLiteral("inbound_message")).at(0).value(u"text").toString(), QStringLiteral("for B"));
    // And the stored rows did not cross either.
    QCOMPARE(m_server->store()->messageCount(QStringLiteral("A"), QStringLiteral("c1")), 1);
    QCOMPARE(m_server->store()->messageCount(QStringLiteral("B"), QStringLiteral("c1")), 1);
    QVERIFY(!m_server->store()->message(QStringLiteral("A"), QStringLiteral("c1"), inboundB));
}

void TestTenants::reloadDisconnectsRevokedSockets()
{
    auto a = connectClient(QStringLiteral("A"), QStringLiteral("c1"), TokenA);
    auto b = connectClient(QStringLiteral("B"), QStringLiteral("c1"), TokenB);
    QVERIFY(a && b);
    QTRY_COMPARE(m_server->socketCount(), 2);
    QVERIFY(writeFile(tokensPath(), TokenB.toUtf8() + " B\nthe-new-token-of-a A\n"));
    QVERIFY(m_server->tokenRegistry()->reload());
    QTRY_VERIFY(a->frames.contains(QStringLiteral("41"))); // a revoked token must not reconnect
    QTRY_COMPARE(m_server->socketCount(), 1);
    QVERIFY(!b->frames.contains(QStringLiteral("41")));
    QCOMPARE(m_http->get(QStringLiteral("/api/v1/widget/context/c1"), as(TokenA, "A")).status, 401);
    QCOMPARE(
        m_http->get(QStringLiteral("/api/v1/widget/context/c1"), as(QStringLiteral("the-new-token-of-a"), "A")).status,
        200);
}

void TestTenants::executableRejectsBadTokensFile_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("malformed line") << QByteArray("tok1 t1\ntok2\n") << QStringList {} << QByteArray("line 2");
    QTest::newRow("no token") << QByteArray("# empty\n") << QStringList {} << QByteArray("no token");
    QTest::newRow("missing file") << QByteArray() << QStringList {} << QByteArray("cannot read");
    QTest::newRow("with --token-file") << QByteArray("tok1 t1\n")
                                       << QStringList {QStringLiteral("--token-file"), QProcess::nullDevice()}
                                       << QByteArray("--token-file");
}

void TestTenants::executableRejectsBadTokensFile()
{
    QFETCH(QByteArray, content);
    QFETCH(QStringList, extra);
    QFETCH(QByteArray, message);
    if (!content.isEmpty())
        QVERIFY(writeFile(tokensPath(), content));
    else
        QFile::remove(tokensPath());
    QProcess process;
    QVERIFY(runServerToExit(process,
        QStringList {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--tokens-file"), tokensPath()}
            + extra));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 2);
    const QByteArray error = process.readAllStandardError();
    QVERIFY2(error.contains(message), error.constData());
    QVERIFY(!error.contains("tok2"));
    QVERIFY(process.readAllStandardOutput().isEmpty());
}

void TestTenants::sighupReloadsTheProcess()
{
#ifdef Q_OS_WIN
    QSKIP("Windows has no SIGHUP: widget-server reads its tokens file again only when restarted there");
#else
    const QString before = QStringLiteral("token-before-reload");
    const QString after = QStringLiteral("token-after-reload");
    QVERIFY(writeFile(tokensPath(), before.toUtf8() + " demo\n"));
    QProcess process;
    process.setProcessEnvironment(serverEnvironment(QString()));
    process.start(QStringLiteral(WIDGET_SERVER_BINARY),
        {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--tokens-file"), tokensPath()});
    QByteArray output;
    const QUrl url = listeningUrl(process, &output);
    QVERIFY2(!url.isEmpty(), output.constData());
    HttpClient http {url};
    const QString context = QStringLiteral("/api/v1/widget/context/demo");
    QCOMPARE(http.get(context, as(before, "demo")).status, 200);
    QCOMPARE(http.get(context, as(after, "demo")).status, 401);

    QVERIFY(writeFile(tokensPath(), "# rotated\n" + after.toUtf8() + " demo\n"));
    QCOMPARE(::kill(pid_t(process.processId()), SIGHUP), 0);
    QTRY_COMPARE_WITH_TIMEOUT(http.get(context, as(after, "demo")).status, 200, 10000);
    QCOMPARE(http.get(context, as(before, "demo")).status, 401);

    // A broken file on the next SIGHUP: refused, logged, and the tokens in force stay.
    QByteArray errors;
    QVERIFY(writeFile(tokensPath(), "half-a-line\n"));
    QCOMPARE(::kill(pid_t(process.processId()), SIGHUP), 0);
    QTRY_VERIFY_WITH_TIMEOUT((errors += process.readAllStandardError()).contains("tokens not reloaded"), 10000);
    QVERIFY2(errors.contains("line 1"), errors.constData());
    QCOMPARE(http.get(context, as(after, "demo")).status, 200);
    QCOMPARE(process.state(), QProcess::Running);

    QSignalSpy finished(&process, &QProcess::finished);
    process.kill();
    QVERIFY(finished.wait(10000));
    errors += process.readAllStandardError();
    QVERIFY(!errors.contains(before.toUtf8()));
    QVERIFY(!errors.contains(after.toUtf8()));
    QVERIFY(!errors.contains("half-a-line"));
#endif
}

QTEST_GUILESS_MAIN(TestTenants)
#include "tst_tenants.moc"
