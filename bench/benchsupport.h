// What the figures of agent-console-bench share: percentiles, the process's RSS, a realistic
// conversation of mixed message lengths, and a watch for a widget's paint events.
#pragma once

#include "message.h"

#include <QList>
#include <QObject>

#include <functional>

class ConversationView;
class QWidget;

namespace Bench {

double percentile(QList<double> values, double p);
// This thread's CPU time in milliseconds: a frame's own work, without what other processes took.
double threadCpuMs();
// Resident set size of this process (/proc/self/statm), in bytes; after returning freed heap to the OS
// when `trim` is set, so a figure is what the process holds, not what malloc keeps around.
qint64 residentBytes(bool trim = true);

// `count` messages, oldest first, as a long support chat has them: mostly short lines, some paragraphs,
// a few long multi-line ones, links, attachments, one reply in a hundred failed. Deterministic per seed.
QList<Message> mixedConversation(int count, const QString &idPrefix = QStringLiteral("msg_"), quint32 seed = 42);
// Outbound replies only, all pending: the targets of status events.
QList<Message> pendingReplies(int count, const QString &idPrefix = QStringLiteral("msg_"));

// Lets the view's background pass measure every row; false when it did not finish in time.
bool waitUntilMeasured(ConversationView *view, int timeoutMs = 60000);

// Counts the paint events a widget receives (the filter only looks; painting goes on as usual); with
// `counts`, only those that arrive while it holds.
class PaintWatch : public QObject
{
public:
    explicit PaintWatch(QWidget *widget, std::function<bool()> counts = {});
    int paints = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    std::function<bool()> m_counts;
};

} // namespace Bench
