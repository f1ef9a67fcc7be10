// The figures of the console window an agent works in (ConsoleSession: the Workspace, its MainWindow with
// the sidebar, an outbox on disk) against a widget-server on its own thread: Enter → paint, opening a
// long conversation, a flood of status events.
#include "benchconsole.h"
#include "benchserver.h"
#include "benchsupport.h"
#include "figures.h"

#include "composer.h"
#include "conversationview.h"
#include "mainwindow.h"
#include "messagelistmodel.h"
#include "widgetserver.h"
#include "workspace.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QPlainTextEdit>
#include <QTest>
#include <QTimer>

#include <atomic>
#include <cstdio>
#include <memory>

using namespace Bench;

namespace {
const QString firstConversation = QStringLiteral("c-first");

// Spins the event loop until `done` or `timeoutMs`; false on timeout.
bool spinUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents);
    return done();
}

bool ready(BenchConsole &console, const QString &conversation)
{
    if (console.waitUntilReady(conversation))
        return true;
    std::fprintf(stderr, "agent-console-bench: conversation %s did not open\n", qPrintable(conversation));
    return false;
}
} // namespace

QList<double> measureEnterToPaint(int sends)
{
    BenchServer server;
    server.addConversation(firstConversation, mixedConversation(200, QStringLiteral("enter_")));
    BenchConsole console(server.baseUrl(), {firstConversation});
    if (!ready(console, firstConversation))
        return {};

    const QAbstractItemModel *model = console.view()->model();
    PaintWatch watch(console.view()->viewport());
    QPlainTextEdit *editor = console.window()->composer()->editor();
    QList<double> samples;
    for (int i = 0; i < sends; ++i) {
        QTest::keyClicks(editor, QStringLiteral("Reply number %1").arg(i));
        QCoreApplication::processEvents();
        watch.paints = 0;
        const int before = model->rowCount();
        QElapsedTimer timer;
        timer.start();
        QTest::keyClick(editor, Qt::Key_Return);
        spinUntil([&] { return watch.paints > 0 && model->rowCount() > before; }, 1000);
        samples.append(double(timer.nsecsElapsed()) / 1e6);
    }
    return samples;
}

QList<double> measureOpen10k(int runs)
{
    const QString longConversation = QStringLiteral("c-long");
    BenchServer server;
    server.addConversation(firstConversation, mixedConversation(200, QStringLiteral("first_")));
    server.addConversation(longConversation, mixedConversation(10000, QStringLiteral("open_")));
    BenchConsole console(server.baseUrl(), {firstConversation});
    if (!ready(console, firstConversation))
        return {};

    QList<double> samples;
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        // What Ctrl+N and a clicked notification do.
        console.workspace()->openConversation(longConversation);
        ConversationView *view = console.view();
        PaintWatch watch(view->viewport(), [view] { return view->model()->rowCount() > 0; });
        if (!spinUntil([&] { return watch.paints > 0; }, 10000)) {
            std::fprintf(stderr, "agent-console-bench: the long conversation was never painted\n");
            return {};
        }
        samples.append(double(timer.nsecsElapsed()) / 1e6);
        console.workspace()->closeConversation(longConversation);
        QCoreApplication::processEvents(); // its page and controller go
    }
    return samples;
}

std::optional<FloodFigures> measureStatusFlood()
{
    constexpr int events = 10000;
    constexpr int perTick = 100; // every 10 ms: 10,000 events within one second
    const QString conversation = QStringLiteral("c-flood");
    // 10,000 replies the upstream has sent, waiting for their receipts.
    QList<Message> replies = pendingReplies(events, QStringLiteral("flood_"));
    for (Message &m : replies)
        m.status = MessageStatus::Sent;
    BenchServer server;
    server.addConversation(conversation, replies);
    BenchConsole console(server.baseUrl(), {conversation});
    if (!ready(console, conversation) || !console.loadHistory(events) || !waitUntilMeasured(console.view())) {
        std::fprintf(stderr, "agent-console-bench: the flood conversation did not load\n");
        return std::nullopt;
    }
    const QAbstractItemModel *model = console.view()->model();

    FloodFigures figures;
    int applied = 0;
    QObject context;
    QObject::connect(model, &QAbstractItemModel::dataChanged, &context,
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
    QObject::connect(&tick, &QTimer::timeout, &context, [&] {
        const qint64 now = clock.nsecsElapsed();
        lateness.append(std::max(0.0, double(now - lastTick) / 1e6 - 1.0));
        lastTick = now;
    });
    tick.start();
    QCoreApplication::processEvents();
    lateness.clear();
    lastTick = clock.nsecsElapsed();

    auto feedNs = std::make_shared<std::atomic<qint64>>(-1);
    server.post([feedNs, conversation](WidgetServer &widgetServer) {
        auto *feed = new QTimer(&widgetServer);
        feed->setTimerType(Qt::PreciseTimer);
        const auto feedClock = std::make_shared<QElapsedTimer>();
        feedClock->start();
        QObject::connect(feed, &QTimer::timeout, &widgetServer, [=, server = &widgetServer, next = 0]() mutable {
            for (int end = next + perTick; next < end && next < events; ++next) {
                server->emitStatus(BenchServer::Tenant, conversation, QStringLiteral("flood_%1").arg(next),
                    QStringLiteral("delivered"));
            }
            if (next >= events) {
                feed->stop();
                *feedNs = feedClock->nsecsElapsed();
            }
        });
        feed->start(10);
    });
    QElapsedTimer deadline;
    deadline.start();
    while ((applied < events || *feedNs < 0) && deadline.elapsed() < 15000)
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
    tick.stop();

    int delivered = 0;
    for (int r = 0; r < model->rowCount(); ++r) {
        delivered
            += model->index(r, 0).data(MessageListModel::StatusRole).toInt() == int(MessageStatus::Delivered) ? 1 : 0;
    }
    figures.latencyP99Ms = percentile(lateness, 0.99);
    figures.latencyMaxMs = lateness.isEmpty() ? 0 : *std::max_element(lateness.cbegin(), lateness.cend());
    figures.applied = std::min(applied, delivered);
    figures.feedMs = double(feedNs->load()) / 1e6;
    return figures;
}
