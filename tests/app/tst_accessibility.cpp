// The console through a screen reader and the keyboard alone (issue 7): the real MainWindow over a
// Workspace of three conversations against widget-server in-process on 127.0.0.1:0, and the sign-in,
// settings, shortcuts and open-conversation dialogs, each walked through QAccessible
// (tests/widgets/accessibilitywalk.h) for a name on every control and a description on every button
// and text field; then the window driven by keys only: Tab order, sending, switching, the sidebar rows.
#include "accessibilitywalk.h"
#include "composer.h"
#include "conversationlistmodel.h"
#include "conversationpage.h"
#include "conversationsidebar.h"
#include "conversationview.h"
#include "failedrepliesbar.h"
#include "mainwindow.h"
#include "messagelistmodel.h"
#include "settingsdialog.h"
#include "shortcutsdialog.h"
#include "signindialog.h"
#include "simulatedupstream.h"
#include "socketioclient.h"
#include "tokenstore.h"
#include "widgetserver.h"
#include "workspace.h"
#include "workspacetestsupport.h"

#include <QAccessible>
#include <QApplication>
#include <QInputDialog>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>

static const QString Tenant = QStringLiteral("t1");
static const QString Token = QStringLiteral("a11y-token");
static const QStringList &Ids = WorkspaceTestSupport::CustomerIds;
static const QStringList &Names = WorkspaceTestSupport::CustomerNames;

class TestAccessibility : public QObject
{
    Q_OBJECT

    std::unique_ptr<WidgetServer> m_server;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<MainWindow> m_window;

    static AccessibilityWalk::Options strict()
    {
        AccessibilityWalk::Options options;
        options.requireDescription = true;
        return options;
    }
    // Runs the walker and fails with the list of what a screen reader could not announce.
    // includeHidden: also the controls shown only when needed (the failed-replies bar's buttons).
    static bool walkClean(QWidget *root, QByteArray *report, bool includeHidden = false)
    {
        int visited = 0;
        AccessibilityWalk::Options options = strict();
        options.includeHidden = includeHidden;
        const QStringList found = AccessibilityWalk::problems(root, options, &visited);
        *report = found.join(u'\n').toUtf8();
        if (visited < 3)
            *report = "the walk saw almost nothing: " + QByteArray::number(visited);
        return found.isEmpty() && visited >= 3;
    }
    bool openAll()
    {
        m_workspace->restore(Ids, Ids.first());
        return WorkspaceTestSupport::waitConnected(*m_workspace, Ids);
    }
    // The window with every conversation's history on screen.
    void waitLoaded()
    {
        for (int c = 0; c < Ids.size(); ++c) {
            MessageListModel *model = m_workspace->conversation(Ids[c])->model();
            QTRY_COMPARE(model->rowCount(), 3);
            QTRY_COMPARE(m_window->sidebar()->model()->index(c, 0).data().toString(), Names[c]);
        }
    }
    bool loaded()
    {
        waitLoaded();
        return !QTest::currentTestFailed();
    }

private slots:
    void init()
    {
        QVERIFY(WorkspaceTestSupport::startServer(m_server, Token));
        WorkspaceTestSupport::seedCustomers(*m_server, Tenant, {3, 3, 3}, QStringLiteral("Message %1 to %2"));
        m_server->upstream()->setDelays(0, 20, 40);
        m_workspace = std::make_unique<Workspace>(WorkspaceTestSupport::serverConfig(*m_server, Tenant, Token));
        m_window = std::make_unique<MainWindow>(m_workspace.get());
        QVERIFY(WorkspaceTestSupport::showActive(m_window.get(), QSize(1000, 700)));
    }
    void cleanup()
    {
        m_window.reset();
        m_workspace.reset();
        m_server.reset();
    }

    void mainWindowControlsAreNamedAndDescribed()
    {
        QVERIFY(openAll());
        QVERIFY(loaded());
        QByteArray report;
        QVERIFY2(walkClean(m_window.get(), &report), report.constData());
        // Every page, not only the one on screen, with what it shows only when needed: the failed-replies
        // bar, the banner's button, the find bar, the canned-response completion (a reader lists hidden
        // controls too, and one without a name is read out as "button" alone).
        for (const QString &id : Ids) {
            m_workspace->setCurrent(id);
            QVERIFY2(walkClean(m_window->currentPage(), &report, true), report.constData());
        }
        // The parts a reader announces by name.
        QAccessibleInterface *sidebar = QAccessible::queryAccessibleInterface(m_window->sidebar());
        QVERIFY(!sidebar->text(QAccessible::Description).isEmpty());
        QAccessibleInterface *editor = QAccessible::queryAccessibleInterface(m_window->composer()->editor());
        QCOMPARE(editor->text(QAccessible::Name), u"Reply");
    }

