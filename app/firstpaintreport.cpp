#include "firstpaintreport.h"

#include "consolesession.h"
#include "conversationview.h"
#include "mainwindow.h"

#include <QCoreApplication>
#include <QEvent>
#include <QTimer>

#include <cstdio>

FirstPaintReport::FirstPaintReport(
    const ConsoleSession *session, const QElapsedTimer &sinceStart, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_sinceStart(sinceStart)
{
    qApp->installEventFilter(this);
    QTimer::singleShot(timeoutMs, this, [timeoutMs] {
        std::fprintf(stderr, "agent-console: the conversation's history was not painted within %d ms\n", timeoutMs);
        QCoreApplication::exit(1);
    });
}

bool FirstPaintReport::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::Paint || !watched->isWidgetType())
        return false;
    const MainWindow *window = m_session->window();
    if (!window || static_cast<QWidget *>(watched)->window() != window)
        return false;
    if (!m_firstPainted) {
        m_firstPainted = true;
        reportAfterPaint("first-paint", false);
    }
    const ConversationView *view = window->view();
    if (!m_historyPainted && view && watched == view->viewport() && view->model() && view->model()->rowCount() > 0) {
        m_historyPainted = true;
        qApp->removeEventFilter(this);
        reportAfterPaint("history-paint", true);
    }
    return false;
}

// The paint event is seen here before it is handled; a zero timer fires once the whole paint pass, and
// the flush to the screen, is done.
void FirstPaintReport::reportAfterPaint(const char *what, bool quit)
{
    QTimer::singleShot(0, this, [this, what, quit] {
        std::printf("%s %.1f ms\n", what, double(m_sinceStart.nsecsElapsed()) / 1e6);
        std::fflush(stdout);
        if (quit)
            QCoreApplication::quit();
    });
}
