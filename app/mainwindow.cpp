#include "mainwindow.h"

#include "cannedresponses.h"
#include "composer.h"
#include "conversation.h"
#include "conversationfind.h"
#include "conversationlistmodel.h"
#include "conversationpage.h"
#include "conversationsidebar.h"
#include "conversationview.h"
#include "demobackend.h"
#include "findbar.h"
#include "shortcutsdialog.h"
#include "workspace.h"

#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolButton>

MainWindow::MainWindow(Workspace *workspace, DemoBackend *demo, QWidget *parent)
    : MainWindow(workspace, nullptr, demo, parent)
{
}

MainWindow::MainWindow(Conversation *conversation, DemoBackend *demo, QWidget *parent)
    : MainWindow(nullptr, conversation, demo, parent)
{
}

MainWindow::MainWindow(Workspace *workspace, Conversation *conversation, DemoBackend *demo, QWidget *parent)
    : QMainWindow(parent)
    , m_workspace(workspace)
    , m_demo(demo)
    , m_stack(new QStackedWidget(this))
    , m_emptyPage(new QLabel(m_stack))
{
    m_emptyPage->setTextFormat(Qt::PlainText);
    m_emptyPage->setAlignment(Qt::AlignCenter);
    m_emptyPage->setWordWrap(true);
    m_emptyPage->setMargin(24);
    m_emptyPage->setText(tr("No conversation is open.\nOpen one with Conversation → Open conversation… (%1).")
                             .arg(QKeySequence(Qt::CTRL | Qt::Key_N).toString(QKeySequence::NativeText)));
    m_stack->addWidget(m_emptyPage);
    buildMenus();

    if (!workspace) {
        resize(520, 760);
        m_singlePage = new ConversationPage(conversation, m_stack);
        m_stack->addWidget(m_singlePage);
        m_stack->setCurrentWidget(m_singlePage);
        m_singlePage->view()->addAction(m_retryAction);
        m_singlePage->view()->addAction(m_copyAction);
        setCentralWidget(m_stack);
        setFocusProxy(m_singlePage);
        m_singlePage->composer()->setFocus();
        connect(conversation, &Conversation::opened, this, &MainWindow::updateTitle);
        updateTitle();
        updateActions();
        return;
    }

    resize(880, 760);
    m_sidebar = new ConversationSidebar(this);
    m_sidebar->setModel(workspace->model());
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_sidebar);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({280, 600});
    m_sidebar->setMinimumWidth(180);
    setCentralWidget(splitter);

    connect(m_sidebar, &ConversationSidebar::conversationSelected, this, [this](const QString &id) {
        m_choosingInSidebar = true;
        m_workspace->setCurrent(id);
        m_choosingInSidebar = false;
    });
    connect(m_sidebar, &ConversationSidebar::closeRequested, this, &MainWindow::requestClose);
    connect(workspace, &Workspace::conversationAdded, this, &MainWindow::addPage);
    connect(workspace, &Workspace::conversationRemoved, this, &MainWindow::removePage);
    connect(workspace, &Workspace::currentChanged, this, &MainWindow::showCurrent);
    connect(workspace, &Workspace::unreadTotalChanged, this, &MainWindow::updateTitle);
    connect(workspace->model(), &QAbstractItemModel::dataChanged, this,
        [this](const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles) {
            const int row = m_workspace->model()->rowOf(m_workspace->currentId());
            if (row >= topLeft.row() && row <= bottomRight.row()
                && (roles.isEmpty() || roles.contains(Qt::DisplayRole)))
                updateTitle();
        });
    for (const QString &id : workspace->conversationIds())
        addPage(id, workspace->conversation(id));
    workspace->setWindowActive(isActiveWindow());
    showCurrent();
}

ConversationPage *MainWindow::currentPage() const
{
    if (!m_workspace)
        return m_singlePage;
    return m_pages.value(m_workspace->currentId());
}

ConversationView *MainWindow::view() const
{
    return currentPage() ? currentPage()->view() : nullptr;
}

