// The figures of the conversation view alone: status events, opening, scrolling, memory.
#include "benchsupport.h"
#include "figures.h"

#include "conversation.h"
#include "conversationview.h"
#include "mainwindow.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QScrollBar>

#include <memory>

#include <time.h>

using namespace Bench;

namespace {
// The conversation with every reply still pending, so each one can take three status events.
QList<Message> awaitingReceipts(int count)
{
    QList<Message> messages = mixedConversation(count);
    for (Message &m : messages) {
        if (m.direction == Direction::Outbound) {
            m.status = MessageStatus::Pending;
            m.error.clear();
        }
    }
    return messages;
}
double threadCpuMs()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}
} // namespace

StatusFigures measureStatusUpdates(int count)
{
    MessageListModel model;
    model.prepend(awaitingReceipts(count));
    ConversationView view;
    view.resize(480, 800);
    view.setModel(&model);
    view.show();
    // Every row measured first: the figure is the steady-state cost of one event.
    waitUntilMeasured(&view, 120000);
    MessageDelegate *delegate = view.messageDelegate();

    QList<int> rows;
    for (int r = 0; r < count && rows.size() < 2000; r += std::max(1, count / 2000)) {
        if (model.at(r).direction == Direction::Outbound)
            rows.append(r);
    }
    // The last screen too, so some of the rows are visible and get repainted.
    for (int r = count - 1; r >= count - 20; --r) {
        if (model.at(r).direction == Direction::Outbound && !rows.contains(r))
            rows.append(r);
    }
    QList<double> samples;
    int otherRowCalls = 0;
    int updates = 0;
    for (StatusEvent event : {StatusEvent::ServerSent, StatusEvent::ServerDelivered, StatusEvent::ServerRead}) {
        delegate->resetSizeHintCounter();
        for (int row : std::as_const(rows)) {
            const QString id = model.at(row).id;
            QElapsedTimer timer;
            timer.start();
            model.applyEvent(id, event);
            samples.append(double(timer.nsecsElapsed()) / 1000.0);
            ++updates;
        }
        QCoreApplication::processEvents(); // let the view repaint what the updates asked for
        for (int row : delegate->sizeHintRowsSinceReset()) {
            if (!rows.contains(row))
                ++otherRowCalls;
        }
    }
    return StatusFigures {percentile(samples, 0.5), double(otherRowCalls) / updates};
}

double measureOpen10k()
{
    const QList<Message> history = mixedConversation(10000, QStringLiteral("open_"));
    constexpr int pageSize = 20; // ConversationConfig's default page

    QElapsedTimer timer;
    timer.start();
    Conversation controller(ConversationConfig {}); // not started: the pages come from memory, not the network
    MessageListModel *model = controller.model();
    // Newest page first, then older pages prepended, as the history arrives.
    for (qsizetype end = history.size(); end > 0; end -= pageSize) {
        const qsizetype begin = std::max<qsizetype>(0, end - pageSize);
        model->prepend(history.mid(begin, end - begin));
    }
    MainWindow window(&controller);
    PaintWatch watch(window.view()->viewport());
    window.show();
    while (watch.paints == 0 && timer.elapsed() < 10000)
        QCoreApplication::processEvents();
    return double(timer.nsecsElapsed()) / 1e6;
}

ScrollFigures measureScroll100k()
{
    MessageListModel model;
    model.prepend(mixedConversation(100000, QStringLiteral("scroll_")));
    ConversationView view;
    view.resize(520, 640);
    view.setModel(&model);
    view.show();
    waitUntilMeasured(&view, 120000);

    QScrollBar *bar = view.verticalScrollBar();
    const int step = bar->pageStep();
    QList<double> frames;
    QList<double> cpu; // this thread's CPU time: the frame's own work, without the machine's other load
    frames.reserve(bar->maximum() / std::max(1, step) + 1);
    cpu.reserve(frames.capacity());
    // From the newest message up to the oldest, as an agent reads back through a conversation.
    for (int value = bar->maximum(); value > bar->minimum();) {
        value = std::max(bar->minimum(), value - step);
        const double cpuBefore = threadCpuMs();
        QElapsedTimer timer;
        timer.start();
        bar->setValue(value);
        view.viewport()->repaint();
        frames.append(double(timer.nsecsElapsed()) / 1e6);
        cpu.append(threadCpuMs() - cpuBefore);
        QCoreApplication::processEvents(); // whatever else the scroll posted, outside the frame
    }
    const auto max = [](const QList<double> &v) { return v.isEmpty() ? 0 : *std::max_element(v.cbegin(), v.cend()); };
    return ScrollFigures {percentile(frames, 0.5), percentile(frames, 0.99), max(frames), percentile(cpu, 0.99),
        max(cpu), int(frames.size())};
}

MemoryFigures measureMemory10k()
{
    Conversation controller(ConversationConfig {});
    MainWindow window(&controller);
    window.show();
    PaintWatch watch(window.view()->viewport());
    while (watch.paints == 0)
        QCoreApplication::processEvents();
    // The empty window is the baseline: fonts, the platform, Qt itself are not the conversation's.
    const qint64 before = residentBytes();

    // Generated after the baseline: the model shares the strings, so they count as the conversation's.
    controller.model()->prepend(mixedConversation(10000, QStringLiteral("mem_")));
    waitUntilMeasured(window.view());
    window.view()->viewport()->repaint();
    const qint64 after = residentBytes();
    constexpr double mb = 1024.0 * 1024.0;
    return MemoryFigures {double(after - before) / mb, double(after) / mb, double(after - before) / 10000.0};
}
