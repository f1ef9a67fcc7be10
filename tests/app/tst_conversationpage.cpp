// The conversation page's tools of an agent's day (issue 18), in the real window against widget-server
// in-process on 127.0.0.1:0: canned responses in the reply (completion and menu, placeholders from the
// context, a server that cannot be reached), find in the conversation (count, keys, case and accents,
// right-to-left text, marks painted in the bubbles, older pages searched with progress and Stop), the
// header with the customer and copying the phone, and the "not sent" bar leading to the first such reply.
#include "cannedcompletion.h"
#include "cannedresponses.h"
#include "cannedresponsetable.h"
#include "composer.h"
#include "consolecolours.h"
#include "conversationfind.h"
#include "conversationheader.h"
#include "conversationpage.h"
#include "conversationview.h"
#include "demoseed.h"
#include "failedrepliesbar.h"
#include "findbar.h"
#include "mainwindow.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"
#include "phonenumber.h"
#include "widgetserver.h"
#include "workspace.h"
#include "workspacetestsupport.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

static const QString Tenant = QStringLiteral("t1");
static const QString Token = QStringLiteral("page-token");

class TestConversationPage : public QObject
{
    Q_OBJECT

    std::unique_ptr<WidgetServer> m_server;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<MainWindow> m_window;

    // `texts` oldest first, one a minute, alternately the customer's and the agent's (read).
    void seed(const QString &conversation, const QString &name, const QStringList &texts)
    {
        m_server->addConversation(Tenant, conversation, name);
        const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-24 * 3600);
        for (int i = 0; i < texts.size(); ++i) {
            m_server->addHistoryMessage(Tenant, conversation,
                StoredMessage {QStringLiteral("%1-%2").arg(conversation).arg(i), i % 2 == 0, texts[i], QString(),
                    start.addSecs(i * 60), i % 2 ? QStringLiteral("read") : QString()});
        }
    }
    // The window open on `conversation`, connected, its newest page shown.
    bool open(const QString &conversation, const ConversationConfig &config)
    {
        m_workspace = std::make_unique<Workspace>(config);
        m_window = std::make_unique<MainWindow>(m_workspace.get());
        if (!WorkspaceTestSupport::showActive(m_window.get(), QSize(900, 640)))
            return false;
        m_workspace->openConversation(conversation);
        return WorkspaceTestSupport::waitConnected(*m_workspace, {conversation}, 10000);
    }
    bool open(const QString &conversation)
    {
        return open(conversation, WorkspaceTestSupport::serverConfig(*m_server, Tenant, Token));
    }
    ConversationPage *page() const { return m_window->currentPage(); }
    MessageListModel *model() const { return m_workspace->currentConversation()->model(); }
    QPlainTextEdit *editor() const { return page()->composer()->editor(); }
    FindBar *bar() const { return page()->findBar(); }
    QAction *action(const char *name) const { return m_window->findChild<QAction *>(QString::fromLatin1(name)); }
    void find(const QString &text)
    {
        action("findAction")->trigger();
        QVERIFY(bar()->isVisible());
        QCOMPARE(QApplication::focusWidget(), bar()->field());
        QSignalSpy searched(page()->find(), &ConversationFind::searched);
        QTest::keyClicks(bar()->field(), text);
        QTRY_VERIFY(!page()->find()->isSearching() && !searched.isEmpty());
    }
    // Whether `row`'s bubble is within the history's viewport.
    bool inView(int row) const
    {
        ConversationView *view = page()->view();
        return view->viewport()->rect().intersects(view->visualRect(model()->index(row)));
    }
    // How many pixels of the view show `colour`: the find marks are painted in colours of their own.
    int pixelsOf(const QColor &colour) const
    {
        const QImage image = page()->view()->viewport()->grab().toImage();
        int count = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x)
                count += image.pixelColor(x, y).rgb() == colour.rgb() ? 1 : 0;
        }
        return count;
    }

