// The figures of the conversation view alone: status events and scrolling.
#include "benchsupport.h"
#include "figures.h"

#include "conversationview.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QScrollBar>

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

    // The same number of rows at both sizes: spread evenly over the conversation, and the last screen's
    // outbound rows, which are visible and get repainted.
    QList<int> outbound;
    for (int r = 0; r < count; ++r) {
        if (model.at(r).direction == Direction::Outbound)
            outbound.append(r);
    }
    const qsizetype spread
        = std::min<qsizetype>(StatusSampledRows - StatusSampledOnScreen, outbound.size() - StatusSampledOnScreen);
    QList<int> rows;
    for (qsizetype i = 0; i < spread; ++i)
        rows.append(outbound[i * (outbound.size() - StatusSampledOnScreen) / spread]);
    rows.append(outbound.mid(outbound.size() - StatusSampledOnScreen));
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
