// rss_mb_10k: the resident memory of a console process showing a conversation of 10,000 messages. The
// console runs in a child process (this program again, --memory-child), so the figure is a whole
// process that holds only the console; the widget-server it reads the history from stays here.
#include "benchconsole.h"
#include "benchserver.h"
#include "benchsupport.h"
#include "figures.h"

#include "conversationview.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <cstdio>

using namespace Bench;

namespace {
const QString memoryConversation = QStringLiteral("c-memory");
constexpr int memoryMessages = 10000;
} // namespace

MemoryFigures measureMemory10k()
{
    BenchServer server;
    server.addConversation(memoryConversation, mixedConversation(memoryMessages, QStringLiteral("mem_")));
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // The server answers on its own thread, so waiting here blocks nothing it needs.
    child.start(
        QCoreApplication::applicationFilePath(), {QStringLiteral("--memory-child=") + server.baseUrl().toString()});
    if (!child.waitForFinished(180000) || child.exitStatus() != QProcess::NormalExit || child.exitCode() != 0) {
        std::fprintf(stderr, "agent-console-bench: the memory child failed (%s)\n", qPrintable(child.errorString()));
        return {};
    }
    const QJsonObject report = QJsonDocument::fromJson(child.readAllStandardOutput()).object();
    const double before = report.value(u"rss_before").toDouble();
    const double after = report.value(u"rss_after").toDouble();
    const int added = report.value(u"rows_after").toInt() - report.value(u"rows_before").toInt();
    constexpr double mb = 1024.0 * 1024.0;
    return MemoryFigures {after / mb, (after - before) / mb, added > 0 ? (after - before) / added : 0};
}

int runMemoryChild(const QUrl &baseUrl)
{
    BenchConsole console(baseUrl, {memoryConversation});
    if (!console.waitUntilReady(memoryConversation) || !waitUntilMeasured(console.view()))
        return 1;
    // The baseline: the window on screen with the conversation open at its newest page.
    const int rowsBefore = console.view()->model()->rowCount();
    const qint64 before = residentBytes();
    if (!console.loadHistory(memoryMessages) || !waitUntilMeasured(console.view()))
        return 1;
    console.view()->viewport()->repaint();
    const qint64 after = residentBytes();
    const QJsonObject report {{QStringLiteral("rss_before"), double(before)},
        {QStringLiteral("rss_after"), double(after)}, {QStringLiteral("rows_before"), rowsBefore},
        {QStringLiteral("rows_after"), console.view()->model()->rowCount()}};
    std::printf("%s\n", QJsonDocument(report).toJson(QJsonDocument::Compact).constData());
    return 0;
}
