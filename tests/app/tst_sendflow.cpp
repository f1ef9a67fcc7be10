// The send flow end to end: the real window, workspace and controller against widget-server in-process
// on 127.0.0.1:0. Types in the composer, presses Enter and follows the bubble through its states.
#include "composer.h"
#include "connectionbanner.h"
#include "conversation.h"
#include "conversationview.h"
#include "failedrepliesbar.h"
#include "mainwindow.h"
#include "retryschedule.h"
#include "simulatedupstream.h"
#include "socketioclient.h"
#include "widgetapiclient.h"
#include "widgetserver.h"
#include "workspace.h"

#include <QAction>
#include <QMenu>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSignalSpy>
#include <QToolButton>
#include <QTest>

static const QString Tenant = QStringLiteral("t1");
static const QString ConversationId = QStringLiteral("c1");

class TestSendFlow : public QObject
{
    Q_OBJECT

    std::unique_ptr<WidgetServer> m_server;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<MainWindow> m_window;
    Conversation *m_conversation = nullptr; // the conversation's, owned by the workspace
    QList<MessageStatus> m_statusesOfLast;

    ConversationConfig config(const QString &token = QStringLiteral("e2e-token")) const
    {
        ConversationConfig c;
        c.baseUrl = m_server->baseUrl();
        c.tenant = Tenant;
        c.conversation = ConversationId;
        c.token = token;
        return c;
    }
    MessageListModel *model() const { return m_conversation->model(); }
    Message last() const { return model()->at(model()->rowCount() - 1); }
    // A window over a workspace whose conversations use `token`.
    void makeWindow(const QString &token = QStringLiteral("e2e-token"))
    {
        m_window.reset();
        m_workspace = std::make_unique<Workspace>(config(token));
        m_window = std::make_unique<MainWindow>(m_workspace.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }
    // Opens the conversation as the agent would (it starts loading at once).
    void openConversation()
    {
        m_workspace->openConversation(ConversationId);
        m_conversation = m_workspace->conversation(ConversationId);
    }
    bool open()
    {
        openConversation();
        QSignalSpy connected(m_conversation, &Conversation::connected);
        return connected.wait(5000);
    }
    void type(const QString &text)
    {
        QPlainTextEdit *editor = m_window->composer()->editor();
        QTest::keyClicks(editor, text);
        QTest::keyClick(editor, Qt::Key_Return);
    }
    int rowOf(const QString &id) const { return model()->rowOf(id); }

private slots:
    void init()
    {
        m_server = std::make_unique<WidgetServer>();
        m_server->setToken(QStringLiteral("e2e-token"));
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
        m_server->addConversation(Tenant, ConversationId, QStringLiteral("Ana Customer"));
        m_server->upstream()->setDelays(0, 400, 800); // delivered never overtakes the POST answer
        makeWindow();
    }
    void cleanup()
    {
        m_window.reset();
        m_workspace.reset();
        m_conversation = nullptr;
        m_server.reset();
    }

    void composerHasFocusOnStart()
    {
        openConversation();
        m_window->activateWindow();
        QTRY_VERIFY(m_window->composer()->editor()->hasFocus());
    }

    void replyGoesPendingSentDeliveredRead()
    {
        QVERIFY(open());
        QCOMPARE(m_window->windowTitle(), u"Ana Customer — Agent Console");
        QList<MessageStatus> seen;
        connect(model(), &QAbstractItemModel::dataChanged, this, [&](const QModelIndex &index) {
            // The states the bubble goes through; a change of another role repeats the state it is in.
            if (index.row() == model()->rowCount() - 1 && (seen.isEmpty() || seen.constLast() != last().status))
                seen.append(last().status);
        });
        type(QStringLiteral("Hello <b>there</b>"));
        // The bubble is there at once, before any network round trip.
        QCOMPARE(model()->rowCount(), 1);
        QCOMPARE(last().status, MessageStatus::Pending);
        QCOMPARE(last().text, u"Hello <b>there</b>");
        QVERIFY(QRegularExpression(QStringLiteral("^msg_\\d{13}_[0-9a-f]{8}$")).match(last().id).hasMatch());
        QVERIFY(m_window->composer()->editor()->toPlainText().isEmpty());
        QTRY_COMPARE(last().status, MessageStatus::Read);
        QCOMPARE(seen, (QList<MessageStatus>{MessageStatus::Sent, MessageStatus::Delivered, MessageStatus::Read}));
        QCOMPARE(m_server->acceptedMessageIds(Tenant, ConversationId), QStringList{last().id});
    }

    void whitespaceIsNotSent()
    {
        QVERIFY(open());
        type(QStringLiteral("   "));
        QCOMPARE(model()->rowCount(), 0);
        QCOMPARE(m_server->sendRequestCount(), 0);
    }

    void serverAssignedIdAliasesTheBubble()
    {
        m_server->upstream()->setAssignIds(true);
        QVERIFY(open());
        // The POST's answer, read where it arrives: the console itself never reaches inside.
        QSignalSpy accepted(m_conversation->findChild<WidgetApiClient *>(), &WidgetApiClient::sendAccepted);
        type(QStringLiteral("aliased"));
        QTRY_COMPARE(last().status, MessageStatus::Read); // statuses arrive under the upstream's id
        QCOMPARE(model()->rowCount(), 1);
        QCOMPARE(accepted.size(), 1);
        QCOMPARE(accepted.first().at(0).toString(), last().id);
        const QString upstreamId = accepted.first().at(1).toString();
        QVERIFY(upstreamId.startsWith(u"wamid."));
        QCOMPARE(rowOf(upstreamId), 0);
    }

    void failedReplyBlocksLaterOnesUntilRetried()
    {
        QVERIFY(open());
        m_server->upstream()->setDown(true);
        type(QStringLiteral("first"));
        const QString first = last().id;
        QTRY_COMPARE(model()->at(rowOf(first)).status, MessageStatus::Failed);
        QCOMPARE(model()->at(rowOf(first)).error, u"Upstream unavailable");
        QCOMPARE(m_server->sendRequestCount(), 4); // one attempt + three automatic retries

        type(QStringLiteral("second"));
        const QString second = last().id;
        QCOMPARE(model()->at(rowOf(second)).status, MessageStatus::Pending);
        QVERIFY(model()->at(rowOf(second)).queued); // shown as waiting, not silently sent ahead
        QCOMPARE(m_server->sendRequestCount(), 4);

        m_server->upstream()->setDown(false);
        // Retry through the bubble's context menu, as the agent would.
        std::unique_ptr<QMenu> menu(m_window->createContextMenu(model()->indexOf(first), m_window.get()));
        auto *retry = menu->findChild<QAction *>(QStringLiteral("retryAction"));
        QVERIFY(retry);
        QVERIFY(menu->findChild<QAction *>(QStringLiteral("discardAction")));
        retry->trigger();
        QCOMPARE(model()->at(rowOf(first)).status, MessageStatus::Pending);
        QTRY_COMPARE(model()->at(rowOf(second)).status, MessageStatus::Read);
        QTRY_COMPARE(model()->at(rowOf(first)).status, MessageStatus::Read);
        QVERIFY(!model()->at(rowOf(second)).queued);
        QCOMPARE(m_server->acceptedMessageIds(Tenant, ConversationId), (QStringList{first, second}));
    }

    void discardLetsTheNextReplyGo()
    {
        QVERIFY(open());
        m_server->upstream()->failNext(4, 500);
        type(QStringLiteral("doomed"));
        const QString doomed = last().id;
        QTRY_COMPARE(model()->at(rowOf(doomed)).status, MessageStatus::Failed);
        type(QStringLiteral("next"));
        const QString next = last().id;
        std::unique_ptr<QMenu> menu(m_window->createContextMenu(model()->indexOf(doomed), m_window.get()));
        menu->findChild<QAction *>(QStringLiteral("discardAction"))->trigger();
        QCOMPARE(rowOf(doomed), -1);
        QTRY_COMPARE(model()->at(rowOf(next)).status, MessageStatus::Read);
        QCOMPARE(m_server->acceptedMessageIds(Tenant, ConversationId), QStringList{next});
    }

    void retryAllSendsEverythingNotSentInOrder()
    {
        QVERIFY(open());
        m_server->upstream()->setDown(true);
        type(QStringLiteral("one"));
        QTRY_COMPARE(last().status, MessageStatus::Failed);
        type(QStringLiteral("two"));
        type(QStringLiteral("three"));
        FailedRepliesBar *bar = m_window->failedBar();
        QTRY_VERIFY(bar->isVisible());
        QCOMPARE(bar->text(), u"3 replies not sent");

        // Back from the outage: the bar says so, and one click sends all three in order.
        m_server->upstream()->setDown(false);
        QSignalSpy reconnected(m_conversation, &Conversation::connected);
        m_server->dropAllSockets();
        QVERIFY(reconnected.wait(5000));
        QCOMPARE(bar->text(), u"Connection is back · 3 replies not sent");
        bar->retryAllButton()->click();
        QTRY_COMPARE(m_server->acceptedMessageIds(Tenant, ConversationId).size(), 3);
        QStringList texts;
        for (const QString &id : m_server->acceptedMessageIds(Tenant, ConversationId))
            texts.append(model()->at(rowOf(id)).text);
        QCOMPARE(texts, (QStringList{QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three")}));
        QTRY_VERIFY(bar->isHidden());
    }

    void discardAllDropsEverythingNotSent()
    {
        QVERIFY(open());
        m_server->upstream()->setDown(true);
        type(QStringLiteral("one"));
        QTRY_COMPARE(last().status, MessageStatus::Failed);
        type(QStringLiteral("two"));
        QTRY_COMPARE(m_window->failedBar()->unsentCount(), 2);
        m_server->upstream()->setDown(false);
        m_window->failedBar()->discardAllButton()->click();
        QCOMPARE(model()->rowCount(), 0);
        QVERIFY(m_window->failedBar()->isHidden());
        QVERIFY(m_conversation->outbox().isEmpty());
        QCOMPARE(m_server->acceptedMessageIds(Tenant, ConversationId), QStringList());
    }

    void clientErrorFailsAtOnce()
    {
        QVERIFY(open());
        m_server->upstream()->failNext(1, 422);
        type(QStringLiteral("rejected"));
        QTRY_COMPARE(last().status, MessageStatus::Failed);
        QCOMPARE(m_server->sendRequestCount(), 1);
    }

    void copyTextIsOfferedForEveryBubble()
    {
        QVERIFY(open());
        type(QStringLiteral("copy me"));
        std::unique_ptr<QMenu> menu(m_window->createContextMenu(model()->index(0), m_window.get()));
        QVERIFY(menu->findChild<QAction *>(QStringLiteral("copyAction")));
        QVERIFY(!menu->findChild<QAction *>(QStringLiteral("retryAction")));
    }

    void inboundMessagesAppearLive()
    {
        QVERIFY(open());
        m_server->injectInbound(Tenant, ConversationId, QStringLiteral("Where is my order?"));
        QTRY_COMPARE(model()->rowCount(), 1);
        QCOMPARE(last().direction, Direction::Inbound);
        QCOMPARE(last().text, u"Where is my order?");
    }

    void statusMissedWhileOfflineIsRecoveredFromHistory()
    {
        m_server->upstream()->setProgressEnabled(false);
        QVERIFY(open());
        type(QStringLiteral("while offline"));
        QTRY_COMPARE(last().status, MessageStatus::Sent);
        const QString id = last().id;
        QSignalSpy reconnected(m_conversation, &Conversation::connected);
        m_server->dropAllSockets();
        m_server->emitStatus(Tenant, ConversationId, id, QStringLiteral("read")); // nobody is listening
        QVERIFY(reconnected.wait(5000));
        QTRY_COMPARE(model()->at(rowOf(id)).status, MessageStatus::Read);
    }

    void sendingWorksWhileTheSocketIsDown()
    {
        QVERIFY(open());
        m_server->disconnectAllSockets(); // no auto-reconnect after a server disconnect
        QTRY_COMPARE(m_conversation->connectionState(), SocketIoClient::State::Disconnected);
        QVERIFY(m_window->banner()->text().contains(u"Disconnected"));
        type(QStringLiteral("over REST"));
        QTRY_COMPARE(last().status, MessageStatus::Sent);
    }

    void olderPagesLoadOnDemand()
    {
        const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-3600);
        for (int i = 0; i < 45; ++i) {
            m_server->addHistoryMessage(Tenant, ConversationId,
                                        StoredMessage{QStringLiteral("h%1").arg(i), i % 2 == 0, QStringLiteral("m%1").arg(i),
                                                      QString(), start.addSecs(i), i % 2 ? QStringLiteral("read") : QString()});
        }
        QVERIFY(open());
        QCOMPARE(model()->rowCount(), 20);
        QCOMPARE(model()->at(0).id, u"h25");
        QSignalSpy older(m_conversation, &Conversation::olderLoaded);
        m_conversation->loadOlder();
        QVERIFY(older.wait());
        QCOMPARE(model()->rowCount(), 40);
        QCOMPARE(model()->at(0).id, u"h5");
        m_conversation->loadOlder();
        QVERIFY(older.wait());
        QCOMPARE(model()->rowCount(), 45);
        QCOMPARE(model()->at(0).id, u"h0");
        QVERIFY(!m_conversation->hasOlder());
        for (int i = 0; i < 45; ++i)
            QCOMPARE(model()->at(i).id, QStringLiteral("h%1").arg(i));
    }

    void scrollingToTheTopLoadsOlderMessagesWithoutAJump()
    {
        const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-3600);
        for (int i = 0; i < 60; ++i) {
            m_server->addHistoryMessage(Tenant, ConversationId,
                                        StoredMessage{QStringLiteral("h%1").arg(i), i % 2 == 0,
                                                      QStringLiteral("message %1 with enough words to wrap a little").arg(i),
                                                      QString(), start.addSecs(i), i % 2 ? QStringLiteral("read") : QString()});
        }
        m_window->resize(520, 600);
        QVERIFY(open());
        ConversationView *view = m_window->view();
        QTRY_VERIFY(view->verticalScrollBar()->maximum() > 0);
        QCOMPARE(model()->rowCount(), 20);
        QSignalSpy older(m_conversation, &Conversation::olderLoaded);
        view->verticalScrollBar()->setValue(0); // the agent scrolls to the top
        const QModelIndex anchor = view->indexAt(QPoint(10, 20));
        QVERIFY(anchor.isValid());
        const QString anchorId = anchor.data(MessageListModel::IdRole).toString();
        const int anchorTop = view->visualRect(anchor).top();
        QVERIFY(older.wait());
        QCOMPARE(model()->rowCount(), 40);
        // The message that was under the cursor stays where it was on screen.
        QTRY_COMPARE(view->visualRect(model()->indexOf(anchorId)).top(), anchorTop);
    }

    void shortFirstPageLoadsMoreUntilTheViewCanScroll()
    {
        const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-3600);
        for (int i = 0; i < 30; ++i)
            m_server->addHistoryMessage(Tenant, ConversationId,
                                        StoredMessage{QStringLiteral("s%1").arg(i), true, QStringLiteral("ok"), QString(),
                                                      start.addSecs(i), QString()});
        m_window->resize(520, 1400);
        QVERIFY(open());
        QTRY_COMPARE(model()->rowCount(), 30);
        QVERIFY(!m_conversation->hasOlder());
    }

    void wrongTokenIsShownInTheWindow()
    {
        makeWindow(QStringLiteral("wrong"));
        openConversation();
        QSignalSpy failed(m_conversation, &Conversation::openFailed);
        QVERIFY(failed.wait());
        QVERIFY(m_window->banner()->text().contains(u"Cannot open the conversation"));
        QVERIFY(m_window->banner()->isVisible());
    }

    // A deploy or an outage at start: the console says so and when it tries again, and opens by itself
    // once the backend is back; a reply typed meanwhile waits and then leaves.
    void unreachableBackendIsRetriedUntilItOpens()
    {
        const quint16 port = m_server->port();
        m_server.reset();
        openConversation();
        m_conversation->setRandomSource([] { return 0.0; }); // shortest delays: 0.5 s, 1 s, 2 s, 2.5 s
        QSignalSpy retrying(m_conversation, &Conversation::openRetrying);
        QSignalSpy failed(m_conversation, &Conversation::openFailed);
        QTRY_VERIFY_WITH_TIMEOUT(retrying.size() >= 2, 10000);
        QCOMPARE(failed.size(), 0);
        QVERIFY(retrying.first().at(0).toString().contains(u"Cannot reach the server"));
        QCOMPARE(retrying.at(1).at(1).toInt(), RetrySchedule::reconnectDelayMs(1, 0.0));
        QTRY_VERIFY(m_window->banner()->text().contains(u"trying again in"));
        QVERIFY(m_window->banner()->text().contains(u"Cannot reach the server"));
        auto *tryNow = m_window->banner()->findChild<QToolButton *>();
        QVERIFY(tryNow && tryNow->isVisible());
        QCOMPARE(tryNow->text(), u"Try now");
        type(QStringLiteral("typed while the backend was away"));
        QCOMPARE(last().status, MessageStatus::Pending);

        // The backend comes back: the next try opens it, no click needed.
        m_server = std::make_unique<WidgetServer>();
        m_server->setToken(QStringLiteral("e2e-token"));
        QVERIFY(m_server->listen(QHostAddress::LocalHost, port));
        m_server->addConversation(Tenant, ConversationId, QStringLiteral("Ana Customer"));
        QSignalSpy opened(m_conversation, &Conversation::opened);
        QVERIFY(opened.wait(10000));
        QTRY_COMPARE(m_server->acceptedMessageIds(Tenant, ConversationId), QStringList {last().id});
        QCOMPARE(failed.size(), 0);
    }

    // "Try now" skips the wait; after a final refusal (4xx) the button says "Try again".
    void tryNowOpensWithoutWaiting()
    {
        const quint16 port = m_server->port();
        m_server.reset();
        openConversation();
        m_conversation->setRandomSource([] { return 0.999; }); // longest delays: 1.5 s, 3 s, 6 s
        QSignalSpy retrying(m_conversation, &Conversation::openRetrying);
        QTRY_VERIFY_WITH_TIMEOUT(retrying.size() >= 3, 15000); // the next try is about 6 s away
        m_server = std::make_unique<WidgetServer>();
        m_server->setToken(QStringLiteral("e2e-token"));
        QVERIFY(m_server->listen(QHostAddress::LocalHost, port));
        m_server->addConversation(Tenant, ConversationId, QStringLiteral("Ana Customer"));
        QSignalSpy opened(m_conversation, &Conversation::opened);
        auto *tryNow = m_window->banner()->findChild<QToolButton *>();
        QCOMPARE(tryNow->text(), u"Try now");
        tryNow->click();
        QVERIFY(opened.wait(4000)); // sooner than the scheduled try: the button's doing
    }

    void reconnectNowAfterAServerDisconnect()
    {
        QVERIFY(open());
        m_server->disconnectAllSockets(); // no automatic reconnect after this
        QTRY_COMPARE(m_conversation->connectionState(), SocketIoClient::State::Disconnected);
        auto *button = m_window->banner()->findChild<QToolButton *>();
        QVERIFY(button && button->isVisible());
        QCOMPARE(button->text(), u"Reconnect now");
        QSignalSpy connected(m_conversation, &Conversation::connected);
        button->click();
        QVERIFY(connected.wait(5000));
    }

    void reconnectNowSkipsTheBackoff()
    {
        QVERIFY(open());
        m_conversation->setRandomSource([] { return 0.999; }); // longest delays: 1.5 s, 3 s, 6 s
        QSignalSpy scheduled(m_conversation, &Conversation::reconnectScheduled);
        QSignalSpy connected(m_conversation, &Conversation::connected);
        const quint16 port = m_server->port();
        m_server.reset(); // the backend goes away: reconnects fail and back off
        QTRY_VERIFY_WITH_TIMEOUT(scheduled.size() >= 3, 10000);
        QCOMPARE(scheduled.last().at(0).toInt(), RetrySchedule::reconnectDelayMs(2, 0.999)); // about 6 s
        QVERIFY(m_window->banner()->text().startsWith(u"Reconnecting in "));
        m_server = std::make_unique<WidgetServer>();
        m_server->setToken(QStringLiteral("e2e-token"));
        QVERIFY(m_server->listen(QHostAddress::LocalHost, port));
        m_server->addConversation(Tenant, ConversationId, QStringLiteral("Ana Customer"));
        auto *button = m_window->banner()->findChild<QToolButton *>();
        QVERIFY(button && button->isVisible());
        QCOMPARE(button->text(), u"Reconnect now");
        button->click();
        // The scheduled attempt is 6 s away: connecting within 4 s is the button's doing.
        QVERIFY(connected.wait(4000));
    }
};

QTEST_MAIN(TestSendFlow)
#include "tst_sendflow.moc"
