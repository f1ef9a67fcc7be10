// The window of several conversations against widget-server in-process on 127.0.0.1:0: the sidebar
// with names from the context endpoint, opening one with Ctrl+N, the keyboard shortcuts and their
// dialog, drafts and scroll positions kept per conversation, and the unread count in the title.
#include "composer.h"
#include "conversationlistmodel.h"
#include "conversationpage.h"
#include "conversationrowdelegate.h"
#include "conversationsidebar.h"
#include "conversationview.h"
#include "mainwindow.h"
#include "shortcutsdialog.h"
#include "simulatedupstream.h"
#include "socketioclient.h"
#include "widgetserver.h"
#include "workspace.h"
#include "workspacetestsupport.h"

#include <QAccessible>
#include <QAction>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QDir>
#include <QGuiApplication>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTest>
#include <QTreeWidget>
#include <QWindow>

static const QString Tenant = QStringLiteral("t1");
static const QString Token = QStringLiteral("mw-token");
static const QStringList &Ids = WorkspaceTestSupport::CustomerIds;
static const QStringList &Names = WorkspaceTestSupport::CustomerNames;

class TestMainWindow : public QObject
{
    Q_OBJECT

    std::unique_ptr<WidgetServer> m_server;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<MainWindow> m_window;

    ConversationConfig base() const { return WorkspaceTestSupport::serverConfig(*m_server, Tenant, Token); }
    QString current() const { return m_workspace->currentId(); }
    void press(QWidget *target, Qt::Key key, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
    {
        QTest::keyClick(target, key, modifiers);
    }
    QAction *action(const char *name) const { return m_window->findChild<QAction *>(QString::fromLatin1(name)); }
    // Every conversation open and connected, the window shown and active.
    bool openAll()
    {
        m_workspace->restore(Ids, Ids.first());
        return WorkspaceTestSupport::waitConnected(*m_workspace, Ids);
    }

private slots:
    void init()
    {
        QVERIFY(WorkspaceTestSupport::startServer(m_server, Token));
        // Enough history in the first one to scroll.
        WorkspaceTestSupport::seedCustomers(*m_server, Tenant, {30, 3, 3},
            QStringLiteral("Message %1 to %2, long enough to wrap onto a second line in the view"));
        m_server->upstream()->setDelays(0, 50, 100);
        m_workspace = std::make_unique<Workspace>(base());
        m_window = std::make_unique<MainWindow>(m_workspace.get());
        QVERIFY(WorkspaceTestSupport::showActive(m_window.get(), QSize(900, 640)));
    }
    void cleanup()
    {
        m_window.reset();
        m_workspace.reset();
        m_server.reset();
    }

    void sidebarShowsNamesFromTheContextEndpoint()
    {
        QVERIFY(openAll());
        ConversationSidebar *sidebar = m_window->sidebar();
        QCOMPARE(sidebar->model()->rowCount(), 3);
        for (int row = 0; row < 3; ++row)
            QTRY_COMPARE(sidebar->model()->index(row, 0).data().toString(), Names[row]);
        QCOMPARE(sidebar->currentConversation(), Ids.first());
        QCOMPARE(m_window->windowTitle(), u"Ana Souza — Agent Console");
        // What a screen reader hears for a row.
        const QString spoken = sidebar->model()->index(1, 0).data(Qt::AccessibleTextRole).toString();
        QVERIFY2(spoken.startsWith(u"Bruno Lima, last message: Message 2 to Bruno Lima"), qPrintable(spoken));
        QAccessibleInterface *list = QAccessible::queryAccessibleInterface(sidebar);
        QVERIFY(list);
        QCOMPARE(list->text(QAccessible::Name), u"Open conversations");
        QStringList rowNames;
        for (int i = 0; i < list->childCount(); ++i)
            rowNames.append(list->child(i)->text(QAccessible::Name));
        QVERIFY2(rowNames.contains(spoken), qPrintable(rowNames.join(u'\n')));
    }

    // A message for the conversation on screen counts as unread while the agent is in another window.
    void anInactiveWindowCollectsUnread()
    {
        QVERIFY(openAll());
        QVERIFY(m_workspace->isWindowActive());
        QWidget other;
        QVERIFY(WorkspaceTestSupport::showActive(&other));
        QTRY_VERIFY(!m_workspace->isWindowActive());
        QSignalSpy inbound(m_workspace.get(), &Workspace::inboundMessage);
        m_server->injectInbound(Tenant, Ids[0], QStringLiteral("Are you there?"));
        QVERIFY(inbound.wait(5000));
        QCOMPARE(inbound.last().at(3).toBool(), false);
        QCOMPARE(m_window->windowTitle(), u"(1) Ana Souza — Agent Console");
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QTRY_COMPARE(m_window->windowTitle(), u"Ana Souza — Agent Console");
    }

    // A customer name is text, never markup nor Qt's "[*]" title placeholder.
    void hostileNameIsShownLiterally()
    {
        m_server->addConversation(Tenant, QStringLiteral("c-eve"), QStringLiteral("<b>Eve</b> [*]"));
        m_workspace->openConversation(QStringLiteral("c-eve"));
        QTRY_COMPARE(m_workspace->displayName(QStringLiteral("c-eve")), u"<b>Eve</b> [*]");
        QCOMPARE(m_window->windowHandle()->title(), u"<b>Eve</b> [*] — Agent Console");
    }

    void selectingARowShowsItsConversation()
    {
        QVERIFY(openAll());
        ConversationSidebar *sidebar = m_window->sidebar();
        sidebar->setFocus();
        press(sidebar, Qt::Key_Down);
        QCOMPARE(current(), Ids[1]);
        QCOMPARE(m_window->currentPage(), m_window->page(Ids[1]));
        QVERIFY(sidebar->hasFocus()); // arrowing through the list keeps the keyboard there
        const QRect third = sidebar->visualRect(sidebar->model()->index(2, 0));
        QTest::mouseClick(sidebar->viewport(), Qt::LeftButton, {}, third.center());
        QCOMPARE(current(), Ids[2]);
        QCOMPARE(m_window->windowTitle(), u"Carla Dias — Agent Console");
    }

    void ctrlNOpensADialogThatOpensAConversation()
    {
        QVERIFY(openAll());
        m_server->addConversation(Tenant, QStringLiteral("c-new"), QStringLiteral("Dora Nunes"));
        press(m_window->composer()->editor(), Qt::Key_N, Qt::ControlModifier);
        auto *dialog = m_window->findChild<QInputDialog *>(QStringLiteral("openConversationDialog"));
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QVERIFY(dialog->isModal() || dialog->windowModality() != Qt::NonModal);
        QPushButton *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        QVERIFY(!ok->isEnabled()); // nothing to open yet
        auto *edit = dialog->findChild<QLineEdit *>();
        QVERIFY(edit);
        QTest::keyClicks(edit, QStringLiteral(" c-new "));
        QVERIFY(ok->isEnabled());
        ok->click();
        QCOMPARE(m_workspace->conversationIds().size(), 4);
        QCOMPARE(current(), u"c-new");
        QTRY_COMPARE(m_window->windowTitle(), u"Dora Nunes — Agent Console");
        QTRY_VERIFY(!m_window->findChild<QInputDialog *>(QStringLiteral("openConversationDialog")));
    }

    void shortcutsSwitchConversations()
    {
        QVERIFY(openAll());
        QWidget *editor = m_window->composer()->editor();
        QTRY_VERIFY(editor->hasFocus());
        press(QApplication::focusWidget(), Qt::Key_Tab, Qt::ControlModifier);
        QCOMPARE(current(), Ids[1]);
        // The reply box of the conversation now on screen has the keyboard, so the keys go on working.
        QTRY_VERIFY(m_window->composer()->editor()->hasFocus());
        press(QApplication::focusWidget(), Qt::Key_PageDown, Qt::ControlModifier);
        QCOMPARE(current(), Ids[2]);
        press(QApplication::focusWidget(), Qt::Key_Tab, Qt::ControlModifier);
        QCOMPARE(current(), Ids[0]); // around
        press(QApplication::focusWidget(), Qt::Key_PageUp, Qt::ControlModifier);
        QCOMPARE(current(), Ids[2]);
        press(QApplication::focusWidget(), Qt::Key_Tab, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(current(), Ids[1]);
        press(QApplication::focusWidget(), Qt::Key_Backtab, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(current(), Ids[0]);
    }

    void ctrlLFocusesTheComposer()
    {
        QVERIFY(openAll());
        m_window->sidebar()->setFocus();
        QTRY_VERIFY(m_window->sidebar()->hasFocus());
        press(m_window->sidebar(), Qt::Key_L, Qt::ControlModifier);
        QVERIFY(m_window->composer()->editor()->hasFocus());
    }

    void tabGoesSidebarViewComposer()
    {
        QVERIFY(openAll());
        m_window->sidebar()->setFocus();
        QTRY_VERIFY(m_window->sidebar()->hasFocus());
        press(m_window->sidebar(), Qt::Key_Tab);
        QVERIFY(m_window->view()->hasFocus());
        press(m_window->view(), Qt::Key_Tab);
        QVERIFY(m_window->composer()->editor()->hasFocus());
    }

    void ctrlWClosesTheCurrentConversation()
    {
        QVERIFY(openAll());
        m_workspace->setCurrent(Ids[1]);
        QPointer<ConversationPage> page = m_window->currentPage();
        press(m_window->composer()->editor(), Qt::Key_W, Qt::ControlModifier);
        QCOMPARE(m_workspace->conversationIds(), (QStringList {Ids[0], Ids[2]}));
        QCOMPARE(current(), Ids[2]);
        QTRY_VERIFY(page.isNull());
        QCOMPARE(m_window->sidebar()->model()->rowCount(), 2);
    }

    // Closing a conversation whose replies are not sent yet asks first; Cancel keeps it open.
    void closingAConversationWithUnsentRepliesAsks()
    {
        QVERIFY(openAll());
        m_server->upstream()->setDown(true);
        Conversation *conversation = m_workspace->currentConversation();
        QTest::keyClicks(m_window->composer()->editor(), QStringLiteral("not sent yet"));
        press(m_window->composer()->editor(), Qt::Key_Return);
        MessageListModel *model = conversation->model();
        QTRY_COMPARE_WITH_TIMEOUT(model->at(model->rowCount() - 1).status, MessageStatus::Failed, 10000);
        const QString id = current();
        press(m_window->composer()->editor(), Qt::Key_W, Qt::ControlModifier);
        QPointer<QMessageBox> box = m_window->findChild<QMessageBox *>(QStringLiteral("closeWithUnsentBox"));
        QVERIFY(box);
        QTRY_VERIFY(box->isVisible());
        QVERIFY(m_workspace->isOpen(id)); // nothing closed before the agent answers
        box->button(QMessageBox::Cancel)->click();
        QTRY_VERIFY(box.isNull());
        QVERIFY(m_workspace->isOpen(id));
        action("closeConversationAction")->trigger(); // Conversation → Close conversation
        box = m_window->findChild<QMessageBox *>(QStringLiteral("closeWithUnsentBox"));
        QVERIFY(box);
        box->findChild<QPushButton *>(QStringLiteral("closeAnywayButton"))->click();
        QVERIFY(!m_workspace->isOpen(id));
    }

    void sidebarContextMenuClosesAConversation()
    {
        QVERIFY(openAll());
        ConversationSidebar *sidebar = m_window->sidebar();
        std::unique_ptr<QMenu> menu(sidebar->createContextMenu(sidebar->model()->index(2, 0), sidebar));
        auto *close = menu->findChild<QAction *>(QStringLiteral("closeConversationRowAction"));
        QVERIFY(close);
        QCOMPARE(close->text(), u"&Close conversation");
        close->trigger();
        QCOMPARE(m_workspace->conversationIds(), (QStringList {Ids[0], Ids[1]}));
        QCOMPARE(current(), Ids[0]); // closing another one leaves the current one alone
        // The last one closed: the window says how to open one.
        m_workspace->closeConversation(Ids[0]);
        m_workspace->closeConversation(Ids[1]);
        QVERIFY(!m_window->currentPage());
        QCOMPARE(m_window->windowTitle(), u"Agent Console");
        QVERIFY(!action("closeConversationAction")->isEnabled());
    }

    void shortcutsDialogListsTheActions()
    {
        QVERIFY(openAll());
        const QList<QAction *> actions = m_window->shortcutActions();
        QStringList names;
        for (const QAction *a : actions) {
            QVERIFY2(!a->objectName().isEmpty(), qPrintable(a->text()));
            names.append(a->objectName());
        }
        for (const char *name : {"openConversationAction", "closeConversationAction", "nextConversationAction",
                 "previousConversationAction", "focusComposerAction", "retrySelectedAction", "copyMessageAction",
                 "shortcutsAction", "quitAction"})
            QVERIFY2(names.contains(QString::fromLatin1(name)), name);
        action("shortcutsAction")->trigger();
        auto *dialog = m_window->findChild<ShortcutsDialog *>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QTreeWidget *list = dialog->list();
        QCOMPARE(list->topLevelItemCount(), actions.size());
        QHash<QString, QString> rows;
        for (int i = 0; i < list->topLevelItemCount(); ++i)
            rows.insert(list->topLevelItem(i)->text(0), list->topLevelItem(i)->text(1));
        QCOMPARE(rows.value(QStringLiteral("Next conversation")), u"Ctrl+Tab, Ctrl+PgDown");
        QCOMPARE(rows.value(QStringLiteral("Previous conversation")), u"Ctrl+Shift+Tab, Ctrl+PgUp");
        QCOMPARE(rows.value(QStringLiteral("Open conversation…")), u"Ctrl+N");
        QCOMPARE(rows.value(QStringLiteral("Write a reply")), u"Ctrl+L");
        QCOMPARE(rows.value(QStringLiteral("Retry selected reply")), u"Ctrl+R");
        QVERIFY(rows.value(QStringLiteral("Copy message text")).startsWith(u"Ctrl+C")); // and the platform's others
        QCOMPARE(rows.value(QStringLiteral("Close conversation")), u"Ctrl+W");
        for (auto it = rows.cbegin(); it != rows.cend(); ++it)
            QVERIFY2(!it.value().isEmpty(), qPrintable(it.key()));
        const QString dir
            = qEnvironmentVariable("AGENT_CONSOLE_ARTIFACTS", QDir::tempPath()) + QStringLiteral("/screenshots");
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(dialog->grab().save(dir + QStringLiteral("/shortcuts-dialog.png")));
        // A new shortcut shows up without anyone editing the dialog.
        action("focusComposerAction")->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_L), QKeySequence(Qt::Key_F6)});
        ShortcutsDialog again(m_window->shortcutActions());
        QCOMPARE(
            again.list()->findItems(QStringLiteral("Write a reply"), Qt::MatchExactly).first()->text(1), u"Ctrl+L, F6");
    }

