// The widget-server command line (ServerOptions) without a process: defaults, every option's value,
// every refused value (exit 2, the value named), where the token comes from, --help and --version.
#include "serveroptions.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

namespace {

ServerEnvironment withToken(const QString &token = QStringLiteral("s3cret"))
{
    ServerEnvironment environment;
    environment.token = token;
    return environment;
}

std::variant<ServerOptions, ServerEarlyExit> parse(
    const QStringList &arguments, const ServerEnvironment &environment = withToken())
{
    return parseServerOptions(QStringList {QStringLiteral("widget-server")} + arguments, environment);
}

} // namespace

class TestServerOptions : public QObject
{
    Q_OBJECT

private slots:
    void defaults();
    void everyOption();
    void refused_data();
    void refused();
    void tokenFromFileOrEnvironment();
    void tokensFileExcludesOneToken();
    void addConversation_data();
    void addConversation();
    void amqpPasswordFromEnvironment();
    void databaseUrl_data();
    void databaseUrl();
    void databasePasswordNeverInTheUrl_data();
    void databasePasswordNeverInTheUrl();
    void helpAndVersion();
    void conformanceFixtureNeedsNoToken();
};

void TestServerOptions::defaults()
{
    const auto parsed = parse({});
    QVERIFY(std::holds_alternative<ServerOptions>(parsed));
    const ServerOptions &o = std::get<ServerOptions>(parsed);
    QCOMPARE(o.port, 8080);
    QVERIFY(!o.portGiven);
    QCOMPARE(o.host, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(o.token, QStringLiteral("s3cret"));
    QVERIFY(o.tokensFile.isEmpty());
    QVERIFY(o.dataDir.isEmpty());
    QVERIFY(o.seedDemo); // in memory: the demo conversation is there
    QCOMPARE(o.demoTenant, QStringLiteral("demo"));
    QCOMPARE(o.inboundIntervalMs, 0);
    QVERIFY(!o.amqp);
    QVERIFY(!o.outbox);
    QCOMPARE(o.outboxLeaseMs, 30000);
    QCOMPARE(o.pingIntervalMs, 25000);
    QCOMPARE(o.pingTimeoutMs, 20000);
    QCOMPARE(o.maxPayload, 1000000);
    QCOMPARE(o.sendRate, 10.0);
    QCOMPARE(o.sendBurst, 20.0);
    QCOMPARE(o.maxBodyBytes, 65536);
    QCOMPARE(o.maxUploadBytes, 16 * 1024 * 1024); // CONTRACT.md §5
    QCOMPARE(o.mediaTypes,
        (QStringList {u"image/jpeg"_qs, u"image/png"_qs, u"image/webp"_qs, u"application/pdf"_qs, u"text/plain"_qs,
            u"audio/ogg"_qs, u"audio/mpeg"_qs, u"video/mp4"_qs}));
    QCOMPARE(o.maxConnectionsPerAddress, 64);
    QVERIFY(o.jsonLogs);
    QCOMPARE(o.metricsAllowed.size(), 2);
    QCOMPARE(o.shutdownTimeoutMs, 10000);
    QVERIFY(o.warnings.isEmpty());
}

void TestServerOptions::everyOption()
{
    const auto parsed = parse({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--host"),
        QStringLiteral("::1"), QStringLiteral("--data-dir"), QStringLiteral("/var/lib/ws"), QStringLiteral("--tenant"),
        QStringLiteral("acme"), QStringLiteral("--conversation"), QStringLiteral("c-1"), QStringLiteral("--seed-demo"),
        QStringLiteral("--inbound-interval"), QStringLiteral("500"), QStringLiteral("--ping-interval"),
        QStringLiteral("1000"), QStringLiteral("--ping-timeout"), QStringLiteral("2000"), QStringLiteral("--max-payload"),
        QStringLiteral("4096"), QStringLiteral("--strict-protocol"), QStringLiteral("--send-rate"), QStringLiteral("0.5"),
        QStringLiteral("--send-burst"), QStringLiteral("3"), QStringLiteral("--max-body-bytes"), QStringLiteral("1024"),
        QStringLiteral("--max-upload-bytes"), QStringLiteral("2048"), QStringLiteral("--media-types"),
        QStringLiteral("image/png, Image/GIF"), QStringLiteral("--max-connections-per-ip"), QStringLiteral("0"), QStringLiteral("--log-format"),
        QStringLiteral("text"), QStringLiteral("--metrics-allow"), QStringLiteral("10.0.0.0/8"),
        QStringLiteral("--shutdown-timeout"), QStringLiteral("2.5"), QStringLiteral("--outbox"),
        QStringLiteral("--outbox-lease"), QStringLiteral("4.5")});
    QVERIFY(std::holds_alternative<ServerOptions>(parsed));
    const ServerOptions &o = std::get<ServerOptions>(parsed);
    QCOMPARE(o.port, 0);
    QVERIFY(o.portGiven);
    QCOMPARE(o.host, QHostAddress(QStringLiteral("::1")));
    QCOMPARE(o.dataDir, QStringLiteral("/var/lib/ws"));
    QVERIFY(o.seedDemo);
    QCOMPARE(o.demoTenant, QStringLiteral("acme"));
    QCOMPARE(o.demoConversation, QStringLiteral("c-1"));
    QCOMPARE(o.inboundIntervalMs, 500);
    QCOMPARE(o.pingIntervalMs, 1000);
    QCOMPARE(o.pingTimeoutMs, 2000);
    QCOMPARE(o.maxPayload, 4096);
    QVERIFY(o.strictProtocol);
    QCOMPARE(o.sendRate, 0.5);
    QCOMPARE(o.sendBurst, 3.0);
    QCOMPARE(o.maxBodyBytes, 1024);
    QCOMPARE(o.maxUploadBytes, 2048);
    QCOMPARE(o.mediaTypes, (QStringList {u"image/png"_qs, u"image/gif"_qs}));
    QCOMPARE(o.maxConnectionsPerAddress, 0);
    QVERIFY(!o.jsonLogs);
    QCOMPARE(o.metricsAllowed.size(), 1);
    QCOMPARE(o.metricsAllowed.constFirst(), QHostAddress::parseSubnet(QStringLiteral("10.0.0.0/8")));
    QCOMPARE(o.shutdownTimeoutMs, 2500);
    QVERIFY(o.outbox);
    QCOMPARE(o.outboxLeaseMs, 4500);

    // With a data dir the demo is seeded only on request.
    const auto stored = parse({QStringLiteral("--data-dir"), QStringLiteral("/var/lib/ws")});
    QVERIFY(!std::get<ServerOptions>(stored).seedDemo);
}

void TestServerOptions::refused_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("named"); // the message names this
    const auto row = [](const char *name, const QStringList &arguments, const QString &named) {
        QTest::newRow(name) << arguments << named;
    };
    row("port", {QStringLiteral("--port"), QStringLiteral("70000")}, QStringLiteral("70000"));
    row("host", {QStringLiteral("--host"), QStringLiteral("localhost.example")}, QStringLiteral("localhost.example"));
    row("inbound interval", {QStringLiteral("--inbound-interval"), QStringLiteral("-1")}, QStringLiteral("-1"));
    row("ping interval", {QStringLiteral("--ping-interval"), QStringLiteral("0")}, QStringLiteral("ping interval"));
    row("ping timeout", {QStringLiteral("--ping-timeout"), QStringLiteral("x")}, QStringLiteral("'x'"));
    row("max payload", {QStringLiteral("--max-payload"), QStringLiteral("-5")}, QStringLiteral("-5"));
    row("send rate", {QStringLiteral("--send-rate"), QStringLiteral("fast")}, QStringLiteral("fast"));
    row("negative send rate", {QStringLiteral("--send-rate"), QStringLiteral("-1")}, QStringLiteral("-1"));
    row("infinite send rate", {QStringLiteral("--send-rate"), QStringLiteral("inf")}, QStringLiteral("inf"));
    row("burst", {QStringLiteral("--send-burst"), QStringLiteral("0")}, QStringLiteral("send burst"));
    row("body cap", {QStringLiteral("--max-body-bytes"), QStringLiteral("0")}, QStringLiteral("max body bytes"));
    row("upload cap", {QStringLiteral("--max-upload-bytes"), QStringLiteral("big")}, QStringLiteral("max upload bytes"));
    row("media type", {QStringLiteral("--media-types"), QStringLiteral("image/png,text/html")},
        QStringLiteral("text/html"));
    row("no media type", {QStringLiteral("--media-types"), QStringLiteral(",")}, QStringLiteral("--media-types"));
    row("connections", {QStringLiteral("--max-connections-per-ip"), QStringLiteral("-3")}, QStringLiteral("-3"));
    row("log format", {QStringLiteral("--log-format"), QStringLiteral("xml")}, QStringLiteral("xml"));
    row("metrics subnet", {QStringLiteral("--metrics-allow"), QStringLiteral("10.0.0.0/99")},
        QStringLiteral("10.0.0.0/99"));
    row("shutdown timeout", {QStringLiteral("--shutdown-timeout"), QStringLiteral("soon")}, QStringLiteral("soon"));
    row("upstream", {QStringLiteral("--upstream"), QStringLiteral("kafka://broker")}, QStringLiteral("--upstream"));
    row("add-conversation", {QStringLiteral("--add-conversation"), QStringLiteral("acme")}, QStringLiteral("acme"));
    row("add-conversation empty id", {QStringLiteral("--add-conversation"), QStringLiteral("acme::Ada")},
        QStringLiteral("acme::Ada"));
    row("outbox lease", {QStringLiteral("--outbox"), QStringLiteral("--outbox-lease"), QStringLiteral("0.5")},
        QStringLiteral("'0.5'"));
    row("outbox lease alone", {QStringLiteral("--outbox-lease"), QStringLiteral("10")}, QStringLiteral("needs --outbox"));
    row("positional", {QStringLiteral("extra")}, QStringLiteral("extra"));
    row("unknown option", {QStringLiteral("--colour")}, QStringLiteral("colour"));
    row("missing value", {QStringLiteral("--port")}, QStringLiteral("port"));
    row("token file unreadable", {QStringLiteral("--token-file"), QStringLiteral("/nonexistent/token")},
        QStringLiteral("/nonexistent/token"));
}

