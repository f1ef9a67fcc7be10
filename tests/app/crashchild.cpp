// The console core without a window, for the crash test: opens the conversation with its outbox
// in --data-dir, lets restored replies go out again, then writes "reply <i>" until --total, one
// every few milliseconds. The test kills it with SIGKILL at random moments and starts it again.
#include "conversation.h"
#include "messagelistmodel.h"
#include "outbox.h"
#include "outboxstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>
#include <QTextStream>
#include <QTimer>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{QStringLiteral("api-url"), QString(), QStringLiteral("url")},
                       {QStringLiteral("data-dir"), QString(), QStringLiteral("dir")},
                       {QStringLiteral("total"), QString(), QStringLiteral("n")}});
    parser.process(app);

    OutboxStore store;
    if (!store.open(parser.value(QStringLiteral("data-dir")) + QStringLiteral("/outbox.sqlite"))) {
        QTextStream(stderr) << store.error() << '\n';
        return 1;
    }
    ConversationConfig config;
    config.baseUrl = QUrl(parser.value(QStringLiteral("api-url")));
    config.tenant = QStringLiteral("t1");
    config.conversation = QStringLiteral("c1");
    config.token = qEnvironmentVariable("AGENT_CONSOLE_TOKEN");
    config.pageSize = 1000; // the whole conversation at once: the test counts every reply
    Conversation controller(config, &store);
    const int total = parser.value(QStringLiteral("total")).toInt();
    int next = 0;
    QTimer typing;
    typing.setInterval(8);

    const auto finishWhenDone = [&] {
        if (next >= total && controller.outbox().isEmpty()) {
            QTextStream(stdout) << "done\n";
            app.quit();
        }
    };
    QObject::connect(&controller, &Conversation::opened, &app, [&] {
        // Everything written before a crash is either at the server (in history) or restored from
        // the outbox: the next reply to write follows the highest number seen in either.
        static const QRegularExpression number(QStringLiteral("^reply (\\d+)$"));
        for (int row = 0; row < controller.model()->rowCount(); ++row) {
            const auto match = number.match(controller.model()->at(row).text);
            if (match.hasMatch())
                next = std::max(next, match.captured(1).toInt() + 1);
        }
        typing.start();
        finishWhenDone();
    });
    QObject::connect(&controller, &Conversation::openFailed, &app, [](const QString &message) {
        QTextStream(stderr) << message << '\n';
        QCoreApplication::exit(1);
    });
    QObject::connect(&typing, &QTimer::timeout, &app, [&] {
        if (next < total)
            controller.sendReply(QStringLiteral("reply %1").arg(next++));
        finishWhenDone();
    });
    QObject::connect(controller.model(), &QAbstractItemModel::dataChanged, &app, finishWhenDone);

    controller.start();
    return app.exec();
}