    void draftAndScrollPositionAreKeptPerConversation()
    {
        QVERIFY(openAll());
        ConversationView *view = m_window->view();
        QTRY_VERIFY(view->verticalScrollBar()->maximum() > 0);
        view->verticalScrollBar()->setValue(view->verticalScrollBar()->maximum() / 2);
        const int scrolled = view->verticalScrollBar()->value();
        QTest::keyClicks(m_window->composer()->editor(), QStringLiteral("Half-written reply for Ana"));
        m_workspace->setCurrent(Ids[1]);
        QTest::keyClicks(m_window->composer()->editor(), QStringLiteral("Something for Bruno"));
        QCOMPARE(m_window->composer()->editor()->toPlainText(), u"Something for Bruno");
        m_workspace->setCurrent(Ids[0]);
        QCOMPARE(m_window->composer()->editor()->toPlainText(), u"Half-written reply for Ana");
        QCOMPARE(m_window->view(), view);
        QCOMPARE(view->verticalScrollBar()->value(), scrolled);
        m_workspace->setCurrent(Ids[1]);
        QCOMPARE(m_window->composer()->editor()->toPlainText(), u"Something for Bruno");
    }

    void unreadCountIsInTheTitleAndTheBadge()
    {
        QVERIFY(openAll());
        QSignalSpy inbound(m_workspace.get(), &Workspace::inboundMessage);
        m_server->injectInbound(Tenant, Ids[2], QStringLiteral("Hello? <b>anyone</b>"));
        m_server->injectInbound(Tenant, Ids[2], QStringLiteral("Still waiting"));
        QTRY_COMPARE(inbound.size(), 2);
        QCOMPARE(m_window->windowTitle(), u"(2) Ana Souza — Agent Console");
        const QModelIndex carla = m_window->sidebar()->model()->index(2, 0);
        QCOMPARE(carla.data(ConversationListModel::UnreadCountRole).toInt(), 2);
        QCOMPARE(carla.data(Qt::AccessibleTextRole).toString(), u"Carla Dias, 2 unread, last message: Still waiting");
        // The badge has room in the row and sits beside the preview.
        ConversationSidebar *sidebar = m_window->sidebar();
        QStyleOptionViewItem option;
        option.initFrom(sidebar->viewport());
        option.rect = sidebar->visualRect(carla);
        const ConversationRowDelegate::Layout layout = sidebar->rowDelegate()->layoutFor(option, carla);
        QVERIFY(!layout.badge.isEmpty());
        QVERIFY(option.rect.contains(layout.badge));
        QVERIFY(!layout.badge.intersects(layout.preview));

        const QString dir
            = qEnvironmentVariable("AGENT_CONSOLE_ARTIFACTS", QDir::tempPath()) + QStringLiteral("/screenshots");
        QVERIFY(QDir().mkpath(dir));
        QTest::keyClicks(m_window->composer()->editor(), QStringLiteral("Let me check the tracking for you."));
        QVERIFY(m_window->grab().save(dir + QStringLiteral("/conversations.png")));

        // Looking at it clears it, in the badge and in the title.
        m_workspace->setCurrent(Ids[2]);
        QCOMPARE(m_window->windowTitle(), u"Carla Dias — Agent Console");
        QCOMPARE(carla.data(ConversationListModel::UnreadCountRole).toInt(), 0);
    }