void TestServerOptions::refused()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, named);
    const auto parsed = parse(arguments);
    QVERIFY(std::holds_alternative<ServerEarlyExit>(parsed));
    const ServerEarlyExit &exit = std::get<ServerEarlyExit>(parsed);
    QCOMPARE(exit.code, 2);
    QVERIFY2(exit.text.contains(named), qPrintable(exit.text));
    QVERIFY(exit.text.startsWith(u"widget-server: "));
    QVERIFY(exit.text.contains(u"--help"));
}

void TestServerOptions::tokenFromFileOrEnvironment()
{
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("token")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("from-file  \nsecond line ignored\n");
    file.close();
    // The file wins over the environment; the first line, trimmed.
    const auto fromFile = parse({QStringLiteral("--token-file"), file.fileName()}, withToken());
    QCOMPARE(std::get<ServerOptions>(fromFile).token, QStringLiteral("from-file"));
    QCOMPARE(std::get<ServerOptions>(parse({}, withToken(QStringLiteral(" env \n")))).token, QStringLiteral("env"));
    // None at all, or a blank one: refused, and the message says where a token may come from.
    for (const ServerEnvironment &environment : {ServerEnvironment {}, withToken(QStringLiteral("  "))}) {
        const auto none = parse({}, environment);
        QVERIFY(std::holds_alternative<ServerEarlyExit>(none));
        QCOMPARE(std::get<ServerEarlyExit>(none).code, 2);
        QVERIFY(std::get<ServerEarlyExit>(none).text.contains(u"WIDGET_SERVER_TOKEN"));
    }
}