Composer *MainWindow::composer() const
{
    return currentPage() ? currentPage()->composer() : nullptr;
}

ConnectionBanner *MainWindow::banner() const
{
    return currentPage() ? currentPage()->banner() : nullptr;
}

FailedRepliesBar *MainWindow::failedBar() const
{
    return currentPage() ? currentPage()->failedBar() : nullptr;
}

QMenu *MainWindow::createContextMenu(const QModelIndex &index, QWidget *parent)
{
    return currentPage() ? currentPage()->createContextMenu(index, parent) : nullptr;
}

// Closing a conversation stops its replies that are not sent yet: they stay saved and leave when it is
// open again (at the latest at the next start). Ask first, so it is never a surprise.
void MainWindow::requestClose(const QString &conversationId)
{
    Conversation *conversation = m_workspace ? m_workspace->conversation(conversationId) : nullptr;
    if (!conversation)
        return;
    if (conversation->outbox().isEmpty()) {
        m_workspace->closeConversation(conversationId);
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Question, tr("Close conversation"),
        tr("Replies in this conversation are not sent yet. They stay saved and are sent when the conversation is "
           "open again."),
        QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("closeWithUnsentBox"));
    QPushButton *close = box->addButton(tr("Close anyway"), QMessageBox::AcceptRole);
    close->setObjectName(QStringLiteral("closeAnywayButton"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, conversationId, close](QAbstractButton *button) {
        if (button == close && m_workspace)
            m_workspace->closeConversation(conversationId);
    });
    box->open();
}

void MainWindow::addPage(const QString &conversationId, Conversation *conversation)
{
    auto *page = new ConversationPage(conversation, m_stack);
    m_pages.insert(conversationId, page);
    m_stack->addWidget(page);
    // The selected-bubble commands answer in whichever conversation's history has the focus.
    page->view()->addAction(m_retryAction);
    page->view()->addAction(m_copyAction);
    page->setCannedResponses(m_workspace->cannedResponses());
    // Tab: sidebar → history → reply → Send.
    setTabOrder(m_sidebar, page->view());
    setTabOrder(page->view(), page->composer()->editor());
    setTabOrder(page->composer()->editor(), page->composer()->sendButton());
    updateActions();
}

void MainWindow::removePage(const QString &conversationId)
{
    ConversationPage *page = m_pages.take(conversationId);
    if (!page)
        return;
    m_stack->removeWidget(page);
    page->hide();
    page->deleteLater(); // before its conversation, which the workspace deletes later too
    updateActions();
}

void MainWindow::showCurrent()
{
    const QString id = m_workspace->currentId();
    ConversationPage *page = m_pages.value(id);
    m_stack->setCurrentWidget(page ? static_cast<QWidget *>(page) : m_emptyPage);
    m_sidebar->setCurrentConversation(id);
    // Choosing with the arrow keys in the sidebar keeps the keyboard there; otherwise the reply box has it.
    if (page && !m_choosingInSidebar)
        page->focusComposer();
    updateTitle();
    updateActions();
}

void MainWindow::updateTitle()
{
    QString name;
    if (m_workspace) {
        if (!m_workspace->currentId().isEmpty())
            name = m_workspace->displayName(m_workspace->currentId());
    } else {
        name = m_singlePage->conversation()->customerName();
    }
    // "[*]" in a window title is Qt's modified-marker placeholder; a doubled one is shown literally.
    name.replace(QStringLiteral("[*]"), QStringLiteral("[*][*]"));
    QString title = name.isEmpty() ? tr("Agent Console") : tr("%1 — Agent Console").arg(name);
    const int unread = m_workspace ? m_workspace->unreadTotal() : 0;
    if (unread > 0)
        title = tr("(%1) %2").arg(unread).arg(title);
    setWindowTitle(title);
}

