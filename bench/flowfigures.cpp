// The figures of the whole console: window, controller, socket and a real widget-server.
#include "benchsupport.h"
#include "figures.h"

#include "composer.h"
#include "conversation.h"
#include "conversationview.h"
#include "mainwindow.h"
#include "socketioclient.h"
#include "widgetserver.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <memory>

using namespace Bench;

namespace {
const QString benchTenant = QStringLiteral("t");
const QString benchConversation = QStringLiteral("c");
const QString benchToken = QStringLiteral("bench");

ConversationConfig configFor(const QUrl &baseUrl)
{
    ConversationConfig config;
    config.baseUrl = baseUrl;
    config.tenant = benchTenant;
    config.conversation = benchConversation;
    config.token = benchToken;
    return config;
}

void startServer(WidgetServer &server)
{
    server.setToken(benchToken);
    server.listen(QHostAddress::LocalHost, 0);
    server.addConversation(benchTenant, benchConversation, QStringLiteral("Bench"));
}
} // namespace

QList<double> measureEnterToPaint(int sends)
{
    WidgetServer server;
    startServer(server);
    Conversation controller(configFor(server.baseUrl()));
    MainWindow window(&controller);
    window.show();
    QSignalSpy connected(&controller, &Conversation::connected);
    controller.start();
    connected.wait(5000);

    PaintWatch watch(window.view()->viewport());
    QPlainTextEdit *editor = window.composer()->editor();
    QList<double> samples;
    for (int i = 0; i < sends; ++i) {
        QTest::keyClicks(editor, QStringLiteral("Reply number %1").arg(i));
        QCoreApplication::processEvents();
        watch.paints = 0;
        const int before = controller.model()->rowCount();
        QElapsedTimer timer;
        timer.start();
        QTest::keyClick(editor, Qt::Key_Return);
        while (!(watch.paints > 0 && controller.model()->rowCount() > before) && timer.elapsed() < 1000)
            QCoreApplication::processEvents(QEventLoop::AllEvents);
        samples.append(double(timer.nsecsElapsed()) / 1e6);
    }
    return samples;
}

FloodFigures measureStatusFlood()
{
    constexpr int events = 10000;
    constexpr int perTick = 100; // every 10 ms: 10,000 events within one second
    // The server gets its own thread: what is measured is the console's event loop, not the emitting.
    QThread serverThread;
    serverThread.start();
    QObject serverContext;
    serverContext.moveToThread(&serverThread);
    std::unique_ptr<WidgetServer> owner; // created, used and destroyed on the server's thread only
    QMetaObject::invokeMethod(
        &serverContext,
        [&] {
            owner = std::make_unique<WidgetServer>();
            startServer(*owner);
        },
        Qt::BlockingQueuedConnection);
    WidgetServer *server = owner.get();

    FloodFigures figures;
    {
        Conversation controller(configFor(server->baseUrl()));
        MainWindow window(&controller);
        window.show();
        QSignalSpy connected(&controller, &Conversation::connected);
        controller.start();
        connected.wait(5000);
        MessageListModel *model = controller.model();
        model->prepend(pendingReplies(events, QStringLiteral("flood_")));
        waitUntilMeasured(window.view());

        int applied = 0;
        QObject::connect(model, &QAbstractItemModel::dataChanged, &window,
            [&](const QModelIndex &, const QModelIndex &, const QList<int> &roles) {
                if (roles.contains(MessageListModel::StatusRole))
                    ++applied;
            });
        QList<double> lateness;
        QElapsedTimer clock;
        clock.start();
        qint64 lastTick = clock.nsecsElapsed();
        QTimer tick;
        tick.setTimerType(Qt::PreciseTimer);
        tick.setInterval(1);
        QObject::connect(&tick, &QTimer::timeout, &window, [&] {
            const qint64 now = clock.nsecsElapsed();
            lateness.append(std::max(0.0, double(now - lastTick) / 1e6 - 1.0));
            lastTick = now;
        });
        tick.start();
        QCoreApplication::processEvents();
        lateness.clear();
        lastTick = clock.nsecsElapsed();

        std::atomic<qint64> feedNs {-1};
        QMetaObject::invokeMethod(&serverContext, [&, server] {
            auto *feed = new QTimer(server);
            feed->setTimerType(Qt::PreciseTimer);
            const auto feedClock = std::make_shared<QElapsedTimer>();
            feedClock->start();
            QObject::connect(feed, &QTimer::timeout, server, [=, &feedNs, next = 0]() mutable {
                for (int end = next + perTick; next < end && next < events; ++next) {
                    server->emitStatus(benchTenant, benchConversation, QStringLiteral("flood_%1").arg(next),
                        QStringLiteral("delivered"));
                }
                if (next >= events) {
                    feed->stop();
                    feedNs = feedClock->nsecsElapsed();
                }
            });
            feed->start(10);
        });
        QElapsedTimer deadline;
        deadline.start();
        while ((applied < events || feedNs < 0) && deadline.elapsed() < 15000)
            QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
        tick.stop();

        int delivered = 0;
        for (int r = 0; r < model->rowCount(); ++r)
            delivered += model->at(r).status == MessageStatus::Delivered ? 1 : 0;
        figures.latencyP99Ms = percentile(lateness, 0.99);
        figures.latencyMaxMs = lateness.isEmpty() ? 0 : *std::max_element(lateness.cbegin(), lateness.cend());
        figures.applied = std::min(applied, delivered);
        figures.feedMs = double(feedNs.load()) / 1e6;
    }
    QMetaObject::invokeMethod(
        &serverContext, [&] { owner.reset(); }, Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();
    return figures;
}
