// status_paint_ms_10k_*: one status event applied to a reply on screen, in the console window showing a
// conversation of 10,000 messages, until the view has repainted that reply's row. The ticks (delivered,
// read) keep the row's height; "failed" grows it by an error line and a Retry button.
#include "benchconsole.h"
#include "benchserver.h"
#include "benchsupport.h"
#include "figures.h"

#include "conversationview.h"
#include "messagelistmodel.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QPaintEvent>
#include <QScrollBar>

#include <cstdio>
#include <optional>

using namespace Bench;

namespace {
// Notices the first paint event of a widget that covers a given rect.
class RectPaintWatch : public QObject
{
public:
    explicit RectPaintWatch(QWidget *widget)
        : QObject(widget)
    {
        widget->installEventFilter(this);
    }
    void arm(const QRect &rect)
    {
        m_rect = rect;
        painted = false;
    }
    bool painted = false;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && static_cast<QPaintEvent *>(event)->region().contains(m_rect))
            painted = true;
        return false;
    }

private:
    QRect m_rect;
};

struct Samples
{
    QList<double> wall;
    QList<double> cpu; // this thread's CPU time: the event's own work, without the machine's other load
    int unpainted = 0; // events whose row was not repainted within 5 s
};

// Every event of `events` applied in turn to each reply wholly on screen, at `stops` scroll positions from
// the oldest to the newest message of a conversation of 10,000 replies the upstream has sent (a reply in
// the server's history is sent at least). Milliseconds per event; nothing when the conversation did not load.
std::optional<Samples> paintTimes(BenchServer &server, const QString &conversation, const QList<StatusEvent> &events)
{
    constexpr int messages = 10000;
    constexpr int stops = 25; // scroll positions from the oldest to the newest message
    QList<Message> replies = pendingReplies(messages, conversation + u'_');
    for (Message &m : replies)
        m.status = MessageStatus::Sent;
    server.addConversation(conversation, replies);
    BenchConsole console(server.baseUrl(), {conversation});
    if (!console.waitUntilReady(conversation) || !console.loadHistory(messages)
        || !waitUntilMeasured(console.view())) {
        std::fprintf(stderr, "agent-console-bench: the conversation %s did not load\n", qPrintable(conversation));
        return std::nullopt;
    }
    ConversationView *view = console.view();
    auto *model = qobject_cast<MessageListModel *>(view->model());
    RectPaintWatch watch(view->viewport());

    Samples samples;
    QScrollBar *bar = view->verticalScrollBar();
    for (int stop = 0; stop < stops; ++stop) {
        bar->setValue(int(qint64(bar->maximum()) * stop / (stops - 1)));
        QCoreApplication::processEvents();
        const QRect screen = view->viewport()->rect();
        QModelIndex first = view->indexAt(screen.topLeft());
        if (!first.isValid())
            first = model->index(0); // above the oldest message: the view's top margin
        for (QModelIndex index = first; index.isValid();
             index = index.siblingAtRow(index.row() + 1)) {
            const QRect rect = view->visualRect(index);
            if (rect.top() > screen.bottom())
                break;
            if (!screen.contains(rect))
                continue; // only rows wholly on screen: a cut one repaints less
            const QString id = model->at(index.row()).id;
            for (StatusEvent event : events) {
                watch.arm(rect);
                const double cpuBefore = threadCpuMs();
                QElapsedTimer timer;
                timer.start();
                model->applyEvent(id, event);
                while (!watch.painted && timer.elapsed() < 5000)
                    QCoreApplication::processEvents();
                samples.unpainted += watch.painted ? 0 : 1;
                samples.wall.append(double(timer.nsecsElapsed()) / 1e6);
                samples.cpu.append(threadCpuMs() - cpuBefore);
            }
        }
    }
    return samples;
}
} // namespace

std::optional<StatusPaintFigures> measureStatusPaint10k()
{
    BenchServer server;
    const std::optional<Samples> ticks
        = paintTimes(server, QStringLiteral("c-ticks"), {StatusEvent::ServerDelivered, StatusEvent::ServerRead});
    const std::optional<Samples> failed = paintTimes(server, QStringLiteral("c-failed"), {StatusEvent::ServerFailed});
    if (!ticks || !failed)
        return std::nullopt;
    if (ticks->unpainted + failed->unpainted > 0) {
        std::fprintf(stderr, "agent-console-bench: %d status events were never repainted\n",
            ticks->unpainted + failed->unpainted);
        return std::nullopt; // a figure with a timeout in it is not a measured one
    }
    return StatusPaintFigures {percentile(ticks->wall, 0.5), percentile(ticks->wall, 0.99),
        percentile(ticks->cpu, 0.99), int(ticks->wall.size()), percentile(failed->wall, 0.5),
        percentile(failed->wall, 0.99), percentile(failed->cpu, 0.99), int(failed->wall.size())};
}