void MainWindow::updateActions()
{
    const int open = m_workspace ? m_workspace->model()->rowCount() : 1;
    m_closeAction->setEnabled(m_workspace && open > 0);
    m_nextAction->setEnabled(open > 1);
    m_previousAction->setEnabled(open > 1);
    m_focusComposerAction->setEnabled(open > 0);
    for (QAction *find : {m_findAction, m_findNextAction, m_findPreviousAction})
        find->setEnabled(open > 0);
    m_attachAction->setEnabled(open > 0);
    m_openAction->setEnabled(m_workspace != nullptr);
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::ActivationChange && m_workspace)
        m_workspace->setWindowActive(isActiveWindow());
}

// The platform's keys for a standard action; `fallback` where the platform has none (some have no Quit key).
static QList<QKeySequence> standardKeys(QKeySequence::StandardKey key, const QKeySequence &fallback)
{
    const QList<QKeySequence> keys = QKeySequence::keyBindings(key);
    return keys.isEmpty() ? QList<QKeySequence> {fallback} : keys;
}

QAction *MainWindow::addShortcutAction(QMenu *menu, const QString &name, const QString &text,
    const QList<QKeySequence> &shortcuts, const std::function<void()> &slot)
{
    QAction *action = menu->addAction(text);
    action->setObjectName(name);
    action->setShortcuts(shortcuts);
    connect(action, &QAction::triggered, this, slot);
    return action;
}

