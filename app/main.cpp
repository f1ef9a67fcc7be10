#include "appicon.h"
#include "commandline.h"
#include "consolesession.h"
#include "demobackend.h"
#include "firstpaintreport.h"
#include "outboxstore.h"
#include "singleinstance.h"
#include "translations.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QNetworkProxyFactory>
#include <QTextStream>

#include <optional>

#include <memory>

namespace {

void describeApplication()
{
    QCoreApplication::setApplicationName(QStringLiteral("agent-console"));
    QCoreApplication::setOrganizationName(QStringLiteral("agent-console"));
    QCoreApplication::setApplicationVersion(QStringLiteral(AGENT_CONSOLE_VERSION));
}

// --help, --version and usage errors need no display: QApplication aborts without one, so the command
// line is parsed under a QCoreApplication first (`agent-console --version` over ssh, in a package test).
// Files it names (token, CA) are read once, here.
std::variant<Options, EarlyExit> parseWithoutDisplay(int argc, char *argv[])
{
    QCoreApplication core(argc, argv);
    describeApplication();
    return parseCommandLine(QCoreApplication::arguments(), qEnvironmentVariable("AGENT_CONSOLE_TOKEN"));
}

// The profile is another process's: hand it this start's conversations and links. No window, so no
// display is needed either. Returns the exit code (1 too when the running console refuses a link: another
// account's), or nothing when the other process quit meanwhile and this one owns the profile now (then it
// starts as the console, with the links).
std::optional<int> handOver(int argc, char *argv[], SingleInstance &instance, const Options &options)
{
    QCoreApplication core(argc, argv);
    describeApplication();
    std::optional<int> code = 1;
    QObject::connect(&instance, &SingleInstance::handedOver, &core, [&code](bool ok, const QString &error) {
        if (!ok)
            QTextStream(stderr) << "agent-console: " << error << '\n';
        code = ok ? 0 : 1;
        QCoreApplication::quit();
    });
    QObject::connect(&instance, &SingleInstance::becameFirst, &core, [&code] {
        code.reset();
        QCoreApplication::quit();
    });
    instance.handOver(options.conversations, options.links);
    core.exec();
    return code;
}

} // namespace

int main(int argc, char *argv[])
{
    QElapsedTimer sinceStart;
    sinceStart.start();
    const auto parsed = parseWithoutDisplay(argc, argv);
    if (const auto *exit = std::get_if<EarlyExit>(&parsed)) {
        QTextStream(exit->code == 0 ? stdout : stderr) << exit->text;
        return exit->code;
    }
    const Options &options = std::get<Options>(parsed);

    // One console per user and profile: a second start hands its conversations to the running one.
    describeApplication();
    SingleInstance instance(SingleInstance::profileDir(options.demo));
    if (!instance.claim()) {
        if (const auto code = handOver(argc, argv, instance, options))
            return *code;
    }

    QApplication app(argc, argv);
    describeApplication();
    QApplication::setApplicationDisplayName(QStringLiteral("Agent Console"));
    QApplication::setDesktopFileName(QStringLiteral("agent-console"));
    QApplication::setWindowIcon(appIcon());
    installTranslations(app);

    DemoBackend *demo = nullptr;
    if (options.demo) {
        demo = new DemoBackend(&app);
        QString error;
        if (!demo->start(&error)) {
            QTextStream(stderr) << "agent-console: " << error << '\n';
            return 1;
        }
    } else {
        // http_proxy / https_proxy / no_proxy (or the desktop's settings) apply to REST and the socket
        // alike. Not in demo mode: its backend is on 127.0.0.1 and must not be sent to a proxy.
        QNetworkProxyFactory::setUseSystemConfiguration(true);
    }

    // Unsent replies survive a crash. The demo backend is new on every run, so the demo keeps none.
    OutboxStore outbox;
    if (!options.demo)
        outbox.open(OutboxStore::defaultPath()); // a store that failed to open reports it on the first reply

    ConsoleSession session(options, demo, options.demo ? nullptr : &outbox);
    instance.listen();
    instance.setHandler([&session](const QStringList &conversations, const QStringList &links) {
        return session.activate(conversations, links);
    });
    std::unique_ptr<FirstPaintReport> firstPaint;
    if (options.exitAfterFirstPaint)
        firstPaint = std::make_unique<FirstPaintReport>(&session, sinceStart);
    session.start();
    return app.exec();
}
