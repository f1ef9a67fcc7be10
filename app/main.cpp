#include "commandline.h"
#include "conversationcontroller.h"
#include "demobackend.h"
#include "mainwindow.h"
#include "outboxstore.h"

#include <QApplication>
#include <QNetworkProxyFactory>
#include <QTextStream>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("agent-console"));
    QApplication::setApplicationDisplayName(QStringLiteral("Agent Console"));
    QApplication::setOrganizationName(QStringLiteral("agent-console"));
    QApplication::setApplicationVersion(QStringLiteral(AGENT_CONSOLE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("agent-console"));

    const auto parsed = parseCommandLine(QApplication::arguments(), qEnvironmentVariable("AGENT_CONSOLE_TOKEN"));
    if (const auto *exit = std::get_if<EarlyExit>(&parsed)) {
        QTextStream(exit->code == 0 ? stdout : stderr) << exit->text;
        return exit->code;
    }
    const Options &options = std::get<Options>(parsed);

    ConversationController controller;
    DemoBackend *demo = nullptr;
    ConversationConfig config;
    if (options.demo) {
        demo = new DemoBackend(&app);
        QString error;
        if (!demo->start(&error)) {
            QTextStream(stderr) << "agent-console: " << error << '\n';
            return 1;
        }
        config = demo->conversationConfig();
    } else {
        config.baseUrl = options.apiUrl;
        config.tenant = options.tenant;
        config.conversation = options.conversation;
        config.integration = options.integration;
        config.token = options.token;
        config.ssl = sslConfiguration(options.caCertificates);
        // http_proxy / https_proxy / no_proxy (or the desktop's settings) apply to REST and the socket
        // alike. Not in demo mode: its backend is on 127.0.0.1 and must not be sent to a proxy.
        QNetworkProxyFactory::setUseSystemConfiguration(true);
    }

    // Unsent replies survive a crash. The demo backend is new on every run, so the demo keeps none.
    OutboxStore outbox;
    if (!options.demo) {
        outbox.open(OutboxStore::defaultPath());
        controller.setOutboxStore(&outbox); // a store that failed to open reports it on the first reply
    }

    MainWindow window(&controller, demo);
    window.show();
    controller.start(config);
    return app.exec();
}