void TestServerOptions::tokensFileExcludesOneToken()
{
    const auto both = parse({QStringLiteral("--tokens-file"), QStringLiteral("/etc/ws/tokens"),
        QStringLiteral("--token-file"), QStringLiteral("/etc/ws/token")});
    QVERIFY(std::holds_alternative<ServerEarlyExit>(both));
    QVERIFY(std::get<ServerEarlyExit>(both).text.contains(u"exclude each other"));
    // With a tokens file the environment's token is ignored, with a warning; no token is needed.
    const auto tenants = parse({QStringLiteral("--tokens-file"), QStringLiteral("/etc/ws/tokens")}, withToken());
    const ServerOptions &o = std::get<ServerOptions>(tenants);
    QCOMPARE(o.tokensFile, QStringLiteral("/etc/ws/tokens"));
    QVERIFY(o.token.isEmpty());
    QCOMPARE(o.warnings.size(), 1);
    QVERIFY(o.warnings.constFirst().contains(u"WIDGET_SERVER_TOKEN ignored"));
    QVERIFY(std::holds_alternative<ServerOptions>(
        parse({QStringLiteral("--tokens-file"), QStringLiteral("/etc/ws/tokens")}, ServerEnvironment {})));
}

void TestServerOptions::addConversation_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("tenant");
    QTest::addColumn<QString>("conversation");
    QTest::addColumn<QString>("name");
    QTest::newRow("with a name") << "acme:c-1042:Maria Schneider" << "acme" << "c-1042" << "Maria Schneider";
    QTest::newRow("name defaults to the id") << "acme:c-1" << "acme" << "c-1" << "c-1";
    QTest::newRow("empty name") << "acme:c-1:" << "acme" << "c-1" << "c-1";
    QTest::newRow("colons in the name") << "acme:c-1:Dr: Who" << "acme" << "c-1" << "Dr: Who";
}

