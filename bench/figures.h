// The figures of agent-console-bench, one function per row of the target table. Each builds
// what it measures from scratch and returns plain numbers; main() prints them as one JSON object.
#pragma once

#include <QJsonValue>
#include <QList>
#include <QString>

struct StatusFigures
{
    double medianUs = 0;
    double otherRowSizeCallsPerUpdate = 0;
};
// One status event applied to a row of a model of `count` messages shown in a view, steady state.
StatusFigures measureStatusUpdates(int count);

// Model filled with a 10,000-message history (pages of 20, as the controller loads them) and the
// window shown, until the conversation's first paint. Milliseconds.
double measureOpen10k();

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

struct MemoryFigures
{
    double deltaMb = 0; // what the 10k conversation shown in a window added
    double absoluteMb = 0; // the process's whole RSS with it
    double bytesPerMessage = 0;
};
MemoryFigures measureMemory10k();

// Enter in the composer until the new bubble is painted, real window and backend. Milliseconds.
QList<double> measureEnterToPaint(int sends);

struct FloodFigures
{
    double latencyP99Ms = 0;
    double latencyMaxMs = 0;
    int applied = 0;
    double feedMs = 0; // how long the server took to emit all of them
};
// 10,000 status_update events emitted within one second by a widget-server on its own thread, through
// the socket, SocketIoClient and Conversation into the window, while a 1 ms timer measures
// how late the event loop runs.
FloodFigures measureStatusFlood();

struct DecodeFigures
{
    double cppNsPerFrame = 0;
    QJsonValue nodeNsPerFrame; // null when Node or bench/node_modules is missing
    QJsonValue speedup;
};
// The same frames decoded by Protocol + Wire here and by engine.io-parser + socket.io-parser in Node.
DecodeFigures measureDecode();

struct ColdStartFigures
{
    QJsonValue firstPaintMs; // null when the helper could not be run
    QJsonValue historyPaintMs;
};
// Spawns agent-console-firstpaint (the --demo startup of agent-console, reporting its first paint).
ColdStartFigures measureColdStart(int runs);
