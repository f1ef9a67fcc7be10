// widget-server: the reference backend as a stand-alone process (CONTRACT.md). The token comes from
// a file or the environment, never from argv, where every user of the machine could read it.

#include "amqpupstream.h"
#include "accesslog.h"
#include "cannedresponsetable.h"
#include "conformancefixture.h"
#include "demoseed.h"
#include "serveroperations.h"
#include "serveroptions.h"
#include "tokenregistry.h"
#include "unixsignals.h"
#include "widgetserver.h"

#include <QCoreApplication>
#include <QDebug>

#include <csignal>
#include <cstdio>

namespace {

constexpr int UsageError = 2;

int usageError(const QString &message)
{
    std::fprintf(stderr, "widget-server: %s\nTry 'widget-server --help'.\n", qPrintable(message));
    return UsageError;
}

int serveConformanceFixture(const ServerOptions &options)
{
    ConformanceFixture fixture;
    const quint16 port = options.portGiven ? options.port : ConformanceFixture::DefaultPort;
    if (!fixture.listen(port)) {
        std::fprintf(stderr, "widget-server: cannot listen on localhost:%u\n", unsigned(port));
        return 1;
    }
    std::fprintf(stdout, "conformance fixture listening on http://localhost:%u\n", unsigned(fixture.port()));
    std::fflush(stdout);
    return QCoreApplication::exec();
}

// Applies everything but the address; empty, or why the server cannot start (a usage error).
QString configure(WidgetServer &server, const ServerOptions &options)
{
    if (options.tokensFile.isEmpty())
        server.setToken(options.token);
    else if (!server.tokenRegistry()->loadFile(options.tokensFile))
        return server.tokenRegistry()->error(); // names the line, never a token
    if (!options.cannedResponsesFile.isEmpty() && !server.cannedResponses()->loadFile(options.cannedResponsesFile))
        return server.cannedResponses()->error();
    const QString storeOption = options.database ? QStringLiteral("--database") : QStringLiteral("--data-dir");
    if (!options.dataDir.isEmpty() && !server.setDataDir(options.dataDir))
        return QStringLiteral("cannot use --data-dir: %1").arg(server.storageError());
    if (options.database) {
        qInfo().noquote() << "database:" << options.database->redactedUrl(); // never the password
        if (!server.setDatabase(*options.database))
            return QStringLiteral("cannot use --database: %1").arg(server.storageError());
    }
    server.setPingTiming(options.pingIntervalMs, options.pingTimeoutMs);
    server.setMaxPayload(options.maxPayload);
    server.setStrictProtocol(options.strictProtocol);
    server.operations()->sendLimiter().setLimits(options.sendRate, options.sendBurst);
    server.setMaxBodyBytes(options.maxBodyBytes);
    server.setMaxUploadBytes(options.maxUploadBytes);
    server.setMediaTypes(options.mediaTypes);
    server.setMaxConnectionsPerAddress(options.maxConnectionsPerAddress);
    server.operations()->setMetricsAllowed(options.metricsAllowed);
    if (options.jsonLogs)
        AccessLog::installJsonMessageHandler();
    server.operations()->setAccessLog(
        std::make_unique<AccessLog>(options.jsonLogs ? AccessLog::Format::Json : AccessLog::Format::Text));
    if (options.amqp) {
        qInfo().noquote() << "upstream:" << options.amqp->redactedUrl(); // the password is redacted
        server.setUpstream(new AmqpUpstream(*options.amqp));
    }
    if (options.outbox)
        server.setOutbox(options.outboxLeaseMs);
    if (options.seedDemo) {
        if (server.store()->hasConversation(options.demoTenant, options.demoConversation))
            DemoCustomers::of(server)->mark(options.demoTenant, options.demoConversation);
        else
            seedDemoConversation(server, options.demoTenant, options.demoConversation);
    }
    for (const ServerOptions::Conversation &c : options.newConversations)
        server.addConversation(c.tenant, c.conversation, c.customerName);
    if (!server.storageError().isEmpty())
        return QStringLiteral("cannot use %1: %2").arg(storeOption, server.storageError());
    server.setDemoInboundInterval(options.inboundIntervalMs);
    return {};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("widget-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(AGENT_CONSOLE_VERSION));
    const auto parsed = parseServerOptions(QCoreApplication::arguments(), ServerEnvironment::fromProcess());
    if (const auto *exit = std::get_if<ServerEarlyExit>(&parsed)) {
        std::fputs(qPrintable(exit->text), exit->code == 0 ? stdout : stderr);
        return exit->code;
    }
    const ServerOptions &options = std::get<ServerOptions>(parsed);
    for (const QString &warning : options.warnings)
        std::fprintf(stderr, "widget-server: %s\n", qPrintable(warning));
    if (options.conformanceFixture)
        return serveConformanceFixture(options);

    WidgetServer server;
    if (const QString problem = configure(server, options); !problem.isEmpty())
        return usageError(problem);
    if (!server.listen(options.host, options.port)) {
        std::fprintf(stderr, "widget-server: cannot listen on %s:%u\n", qPrintable(options.host.toString()),
            unsigned(options.port));
        return 1;
    }
    // Tests and scripts wait for exactly this line (and read the port from it when --port 0).
    std::fprintf(stdout, "listening on %s\n", qPrintable(server.baseUrl().toString()));
    std::fflush(stdout);

    // Graceful stop (systemd's KillSignal, Ctrl+C; on Windows Ctrl+C, Ctrl+Break or the console closed,
    // see unixsignals.h): the handler only wakes the event loop up.
    UnixSignals unixSignals;
    unixSignals.watch(SIGTERM);
    unixSignals.watch(SIGINT);
#ifdef SIGHUP
    // SIGHUP reads the tokens file and the canned responses again; a bad file is refused and logged, what
    // is in force stays. Windows has no SIGHUP (nor any other way to reload yet): there a restart reads them.
    if (!options.tokensFile.isEmpty() || !options.cannedResponsesFile.isEmpty()) {
        unixSignals.watch(SIGHUP);
        QObject::connect(&unixSignals, &UnixSignals::received, &server, [&server, &options](int signal) {
            if (signal != SIGHUP)
                return;
            if (!options.tokensFile.isEmpty())
                server.tokenRegistry()->reload();
            if (!options.cannedResponsesFile.isEmpty())
                server.cannedResponses()->reload();
        });
    }
#endif
    QObject::connect(&unixSignals, &UnixSignals::received, &server, [&server, &options](int signal) {
        if (signal != SIGTERM && signal != SIGINT)
            return;
        qInfo("received %s", signal == SIGTERM ? "SIGTERM" : "SIGINT");
        server.shutdown(options.shutdownTimeoutMs);
    });
    QObject::connect(&server, &WidgetServer::stopped, &app, [] { QCoreApplication::exit(0); });
    return QCoreApplication::exec();
}