void TestServerOptions::addConversation()
{
    QFETCH(QString, spec);
    QFETCH(QString, tenant);
    QFETCH(QString, conversation);
    QFETCH(QString, name);
    const auto parsed = parse({QStringLiteral("--add-conversation"), spec, QStringLiteral("--add-conversation"),
        QStringLiteral("other:c-2")});
    const ServerOptions &o = std::get<ServerOptions>(parsed);
    QCOMPARE(o.newConversations.size(), 2);
    QCOMPARE(o.newConversations.at(0).tenant, tenant);
    QCOMPARE(o.newConversations.at(0).conversation, conversation);
    QCOMPARE(o.newConversations.at(0).customerName, name);
    QCOMPARE(o.newConversations.at(1).tenant, QStringLiteral("other")); // in order
}

void TestServerOptions::amqpPasswordFromEnvironment()
{
    ServerEnvironment environment = withToken();
    const QStringList arguments {QStringLiteral("--upstream"), QStringLiteral("amqp://guest@127.0.0.1:5672/")};
    QVERIFY(std::get<ServerOptions>(parse(arguments, environment)).amqp);
    environment.amqpPassword = QStringLiteral("from-env");
    const ServerOptions o = std::get<ServerOptions>(parse(arguments, environment));
    QCOMPARE(o.amqp->password, QStringLiteral("from-env"));
    QCOMPARE(o.amqp->port, 5672);
    QVERIFY(!std::get<ServerOptions>(parse({QStringLiteral("--upstream"), QStringLiteral("simulate")})).amqp);
    // The refusal of a bad URL never echoes its password.
    const auto bad = parse({QStringLiteral("--upstream"), QStringLiteral("amqp://u:hunter2@host:99999/")});
    QVERIFY(std::holds_alternative<ServerEarlyExit>(bad));
    QVERIFY(!std::get<ServerEarlyExit>(bad).text.contains(u"hunter2"));
}

void TestServerOptions::databaseUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("database");
    QTest::newRow("full") << "postgresql://widget@db.example:6432/chat"
                          << "db.example" << 6432 << "widget"
                          << "chat";
    QTest::newRow("default port") << "postgresql://widget@db.example/chat"
                                  << "db.example" << 5432 << "widget"
                                  << "chat";
    QTest::newRow("no user") << "postgres://db.example/chat"
                             << "db.example" << 5432 << ""
                             << "chat";
    QTest::newRow("local socket") << "postgresql:///chat"
                                  << "" << 5432 << ""
                                  << "chat";
}

