#include "serveroptions.h"

#include "amqptls.h"
#include "mediatypes.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

#include <cmath>
#include <optional>

namespace {

ServerEarlyExit usageError(const QString &message)
{
    return ServerEarlyExit {2, QStringLiteral("widget-server: %1\nTry 'widget-server --help'.\n").arg(message)};
}

// Every option, described once; the help lists them in this order.
struct Flags
{
    const QCommandLineOption port {QStringLiteral("port"), QStringLiteral("TCP port, 0 for any free one."),
        QStringLiteral("port"), QStringLiteral("8080")};
    const QCommandLineOption host {QStringLiteral("host"), QStringLiteral("Address to listen on."),
        QStringLiteral("address"), QStringLiteral("127.0.0.1")};
    const QCommandLineOption tokenFile {QStringLiteral("token-file"),
        QStringLiteral("File whose first line is the accepted token."), QStringLiteral("file")};
    const QCommandLineOption tenant {QStringLiteral("tenant"), QStringLiteral("Tenant of the demo conversation."),
        QStringLiteral("tenant"), QStringLiteral("demo")};
    const QCommandLineOption conversation {QStringLiteral("conversation"),
        QStringLiteral("Id of the demo conversation."), QStringLiteral("conversation"), QStringLiteral("demo")};
    const QCommandLineOption inbound {QStringLiteral("inbound-interval"),
        QStringLiteral("Milliseconds between simulated customer messages, 0 = off."), QStringLiteral("ms"),
        QStringLiteral("0")};
    const QCommandLineOption pingInterval {QStringLiteral("ping-interval"),
        QStringLiteral("Engine.IO pingInterval in milliseconds."), QStringLiteral("ms"), QStringLiteral("25000")};
    const QCommandLineOption pingTimeout {QStringLiteral("ping-timeout"),
        QStringLiteral("Engine.IO pingTimeout in milliseconds."), QStringLiteral("ms"), QStringLiteral("20000")};
    const QCommandLineOption maxPayload {QStringLiteral("max-payload"),
        QStringLiteral("Engine.IO maxPayload: the largest POST body or WebSocket message, in bytes. A session "
                       "whose unsent output exceeds twice this (or 4096 packets) is closed."),
        QStringLiteral("bytes"), QStringLiteral("1000000")};
    const QCommandLineOption strict {QStringLiteral("strict-protocol"),
        QStringLiteral("Close a connection on a malformed Engine.IO / Socket.IO packet instead of dropping it.")};
    const QCommandLineOption fixture {QStringLiteral("conformance-fixture"),
        QStringLiteral("Serve only the fixture of the socketio engine.io-protocol and socket.io-protocol test "
                       "suites on localhost (port 3000 unless --port is given); no token needed.")};
    const QCommandLineOption upstream {QStringLiteral("upstream"),
        QStringLiteral("Where accepted replies go: 'simulate' (in-process, the default) or a RabbitMQ broker, "
                       "amqp://user:pass@host:port/vhost[?heartbeat=s&connection_timeout=ms&confirm_timeout=ms], "
                       "or amqps://... for TLS (port 5671 by default; the broker's certificate and host name are "
                       "always verified). "
                       "With a broker, POST /send answers 200 after the publisher confirm, and instances sharing "
                       "the broker see each other's status updates. The environment variable "
                       "WIDGET_SERVER_AMQP_PASSWORD, if set, is the password (keeps it out of argv)."),
        QStringLiteral("upstream"), QStringLiteral("simulate")};
    const QCommandLineOption upstreamCa {QStringLiteral("upstream-ca"),
        QStringLiteral("With amqps://: PEM file of the CA certificates that may sign the broker's certificate "
                       "(default: the system's CA store)."),
        QStringLiteral("file")};
    const QCommandLineOption upstreamCert {QStringLiteral("upstream-cert"),
        QStringLiteral("With amqps://: PEM client certificate (chain) to show the broker; needs --upstream-key."),
        QStringLiteral("file")};
    const QCommandLineOption upstreamKey {QStringLiteral("upstream-key"),
        QStringLiteral("With amqps://: the unencrypted PEM private key of --upstream-cert."), QStringLiteral("file")};
    const QCommandLineOption outbox {QStringLiteral("outbox"),
        QStringLiteral("Transactional outbox: POST /send answers 200 once the reply and its outbox row are "
                       "committed in one transaction (also while the broker is away), and a relay publishes the "
                       "row with a publisher confirm, then deletes it. Instances on one database share the rows; "
                       "one that dies mid-publish leaves its rows to the others after --outbox-lease, which may "
                       "publish a reply twice under the same message_id (the consumer drops the repeat).")};
    const QCommandLineOption outboxLease {QStringLiteral("outbox-lease"),
        QStringLiteral("With --outbox: how long an instance holds the rows it publishes before another may take "
                       "them (default 30)."),
        QStringLiteral("seconds"), QStringLiteral("30")};
    const QCommandLineOption dataDir {QStringLiteral("data-dir"),
        QStringLiteral("Keep conversations, messages, statuses and send records in <dir>/widget-server.sqlite "
                       "(created if missing) instead of memory. Instances may share one dir: a resend is then "
                       "deduplicated whichever instance it reaches."),
        QStringLiteral("dir")};
    const QCommandLineOption database {QStringLiteral("database"),
        QStringLiteral("Keep conversations, messages, statuses and send records in PostgreSQL instead: "
                       "postgresql://user@host:port/dbname (tables created or migrated at start). Instances on "
                       "any host may share it. The password comes from WIDGET_SERVER_DB_PASSWORD, or else "
                       "~/.pgpass (PGPASSFILE); a URL holding one is refused. While the database cannot be "
                       "reached, requests that need it get 503 STORAGE_UNAVAILABLE and the server reconnects. "
                       "Uploads stay in --data-dir (or memory)."),
        QStringLiteral("url")};
    const QCommandLineOption tokensFile {QStringLiteral("tokens-file"),
        QStringLiteral("Per-tenant tokens: one 'token tenantId' per line, '#' comments. A token reaches only its "
                       "tenant's conversations. Reloaded on SIGHUP (a bad file is refused, the old tokens stay). "
                       "Excludes --token-file and WIDGET_SERVER_TOKEN."),
        QStringLiteral("file")};
    const QCommandLineOption cannedResponses {QStringLiteral("canned-responses"),
        QStringLiteral("Canned responses per tenant, served by GET /api/v1/widget/canned-responses: a JSON object "
                       "of tenant ids, each with a list of {\"id\", \"shortCode\", \"content\"}. Reloaded on "
                       "SIGHUP (a bad file is refused, the old list stays)."),
        QStringLiteral("file")};
    const QCommandLineOption seedDemo {QStringLiteral("seed-demo"),
        QStringLiteral("Create the demo conversation (--tenant, --conversation) with its history if the store "
                       "lacks it. The default without --data-dir; with one, conversations persist and are seeded "
                       "only on request.")};
    const QCommandLineOption addConversation {QStringLiteral("add-conversation"),
        QStringLiteral("Create a conversation (or rename its customer) at start: tenant:conversation[:customer "
                       "name]. Repeatable. POST /send and inbound messages to unknown conversations get 404."),
        QStringLiteral("spec")};
    const QCommandLineOption sendRate {QStringLiteral("send-rate"),
        QStringLiteral("POST /send requests per second each token earns (token bucket; 0 = no limit). Over it: "
                       "429 RATE_LIMITED with Retry-After."),
        QStringLiteral("per-second"), QStringLiteral("10")};
    const QCommandLineOption sendBurst {QStringLiteral("send-burst"),
        QStringLiteral("POST /send requests a token may make at once before --send-rate applies."),
        QStringLiteral("requests"), QStringLiteral("20")};
    const QCommandLineOption maxBody {QStringLiteral("max-body-bytes"),
        QStringLiteral("Largest REST request body; larger ones get 413 before they are read."), QStringLiteral("bytes"),
        QStringLiteral("65536")};
    const QCommandLineOption maxUpload {QStringLiteral("max-upload-bytes"),
        QStringLiteral("Largest file POST /api/v1/widget/upload takes; a larger one gets 413 MEDIA_TOO_LARGE, "
                       "answered from the request head before the body is read."),
        QStringLiteral("bytes"), QStringLiteral("16777216")};
    const QCommandLineOption mediaTypes {QStringLiteral("media-types"),
        QStringLiteral("Comma-separated MIME types uploads may have (checked against the file's bytes); others "
                       "get 415 MEDIA_TYPE_NOT_ALLOWED. Known: %1.")
            .arg(MediaTypes::known().join(QStringLiteral(", "))),
        QStringLiteral("types"), MediaTypes::defaultAllowed().join(u',')};
    const QCommandLineOption maxConnections {QStringLiteral("max-connections-per-ip"),
        QStringLiteral("Open TCP connections, and Engine.IO sessions, one address may hold (0 = no limit); "
                       "more get 429 or a WebSocket close."),
        QStringLiteral("count"), QStringLiteral("64")};
    const QCommandLineOption logFormat {QStringLiteral("log-format"),
        QStringLiteral("Logs on stderr: 'json' (one object per line: every request, every message) or 'text'."),
        QStringLiteral("format"), QStringLiteral("json")};
    const QCommandLineOption metricsAllow {QStringLiteral("metrics-allow"),
        QStringLiteral("Comma-separated subnets whose peers may GET /metrics (others get 404)."),
        QStringLiteral("subnets"), QStringLiteral("127.0.0.0/8,::1/128")};
    const QCommandLineOption shutdownTimeout {QStringLiteral("shutdown-timeout"),
        QStringLiteral("On SIGTERM or SIGINT: seconds the requests in flight get to finish before the rest is "
                       "dropped. A second signal stops at once."),
        QStringLiteral("seconds"), QStringLiteral("10")};

