// The figures of agent-console-bench, one function per row of the target table. Each builds
// what it measures from scratch and returns plain numbers; main() prints them as one JSON object.
#pragma once

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

struct StatusFigures
{
    double medianUs = 0;
    double otherRowSizeCallsPerUpdate = 0;
};
// One status event applied to a row of a model of `count` messages shown in a view, steady state:
// sent, delivered and read each applied to StatusSampledRows outbound rows, the last
// StatusSampledOnScreen of them on screen.
inline constexpr int StatusSampledRows = 400;
inline constexpr int StatusSampledOnScreen = 10;
StatusFigures measureStatusUpdates(int count);

struct StatusPaintFigures
{
    double p50 = 0; // delivered, read: the row keeps its height
    double p99 = 0;
    double cpuP99 = 0; // the same events in this thread's CPU time, which a busy machine does not inflate
    int samples = 0;
    double failedP50 = 0; // sent -> failed: the row grows, the rows beside it move
    double failedP99 = 0;
    double failedCpuP99 = 0;
    int failedSamples = 0;
};
// A status event applied to a reply on screen, in the console window showing 10,000 messages, until the
// viewport has painted that reply's row; every reply wholly on screen at 25 scroll positions. Milliseconds;
// nothing when a conversation did not load.
std::optional<StatusPaintFigures> measureStatusPaint10k();

// The console window open on one conversation opens another, of 10,000 messages on the server, as Ctrl+N
// does, until that conversation's first paint with its messages; `runs` times. Milliseconds.
QList<double> measureOpen10k(int runs);

struct ScrollFigures
{
    double p50 = 0;
    double p99 = 0;
    double max = 0;
    double cpuP99 = 0; // the same frames in this thread's CPU time, which a busy machine does not inflate
    double cpuMax = 0;
    int frames = 0;
};
// Page by page through 100,000 messages of mixed length: QScrollBar::setValue + a synchronous repaint.
ScrollFigures measureScroll100k();

struct ImageScrollFigures
{
    ScrollFigures scroll;
    double cacheMb = 0; // the thumbnail cache after the scroll, and its bound
    double cacheLimitMb = 0;
    double rssDeltaMb = 0; // what the view of `count` pictures, scrolled through, added to the process
};
// The same scroll through `count` messages that are all pictures (JPEG photos on disk, each its own
// thumbnail), decoded off the UI thread while the frames are timed.
ImageScrollFigures measureScrollImages(int count);

struct MemoryFigures
{
    double processMb = 0; // the whole console process's RSS with the 10k conversation shown
    double deltaMb = 0; // what loading the 10k conversation added to the window open on its newest page
    double bytesPerMessage = 0;
};
// A child process (runMemoryChild) shows a conversation of 10,000 messages, loaded page by page.
MemoryFigures measureMemory10k();
// The child's side: prints {"rss_before", "rss_after", "rows_before", "rows_after"}; its exit code.
int runMemoryChild(const QUrl &baseUrl);

// Enter in the composer until the new bubble is painted, console window and backend. Milliseconds.
QList<double> measureEnterToPaint(int sends);

struct FloodFigures
{
    double latencyP99Ms = 0;
    double latencyMaxMs = 0;
    int applied = 0;
    double feedMs = 0; // how long the server took to emit all of them
};
// 10,000 status_update events emitted within one second by a widget-server on its own thread, through
// the socket into the console window showing those 10,000 replies, while a 1 ms timer measures how late
// the event loop runs.
// Nothing when the conversation did not load.
std::optional<FloodFigures> measureStatusFlood();

struct DecodeFigures
{
    double cppNsPerFrame = 0;
    QJsonValue nodeNsPerFrame; // null when Node or bench/node_modules is missing
    QJsonValue speedup;
};
// The same frames decoded by Protocol + Wire here and by engine.io-parser + socket.io-parser in Node.
DecodeFigures measureDecode();

struct SearchFigures
{
    double coldMs = 0; // the first search: every message's text folded on the way
    double warmMedianMs = 0; // the searches after it, texts folded already
    double warmMaxMs = 0;
    double warmCpuMedianMs = 0; // the same in this thread's CPU time, which a busy machine does not inflate
    double nonLatinMedianMs = 0; // a query past Latin-1 (an emoji): the UTF-16 scan
    double nonLatinCpuMedianMs = 0;
    int matches = 0; // of the first query, so the scan is seen to find something
};
// MessageSearch over a model of 100,000 mixed messages (the console's find in a conversation).
SearchFigures measureSearch100k();

struct TypingFigures
{
    double latencyP99Ms = 0;
    double latencyMaxMs = 0;
    int matches = 0;
};
// A query typed into the real find bar over 100,000 messages in the view, a key every 60 ms, while a
// 1 ms timer records how late the event loop runs.
TypingFigures measureFindTyping100k();

struct ColdStartFigures
{
    QJsonValue firstPaintMs; // offscreen; null when agent-console could not be run
    QJsonValue historyPaintMs;
    QJsonValue xvfbFirstPaintMs; // on an X server (Xvfb); null without Xvfb
    QJsonValue xvfbHistoryPaintMs;
};
// Spawns `agent-console --demo --exit-after-first-paint` (next to this program) `runs` times offscreen,
// and as many times on Xvfb.
ColdStartFigures measureColdStart(int runs);
