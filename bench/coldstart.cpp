// cold_start_ms: the real `agent-console --demo`, from starting the process to its window's first paint,
// as the agent sees it. The clock runs in this process from QProcess::start, so exec and loading Qt and
// the binary are included; --exit-after-first-paint makes the program say when it painted and quit.
// Offscreen always; on an X server too (Xvfb, started here) when it is installed.
#include "benchsupport.h"
#include "figures.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>

#include <cstdio>

namespace {
// Median times to the "first-paint" and "history-paint" lines, or nothing when a run reported none.
std::optional<std::pair<double, double>> medianPaints(int runs, const QProcessEnvironment &env)
{
    const QString program = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("agent-console"));
    const QStringList arguments {QStringLiteral("--demo"), QStringLiteral("--exit-after-first-paint")};
    QList<double> firstPaint;
    QList<double> historyPaint;
    for (int run = 0; run < runs; ++run) {
        QProcess process;
        process.setProcessEnvironment(env);
        process.setStandardErrorFile(QProcess::nullDevice()); // Qt's platform chatter; a failure is reported below
        QElapsedTimer timer;
        timer.start();
        process.start(program, arguments);
        double first = -1;
        double history = -1;
        QByteArray pending;
        while (history < 0 && timer.elapsed() < 30000 && process.waitForReadyRead(30000)) {
            const double at = double(timer.nsecsElapsed()) / 1e6;
            pending += process.readAllStandardOutput();
            for (qsizetype nl; (nl = pending.indexOf('\n')) >= 0; pending.remove(0, nl + 1)) {
                const QByteArray line = pending.left(nl);
                if (line.startsWith("first-paint ") && first < 0)
                    first = at;
                else if (line.startsWith("history-paint "))
                    history = at;
            }
        }
        process.waitForFinished(5000);
        if (first < 0 || history < 0) {
            std::fprintf(stderr, "agent-console-bench: %s %s on %s reported no first paint (%s)\n", qPrintable(program),
                qPrintable(arguments.join(u' ')), qPrintable(env.value(QStringLiteral("QT_QPA_PLATFORM"))),
                qPrintable(process.errorString()));
            return std::nullopt;
        }
        firstPaint.append(first);
        historyPaint.append(history);
    }
    return std::make_pair(Bench::percentile(firstPaint, 0.5), Bench::percentile(historyPaint, 0.5));
}

// An X server of its own for the runs on xcb: Xvfb picks a free display and writes its number to stdout.
class Xvfb
{
public:
    Xvfb()
    {
        const QString program = QStandardPaths::findExecutable(QStringLiteral("Xvfb"));
        if (program.isEmpty()) {
            std::fprintf(stderr, "agent-console-bench: no Xvfb (apt install xvfb), so cold_start_xvfb_* are null\n");
            return;
        }
        m_process.setStandardErrorFile(QProcess::nullDevice());
        m_process.start(program,
            {QStringLiteral("-displayfd"), QStringLiteral("1"), QStringLiteral("-nolisten"), QStringLiteral("tcp"),
                QStringLiteral("-screen"), QStringLiteral("0"), QStringLiteral("1280x800x24")});
        QElapsedTimer timer;
        timer.start();
        QByteArray out;
        while (!out.contains('\n') && timer.elapsed() < 10000 && m_process.waitForReadyRead(10000))
            out += m_process.readAllStandardOutput();
        if (out.contains('\n'))
            m_display = u':' + QString::fromLatin1(out.trimmed());
        else
            std::fprintf(stderr, "agent-console-bench: Xvfb did not start, so cold_start_xvfb_* are null\n");
    }
    ~Xvfb()
    {
        m_process.terminate();
        m_process.waitForFinished(5000);
    }
    QString display() const { return m_display; }

private:
    QProcess m_process;
    QString m_display;
};

QJsonValue valueOr(const std::optional<std::pair<double, double>> &paints, bool history)
{
    if (!paints)
        return QJsonValue::Null;
    return history ? paints->second : paints->first;
}
} // namespace

ColdStartFigures measureColdStart(int runs)
{
    QProcessEnvironment offscreen = QProcessEnvironment::systemEnvironment();
    offscreen.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    const auto onOffscreen = medianPaints(runs, offscreen);

    std::optional<std::pair<double, double>> onXvfb;
    const Xvfb xvfb;
    if (!xvfb.display().isEmpty()) {
        QProcessEnvironment x11 = offscreen;
        x11.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        x11.insert(QStringLiteral("DISPLAY"), xvfb.display());
        onXvfb = medianPaints(runs, x11);
    }
    return ColdStartFigures {
        valueOr(onOffscreen, false), valueOr(onOffscreen, true), valueOr(onXvfb, false), valueOr(onXvfb, true)};
}