    void bubblesExposeTextAndState()
    {
        QVERIFY(openAll());
        QVERIFY(loaded());
        QAccessibleInterface *view = QAccessible::queryAccessibleInterface(m_window->view());
        QVERIFY(view);
        QStringList spoken;
        for (int i = 0; i < view->childCount(); ++i)
            spoken << view->child(i)->text(QAccessible::Name) + u' ' + view->child(i)->text(QAccessible::Description);
        const QString all = spoken.join(u'\n');
        QVERIFY2(all.contains(u"Message 0 to Ana Souza"), qPrintable(all)); // the customer's
        // The agent's reply says what it is and how far it got.
        const auto reply = std::find_if(
            spoken.cbegin(), spoken.cend(), [](const QString &s) { return s.contains(u"Message 1 to Ana Souza"); });
        QVERIFY2(reply != spoken.cend(), qPrintable(all));
        QVERIFY2(reply->contains(u"read", Qt::CaseInsensitive), qPrintable(*reply));
        QVERIFY2(!reply->contains(u"Message 0"), qPrintable(*reply));
    }

    void signInDialogIsNamedAndDescribed()
    {
        SignInDialog dialog(m_window.get());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QByteArray report;
        QVERIFY2(walkClean(&dialog, &report), report.constData());
    }

    void settingsDialogIsNamedAndDescribed()
    {
        TokenStore tokens(QStringLiteral("agent-console-tst-accessibility"));
        SettingsDialog dialog(&tokens, m_window.get());
        AppSettings settings;
        settings.apiUrl = m_server->baseUrl();
        settings.tenant = Tenant;
        dialog.setCurrent(settings, Token, Ids.first());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QByteArray report;
        QVERIFY2(walkClean(&dialog, &report), report.constData());
    }

    void shortcutsDialogIsNamedAndDescribed()
    {
        QVERIFY(openAll());
        m_window->showShortcutsDialog();
        auto *dialog = m_window->findChild<ShortcutsDialog *>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QByteArray report;
        QVERIFY2(walkClean(dialog, &report), report.constData());
        dialog->close();
    }

    void openConversationDialogIsNamedAndDescribed()
    {
        QVERIFY(openAll());
        m_window->showOpenConversationDialog();
        auto *dialog = m_window->findChild<QInputDialog *>(QStringLiteral("openConversationDialog"));
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QByteArray report;
        QVERIFY2(walkClean(dialog, &report), report.constData());
        dialog->close();
    }

    // Keys only: sidebar → history → reply box; Enter sends; Ctrl+Tab switches; arrows walk the rows.
    void fullKeyboardOperation()
    {
        QVERIFY(openAll());
        QVERIFY(loaded());
        ConversationSidebar *sidebar = m_window->sidebar();
        sidebar->setFocus();
        QTRY_VERIFY(sidebar->hasFocus());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(), m_window->view());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(), m_window->composer()->editor());

        MessageListModel *model = m_workspace->currentConversation()->model();
        const int before = model->rowCount();
        QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("Sent with the keyboard"));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
        QCOMPARE(model->rowCount(), before + 1);
        QCOMPARE(model->at(before).text, u"Sent with the keyboard");
        QVERIFY(m_window->composer()->editor()->toPlainText().isEmpty());
        QTRY_COMPARE(model->at(before).status, MessageStatus::Read);

        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab, Qt::ControlModifier);
        QCOMPARE(m_workspace->currentId(), Ids[1]);
        QTRY_COMPARE(QApplication::focusWidget(), m_window->composer()->editor());

        // Back to the sidebar with Shift+Tab, then the rows with the arrows.
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Backtab);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Backtab);
        QCOMPARE(QApplication::focusWidget(), sidebar);
        QTest::keyClick(sidebar, Qt::Key_Down);
        QCOMPARE(m_workspace->currentId(), Ids[2]);
        QTest::keyClick(sidebar, Qt::Key_Up);
        QTest::keyClick(sidebar, Qt::Key_Up);
        QCOMPARE(m_workspace->currentId(), Ids[0]);
        QTest::keyClick(sidebar, Qt::Key_End);
        QCOMPARE(m_workspace->currentId(), Ids[2]);
        QVERIFY(sidebar->hasFocus());
    }

    // What a reader says for each sidebar row: name, unread count, last message.
    void sidebarRowsSpeakTheirText()
    {
        QVERIFY(openAll());
        QVERIFY(loaded());
        QWidget other;
        QVERIFY(WorkspaceTestSupport::showActive(&other));
        QTRY_VERIFY(!m_workspace->isWindowActive());
        QSignalSpy inbound(m_workspace.get(), &Workspace::inboundMessage);
        m_server->injectInbound(Tenant, Ids[0], QStringLiteral("Is my order on its way?"));
        m_server->injectInbound(Tenant, Ids[0], QStringLiteral("Order 4711"));
        QTRY_COMPARE(inbound.size(), 2);

        QAccessibleInterface *list = QAccessible::queryAccessibleInterface(m_window->sidebar());
        QVERIFY(list);
        QStringList rows;
        for (int i = 0; i < list->childCount(); ++i)
            rows << list->child(i)->text(QAccessible::Name);
        const QString all = rows.join(u'\n');
        QVERIFY2(rows.contains(u"Ana Souza, 2 unread, last message: Order 4711"), qPrintable(all));
        QVERIFY2(rows.contains(u"Bruno Lima, last message: Message 2 to Bruno Lima"), qPrintable(all));
        QVERIFY2(rows.contains(u"Carla Dias, last message: Message 2 to Carla Dias"), qPrintable(all));
    }
};

QTEST_MAIN(TestAccessibility)
#include "tst_accessibility.moc"