void MainWindow::buildMenus()
{
    QMenu *conversation = menuBar()->addMenu(tr("&Conversation"));
    m_openAction = addShortcutAction(conversation, QStringLiteral("openConversationAction"), tr("&Open conversation…"),
        {QKeySequence(Qt::CTRL | Qt::Key_N)}, [this] { showOpenConversationDialog(); });
    m_closeAction = addShortcutAction(conversation, QStringLiteral("closeConversationAction"),
        tr("&Close conversation"), {QKeySequence(Qt::CTRL | Qt::Key_W)}, [this] {
            if (m_workspace)
                requestClose(m_workspace->currentId());
        });
    conversation->addSeparator();
    m_nextAction = addShortcutAction(conversation, QStringLiteral("nextConversationAction"), tr("&Next conversation"),
        {QKeySequence(Qt::CTRL | Qt::Key_Tab), QKeySequence(Qt::CTRL | Qt::Key_PageDown)}, [this] {
            if (m_workspace)
                m_workspace->selectNext();
        });
    m_previousAction
        = addShortcutAction(conversation, QStringLiteral("previousConversationAction"), tr("&Previous conversation"),
            {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Tab), QKeySequence(Qt::CTRL | Qt::Key_PageUp),
                QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Backtab)},
            [this] {
                if (m_workspace)
                    m_workspace->selectPrevious();
            });
    conversation->addSeparator();
    // Shown only where there is an account to change (not in the demo, not in a one-conversation window).
    m_settingsAction = addShortcutAction(conversation, QStringLiteral("settingsAction"), tr("&Settings…"),
        standardKeys(QKeySequence::Preferences, QKeySequence(Qt::CTRL | Qt::Key_Comma)),
        [this] { emit settingsRequested(); });
    m_settingsAction->setMenuRole(QAction::PreferencesRole);
    m_settingsAction->setVisible(false);
    QAction *quit = addShortcutAction(conversation, QStringLiteral("quitAction"), tr("&Quit"),
        standardKeys(QKeySequence::Quit, QKeySequence(Qt::CTRL | Qt::Key_Q)), [] { QApplication::quit(); });
    quit->setMenuRole(QAction::QuitRole);

    QMenu *message = menuBar()->addMenu(tr("&Message"));
    m_focusComposerAction = addShortcutAction(message, QStringLiteral("focusComposerAction"), tr("&Write a reply"),
        {QKeySequence(Qt::CTRL | Qt::Key_L)}, [this] {
            if (ConversationPage *page = currentPage())
                page->focusComposer();
        });
    m_attachAction = addShortcutAction(
        message, QStringLiteral("attachFileAction"), tr("&Attach file…"), {QKeySequence(Qt::CTRL | Qt::Key_O)}, [this] {
            if (ConversationPage *page = currentPage())
                page->attachFile();
        });
    m_retryAction = addShortcutAction(message, QStringLiteral("retrySelectedAction"), tr("&Retry selected reply"),
        {QKeySequence(Qt::CTRL | Qt::Key_R)}, [this] {
            if (ConversationPage *page = currentPage())
                page->retrySelected();
        });
    m_copyAction = addShortcutAction(message, QStringLiteral("copyMessageAction"), tr("&Copy message text"),
        standardKeys(QKeySequence::Copy, QKeySequence(Qt::CTRL | Qt::Key_C)), [this] {
            if (ConversationPage *page = currentPage())
                page->copySelected();
        });
    message->addSeparator();
    m_findAction = addShortcutAction(message, QStringLiteral("findAction"), tr("&Find in conversation…"),
        standardKeys(QKeySequence::Find, QKeySequence(Qt::CTRL | Qt::Key_F)), [this] {
            if (ConversationPage *page = currentPage())
                page->find()->open();
        });
    m_findNextAction = addShortcutAction(
        message, QStringLiteral("findNextAction"), tr("Find &older match"), {QKeySequence(Qt::Key_F3)}, [this] {
            if (ConversationPage *page = currentPage())
                page->findBar()->isVisible() ? page->find()->next() : page->find()->open();
        });
    m_findPreviousAction = addShortcutAction(message, QStringLiteral("findPreviousAction"), tr("Find &newer match"),
        {QKeySequence(Qt::SHIFT | Qt::Key_F3)}, [this] {
            if (ConversationPage *page = currentPage())
                page->findBar()->isVisible() ? page->find()->previous() : page->find()->open();
        });
    message->addSeparator();
    m_cannedMenu = message->addMenu(tr("Canned &responses"));
    m_cannedMenu->setObjectName(QStringLiteral("cannedMenu"));
    connect(m_cannedMenu, &QMenu::aboutToShow, this, &MainWindow::fillCannedMenu);
    // These act on the selected bubble: only while a conversation's history has the focus, so Ctrl+C
    // in the reply box still copies the reply's text.
    m_retryAction->setShortcutContext(Qt::WidgetShortcut);
    m_copyAction->setShortcutContext(Qt::WidgetShortcut);
    m_retryAction->setToolTip(tr("Sends the selected failed reply again"));
    m_copyAction->setToolTip(tr("Copies the text of the selected message"));

    if (m_demo) {
        QMenu *demoMenu = menuBar()->addMenu(tr("&Demo"));
        QAction *outage = demoMenu->addAction(tr("Simulate upstream &outage"));
        outage->setObjectName(QStringLiteral("demoOutageAction"));
        outage->setCheckable(true);
        outage->setToolTip(tr("While checked, the backend cannot reach WhatsApp: replies fail and can be retried."));
        connect(outage, &QAction::toggled, m_demo, &DemoBackend::setUpstreamDown);
        addShortcutAction(demoMenu, QStringLiteral("demoInboundAction"), tr("Customer &writes"),
            {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I)}, [this] {
                if (ConversationPage *page = currentPage())
                    m_demo->customerWrites(page->conversation()->config().conversation);
            });
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    addShortcutAction(help, QStringLiteral("shortcutsAction"), tr("&Keyboard shortcuts"),
        standardKeys(QKeySequence::HelpContents, QKeySequence(Qt::Key_F1)), [this] { showShortcutsDialog(); });
    help->addAction(tr("&About Agent Console"), this, [this] {
        QMessageBox::about(this, tr("About Agent Console"),
            tr("Agent Console %1\nA native console for customer-support agents.")
                .arg(QStringLiteral(AGENT_CONSOLE_VERSION)));
    });
}

QList<QAction *> MainWindow::shortcutActions() const
{
    QList<QAction *> actions;
    for (QAction *menuAction : menuBar()->actions()) {
        if (!menuAction->menu())
            continue;
        for (QAction *action : menuAction->menu()->actions()) {
            if (action->isVisible() && !action->shortcuts().isEmpty())
                actions.append(action);
        }
    }
    return actions;
}

