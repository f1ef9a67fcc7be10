// agent-console-firstpaint: what `agent-console --demo` does at startup (app/main.cpp), plus a line
// on stdout at the window's first paint ("first-paint") and at the first paint showing the demo
// history ("history-paint"), then it quits. agent-console-bench spawns it to time a cold start;
// app/main.cpp stays free of bench hooks.
#include "conversation.h"
#include "conversationview.h"
#include "demobackend.h"
#include "mainwindow.h"
#include "messagelistmodel.h"

#include <QApplication>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

namespace {
// Reports once a paint of the window has finished: the paint event is seen here before it is handled,
// and a zero timer fires only after the whole paint pass (and the flush to the screen) is done.
class FirstPaintReporter : public QObject
{
public:
    FirstPaintReporter(MainWindow *window, MessageListModel *model)
        : m_window(window)
        , m_model(model)
    {
        qApp->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() != QEvent::Paint || !watched->isWidgetType())
            return false;
        auto *widget = static_cast<QWidget *>(watched);
        if (widget->window() != m_window)
            return false;
        if (!m_firstPainted) {
            m_firstPainted = true;
            QTimer::singleShot(0, this, [] { report("first-paint"); });
        }
        if (!m_historyPainted && widget == m_window->view()->viewport() && m_model->rowCount() > 0) {
            m_historyPainted = true;
            QTimer::singleShot(0, this, [] {
                report("history-paint");
                QCoreApplication::quit();
            });
        }
        return false;
    }

private:
    static void report(const char *what)
    {
        std::printf("%s\n", what);
        std::fflush(stdout);
    }

    MainWindow *m_window;
    MessageListModel *m_model;
    bool m_firstPainted = false;
    bool m_historyPainted = false;
};
} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("agent-console"));
    QApplication::setApplicationDisplayName(QStringLiteral("Agent Console"));
    QApplication::setOrganizationName(QStringLiteral("agent-console"));

    auto *demo = new DemoBackend(&app);
    QString error;
    if (!demo->start(&error)) {
        QTextStream(stderr) << "agent-console-firstpaint: " << error << '\n';
        return 1;
    }
    Conversation controller(demo->conversationConfig());
    MainWindow window(&controller, demo);
    FirstPaintReporter reporter(&window, controller.model());
    window.show();
    controller.start();
    QTimer::singleShot(10000, &app, [] { QCoreApplication::exit(2); }); // never hang the bench
    return app.exec();
}
