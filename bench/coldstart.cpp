// cold_start_ms: the real `agent-console --demo`, from starting the process to its window's first paint,
// as the agent sees it. The clock runs in this process from QProcess::start, so exec and loading Qt and
// the binary are included; --exit-after-first-paint makes the program say when it painted and quit.
#include "benchsupport.h"
#include "figures.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>

#include <cstdio>

ColdStartFigures measureColdStart(int runs)
{
    const QString program = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("agent-console"));
    const QStringList arguments {QStringLiteral("--demo"), QStringLiteral("--exit-after-first-paint")};
    QList<double> firstPaint;
    QList<double> historyPaint;
    for (int run = 0; run < runs; ++run) {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        process.setProcessEnvironment(env);
        process.setStandardErrorFile(QProcess::nullDevice()); // Qt's offscreen chatter; a failure is reported below
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
            std::fprintf(stderr, "agent-console-bench: %s %s reported no first paint (%s)\n", qPrintable(program),
                qPrintable(arguments.join(u' ')), qPrintable(process.errorString()));
            return {};
        }
        firstPaint.append(first);
        historyPaint.append(history);
    }
    return ColdStartFigures {Bench::percentile(firstPaint, 0.5), Bench::percentile(historyPaint, 0.5)};
}
