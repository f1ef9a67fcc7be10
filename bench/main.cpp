// agent-console-bench: prints one JSON object of figures measured on this machine in this run.
// Not a test: nothing here asserts a timing (machines are shared and noisy); README reports the figures.
// How to run it: bench/README.md. --only=memory,status,... runs some sections (to profile one figure).
#include "benchsupport.h"
#include "figures.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include <cstdio>

namespace {
void addMemory(QJsonObject &figures)
{
    const MemoryFigures memory = measureMemory10k();
    figures.insert(QStringLiteral("rss_mb_10k"), memory.deltaMb);
    figures.insert(QStringLiteral("rss_mb_10k_absolute"), memory.absoluteMb);
    figures.insert(QStringLiteral("bytes_per_message"), memory.bytesPerMessage);
}

void addStatus(QJsonObject &figures)
{
    measureStatusUpdates(1000); // warm-up: first paints, font caches
    const StatusFigures small = measureStatusUpdates(1000);
    const StatusFigures large = measureStatusUpdates(100000);
    figures.insert(QStringLiteral("status_update_us_1k"), small.medianUs);
    figures.insert(QStringLiteral("status_update_us_100k"), large.medianUs);
    figures.insert(QStringLiteral("status_update_ratio_100k_1k"), large.medianUs / small.medianUs);
    figures.insert(QStringLiteral("other_row_size_calls_per_update"),
        std::max(small.otherRowSizeCallsPerUpdate, large.otherRowSizeCallsPerUpdate));
}

void addOpen(QJsonObject &figures)
{
    figures.insert(QStringLiteral("open_10k_ms"), measureOpen10k());
}

void addScroll(QJsonObject &figures)
{
    const ScrollFigures scroll = measureScroll100k();
    figures.insert(QStringLiteral("scroll_frame_ms_p50"), scroll.p50);
    figures.insert(QStringLiteral("scroll_frame_ms_p99"), scroll.p99);
    figures.insert(QStringLiteral("scroll_frame_ms_max"), scroll.max);
    figures.insert(QStringLiteral("scroll_frame_cpu_ms_p99"), scroll.cpuP99);
    figures.insert(QStringLiteral("scroll_frame_cpu_ms_max"), scroll.cpuMax);
    figures.insert(QStringLiteral("scroll_frames"), scroll.frames);
}

void addEnter(QJsonObject &figures)
{
    const QList<double> enter = measureEnterToPaint(100);
    figures.insert(QStringLiteral("enter_to_paint_ms_p50"), Bench::percentile(enter, 0.5));
    figures.insert(QStringLiteral("enter_to_paint_ms_p99"), Bench::percentile(enter, 0.99));
}

void addFlood(QJsonObject &figures)
{
    const FloodFigures flood = measureStatusFlood();
    figures.insert(QStringLiteral("event_loop_latency_ms_p99_10k_events"), flood.latencyP99Ms);
    figures.insert(QStringLiteral("event_loop_latency_ms_max_10k_events"), flood.latencyMaxMs);
    figures.insert(QStringLiteral("events_applied_10k"), flood.applied);
    figures.insert(QStringLiteral("events_feed_ms_10k"), flood.feedMs);
}

void addDecode(QJsonObject &figures)
{
    const DecodeFigures decode = measureDecode();
    figures.insert(QStringLiteral("decode_ns_per_frame_cpp"), decode.cppNsPerFrame);
    figures.insert(QStringLiteral("decode_ns_per_frame_node"), decode.nodeNsPerFrame);
    figures.insert(QStringLiteral("decode_speedup_vs_node"), decode.speedup);
}

void addColdStart(QJsonObject &figures)
{
    const ColdStartFigures cold = measureColdStart(5);
    figures.insert(QStringLiteral("cold_start_ms"), cold.firstPaintMs);
    figures.insert(QStringLiteral("cold_start_history_ms"), cold.historyPaintMs);
}

struct Section
{
    const char *name;
    void (*add)(QJsonObject &);
};
// Memory first, while the heap holds nothing of the other figures.
const Section sections[] {{"memory", addMemory}, {"status", addStatus}, {"open", addOpen}, {"scroll", addScroll},
    {"enter", addEnter}, {"flood", addFlood}, {"decode", addDecode}, {"coldstart", addColdStart}};
} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("*.debug=false\n*.info=false"));
    QStringList only;
    for (const QString &arg : QCoreApplication::arguments().mid(1)) {
        if (arg.startsWith(u"--only="))
            only = arg.mid(7).split(u',');
    }
    QElapsedTimer clock;
    clock.start();
    QJsonObject figures;
    for (const Section &section : sections) {
        if (!only.isEmpty() && !only.contains(QLatin1String(section.name)))
            continue;
        std::fprintf(stderr, "agent-console-bench: %-10s at %5.1f s\n", section.name, double(clock.elapsed()) / 1000.0);
        section.add(figures);
    }
    figures.insert(QStringLiteral("bench_seconds"), double(clock.elapsed()) / 1000.0);
    std::printf("%s\n", QJsonDocument(figures).toJson(QJsonDocument::Compact).constData());
    return 0;
}
