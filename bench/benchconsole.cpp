#include "benchconsole.h"

#include "benchserver.h"
#include "benchsupport.h"

#include "connectionbanner.h"
#include "consolesession.h"
#include "conversationpage.h"
#include "conversationview.h"
#include "mainwindow.h"
#include "outboxstore.h"
#include "workspace.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QScrollBar>

BenchConsole::BenchConsole(const QUrl &baseUrl, const QStringList &conversations)
    : m_outbox(std::make_unique<OutboxStore>())
{
    m_outbox->open(m_dir.filePath(QStringLiteral("outbox.sqlite")));
    Options options;
    options.apiUrl = baseUrl;
    options.tenant = BenchServer::Tenant;
    options.token = BenchServer::Token;
    options.conversations = conversations;
    m_session = std::make_unique<ConsoleSession>(options, nullptr, m_outbox.get());
    m_session->start();
}

BenchConsole::~BenchConsole() = default;

MainWindow *BenchConsole::window() const
{
    return m_session->window();
}

Workspace *BenchConsole::workspace() const
{
    return m_session->workspace();
}

ConversationView *BenchConsole::view() const
{
    return window()->view();
}

bool BenchConsole::waitUntilReady(const QString &conversationId, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    ConversationPage *page = window()->page(conversationId);
    if (!page)
        return false;
    Bench::PaintWatch watch(page->view()->viewport());
    const auto ready = [&] {
        return page->view()->model()->rowCount() > 0 && watch.paints > 0
            && page->banner()->state() == ConnectionBanner::State::Connected;
    };
    while (!ready() && timer.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
    return ready();
}

bool BenchConsole::loadHistory(int rows)
{
    ConversationView *history = view();
    QScrollBar *bar = history->verticalScrollBar();
    while (history->model()->rowCount() < rows) {
        const int before = history->model()->rowCount();
        bar->setValue(bar->maximum()); // away from the top first: the view asks for older messages once per visit
        bar->setValue(0);
        QElapsedTimer timer;
        timer.start();
        while (history->model()->rowCount() == before && timer.elapsed() < 10000)
            QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
        if (history->model()->rowCount() == before)
            return false;
    }
    return true;
}
