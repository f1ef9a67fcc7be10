// The console as main() builds it for a stored account: an outbox on disk (in a scratch directory) and
// a ConsoleSession over the given backend, which opens the Workspace and its MainWindow with the
// sidebar: the window an agent works in, not a window built for the bench.
#pragma once

#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

class ConsoleSession;
class ConversationView;
class MainWindow;
class OutboxStore;
class Workspace;

class BenchConsole
{
public:
    BenchConsole(const QUrl &baseUrl, const QStringList &conversations);
    ~BenchConsole();

    MainWindow *window() const;
    Workspace *workspace() const;
    // The current conversation's view.
    ConversationView *view() const;
    // Until `conversationId` is open with its history in the view and painted, and its socket connected.
    bool waitUntilReady(const QString &conversationId, int timeoutMs = 10000);
    // Scrolls the current conversation to the top page by page, as an agent reading back does, until its
    // view holds `rows` messages; false when a page did not come.
    bool loadHistory(int rows);

private:
    QTemporaryDir m_dir;
    std::unique_ptr<OutboxStore> m_outbox;
    std::unique_ptr<ConsoleSession> m_session;
};
