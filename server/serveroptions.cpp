#include "serveroptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

#include <cmath>

namespace {

ServerEarlyExit usageError(const QString &message)
{
    return ServerEarlyExit {2, QStringLiteral("widget-server: %1\nTry 'widget-server --help'.\n").arg(message)};
}

} // namespace

ServerEnvironment ServerEnvironment::fromProcess()
{
    ServerEnvironment environment;
    if (qEnvironmentVariableIsSet("WIDGET_SERVER_TOKEN"))
        environment.token = qEnvironmentVariable("WIDGET_SERVER_TOKEN");
    environment.amqpPassword = qEnvironmentVariable("WIDGET_SERVER_AMQP_PASSWORD");
    return environment;
}

std::variant<ServerOptions, ServerEarlyExit> parseServerOptions(
    const QStringList &arguments, const ServerEnvironment &environment)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Reference widget backend: REST and Socket.IO on one port, in memory or in SQLite "
                       "(--data-dir), with a simulated WhatsApp upstream.\nTokens: per tenant from --tokens-file "
                       "(reloaded on SIGHUP), or one token for every tenant from --token-file or the "
                       "WIDGET_SERVER_TOKEN environment variable."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("TCP port, 0 for any free one."),
        QStringLiteral("port"), QStringLiteral("8080"));
    const QCommandLineOption hostOption(QStringLiteral("host"), QStringLiteral("Address to listen on."),
        QStringLiteral("address"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption tokenFileOption(QStringLiteral("token-file"),
        QStringLiteral("File whose first line is the accepted token."), QStringLiteral("file"));
    const QCommandLineOption tenantOption(QStringLiteral("tenant"), QStringLiteral("Tenant of the demo conversation."),
        QStringLiteral("tenant"), QStringLiteral("demo"));
    const QCommandLineOption conversationOption(QStringLiteral("conversation"),
        QStringLiteral("Id of the demo conversation."), QStringLiteral("conversation"), QStringLiteral("demo"));
    const QCommandLineOption inboundOption(QStringLiteral("inbound-interval"),
        QStringLiteral("Milliseconds between simulated customer messages, 0 = off."), QStringLiteral("ms"),
        QStringLiteral("0"));
    const QCommandLineOption pingIntervalOption(QStringLiteral("ping-interval"),
        QStringLiteral("Engine.IO pingInterval in milliseconds."), QStringLiteral("ms"), QStringLiteral("25000"));
    const QCommandLineOption pingTimeoutOption(QStringLiteral("ping-timeout"),
        QStringLiteral("Engine.IO pingTimeout in milliseconds."), QStringLiteral("ms"), QStringLiteral("20000"));
    const QCommandLineOption maxPayloadOption(QStringLiteral("max-payload"),
        QStringLiteral("Engine.IO maxPayload: the largest POST body or WebSocket message, in bytes."),
        QStringLiteral("bytes"), QStringLiteral("1000000"));
    const QCommandLineOption strictOption(QStringLiteral("strict-protocol"),
        QStringLiteral("Close a connection on a malformed Engine.IO / Socket.IO packet instead of dropping it."));
    const QCommandLineOption fixtureOption(QStringLiteral("conformance-fixture"),
        QStringLiteral("Serve only the fixture of the socketio engine.io-protocol and socket.io-protocol test "
                       "suites on localhost (port 3000 unless --port is given); no token needed."));
    parser.addOptions({portOption, hostOption, tokenFileOption, tenantOption, conversationOption, inboundOption,
        pingIntervalOption, pingTimeoutOption, maxPayloadOption, strictOption, fixtureOption});
    const QCommandLineOption upstreamOption(QStringLiteral("upstream"),
        QStringLiteral("Where accepted replies go: 'simulate' (in-process, the default) or a RabbitMQ broker, "
                       "amqp://user:pass@host:port/vhost[?heartbeat=s&connection_timeout=ms&confirm_timeout=ms]. "
                       "With a broker, POST /send answers 200 after the publisher confirm, and instances sharing "
                       "the broker see each other's status updates. The environment variable "
                       "WIDGET_SERVER_AMQP_PASSWORD, if set, is the password (keeps it out of argv)."),
        QStringLiteral("upstream"), QStringLiteral("simulate"));
    parser.addOption(upstreamOption);

    // Persistence and tenants.
    const QCommandLineOption dataDirOption(QStringLiteral("data-dir"),
        QStringLiteral("Keep conversations, messages, statuses and send records in <dir>/widget-server.sqlite "
                       "(created if missing) instead of memory. Instances may share one dir: a resend is then "
                       "deduplicated whichever instance it reaches."),
        QStringLiteral("dir"));
    const QCommandLineOption tokensFileOption(QStringLiteral("tokens-file"),
        QStringLiteral("Per-tenant tokens: one 'token tenantId' per line, '#' comments. A token reaches only its "
                       "tenant's conversations. Reloaded on SIGHUP (a bad file is refused, the old tokens stay). "
                       "Excludes --token-file and WIDGET_SERVER_TOKEN."),
        QStringLiteral("file"));
    const QCommandLineOption seedDemoOption(QStringLiteral("seed-demo"),
        QStringLiteral("Create the demo conversation (--tenant, --conversation) with its history if the store "
                       "lacks it. The default without --data-dir; with one, conversations persist and are seeded "
                       "only on request."));
    const QCommandLineOption addConversationOption(QStringLiteral("add-conversation"),
        QStringLiteral("Create a conversation (or rename its customer) at start: tenant:conversation[:customer "
                       "name]. Repeatable. POST /send and inbound messages to unknown conversations get 404."),
        QStringLiteral("spec"));
    parser.addOptions({dataDirOption, tokensFileOption, seedDemoOption, addConversationOption});

    // Limits, logs and operations.
    const QCommandLineOption sendRateOption(QStringLiteral("send-rate"),
        QStringLiteral("POST /send requests per second each token earns (token bucket; 0 = no limit). Over it: "
                       "429 RATE_LIMITED with Retry-After."),
        QStringLiteral("per-second"), QStringLiteral("10"));
    const QCommandLineOption sendBurstOption(QStringLiteral("send-burst"),
        QStringLiteral("POST /send requests a token may make at once before --send-rate applies."),
        QStringLiteral("requests"), QStringLiteral("20"));
    const QCommandLineOption maxBodyOption(QStringLiteral("max-body-bytes"),
        QStringLiteral("Largest REST request body; larger ones get 413 before they are read."), QStringLiteral("bytes"),
        QStringLiteral("65536"));
    const QCommandLineOption maxConnectionsOption(QStringLiteral("max-connections-per-ip"),
        QStringLiteral("Open TCP connections, and Engine.IO sessions, one address may hold (0 = no limit); "
                       "more get 429 or a WebSocket close."),
        QStringLiteral("count"), QStringLiteral("64"));
    const QCommandLineOption logFormatOption(QStringLiteral("log-format"),
        QStringLiteral("Logs on stderr: 'json' (one object per line: every request, every message) or 'text'."),
        QStringLiteral("format"), QStringLiteral("json"));
    const QCommandLineOption metricsAllowOption(QStringLiteral("metrics-allow"),
        QStringLiteral("Comma-separated subnets whose peers may GET /metrics (others get 404)."),
        QStringLiteral("subnets"), QStringLiteral("127.0.0.0/8,::1/128"));
    const QCommandLineOption shutdownTimeoutOption(QStringLiteral("shutdown-timeout"),
        QStringLiteral("On SIGTERM or SIGINT: seconds the requests in flight get to finish before the rest is "
                       "dropped. A second signal stops at once."),
        QStringLiteral("seconds"), QStringLiteral("10"));
    parser.addOptions({sendRateOption, sendBurstOption, maxBodyOption, maxConnectionsOption, logFormatOption,
        metricsAllowOption, shutdownTimeoutOption});

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
    bool ok = false;
    const uint port = parser.value(portOption).toUInt(&ok);
    if (!ok || port > 65535)
        return usageError(QStringLiteral("invalid port '%1'").arg(parser.value(portOption)));
    options.port = quint16(port);
    options.portGiven = parser.isSet(portOption);
    options.host = QHostAddress(parser.value(hostOption));
    if (options.host.isNull())
        return usageError(QStringLiteral("invalid address '%1'").arg(parser.value(hostOption)));
    options.inboundIntervalMs = parser.value(inboundOption).toInt(&ok);
    if (!ok || options.inboundIntervalMs < 0)
        return usageError(QStringLiteral("invalid interval '%1'").arg(parser.value(inboundOption)));

    const auto positive = [&parser](const QCommandLineOption &option, int *value) {
        bool valid = false;
        *value = parser.value(option).toInt(&valid);
        return valid && *value > 0;
    };
    if (!positive(pingIntervalOption, &options.pingIntervalMs))
        return usageError(QStringLiteral("invalid ping interval '%1'").arg(parser.value(pingIntervalOption)));
    if (!positive(pingTimeoutOption, &options.pingTimeoutMs))
        return usageError(QStringLiteral("invalid ping timeout '%1'").arg(parser.value(pingTimeoutOption)));
    if (!positive(maxPayloadOption, &options.maxPayload))
        return usageError(QStringLiteral("invalid max payload '%1'").arg(parser.value(maxPayloadOption)));
    options.strictProtocol = parser.isSet(strictOption);
    options.conformanceFixture = parser.isSet(fixtureOption);

    if (const QString upstream = parser.value(upstreamOption); upstream != u"simulate") {
        auto parsed = AmqpSettings::fromUrl(upstream);
        if (const auto *problem = std::get_if<QString>(&parsed))
            return usageError(QStringLiteral("invalid --upstream: %1").arg(*problem)); // never echoes the password
        options.amqp = std::get<AmqpSettings>(parsed);
        if (!environment.amqpPassword.isEmpty())
            options.amqp->password = environment.amqpPassword;
    }

    const auto number = [&parser](const QCommandLineOption &option, double minimum, double *value) {
        bool valid = false;
        *value = parser.value(option).toDouble(&valid);
        return valid && std::isfinite(*value) && *value >= minimum;
    };
    double maxBody = 0;
    double maxConnections = 0;
    double shutdownTimeout = 0;
    if (!number(sendRateOption, 0, &options.sendRate))
        return usageError(QStringLiteral("invalid send rate '%1'").arg(parser.value(sendRateOption)));
    if (!number(sendBurstOption, 1, &options.sendBurst))
        return usageError(QStringLiteral("invalid send burst '%1'").arg(parser.value(sendBurstOption)));
    if (!number(maxBodyOption, 1, &maxBody) || maxBody > 1e9)
        return usageError(QStringLiteral("invalid max body bytes '%1'").arg(parser.value(maxBodyOption)));
    if (!number(maxConnectionsOption, 0, &maxConnections) || maxConnections > 1e6)
        return usageError(
            QStringLiteral("invalid max connections per ip '%1'").arg(parser.value(maxConnectionsOption)));
    if (!number(shutdownTimeoutOption, 0, &shutdownTimeout) || shutdownTimeout > 3600)
        return usageError(QStringLiteral("invalid shutdown timeout '%1'").arg(parser.value(shutdownTimeoutOption)));
    options.maxBodyBytes = qint64(maxBody);
    options.maxConnectionsPerAddress = int(maxConnections);
    options.shutdownTimeoutMs = int(shutdownTimeout * 1000);
    const QString logFormat = parser.value(logFormatOption);
    if (logFormat != u"json" && logFormat != u"text")
        return usageError(QStringLiteral("invalid log format '%1': json or text").arg(logFormat));
    options.jsonLogs = logFormat == u"json";
    for (const QString &subnet : parser.value(metricsAllowOption).split(u',', Qt::SkipEmptyParts)) {
        const auto parsed = QHostAddress::parseSubnet(subnet.trimmed());
        if (parsed.first.isNull())
            return usageError(QStringLiteral("invalid subnet '%1' in --metrics-allow").arg(subnet));
        options.metricsAllowed.append(parsed);
    }
    if (options.conformanceFixture)
        return options; // serves only the fixture: no token, store or conversations

    // tenant:conversation[:customer name]; the customer's name defaults to the conversation id.
    for (const QString &spec : parser.values(addConversationOption)) {
        QStringList parts = spec.split(u':');
        if (parts.size() > 3)
            parts = QStringList {parts.at(0), parts.at(1), parts.mid(2).join(u':')};
        if (parts.size() < 2 || parts.at(0).isEmpty() || parts.at(1).isEmpty())
            return usageError(QStringLiteral("invalid --add-conversation '%1': tenant:conversation[:name]").arg(spec));
        options.newConversations.append(
            {parts.at(0), parts.at(1), parts.size() == 2 || parts.at(2).isEmpty() ? parts.at(1) : parts.at(2)});
    }
    options.dataDir = parser.value(dataDirOption);
    // With a data dir the demo conversation is created once, not again (with a second history) each start.
    options.seedDemo = parser.isSet(seedDemoOption) || options.dataDir.isEmpty();
    options.demoTenant = parser.value(tenantOption);
    options.demoConversation = parser.value(conversationOption);

    if (parser.isSet(tokensFileOption)) {
        if (parser.isSet(tokenFileOption))
            return usageError(QStringLiteral("--tokens-file and --token-file exclude each other"));
        if (environment.token)
            options.warnings.append(QStringLiteral("WIDGET_SERVER_TOKEN ignored, the tokens come from --tokens-file"));
        options.tokensFile = parser.value(tokensFileOption); // loaded (and its errors named) by the server
        return options;
    }
    if (parser.isSet(tokenFileOption)) {
        QFile file(parser.value(tokenFileOption));
        if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
            return usageError(
                QStringLiteral("cannot read token file '%1': %2").arg(file.fileName(), file.errorString()));
        options.token = QString::fromUtf8(file.readLine()).trimmed();
    } else {
        options.token = environment.token.value_or(QString()).trimmed();
    }
    if (options.token.isEmpty())
        return usageError(QStringLiteral("no token: pass --tokens-file or --token-file, or set WIDGET_SERVER_TOKEN"));
    return options;
}