// The responses as the session has them, each inserting into the current reply; then whether the list
// could be loaded, and a way to load it again by hand.
void MainWindow::fillCannedMenu()
{
    m_cannedMenu->clear();
    CannedResponses *canned = m_workspace ? m_workspace->cannedResponses() : nullptr;
    if (!canned) {
        m_cannedMenu->addAction(tr("No canned responses in this window"))->setEnabled(false);
        return;
    }
    const CannedList &list = canned->list();
    for (const CannedResponse &response : list.responses) {
        QString preview = response.content.simplified();
        if (preview.size() > 60)
            preview = preview.left(59) + u'…';
        // "&" in a short code or a preview would become a mnemonic: doubled, it shows as itself.
        QAction *insert = m_cannedMenu->addAction(
            tr("/%1 — %2").arg(response.shortCode, preview).replace(u'&', QStringLiteral("&&")));
        insert->setEnabled(currentPage() != nullptr);
        connect(insert, &QAction::triggered, this, [this, response] {
            if (ConversationPage *page = currentPage())
                page->insertCanned(response);
        });
    }
    QString state;
    if (list.state == CannedList::State::Loading)
        state = tr("Loading canned responses…");
    else if (list.state == CannedList::State::Failed)
        state = tr("Could not load the canned responses: %1").arg(list.error);
    else if (list.responses.isEmpty())
        state = tr("This account has no canned responses.");
    if (!state.isEmpty()) {
        if (!list.responses.isEmpty())
            m_cannedMenu->addSeparator();
        m_cannedMenu->addAction(QString(state).replace(u'&', QStringLiteral("&&")))->setEnabled(false);
    }
    m_cannedMenu->addSeparator();
    QAction *reload = m_cannedMenu->addAction(tr("&Reload canned responses"), canned, &CannedResponses::load);
    reload->setObjectName(QStringLiteral("reloadCannedAction"));
}

void MainWindow::showOpenConversationDialog()
{
    if (!m_workspace)
        return;
    if (m_openDialog) {
        m_openDialog->raise();
        m_openDialog->activateWindow();
        return;
    }
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("openConversationDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Open Conversation"));
    dialog->setLabelText(tr("Conversation id:"));
    dialog->setInputMode(QInputDialog::TextInput);
    dialog->setOkButtonText(tr("Open"));
    connect(dialog, &QInputDialog::textValueSelected, m_workspace, &Workspace::openConversation);
    m_openDialog = dialog;
    dialog->open();
    if (auto *edit = dialog->findChild<QLineEdit *>()) {
        edit->setAccessibleName(tr("Conversation id"));
        edit->setAccessibleDescription(tr("The id of the conversation to open, as the backend names it"));
    }
    // The buttons exist once the dialog is laid out for showing.
    if (auto *buttons = dialog->findChild<QDialogButtonBox *>()) {
        QPushButton *ok = buttons->button(QDialogButtonBox::Ok);
        ok->setEnabled(false);
        ok->setAccessibleDescription(tr("Opens the conversation with this id"));
        if (QPushButton *cancel = buttons->button(QDialogButtonBox::Cancel))
            cancel->setAccessibleDescription(tr("Closes the dialog without opening a conversation"));
        connect(dialog, &QInputDialog::textValueChanged, ok,
            [ok](const QString &text) { ok->setEnabled(!text.trimmed().isEmpty()); });
    }
}

void MainWindow::showShortcutsDialog()
{
    if (m_shortcutsDialog) {
        m_shortcutsDialog->raise();
        m_shortcutsDialog->activateWindow();
        return;
    }
    auto *dialog = new ShortcutsDialog(shortcutActions(), this);
    dialog->setObjectName(QStringLiteral("shortcutsDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_shortcutsDialog = dialog;
    dialog->show();
}
