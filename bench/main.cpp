// agent-console-bench: prints one JSON object of figures measured on this machine in this run.
// Not a test: nothing here asserts a timing (machines are shared and noisy); README reports the figures.
// How to run it: bench/README.md. --only=memory,status,... runs some sections (to profile one figure);
// --keys lists every key the full run prints, one a line (tests/bench compares them with the READMEs).
#include "benchsupport.h"
#include "figures.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTemporaryDir>

#include <cstdio>
#include <cstring>
#include <optional>

namespace {
// A figure that could not be measured is null, never a number that looks measured.
QJsonValue measured(bool ok, double value)
{
    return ok ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

void addMemory(QJsonObject &figures)
{
    const MemoryFigures memory = measureMemory10k();
    const bool ok = memory.processMb > 0;
    figures.insert(QStringLiteral("rss_mb_10k"), measured(ok, memory.processMb));
    figures.insert(QStringLiteral("rss_mb_10k_delta"), measured(ok, memory.deltaMb));
    figures.insert(QStringLiteral("bytes_per_message"), measured(ok, memory.bytesPerMessage));
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

void addStatusPaint(QJsonObject &figures)
{
    const std::optional<StatusPaintFigures> paint = measureStatusPaint10k();
    const bool ok = paint.has_value();
    const StatusPaintFigures none;
    const StatusPaintFigures &p = ok ? *paint : none;
    figures.insert(QStringLiteral("status_paint_ms_10k_p50"), measured(ok, p.p50));
    figures.insert(QStringLiteral("status_paint_ms_10k_p99"), measured(ok, p.p99));
    figures.insert(QStringLiteral("status_paint_cpu_ms_10k_p99"), measured(ok, p.cpuP99));
    figures.insert(QStringLiteral("status_paint_samples_10k"), measured(ok, p.samples));
    figures.insert(QStringLiteral("status_paint_failed_ms_10k_p50"), measured(ok, p.failedP50));
    figures.insert(QStringLiteral("status_paint_failed_ms_10k_p99"), measured(ok, p.failedP99));
    figures.insert(QStringLiteral("status_paint_failed_cpu_ms_10k_p99"), measured(ok, p.failedCpuP99));
    figures.insert(QStringLiteral("status_paint_failed_samples_10k"), measured(ok, p.failedSamples));
}

void addOpen(QJsonObject &figures)
{
    const QList<double> open = measureOpen10k(5);
    figures.insert(QStringLiteral("open_10k_ms"), measured(!open.isEmpty(), Bench::percentile(open, 0.5)));
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

void addImages(QJsonObject &figures)
{
    const ImageScrollFigures images = measureScrollImages(1000);
    figures.insert(QStringLiteral("scroll_frame_ms_p50_images"), images.scroll.p50);
    figures.insert(QStringLiteral("scroll_frame_ms_p99_images"), images.scroll.p99);
    figures.insert(QStringLiteral("scroll_frame_ms_max_images"), images.scroll.max);
    figures.insert(QStringLiteral("scroll_frame_cpu_ms_p99_images"), images.scroll.cpuP99);
    figures.insert(QStringLiteral("scroll_frames_images"), images.scroll.frames);
    figures.insert(QStringLiteral("thumbnail_cache_mb_images"), images.cacheMb);
    figures.insert(QStringLiteral("thumbnail_cache_limit_mb"), images.cacheLimitMb);
    figures.insert(QStringLiteral("rss_mb_delta_images"), images.rssDeltaMb);
}

void addEnter(QJsonObject &figures)
{
    const QList<double> enter = measureEnterToPaint(100);
    figures.insert(QStringLiteral("enter_to_paint_ms_p50"), measured(!enter.isEmpty(), Bench::percentile(enter, 0.5)));
    figures.insert(QStringLiteral("enter_to_paint_ms_p99"), measured(!enter.isEmpty(), Bench::percentile(enter, 0.99)));
}

void addFlood(QJsonObject &figures)
{
    const std::optional<FloodFigures> flood = measureStatusFlood();
    figures.insert(
        QStringLiteral("event_loop_latency_ms_p99_10k_events"), measured(bool(flood), flood ? flood->latencyP99Ms : 0));
    figures.insert(
        QStringLiteral("event_loop_latency_ms_max_10k_events"), measured(bool(flood), flood ? flood->latencyMaxMs : 0));
    figures.insert(QStringLiteral("events_applied_10k"), measured(bool(flood), flood ? flood->applied : 0));
    figures.insert(QStringLiteral("events_feed_ms_10k"), measured(bool(flood), flood ? flood->feedMs : 0));
}

void addDecode(QJsonObject &figures)
{
    const DecodeFigures decode = measureDecode();
    figures.insert(QStringLiteral("decode_ns_per_frame_cpp"), decode.cppNsPerFrame);
    figures.insert(QStringLiteral("decode_ns_per_frame_node"), decode.nodeNsPerFrame);
    figures.insert(QStringLiteral("decode_speedup_vs_node"), decode.speedup);
}

void addSearch(QJsonObject &figures)
{
    const SearchFigures search = measureSearch100k();
    figures.insert(QStringLiteral("search_ms_100k"), search.warmMedianMs);
    figures.insert(QStringLiteral("search_ms_100k_max"), search.warmMaxMs);
    figures.insert(QStringLiteral("search_cpu_ms_100k"), search.warmCpuMedianMs);
    figures.insert(QStringLiteral("search_non_latin_ms_100k"), search.nonLatinMedianMs);
    figures.insert(QStringLiteral("search_non_latin_cpu_ms_100k"), search.nonLatinCpuMedianMs);
    figures.insert(QStringLiteral("search_first_ms_100k"), search.coldMs);
    figures.insert(QStringLiteral("search_matches_100k"), search.matches);
    const TypingFigures typing = measureFindTyping100k();
    figures.insert(QStringLiteral("find_typing_latency_ms_p99_100k"), typing.latencyP99Ms);
    figures.insert(QStringLiteral("find_typing_latency_ms_max_100k"), typing.latencyMaxMs);
}

void addColdStart(QJsonObject &figures)
{
    const ColdStartFigures cold = measureColdStart(5);
    figures.insert(QStringLiteral("cold_start_ms"), cold.firstPaintMs);
    figures.insert(QStringLiteral("cold_start_history_ms"), cold.historyPaintMs);
    figures.insert(QStringLiteral("cold_start_xvfb_ms"), cold.xvfbFirstPaintMs);
    figures.insert(QStringLiteral("cold_start_xvfb_history_ms"), cold.xvfbHistoryPaintMs);
}

struct Section
{
    const char *name;
    void (*add)(QJsonObject &);
    QStringList keys; // what add() inserts, every time: --keys lists them and the run checks them
};
// Memory first, while the heap holds nothing of the other figures.
const Section sections[] {
    {"memory", addMemory, {"rss_mb_10k", "rss_mb_10k_delta", "bytes_per_message"}},
    {"status", addStatus,
        {"status_update_us_1k", "status_update_us_100k", "status_update_ratio_100k_1k",
            "other_row_size_calls_per_update"}},
    {"statuspaint", addStatusPaint,
        {"status_paint_ms_10k_p50", "status_paint_ms_10k_p99", "status_paint_cpu_ms_10k_p99",
            "status_paint_samples_10k", "status_paint_failed_ms_10k_p50", "status_paint_failed_ms_10k_p99",
            "status_paint_failed_cpu_ms_10k_p99", "status_paint_failed_samples_10k"}},
    {"open", addOpen, {"open_10k_ms"}},
    {"scroll", addScroll,
        {"scroll_frame_ms_p50", "scroll_frame_ms_p99", "scroll_frame_ms_max", "scroll_frame_cpu_ms_p99",
            "scroll_frame_cpu_ms_max", "scroll_frames"}},
    {"images", addImages,
        {"scroll_frame_ms_p50_images", "scroll_frame_ms_p99_images", "scroll_frame_ms_max_images",
            "scroll_frame_cpu_ms_p99_images", "scroll_frames_images", "thumbnail_cache_mb_images",
            "thumbnail_cache_limit_mb", "rss_mb_delta_images"}},
    {"enter", addEnter, {"enter_to_paint_ms_p50", "enter_to_paint_ms_p99"}},
    {"flood", addFlood,
        {"event_loop_latency_ms_p99_10k_events", "event_loop_latency_ms_max_10k_events", "events_applied_10k",
            "events_feed_ms_10k"}},
    {"search", addSearch,
        {"search_ms_100k", "search_ms_100k_max", "search_cpu_ms_100k", "search_non_latin_ms_100k",
            "search_non_latin_cpu_ms_100k", "search_first_ms_100k", "search_matches_100k",
            "find_typing_latency_ms_p99_100k", "find_typing_latency_ms_max_100k"}},
    {"decode", addDecode, {"decode_ns_per_frame_cpp", "decode_ns_per_frame_node", "decode_speedup_vs_node"}},
    {"coldstart", addColdStart,
        {"cold_start_ms", "cold_start_history_ms", "cold_start_xvfb_ms", "cold_start_xvfb_history_ms"}},
};
const QString totalKey = QStringLiteral("bench_seconds");

QString option(const QString &name)
{
    for (const QString &arg : QCoreApplication::arguments().mid(1)) {
        if (arg.startsWith(name))
            return arg.mid(name.size());
    }
    return {};
}
} // namespace

int main(int argc, char *argv[])
{
    // Without a display: the keys are known without measuring anything.
    if (argc == 2 && std::strcmp(argv[1], "--keys") == 0) {
        for (const Section &section : sections)
            std::printf("%s\n", qPrintable(section.keys.join(u'\n')));
        std::printf("%s\n", qPrintable(totalKey));
        return 0;
    }
    // The console's settings, outbox and caches go to a scratch directory, never the agent's own; the
    // memory child and the spawned agent-console inherit it.
    const QTemporaryDir scratch;
    for (const char *name : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"})
        qputenv(name, QDir(scratch.path()).filePath(QString::fromLatin1(name)).toLocal8Bit());
    QApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("*.debug=false\n*.info=false"));
    if (const QString url = option(QStringLiteral("--memory-child=")); !url.isEmpty())
        return runMemoryChild(QUrl(url));
    const QStringList only = option(QStringLiteral("--only=")).split(u',', Qt::SkipEmptyParts);
    QElapsedTimer clock;
    clock.start();
    QJsonObject figures;
    bool keysAsDeclared = true;
    for (const Section &section : sections) {
        if (!only.isEmpty() && !only.contains(QLatin1String(section.name)))
            continue;
        std::fprintf(stderr, "agent-console-bench: %-10s at %5.1f s\n", section.name, double(clock.elapsed()) / 1000.0);
        QJsonObject part;
        section.add(part);
        QStringList declared = section.keys;
        declared.sort();
        if (part.keys() != declared) {
            std::fprintf(stderr, "agent-console-bench: section %s printed %s, declared %s\n", section.name,
                qPrintable(part.keys().join(u',')), qPrintable(declared.join(u',')));
            keysAsDeclared = false;
        }
        for (auto it = part.constBegin(); it != part.constEnd(); ++it)
            figures.insert(it.key(), it.value());
    }
    figures.insert(totalKey, double(clock.elapsed()) / 1000.0);
    std::printf("%s\n", QJsonDocument(figures).toJson(QJsonDocument::Compact).constData());
    return keysAsDeclared ? 0 : 1;
}
