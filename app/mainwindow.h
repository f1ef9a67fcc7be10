// MainWindow: the sidebar of open conversations beside a stack with one ConversationPage per
// conversation; the menus, the keyboard shortcuts and the title with the unread count. It only wires
// widgets to the Workspace (or, for a window of one conversation, to its Conversation).
#pragma once

#include <QHash>
#include <QMainWindow>
#include <QPointer>

#include <functional>

class Composer;
class ConnectionBanner;
class Conversation;
class ConversationPage;
class ConversationSidebar;
class ConversationView;
class DemoBackend;
class FailedRepliesBar;
class QLabel;
class QMenu;
class QStackedWidget;
class Workspace;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // `demo` may be null; when set, a Demo menu drives the simulated upstream. The workspace (or the
    // conversation) must outlive the window: its pages show the conversations' models.
    explicit MainWindow(Workspace *workspace, DemoBackend *demo = nullptr, QWidget *parent = nullptr);
    // One conversation the caller owns and starts: no sidebar.
    explicit MainWindow(Conversation *conversation, DemoBackend *demo = nullptr, QWidget *parent = nullptr);

    Workspace *workspace() const { return m_workspace; }
    ConversationSidebar *sidebar() const { return m_sidebar; }
    ConversationPage *currentPage() const;
    ConversationPage *page(const QString &conversationId) const { return m_pages.value(conversationId); }

    // The current page's parts; null while no conversation is open.
    ConversationView *view() const;
    Composer *composer() const;
    ConnectionBanner *banner() const;
    FailedRepliesBar *failedBar() const;
    QMenu *createContextMenu(const QModelIndex &index, QWidget *parent);

    // Every action with a keyboard shortcut, in menu order: what the shortcuts dialog lists.
    QList<QAction *> shortcutActions() const;
    // Conversation → Settings…: hidden until the owner of the account handles settingsRequested().
    QAction *settingsAction() const { return m_settingsAction; }

public slots:
    void showOpenConversationDialog();
    // Closes it, asking first when replies in it are not sent yet.
    void requestClose(const QString &conversationId);
    void showShortcutsDialog();

signals:
    void settingsRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    MainWindow(Workspace *workspace, Conversation *conversation, DemoBackend *demo, QWidget *parent);
    void buildMenus();
    QAction *addShortcutAction(QMenu *menu, const QString &name, const QString &text,
        const QList<QKeySequence> &shortcuts, const std::function<void()> &slot);
    void addPage(const QString &conversationId, Conversation *conversation);
    void removePage(const QString &conversationId);
    void showCurrent();
    void updateTitle();
    void updateActions();
    void fillCannedMenu();

    Workspace *m_workspace;
    DemoBackend *m_demo;
    ConversationSidebar *m_sidebar = nullptr;
    QStackedWidget *m_stack;
    QLabel *m_emptyPage;
    QHash<QString, ConversationPage *> m_pages;
    ConversationPage *m_singlePage = nullptr;
    bool m_choosingInSidebar = false;
    QPointer<QWidget> m_openDialog;
    QPointer<QWidget> m_shortcutsDialog;

    QAction *m_settingsAction = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_closeAction = nullptr;
    QAction *m_nextAction = nullptr;
    QAction *m_previousAction = nullptr;
    QAction *m_focusComposerAction = nullptr;
    QAction *m_attachAction = nullptr;
    QAction *m_retryAction = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_findAction = nullptr;
    QAction *m_findNextAction = nullptr;
    QAction *m_findPreviousAction = nullptr;
    QMenu *m_cannedMenu = nullptr;
};