    void describe(QCommandLineParser &parser) const
    {
        parser.setApplicationDescription(
            QStringLiteral("Reference widget backend: REST and Socket.IO on one port, in memory, in SQLite "
                           "(--data-dir) or in PostgreSQL (--database), with a simulated WhatsApp upstream.\nTokens: "
                           "per tenant from --tokens-file "
                           "(reloaded on SIGHUP), or one token for every tenant from --token-file or the "
                           "WIDGET_SERVER_TOKEN environment variable."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOptions({port, host, tokenFile, tenant, conversation, inbound, pingInterval, pingTimeout, maxPayload,
            strict, fixture, upstream, upstreamCa, upstreamCert, upstreamKey, outbox, outboxLease, dataDir, database,
            tokensFile,
            cannedResponses, seedDemo, addConversation, sendRate, sendBurst, maxBody, maxUpload, mediaTypes,
            maxConnections, logFormat, metricsAllow, shutdownTimeout});
    }
};

// Each reader fills its part of the options; it returns why a value is refused, or nothing.
using Problem = std::optional<QString>;

Problem readEngine(const QCommandLineParser &parser, const Flags &f, ServerOptions &options)
{
    bool ok = false;
    const uint port = parser.value(f.port).toUInt(&ok);
    if (!ok || port > 65535)
        return QStringLiteral("invalid port '%1'").arg(parser.value(f.port));
    options.port = quint16(port);
    options.portGiven = parser.isSet(f.port);
    options.host = QHostAddress(parser.value(f.host));
    if (options.host.isNull())
        return QStringLiteral("invalid address '%1'").arg(parser.value(f.host));
    const auto positive = [&parser](const QCommandLineOption &option, int *value) {
        bool valid = false;
        *value = parser.value(option).toInt(&valid);
        return valid && *value > 0;
    };
    if (!positive(f.pingInterval, &options.pingIntervalMs))
        return QStringLiteral("invalid ping interval '%1'").arg(parser.value(f.pingInterval));
    if (!positive(f.pingTimeout, &options.pingTimeoutMs))
        return QStringLiteral("invalid ping timeout '%1'").arg(parser.value(f.pingTimeout));
    if (!positive(f.maxPayload, &options.maxPayload))
        return QStringLiteral("invalid max payload '%1'").arg(parser.value(f.maxPayload));
    options.strictProtocol = parser.isSet(f.strict);
    options.conformanceFixture = parser.isSet(f.fixture);
    return std::nullopt;
}

Problem readOperations(const QCommandLineParser &parser, const Flags &f, ServerOptions &options)
{
    const auto number = [&parser](const QCommandLineOption &option, double minimum, double maximum, double *value) {
        bool valid = false;
        *value = parser.value(option).toDouble(&valid);
        return valid && std::isfinite(*value) && *value >= minimum && *value <= maximum;
    };
    const auto invalid = [&parser](const char *what, const QCommandLineOption &option) {
        return QStringLiteral("invalid %1 '%2'").arg(QLatin1String(what), parser.value(option));
    };
    double maxBody = 0;
    double maxUpload = 0;
    double maxConnections = 0;
    double shutdownTimeout = 0;
    if (!number(f.sendRate, 0, HUGE_VAL, &options.sendRate))
        return invalid("send rate", f.sendRate);
    if (!number(f.sendBurst, 1, HUGE_VAL, &options.sendBurst))
        return invalid("send burst", f.sendBurst);
    if (!number(f.maxBody, 1, 1e9, &maxBody))
        return invalid("max body bytes", f.maxBody);
    if (!number(f.maxUpload, 1, 1e9, &maxUpload))
        return invalid("max upload bytes", f.maxUpload);
    if (!number(f.maxConnections, 0, 1e6, &maxConnections))
        return invalid("max connections per ip", f.maxConnections);
    if (!number(f.shutdownTimeout, 0, 3600, &shutdownTimeout))
        return invalid("shutdown timeout", f.shutdownTimeout);
    options.maxBodyBytes = qint64(maxBody);
    options.maxUploadBytes = qint64(maxUpload);
    for (const QString &type : parser.value(f.mediaTypes).split(u',', Qt::SkipEmptyParts)) {
        const QString name = type.trimmed().toLower();
        if (!MediaTypes::known().contains(name))
            return QStringLiteral("invalid --media-types: '%1' is not one of %2")
                .arg(name, MediaTypes::known().join(u','));
        options.mediaTypes.append(name);
    }
    if (options.mediaTypes.isEmpty())
        return QStringLiteral("invalid --media-types: no type given");
    options.maxConnectionsPerAddress = int(maxConnections);
    options.shutdownTimeoutMs = int(shutdownTimeout * 1000);
    const QString logFormat = parser.value(f.logFormat);
    if (logFormat != u"json" && logFormat != u"text")
        return QStringLiteral("invalid log format '%1': json or text").arg(logFormat);
    options.jsonLogs = logFormat == u"json";
    for (const QString &subnet : parser.value(f.metricsAllow).split(u',', Qt::SkipEmptyParts)) {
        const auto parsed = QHostAddress::parseSubnet(subnet.trimmed());
        if (parsed.first.isNull())
            return QStringLiteral("invalid subnet '%1' in --metrics-allow").arg(subnet);
        options.metricsAllowed.append(parsed);
    }
    return std::nullopt;
}

// The TLS files of an amqps:// upstream: readable now, so a typo is a usage error, not a reconnect loop.
Problem readUpstreamTls(const QCommandLineParser &parser, const Flags &f, AmqpSettings &settings)
{
    settings.caFile = parser.value(f.upstreamCa);
    settings.certFile = parser.value(f.upstreamCert);
    settings.keyFile = parser.value(f.upstreamKey);
    const bool anyFile = !settings.caFile.isEmpty() || !settings.certFile.isEmpty() || !settings.keyFile.isEmpty();
    if (anyFile && !settings.tls)
        return QStringLiteral("--upstream-ca, --upstream-cert and --upstream-key need an amqps:// --upstream");
    if (settings.certFile.isEmpty() != settings.keyFile.isEmpty())
        return QStringLiteral("--upstream-cert and --upstream-key go together");
    for (const QString &name : {settings.caFile, settings.certFile, settings.keyFile}) {
        QFile file(name);
        if (!name.isEmpty() && !file.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot read '%1': %2").arg(name, file.errorString());
    }
    if (settings.tls && !AmqpTls::supported())
        return QStringLiteral("amqps:// is not available: this widget-server is built without TLS support");
    return std::nullopt;
}

// The store, the conversations at start, the demo, and where replies go.
Problem readConversations(
    const QCommandLineParser &parser, const Flags &f, const ServerEnvironment &environment, ServerOptions &options)
{
    bool ok = false;
    options.inboundIntervalMs = parser.value(f.inbound).toInt(&ok);
    if (!ok || options.inboundIntervalMs < 0)
        return QStringLiteral("invalid interval '%1'").arg(parser.value(f.inbound));
    if (const QString upstream = parser.value(f.upstream); upstream != u"simulate") {
        auto parsed = AmqpSettings::fromUrl(upstream);
        if (const auto *problem = std::get_if<QString>(&parsed))
            return QStringLiteral("invalid --upstream: %1").arg(*problem); // never echoes the password
        options.amqp = std::get<AmqpSettings>(parsed);
        if (!environment.amqpPassword.isEmpty())
            options.amqp->password = environment.amqpPassword;
        if (const Problem problem = readUpstreamTls(parser, f, *options.amqp))
            return problem;
    } else if (parser.isSet(f.upstreamCa) || parser.isSet(f.upstreamCert) || parser.isSet(f.upstreamKey)) {
        return QStringLiteral("--upstream-ca, --upstream-cert and --upstream-key need an amqps:// --upstream");
    }
    options.outbox = parser.isSet(f.outbox);
    if (parser.isSet(f.outboxLease)) {
        const double seconds = parser.value(f.outboxLease).toDouble(&ok);
        if (!ok || seconds < 1 || seconds > 3600)
            return QStringLiteral("invalid --outbox-lease '%1': seconds from 1 to 3600").arg(parser.value(f.outboxLease));
        if (!options.outbox)
            return QStringLiteral("--outbox-lease needs --outbox");
        options.outboxLeaseMs = int(seconds * 1000);
    }
    // tenant:conversation[:customer name]; the customer's name defaults to the conversation id.
    for (const QString &spec : parser.values(f.addConversation)) {
        QStringList parts = spec.split(u':');
        if (parts.size() > 3)
            parts = QStringList {parts.at(0), parts.at(1), parts.mid(2).join(u':')};
        if (parts.size() < 2 || parts.at(0).isEmpty() || parts.at(1).isEmpty())
            return QStringLiteral("invalid --add-conversation '%1': tenant:conversation[:name]").arg(spec);
        options.newConversations.append(
            {parts.at(0), parts.at(1), parts.size() == 2 || parts.at(2).isEmpty() ? parts.at(1) : parts.at(2)});
    }
    options.dataDir = parser.value(f.dataDir);
    if (parser.isSet(f.database)) {
        auto parsed = PostgresSettings::fromUrl(parser.value(f.database));
        if (const auto *problem = std::get_if<QString>(&parsed))
            return QStringLiteral("invalid --database: %1").arg(*problem); // never echoes the URL (a password?)
        options.database = std::get<PostgresSettings>(parsed);
        options.database->password = environment.databasePassword;
    }
    options.cannedResponsesFile = parser.value(f.cannedResponses);
    // With a data dir or a database the demo conversation is created once, not again (with a second
    // history) each start.
    options.seedDemo = parser.isSet(f.seedDemo) || (options.dataDir.isEmpty() && !options.database);
    options.demoTenant = parser.value(f.tenant);
    options.demoConversation = parser.value(f.conversation);
    return std::nullopt;
}

// Per-tenant tokens from a file the server loads, or one token from --token-file or the environment.
Problem readTokens(
    const QCommandLineParser &parser, const Flags &f, const ServerEnvironment &environment, ServerOptions &options)
{
    if (parser.isSet(f.tokensFile)) {
        if (parser.isSet(f.tokenFile))
            return QStringLiteral("--tokens-file and --token-file exclude each other");
        if (environment.token)
            options.warnings.append(QStringLiteral("WIDGET_SERVER_TOKEN ignored, the tokens come from --tokens-file"));
        options.tokensFile = parser.value(f.tokensFile); // loaded (and its errors named) by the server
        return std::nullopt;
    }
    if (parser.isSet(f.tokenFile)) {
        QFile file(parser.value(f.tokenFile));
        if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
            return QStringLiteral("cannot read token file '%1': %2").arg(file.fileName(), file.errorString());
        options.token = QString::fromUtf8(file.readLine()).trimmed();
    } else {
        options.token = environment.token.value_or(QString()).trimmed();
    }
    if (options.token.isEmpty())
        return QStringLiteral("no token: pass --tokens-file or --token-file, or set WIDGET_SERVER_TOKEN");
    return std::nullopt;
}

} // namespace

ServerEnvironment ServerEnvironment::fromProcess()
{
    ServerEnvironment environment;
    if (qEnvironmentVariableIsSet("WIDGET_SERVER_TOKEN"))
        environment.token = qEnvironmentVariable("WIDGET_SERVER_TOKEN");
    environment.amqpPassword = qEnvironmentVariable("WIDGET_SERVER_AMQP_PASSWORD");
    environment.databasePassword = qEnvironmentVariable("WIDGET_SERVER_DB_PASSWORD");
    return environment;
}

std::variant<ServerOptions, ServerEarlyExit> parseServerOptions(
    const QStringList &arguments, const ServerEnvironment &environment)
{
    QCommandLineParser parser;
    const Flags f;
    f.describe(parser);
    // parse(), not process(): process() exits with 1 on a usage error, the contract of this tool is 2.
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help")))
        return ServerEarlyExit {0, parser.helpText()};
    if (parser.isSet(QStringLiteral("version")))
        return ServerEarlyExit {0, QStringLiteral("widget-server %1\n").arg(QStringLiteral(AGENT_CONSOLE_VERSION))};
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().constFirst()));

    ServerOptions options;
    Problem problem = readEngine(parser, f, options);
    if (!problem)
        problem = readOperations(parser, f, options);
    // The conformance fixture needs no token, store or conversations.
    if (!problem && !options.conformanceFixture)
        problem = readConversations(parser, f, environment, options);
    if (!problem && !options.conformanceFixture)
        problem = readTokens(parser, f, environment, options);
    if (problem)
        return usageError(*problem);
    return options;
}
