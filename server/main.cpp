// widget-server: the reference backend as a stand-alone process (CONTRACT.md). The token comes from
// a file or the environment, never from argv, where every user of the machine could read it.

#include "conformancefixture.h"
#include "demoseed.h"
#include "widgetserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QHostAddress>

#include <cstdio>

namespace {

constexpr int UsageError = 2;

int usageError(const QString &message)
{
    std::fprintf(stderr, "widget-server: %s\nTry 'widget-server --help'.\n", qPrintable(message));
    return UsageError;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("widget-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(AGENT_CONSOLE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Reference widget backend: REST and Socket.IO on one port, in memory, with a simulated "
                       "WhatsApp upstream.\nThe token is read from --token-file or the WIDGET_SERVER_TOKEN "
                       "environment variable."));
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

    // parse(), not process(): process() exits with 1 on a usage error, the contract of this tool is 2.
    if (!parser.parse(QCoreApplication::arguments()))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion();
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().constFirst()));

    bool ok = false;
    const uint port = parser.value(portOption).toUInt(&ok);
    if (!ok || port > 65535)
        return usageError(QStringLiteral("invalid port '%1'").arg(parser.value(portOption)));
    const QHostAddress host(parser.value(hostOption));
    if (host.isNull())
        return usageError(QStringLiteral("invalid address '%1'").arg(parser.value(hostOption)));
    const int inboundInterval = parser.value(inboundOption).toInt(&ok);
    if (!ok || inboundInterval < 0)
        return usageError(QStringLiteral("invalid interval '%1'").arg(parser.value(inboundOption)));

    const auto positive = [&parser](const QCommandLineOption &option, int *value) {
        bool valid = false;
        *value = parser.value(option).toInt(&valid);
        return valid && *value > 0;
    };
    int pingInterval = 0;
    int pingTimeout = 0;
    int maxPayload = 0;
    if (!positive(pingIntervalOption, &pingInterval))
        return usageError(QStringLiteral("invalid ping interval '%1'").arg(parser.value(pingIntervalOption)));
    if (!positive(pingTimeoutOption, &pingTimeout))
        return usageError(QStringLiteral("invalid ping timeout '%1'").arg(parser.value(pingTimeoutOption)));
    if (!positive(maxPayloadOption, &maxPayload))
        return usageError(QStringLiteral("invalid max payload '%1'").arg(parser.value(maxPayloadOption)));

    if (parser.isSet(fixtureOption)) {
        ConformanceFixture fixture;
        const quint16 fixturePort = parser.isSet(portOption) ? quint16(port) : ConformanceFixture::DefaultPort;
        if (!fixture.listen(fixturePort)) {
            std::fprintf(stderr, "widget-server: cannot listen on localhost:%u\n", unsigned(fixturePort));
            return 1;
        }
        std::fprintf(stdout, "conformance fixture listening on http://localhost:%u\n", unsigned(fixture.port()));
        std::fflush(stdout);
        return QCoreApplication::exec();
    }

    QString token;
    if (parser.isSet(tokenFileOption)) {
        QFile file(parser.value(tokenFileOption));
        if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
            return usageError(
                QStringLiteral("cannot read token file '%1': %2").arg(file.fileName(), file.errorString()));
        token = QString::fromUtf8(file.readLine()).trimmed();
    } else {
        token = qEnvironmentVariable("WIDGET_SERVER_TOKEN").trimmed();
    }
    if (token.isEmpty())
        return usageError(QStringLiteral("no token: pass --token-file or set WIDGET_SERVER_TOKEN"));

    WidgetServer server;
    server.setToken(token);
    server.setPingTiming(pingInterval, pingTimeout);
    server.setMaxPayload(maxPayload);
    server.setStrictProtocol(parser.isSet(strictOption));
    seedDemoConversation(server, parser.value(tenantOption), parser.value(conversationOption));
    server.setDemoInboundInterval(inboundInterval);
    if (!server.listen(host, quint16(port))) {
        std::fprintf(stderr, "widget-server: cannot listen on %s:%u\n", qPrintable(host.toString()), port);
        return 1;
    }
    // Tests and scripts wait for exactly this line (and read the port from it when --port 0).
    std::fprintf(stdout, "listening on %s\n", qPrintable(server.baseUrl().toString()));
    std::fflush(stdout);
    return QCoreApplication::exec();
}
