// FirstPaintReport: what `agent-console --exit-after-first-paint` adds. Prints "first-paint <ms> ms" once
// the console window's first paint pass is done and "history-paint <ms> ms" once the current
// conversation's messages have been painted, then quits. agent-console-bench times the cold start of
// the real program with it; <ms> counts from the start of main(), the bench's own clock from exec.
#pragma once

#include <QElapsedTimer>
#include <QObject>

class ConsoleSession;

class FirstPaintReport : public QObject
{
public:
    // Gives up with exit code 1 when nothing showed the history within `timeoutMs`, so a bench never hangs.
    FirstPaintReport(const ConsoleSession *session, const QElapsedTimer &sinceStart, int timeoutMs = 30000,
        QObject *parent = nullptr);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void reportAfterPaint(const char *what, bool quit);

    const ConsoleSession *m_session;
    QElapsedTimer m_sinceStart;
    bool m_firstPainted = false;
    bool m_historyPainted = false;
};