    // Palette colours only: a dark palette gives a dark sidebar with light text; right-to-left mirrors it.
    void sidebarFollowsThePaletteAndDirection()
    {
        QVERIFY(openAll());
        QSignalSpy inbound(m_workspace.get(), &Workspace::inboundMessage);
        m_server->injectInbound(Tenant, Ids[1], QStringLiteral("New message"));
        QVERIFY(inbound.wait(5000));
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::AlternateBase, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
        dark.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
        dark.setColor(QPalette::PlaceholderText, QColor(0x99, 0x99, 0x99));
        dark.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xc9));
        dark.setColor(QPalette::HighlightedText, Qt::white);
        ConversationSidebar *sidebar = m_window->sidebar();
        sidebar->setPalette(dark);
        const QString dir
            = qEnvironmentVariable("AGENT_CONSOLE_ARTIFACTS", QDir::tempPath()) + QStringLiteral("/screenshots");
        QVERIFY(QDir().mkpath(dir));
        const QImage image = sidebar->grab().toImage();
        QVERIFY(image.save(dir + QStringLiteral("/conversations-sidebar-dark.png")));
        const QModelIndex bruno = sidebar->model()->index(1, 0);
        const QRect row = sidebar->visualRect(bruno);
        QCOMPARE(image.pixelColor(row.left() + 2, row.top() + 2), dark.color(QPalette::Base)); // unselected row
        int light = 0;
        for (int y = row.top(); y <= row.bottom(); ++y)
            for (int x = row.left(); x < row.left() + row.width() / 2; ++x)
                light += image.pixelColor(x, y).lightness() > 180 ? 1 : 0;
        QVERIFY2(light > 30, "the name is drawn in the palette's light text colour");

        sidebar->setLayoutDirection(Qt::RightToLeft);
        QStyleOptionViewItem option;
        option.initFrom(sidebar->viewport());
        option.rect = sidebar->visualRect(bruno);
        const ConversationRowDelegate::Layout rtl = sidebar->rowDelegate()->layoutFor(option, bruno);
        QVERIFY(rtl.badge.right() < rtl.preview.left()); // the badge moves to the left end
        QVERIFY(rtl.time.right() < rtl.name.left());
        QVERIFY(sidebar->grab().save(dir + QStringLiteral("/conversations-sidebar-rtl.png")));
    }

    void ctrlRRetriesTheSelectedFailedReply()
    {
        QVERIFY(openAll());
        m_server->upstream()->setDown(true);
        Conversation *controller = m_workspace->currentConversation();
        QTest::keyClicks(m_window->composer()->editor(), QStringLiteral("will fail"));
        press(m_window->composer()->editor(), Qt::Key_Return);
        MessageListModel *model = controller->model();
        const QString id = model->at(model->rowCount() - 1).id;
        QTRY_COMPARE_WITH_TIMEOUT(model->at(model->rowOf(id)).status, MessageStatus::Failed, 10000);
        m_server->upstream()->setDown(false);
        ConversationView *view = m_window->view();
        view->setFocus();
        view->setCurrentIndex(model->indexOf(id));
        QTRY_VERIFY(view->hasFocus());
        press(view, Qt::Key_R, Qt::ControlModifier);
        QCOMPARE(model->at(model->rowOf(id)).status, MessageStatus::Pending);
        QTRY_COMPARE(model->at(model->rowOf(id)).status, MessageStatus::Read);
    }

    void ctrlCCopiesTheSelectedMessageInTheViewOnly()
    {
        QVERIFY(openAll());
        ConversationView *view = m_window->view();
        MessageListModel *model = m_workspace->currentConversation()->model();
        view->setFocus();
        view->setCurrentIndex(model->index(3));
        QTRY_VERIFY(view->hasFocus());
        QGuiApplication::clipboard()->clear();
        press(view, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QGuiApplication::clipboard()->text(), model->at(3).text);
        // In the reply box Ctrl+C is the editor's own copy.
        QPlainTextEdit *editor = m_window->composer()->editor();
        editor->setFocus();
        QTest::keyClicks(editor, QStringLiteral("draft text"));
        editor->selectAll();
        press(editor, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QGuiApplication::clipboard()->text(), u"draft text");
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
