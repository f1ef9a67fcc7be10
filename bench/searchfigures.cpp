// Find in a conversation (issue 18) over 100,000 loaded messages: one search as MessageSearch runs it,
// the first one (every text folded on the way) and the next ones; and the event loop while an agent
// types a query into the real find bar over that conversation, which searches in slices.
#include "benchsupport.h"
#include "figures.h"

#include "conversation.h"
#include "conversationfind.h"
#include "conversationview.h"
#include "findbar.h"
#include "messagelistmodel.h"
#include "messagesearch.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTimer>
#include <QVBoxLayout>

using namespace Bench;

namespace {
constexpr int Messages = 100000;
// Words of the mixed conversation, a phrase, a word with an umlaut typed without it, and one that is
// nowhere: a search's cost is the scan, whatever it finds. All Latin-1, as most queries are: they are
// scanned in the one-byte copy; the emoji of the conversation is measured apart (the UTF-16 scan).
const QStringList Queries {QStringLiteral("refund"), QStringLiteral("tracking number"), QStringLiteral("grusse"),
    QStringLiteral("DHL"), QStringLiteral("nowhere-to-be-found"), QStringLiteral("the")};

double msSince(const QElapsedTimer &clock)
{
    return double(clock.nsecsElapsed()) / 1e6;
}
} // namespace

SearchFigures measureSearch100k()
{
    SearchFigures figures;
    MessageListModel model;
    model.prepend(mixedConversation(Messages));
    MessageSearch search(&model);
    QElapsedTimer clock;
    clock.start();
    figures.matches = int(search.findAll(Queries.first()).size());
    figures.coldMs = msSince(clock);
    QList<double> warm;
    QList<double> cpu;
    for (int round = 0; round < 5; ++round) {
        for (const QString &query : Queries) {
            const double cpuStart = threadCpuMs();
            clock.restart();
            search.findAll(query);
            warm.append(msSince(clock));
            cpu.append(threadCpuMs() - cpuStart);
        }
    }
    figures.warmMedianMs = percentile(warm, 0.5);
    figures.warmMaxMs = percentile(warm, 1.0);
    figures.warmCpuMedianMs = percentile(cpu, 0.5);
    warm.clear();
    cpu.clear();
    for (int round = 0; round < 10; ++round) {
        const double cpuStart = threadCpuMs();
        clock.restart();
        search.findAll(QStringLiteral("😊"));
        warm.append(msSince(clock));
        cpu.append(threadCpuMs() - cpuStart);
    }
    figures.nonLatinMedianMs = percentile(warm, 0.5);
    figures.nonLatinCpuMedianMs = percentile(cpu, 0.5);
    return figures;
}

// The agent types "tracking" into the find bar, a key every 60 ms, over a conversation of 100,000
// messages shown in the view, folded for the first time on the way; a 1 ms timer records how late the
// event loop runs meanwhile.
TypingFigures measureFindTyping100k()
{
    ConversationConfig config;
    config.conversation = QStringLiteral("bench");
    Conversation conversation(config); // never started: its model is filled here, as history pages would
    conversation.model()->prepend(mixedConversation(Messages));
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *bar = new FindBar(&window);
    auto *view = new ConversationView(&window);
    layout->addWidget(bar);
    layout->addWidget(view, 1);
    view->setModel(conversation.model());
    ConversationFind find(&conversation, view, bar);
    window.resize(600, 800);
    window.show();
    waitUntilMeasured(view);
    find.open();

    QList<double> lateness;
    QElapsedTimer sinceTick;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(1);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        lateness.append(std::max(0.0, msSince(sinceTick) - 1.0));
        sinceTick.restart();
    });
    const QString query = QStringLiteral("tracking");
    int typed = 0;
    QTimer keys;
    keys.setInterval(60);
    QObject::connect(&keys, &QTimer::timeout, [&] {
        if (typed < query.size())
            bar->field()->insert(query.mid(typed++, 1));
    });
    QSignalSpy searched(&find, &ConversationFind::searched);
    sinceTick.start();
    tick.start();
    keys.start();
    QElapsedTimer total;
    total.start();
    while ((typed < query.size() || find.isSearching()) && total.elapsed() < 60000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    tick.stop();
    keys.stop();
    TypingFigures figures;
    figures.latencyP99Ms = percentile(lateness, 0.99);
    figures.latencyMaxMs = percentile(lateness, 1.0);
    figures.matches = find.matchCount();
    return figures;
}