private slots:
    void init()
    {
        QVERIFY(WorkspaceTestSupport::startServer(m_server, Token));
        m_server->cannedResponses()->setForTenant(Tenant,
            {{u"1"_qs, u"hello"_qs, u"Hi {{customer.name}}, how can I help?"_qs},
                {u"2"_qs, u"callback"_qs, u"We will call you back on {{customer.phone}}."_qs},
                {u"3"_qs, u"order"_qs, u"Your order {{order.id}} has shipped."_qs}});
    }
    void cleanup()
    {
        m_window.reset();
        m_workspace.reset();
        m_server.reset();
    }

    // "/" in the reply, then Tab: the response with the customer's name and phone from the context.
    void completionInsertsWithTheContextsValues()
    {
        seed(u"c1"_qs, u"Ana Souza"_qs, {u"Hello?"_qs});
        QVERIFY(open(u"c1"_qs));
        CannedResponses *canned = m_workspace->cannedResponses();
        QTRY_COMPARE(canned->list().state, CannedList::State::Ready);
        const QString phone = PhoneNumber::international(m_workspace->currentConversation()->context().waId);
        QVERIFY(phone.startsWith(u"+49 15"));
        page()->focusComposer();
        const int rows = model()->rowCount();
        QTest::keyClicks(editor(), u"/call"_qs);
        QVERIFY(page()->completion()->isOpen());
        QCOMPARE(page()->completion()->shownCodes(), QStringList {u"callback"_qs});
        QTest::keyClick(editor(), Qt::Key_Tab);
        QCOMPARE(editor()->toPlainText(), u"We will call you back on %1."_qs.arg(phone));
        QCOMPARE(model()->rowCount(), rows); // nothing sent
        editor()->clear();
        QTest::keyClicks(editor(), u"/"_qs);
        QTest::keyClick(editor(), Qt::Key_Return);
        QCOMPARE(editor()->toPlainText(), u"Hi Ana Souza, how can I help?"_qs);
        // A placeholder the console does not know stays for the agent to fill.
        editor()->clear();
        QTest::keyClicks(editor(), u"/order"_qs);
        QTest::keyClick(editor(), Qt::Key_Enter);
        QCOMPARE(editor()->toPlainText(), u"Your order {{order.id}} has shipped."_qs);
        QCOMPARE(model()->rowCount(), rows);
    }

    // Message → Canned responses lists them; choosing one inserts it at the cursor; Reload loads again.
    void theMenuListsTheResponses()
    {
        seed(u"c1"_qs, u"Ana Souza"_qs, {u"Hello?"_qs});
        QVERIFY(open(u"c1"_qs));
        QTRY_COMPARE(m_workspace->cannedResponses()->list().state, CannedList::State::Ready);
        auto *menu = m_window->findChild<QMenu *>(u"cannedMenu"_qs);
        QVERIFY(menu);
        emit menu->aboutToShow();
        QStringList texts;
        for (QAction *a : menu->actions())
            texts << a->text();
        QVERIFY2(texts.contains(u"/hello — Hi {{customer.name}}, how can I help?"_qs), qPrintable(texts.join(u'|')));
        QTest::keyClicks(editor(), u"Dear customer: "_qs);
        menu->actions().first()->trigger();
        QCOMPARE(editor()->toPlainText(), u"Dear customer: Hi Ana Souza, how can I help?"_qs);

        m_server->cannedResponses()->setForTenant(Tenant, {{u"9"_qs, u"new"_qs, u"A new one"_qs}});
        QSignalSpy changed(m_workspace->cannedResponses(), &CannedResponses::changed);
        menu->findChild<QAction *>(u"reloadCannedAction"_qs)->trigger();
        QVERIFY(changed.wait(5000));
        editor()->clear();
        QTest::keyClicks(editor(), u"/"_qs);
        QCOMPARE(page()->completion()->shownCodes(), QStringList {u"new"_qs});
    }

    // No server at all: the completion says the list could not load; the composer still takes a reply.
    void completionWhenTheServerCannotBeReached()
    {
        ConversationConfig nowhere = WorkspaceTestSupport::serverConfig(*m_server, Tenant, Token);
        m_server.reset(); // its port is closed now
        m_workspace = std::make_unique<Workspace>(nowhere);
        m_window = std::make_unique<MainWindow>(m_workspace.get());
        QVERIFY(WorkspaceTestSupport::showActive(m_window.get(), QSize(900, 640)));
        m_workspace->openConversation(u"c1"_qs);
        QTRY_COMPARE_WITH_TIMEOUT(m_workspace->cannedResponses()->list().state, CannedList::State::Failed, 10000);
        page()->focusComposer();
        QTest::keyClicks(editor(), u"/"_qs);
        QVERIFY(page()->completion()->isOpen());
        QVERIFY2(page()->completion()->message()->text().startsWith(
                     u"Canned responses could not be loaded: Cannot reach the server"),
            qPrintable(page()->completion()->message()->text()));
        QVERIFY(page()->completion()->reloadButton()->isVisible());
        QTest::keyClick(editor(), Qt::Key_Escape);
        editor()->clear();
        QTest::keyClicks(editor(), u"I will be right back"_qs);
        QTest::keyClick(editor(), Qt::Key_Return);
        QCOMPARE(model()->rowCount(), 1); // the reply waits in the outbox for the conversation to open
        QCOMPARE(model()->at(0).text, u"I will be right back");
    }

    // Ctrl+F, a word: every loaded match counted, newest first, and the keys walk them.
    void findCountsAndWalksTheMatches()
    {
        QStringList texts;
        for (int i = 0; i < 18; ++i)
            texts << (i % 3 == 0 ? u"Invoice %1 is attached"_qs.arg(i) : u"Message %1"_qs.arg(i));
        texts << u"The INVOICE and the invoice copy"_qs << u"Thanks"_qs;
        seed(u"c1"_qs, u"Ana Souza"_qs, texts);
        QVERIFY(open(u"c1"_qs));
        QTRY_COMPARE(model()->rowCount(), 20);
        find(u"invoice"_qs);
        QCOMPARE(page()->find()->matchCount(), 8); // six messages, one of them twice
        QCOMPARE(bar()->countText(), u"1 of 8"_qs);
        QCOMPARE(page()->find()->currentMatchIndex().row(), 18); // the newest
        QTest::keyClick(bar()->field(), Qt::Key_Return);
        QCOMPARE(bar()->countText(), u"2 of 8"_qs);
        QCOMPARE(page()->find()->currentMatchIndex().row(), 18); // the same message's other match
        QTest::keyClick(bar()->field(), Qt::Key_F3);
        QCOMPARE(bar()->countText(), u"3 of 8"_qs);
        QCOMPARE(page()->find()->currentMatchIndex().row(), 15);
        QVERIFY(inView(15));
        QCOMPARE(page()->view()->currentIndex().row(), 15);
        QTest::keyClick(bar()->field(), Qt::Key_Return, Qt::ShiftModifier);
        QCOMPARE(bar()->countText(), u"2 of 8"_qs);
        QTest::keyClick(bar()->field(), Qt::Key_F3, Qt::ShiftModifier);
        QTest::keyClick(bar()->field(), Qt::Key_F3, Qt::ShiftModifier); // wraps to the oldest
        QCOMPARE(bar()->countText(), u"8 of 8"_qs);
        QCOMPARE(page()->find()->currentMatchIndex().row(), 0);
        QVERIFY(inView(0));
        // Nothing: said so.
        bar()->field()->clear();
        QTest::keyClicks(bar()->field(), u"zebra"_qs);
        QTRY_COMPARE(bar()->countText(), u"No matches"_qs);
        // Escape closes and gives the reply box the keyboard back.
        QTest::keyClick(bar()->field(), Qt::Key_Escape);
        QVERIFY(bar()->isHidden());
        QCOMPARE(QApplication::focusWidget(), editor());
    }

    // Case and accents ignored, and right-to-left text; the marks are painted in the bubbles.
    void findIgnoresCaseAndAccentsAndReadsArabic()
    {
        seed(u"c1"_qs, u"Ana Souza"_qs, {u"Le CAFÉ est prêt"_qs, u"مَرْحَبًا، أين طلبي؟"_qs, u"Merci"_qs, u"Noted"_qs});
        QVERIFY(open(u"c1"_qs));
        QTRY_COMPARE(model()->rowCount(), 4);
        const ConsoleColours::Bubble colours = ConsoleColours::Bubble::fromPalette(page()->view()->palette());
        QCOMPARE(pixelsOf(colours.findCurrent), 0);
        find(u"cafe"_qs);
        QCOMPARE(page()->find()->matchCount(), 1);
        QCOMPARE(page()->find()->currentMatchIndex().row(), 0);
        QTRY_VERIFY(pixelsOf(colours.findCurrent) > 20);

        // Arabic, its harakat ignored (QTest types Latin-1 only: Arabic comes as an input method commits it).
        bar()->field()->clear();
        bar()->field()->insert(u"مرحبا"_qs);
        QTRY_VERIFY(!page()->find()->isSearching());
        QTRY_COMPARE(page()->find()->matchCount(), 1);
        const QModelIndex arabic = page()->find()->currentMatchIndex();
        QCOMPARE(arabic.row(), 1);
        // The mark lies where a right-to-left text starts: the right half of its bubble.
        ConversationView *view = page()->view();
        const QRect bubble = view->messageDelegate()->bubbleRect(view->itemOption(arabic), arabic);
        QTRY_VERIFY(pixelsOf(colours.findCurrent) > 20);
        const QImage image = view->viewport()->grab().toImage();
        int right = 0;
        int left = 0;
        for (int y = bubble.top(); y <= bubble.bottom(); ++y) {
            for (int x = bubble.left(); x <= bubble.right(); ++x) {
                if (image.pixelColor(x, y).rgb() == colours.findCurrent.rgb())
                    (x > bubble.center().x() ? right : left) += 1;
            }
        }
        QVERIFY2(right > 20 && left == 0, qPrintable(u"right %1, left %2"_qs.arg(right).arg(left)));
        action("findAction")->trigger(); // Ctrl+F again: the field, its text selected to type anew
        QCOMPARE(bar()->field()->selectedText(), bar()->field()->text());
        QTest::keyClick(bar()->field(), Qt::Key_Escape);
        QTRY_COMPARE(pixelsOf(colours.findCurrent), 0);
    }

    // A word only in older pages: "Search older messages" loads page after page until it is found.
    void searchOlderMessagesFindsOnesNotLoaded()
    {
        QStringList texts;
        for (int i = 0; i < 90; ++i)
            texts << (i == 7 ? u"Here is the tracking number: TRK-991"_qs : u"Message %1"_qs.arg(i));
        seed(u"c1"_qs, u"Ana Souza"_qs, texts);
        QVERIFY(open(u"c1"_qs));
        QTRY_COMPARE(model()->rowCount(), 20);
        find(u"trk-991"_qs);
        QCOMPARE(bar()->countText(), u"No matches"_qs);
        QVERIFY(bar()->olderButton()->isVisible());
        QSignalSpy older(m_workspace->currentConversation(), &Conversation::olderLoaded);
        QTest::mouseClick(bar()->olderButton(), Qt::LeftButton);
        QVERIFY(page()->find()->isSearchingOlder());
        QVERIFY(bar()->stopButton()->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(!page()->find()->isSearchingOlder(), 10000);
        QTRY_COMPARE(page()->find()->matchCount(), 1);
        QCOMPARE(bar()->countText(), u"1 of 1"_qs);
        QVERIFY(older.size() >= 3); // page after page: 70 older messages to go through
        QCOMPARE(page()->find()->currentMatchIndex().data(MessageListModel::TextRole).toString(), texts[7]);
        QVERIFY(inView(page()->find()->currentMatchIndex().row()));
        QVERIFY(bar()->stopButton()->isHidden());
    }

    // Nothing anywhere: it goes back to the start and says so; Stop ends a search on its way.
    void searchOlderMessagesStopsAtTheStartOrWhenAsked()
    {
        QStringList texts;
        for (int i = 0; i < 70; ++i)
            texts << u"Message %1"_qs.arg(i);
        seed(u"c1"_qs, u"Ana Souza"_qs, texts);
        QVERIFY(open(u"c1"_qs));
        QTRY_COMPARE(model()->rowCount(), 20);
        find(u"zebra"_qs);
        QSignalSpy older(m_workspace->currentConversation(), &Conversation::olderLoaded);
        QTest::mouseClick(bar()->olderButton(), Qt::LeftButton);
        QVERIFY(older.wait(5000));
        QTest::mouseClick(bar()->stopButton(), Qt::LeftButton);
        QVERIFY(!page()->find()->isSearchingOlder());
        const int rows = model()->rowCount();
        QVERIFY(rows < 70);
        QVERIFY(bar()->olderButton()->isVisible());

        QTest::mouseClick(bar()->olderButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!page()->find()->isSearchingOlder(), 10000);
        QCOMPARE(model()->rowCount(), 70);
        QCOMPARE(bar()->noteText(), u"Reached the start of the conversation: no older message matches."_qs);
        QVERIFY(bar()->olderButton()->isHidden());
        QCOMPARE(bar()->countText(), u"No matches"_qs);
    }

    // The header: who, which number, through what, and whether the link is live; a click copies the number.
    void headerShowsTheCustomerAndCopiesThePhone()
    {
        seed(u"c1"_qs, u"Ana Souza"_qs, {u"Hello?"_qs});
        QVERIFY(open(u"c1"_qs));
        ConversationHeader *header = page()->header();
        const QString phone = PhoneNumber::international(m_workspace->currentConversation()->context().waId);
        QTRY_COMPARE(header->name(), u"Ana Souza"_qs);
        QCOMPARE(header->phone(), phone);
        const QString shown = u'\u2066' + phone + u'\u2069'; // isolated left to right, in an Arabic window too
        QCOMPARE(header->phoneButton()->text(), shown);
        QCOMPARE(header->integration(), u"via demo-integration"_qs);
        QTRY_COMPARE(header->connectionText(), u"● Live"_qs);
        QVERIFY(header->isVisible());

        QSignalSpy copied(header, &ConversationHeader::phoneCopied);
        QTest::mouseClick(header->phoneButton(), Qt::LeftButton);
        QCOMPARE(copied.size(), 1);
        QCOMPARE(QGuiApplication::clipboard()->text(), QString(phone).remove(u' '));
        QCOMPARE(header->phoneButton()->text(), u"Copied"_qs);
        QTRY_COMPARE_WITH_TIMEOUT(header->phoneButton()->text(), shown, 5000);

        m_server->disconnectAllSockets(); // for good: no reconnect
        QTRY_COMPARE(header->connectionText(), u"● Offline"_qs);
    }

    // The demo's first start: "1 reply not sent" with the failed reply above the screen; a click on
    // the count goes to it and selects it.
    void theNotSentBarLeadsToTheFirstSuchReply()
    {
        seedDemoConversation(*m_server, Tenant, u"demo"_qs);
        QVERIFY(open(u"demo"_qs));
        FailedRepliesBar *bar = page()->failedBar();
        QTRY_VERIFY(bar->isVisible());
        QCOMPARE(bar->text(), FailedRepliesBar::tr("%n replies not sent", nullptr, 1));
        QTRY_VERIFY(page()->view()->verticalScrollBar()->maximum() > 0);
        const QStringList unsent = model()->unsentIds();
        QCOMPARE(unsent.size(), 1);
        const int row = model()->rowOf(unsent.first());
        QVERIFY(!inView(row)); // what the agent saw: the count, and no failed reply
        QTest::mouseClick(bar->showFirstButton(), Qt::LeftButton);
        QVERIFY(inView(row));
        QCOMPARE(page()->view()->currentIndex().row(), row);
        QVERIFY(page()->view()->selectionModel()->isSelected(model()->index(row)));
        QCOMPARE(QApplication::focusWidget(), page()->view()); // Ctrl+R retries it from here
        QCOMPARE(model()->at(row).status, MessageStatus::Failed);
    }
};

QTEST_MAIN(TestConversationPage)
#include "tst_conversationpage.moc"
