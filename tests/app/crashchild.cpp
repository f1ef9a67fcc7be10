// The console core without a window, for the crash test. It opens conversation c1 with its outbox in
// --data-dir, writes --early replies at once (before the conversation has opened), then one reply every
// few milliseconds once it is open, --count in all, named "run <run> reply <i>". After sendReply()
// returns for a reply it prints "taken <run> <i> <id>" and flushes: from then on the reply is the
// console's promise, and the test holds it to that across SIGKILLs. It prints "opened" once the
// conversation has opened. It exits with "done" once every
// reply it knows of (its own and those restored from earlier runs) has left the outbox.
// Every third reply carries a picture (CONTRACT.md §5), its own bytes, written to --data-dir/originals and
// deleted as soon as sendReply() has returned (the outbox keeps its own copy); it prints "uploading" while
// an upload of it is on the wire, so the test can tell a kill during an upload.
#include "attachment.h"
#include "conversation.h"
#include "outbox.h"
#include "outboxstore.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QRandomGenerator>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{QStringLiteral("api-url"), QString(), QStringLiteral("url")},
        {QStringLiteral("data-dir"), QString(), QStringLiteral("dir")},
        {QStringLiteral("run"), QString(), QStringLiteral("n")},
        {QStringLiteral("count"), QString(), QStringLiteral("n")},
        {QStringLiteral("early"), QString(), QStringLiteral("n")}});
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
    Conversation conversation(config, &store);
    const int run = parser.value(QStringLiteral("run")).toInt();
    const int count = parser.value(QStringLiteral("count")).toInt();
    const int early = std::min(count, parser.value(QStringLiteral("early")).toInt());
    int next = 0;

    const QString originals = parser.value(QStringLiteral("data-dir")) + QStringLiteral("/originals");
    QDir().mkpath(originals);
    // A picture of noise seeded by (run, i): its bytes are this reply's alone, and large enough (~200 KB)
    // for a kill to land during its upload now and then.
    const auto picture = [&](int i) {
        QImage image(256, 256, QImage::Format_RGB32);
        QRandomGenerator noise(quint32(run) * 100003u + quint32(i));
        for (int y = 0; y < image.height(); ++y)
            noise.fillRange(reinterpret_cast<quint32 *>(image.scanLine(y)), image.width());
        const QString path = originals + QStringLiteral("/run%1-reply%2.png").arg(run).arg(i);
        image.save(path, "PNG");
        Attachment a = AttachmentRules::describe(path);
        a.width = image.width();
        a.height = image.height();
        return a;
    };
    const auto type = [&] {
        if (next >= count)
            return;
        const int i = next++;
        const Attachment attachment = i % 3 == 0 ? picture(i) : Attachment();
        const bool sent = conversation.sendReply(QStringLiteral("run %1 reply %2").arg(run).arg(i), attachment);
        if (!attachment.isEmpty())
            QFile::remove(attachment.localPath); // the outbox's copy is what goes out
        if (!sent)
            return;
        const QString id = conversation.model()->at(conversation.model()->rowCount() - 1).id;
        std::printf("taken %d %d %s\n", run, i, qPrintable(id));
        std::fflush(stdout);
    };
    const auto finishWhenDone = [&] {
        if (next >= count && conversation.isOpen() && conversation.outbox().isEmpty()) {
            std::printf("done\n");
            std::fflush(stdout);
            QCoreApplication::quit();
        }
    };
    QTimer typing;
    typing.setInterval(8);
    QObject::connect(&typing, &QTimer::timeout, &app, [&] {
        type();
        finishWhenDone();
    });
    QObject::connect(&conversation, &Conversation::opened, &app, [&] {
        std::printf("opened\n");
        std::fflush(stdout);
        typing.start();
        finishWhenDone();
    });
    QObject::connect(&conversation, &Conversation::openFailed, &app, [](const QString &message) {
        QTextStream(stderr) << message << '\n';
        QCoreApplication::exit(1);
    });
    bool uploading = false;
    QObject::connect(&conversation.outbox(), &Outbox::uploadProgressed, &app, [&](const QString &id) {
        const Outbox::Entry *e = conversation.outbox().find(id);
        if (std::exchange(uploading, e && e->uploading) == uploading)
            return; // progress within the same upload
        std::printf("%s\n", uploading ? "uploading" : "uploaded");
        std::fflush(stdout);
    });
    QObject::connect(conversation.model(), &QAbstractItemModel::dataChanged, &app, finishWhenDone);
    QObject::connect(conversation.model(), &QAbstractItemModel::rowsRemoved, &app, finishWhenDone);

    conversation.start();
    for (int i = 0; i < early; ++i) // typed while the context and history are still on their way
        type();
    return app.exec();
}