void TestServerOptions::databaseUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, user);
    QFETCH(QString, database);
    ServerEnvironment environment = withToken();
    QVERIFY(!std::get<ServerOptions>(parse({}, environment)).database); // SQLite or memory by default
    const ServerOptions o = std::get<ServerOptions>(parse({QStringLiteral("--database"), url}, environment));
    QVERIFY(o.database);
    QCOMPARE(o.database->host, host);
    QCOMPARE(o.database->port, port);
    QCOMPARE(o.database->user, user);
    QCOMPARE(o.database->database, database);
    QCOMPARE(o.database->password, QString()); // libpq reads ~/.pgpass
    QVERIFY(!o.seedDemo); // a shared database is seeded on request only, as a data dir
    environment.databasePassword = QStringLiteral("from-env");
    QCOMPARE(std::get<ServerOptions>(parse({QStringLiteral("--database"), url}, environment)).database->password,
        QStringLiteral("from-env"));
}

// A password in the URL would be in argv (ps, /proc, shell history): refused, exit status 2, not echoed.
void TestServerOptions::databasePasswordNeverInTheUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("named");
    QTest::newRow("password") << "postgresql://widget:hunter2@db.example:5432/chat"
                              << "password";
    QTest::newRow("empty password") << "postgresql://widget:@db.example/chat"
                                    << "password";
    QTest::newRow("no database") << "postgresql://widget@db.example:5432/"
                                 << "no database";
    QTest::newRow("parameters") << "postgresql://widget@db.example/chat?password=hunter2"
                                << "parameters";
    QTest::newRow("other scheme") << "mysql://widget@db.example/chat"
                                  << "postgresql://";
}

void TestServerOptions::databasePasswordNeverInTheUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, named);
    const auto parsed = parse({QStringLiteral("--database"), url});
    QVERIFY(std::holds_alternative<ServerEarlyExit>(parsed));
    const ServerEarlyExit &exit = std::get<ServerEarlyExit>(parsed);
    QCOMPARE(exit.code, 2);
    QVERIFY2(exit.text.contains(u"--database"), qPrintable(exit.text));
    QVERIFY2(exit.text.contains(named), qPrintable(exit.text));
    QVERIFY(!exit.text.contains(u"hunter2"));
}

void TestServerOptions::helpAndVersion()
{
    const auto help = parse({QStringLiteral("--help")}, ServerEnvironment {}); // no token needed
    QVERIFY(std::holds_alternative<ServerEarlyExit>(help));
    QCOMPARE(std::get<ServerEarlyExit>(help).code, 0);
    // Every option of --help is in the man page too.
    QFile manPage(QStringLiteral(AGENT_CONSOLE_SOURCE_DIR "/resources/man/widget-server.1"));
    QVERIFY(manPage.open(QIODevice::ReadOnly | QIODevice::Text));
    const QString man = QString::fromUtf8(manPage.readAll()).remove(u'\\');
    for (const char *option :
        {"--port", "--data-dir", "--tokens-file", "--upstream", "--send-rate", "--max-connections-per-ip",
            "--shutdown-timeout", "--conformance-fixture", "--max-upload-bytes", "--media-types", "--database",
            "--upstream-ca", "--upstream-cert", "--upstream-key", "--outbox", "--outbox-lease"}) {
        QVERIFY2(std::get<ServerEarlyExit>(help).text.contains(QLatin1String(option)), option);
        QVERIFY2(man.contains(QLatin1String(option).mid(2)), option);
    }
    const auto version = parse({QStringLiteral("--version")}, ServerEnvironment {});
    QCOMPARE(std::get<ServerEarlyExit>(version).code, 0);
    QCOMPARE(std::get<ServerEarlyExit>(version).text, QStringLiteral("widget-server " AGENT_CONSOLE_VERSION "\n"));
}

void TestServerOptions::conformanceFixtureNeedsNoToken()
{
    const auto parsed = parse({QStringLiteral("--conformance-fixture")}, ServerEnvironment {});
    QVERIFY(std::holds_alternative<ServerOptions>(parsed));
    QVERIFY(std::get<ServerOptions>(parsed).conformanceFixture);
    QVERIFY(!std::get<ServerOptions>(parsed).portGiven);
}

QTEST_GUILESS_MAIN(TestServerOptions)
#include "tst_serveroptions.moc"
