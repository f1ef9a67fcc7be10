// Workspace against widget-server in-process on 127.0.0.1:0: several conversations open at once, the
// current one, unread counts for live messages the agent has not seen, and the open list kept in
// QSettings across a restart.
#include "cannedresponses.h"
#include "cannedresponsetable.h"
#include "conversationlistmodel.h"
#include "outboxstore.h"
#include "simulatedupstream.h"
#include "socketioclient.h"
#include "widgetserver.h"
#include "workspace.h"
#include "workspacetestsupport.h"

#include <QPointer>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

static const QString Tenant = QStringLiteral("t1");
static const QString Token = QStringLiteral("ws-token");

class TestWorkspace : public QObject
{
    Q_OBJECT

    std::unique_ptr<WidgetServer> m_server;

    ConversationConfig base() const { return WorkspaceTestSupport::serverConfig(*m_server, Tenant, Token); }
    // Opens each and waits until every socket is connected (the conversation is fully open).
    static bool openAll(Workspace &workspace, const QStringList &ids)
    {
        for (const QString &id : ids)
            workspace.openConversation(id);
        return WorkspaceTestSupport::waitConnected(workspace, ids);
    }
    static int unreadRole(const Workspace &workspace, const QString &id)
    {
        return workspace.model()->indexOf(id).data(ConversationListModel::UnreadCountRole).toInt();
    }

private slots:
    void init()
    {
        QVERIFY(WorkspaceTestSupport::startServer(m_server, Token));
        m_server->addConversation(Tenant, QStringLiteral("a"), QStringLiteral("Ana Souza"));
        m_server->addConversation(Tenant, QStringLiteral("b"), QStringLiteral("Bruno Lima"));
        m_server->addConversation(Tenant, QStringLiteral("c"), QStringLiteral("Carla Dias"));
        m_server->upstream()->setDelays(0, 50, 100);
    }
    void cleanup() { m_server.reset(); }

    void opensSeveralAndSwitches()
    {
        Workspace workspace(base());
        QSignalSpy added(&workspace, &Workspace::conversationAdded);
        QSignalSpy current(&workspace, &Workspace::currentChanged);
        QVERIFY(openAll(workspace, {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
        QCOMPARE(added.size(), 3);
        QCOMPARE(workspace.conversationIds(), (QStringList {u"a"_qs, u"b"_qs, u"c"_qs}));
        QCOMPARE(workspace.currentId(), u"c"); // the one opened last is on screen
        QCOMPARE(current.size(), 3);
        // One controller per conversation, each talking about its own.
        QCOMPARE(workspace.conversation(QStringLiteral("b"))->config().conversation, u"b");
        QVERIFY(workspace.conversation(QStringLiteral("a")) != workspace.conversation(QStringLiteral("b")));
        // Names from the context endpoint.
        QCOMPARE(workspace.displayName(QStringLiteral("a")), u"Ana Souza");
        QCOMPARE(workspace.displayName(QStringLiteral("c")), u"Carla Dias");

        workspace.selectNext(); // wraps around
        QCOMPARE(workspace.currentId(), u"a");
        workspace.selectPrevious();
        QCOMPARE(workspace.currentId(), u"c");
        workspace.setCurrent(QStringLiteral("b"));
        QCOMPARE(workspace.currentId(), u"b");
        QCOMPARE(current.last().at(0).toString(), u"b");
        workspace.setCurrent(QStringLiteral("not-open")); // ignored
        QCOMPARE(workspace.currentId(), u"b");
    }

    void nameIsTheIdUntilTheContextAnswers()
    {
        Workspace workspace(base());
        workspace.openConversation(QStringLiteral("a"));
        QCOMPARE(workspace.displayName(QStringLiteral("a")), u"a");
        QTRY_COMPARE(workspace.displayName(QStringLiteral("a")), u"Ana Souza");
    }

    void openingAnOpenConversationSelectsIt()
    {
        Workspace workspace(base());
        QVERIFY(openAll(workspace, {QStringLiteral("a"), QStringLiteral("b")}));
        Conversation *first = workspace.conversation(QStringLiteral("a"));
        QSignalSpy added(&workspace, &Workspace::conversationAdded);
        workspace.openConversation(QStringLiteral(" a "));
        QCOMPARE(added.size(), 0);
        QCOMPARE(workspace.currentId(), u"a");
        QCOMPARE(workspace.conversation(QStringLiteral("a")), first);
        QCOMPARE(workspace.conversationIds().size(), 2);
        workspace.openConversation(QStringLiteral("  ")); // nothing to open
        QCOMPARE(workspace.conversationIds().size(), 2);
    }

    void closingRemovesItAndItsController()
    {
        Workspace workspace(base());
        QVERIFY(openAll(workspace, {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
        workspace.setCurrent(QStringLiteral("b"));
        QPointer<Conversation> b = workspace.conversation(QStringLiteral("b"));
        QSignalSpy removed(&workspace, &Workspace::conversationRemoved);
        workspace.closeConversation(QStringLiteral("b"));
        QCOMPARE(removed.size(), 1);
        QCOMPARE(workspace.conversationIds(), (QStringList {u"a"_qs, u"c"_qs}));
        QCOMPARE(workspace.currentId(), u"c"); // the next one takes its place
        QVERIFY(!workspace.conversation(QStringLiteral("b")));
        QTRY_VERIFY(b.isNull());
        workspace.closeConversation(QStringLiteral("c"));
        QCOMPARE(workspace.currentId(), u"a"); // at the end: the previous one
        workspace.closeConversation(QStringLiteral("a"));
        QVERIFY(workspace.currentId().isEmpty());
        QCOMPARE(workspace.model()->rowCount(), 0);
    }

    void liveInboundElsewhereCountsAsUnread()
    {
        Workspace workspace(base());
        QVERIFY(openAll(workspace, {QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(workspace.currentId(), u"b");
        QSignalSpy inbound(&workspace, &Workspace::inboundMessage);
        QSignalSpy total(&workspace, &Workspace::unreadTotalChanged);

        m_server->injectInbound(Tenant, QStringLiteral("a"), QStringLiteral("Is the return free?"));
        QVERIFY(inbound.wait(5000));
        QCOMPARE(inbound.last().at(0).toString(), u"a");
        QCOMPARE(inbound.last().at(1).toString(), u"Ana Souza");
        QCOMPARE(inbound.last().at(2).toString(), u"Is the return free?");
        QCOMPARE(inbound.last().at(3).toBool(), false); // not on screen
        QCOMPARE(workspace.unreadCount(QStringLiteral("a")), 1);
        QCOMPARE(unreadRole(workspace, QStringLiteral("a")), 1);
        QCOMPARE(total.last().at(0).toInt(), 1);
        m_server->injectInbound(Tenant, QStringLiteral("a"), QStringLiteral("Hello?"));
        QVERIFY(inbound.wait(5000));
        QCOMPARE(workspace.unreadTotal(), 2);
        QCOMPARE(workspace.model()->indexOf(QStringLiteral("a")).data(ConversationListModel::PreviewRole).toString(),
            u"Hello?");

        // The one on screen in an active window: news, but nothing unread.
        m_server->injectInbound(Tenant, QStringLiteral("b"), QStringLiteral("I'm here"));
        QVERIFY(inbound.wait(5000));
        QCOMPARE(inbound.last().at(0).toString(), u"b");
        QCOMPARE(inbound.last().at(3).toBool(), true);
        QCOMPARE(workspace.unreadCount(QStringLiteral("b")), 0);
        QCOMPARE(workspace.unreadTotal(), 2);

        // Looking at it clears it.
        workspace.setCurrent(QStringLiteral("a"));
        QCOMPARE(workspace.unreadCount(QStringLiteral("a")), 0);
        QCOMPARE(total.last().at(0).toInt(), 0);
        QCOMPARE(inbound.size(), 3);
    }

    void anInactiveWindowCountsTheCurrentConversationToo()
    {
        Workspace workspace(base());
        QVERIFY(openAll(workspace, {QStringLiteral("a")}));
        workspace.setWindowActive(false);
        QSignalSpy inbound(&workspace, &Workspace::inboundMessage);
        m_server->injectInbound(Tenant, QStringLiteral("a"), QStringLiteral("Anyone?"));
        QVERIFY(inbound.wait(5000));
        QCOMPARE(inbound.last().at(3).toBool(), false);
        QCOMPARE(workspace.unreadCount(QStringLiteral("a")), 1);
        QSignalSpy total(&workspace, &Workspace::unreadTotalChanged);
        workspace.setWindowActive(true); // the agent comes back to the window
        QCOMPARE(workspace.unreadCount(QStringLiteral("a")), 0);
        QCOMPARE(total.size(), 1);
        QCOMPARE(total.last().at(0).toInt(), 0);
    }

    void historyPagesNeverCount()
    {
        const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-600);
        for (int i = 0; i < 5; ++i)
            m_server->addHistoryMessage(Tenant, QStringLiteral("a"),
                StoredMessage {QStringLiteral("h%1").arg(i), true, QStringLiteral("old %1").arg(i), QString(),
                    start.addSecs(i), QString()});
        Workspace workspace(base());
        QSignalSpy inbound(&workspace, &Workspace::inboundMessage);
        QVERIFY(openAll(workspace, {QStringLiteral("a"), QStringLiteral("b")}));
        Conversation *a = workspace.conversation(QStringLiteral("a"));
        QCOMPARE(a->model()->rowCount(), 5);
        QCOMPARE(workspace.model()->indexOf(QStringLiteral("a")).data(ConversationListModel::PreviewRole).toString(),
            u"old 4");

        // Written while the socket was down: it arrives with the history re-read after the reconnect.
        QSignalSpy reconnected(a, &Conversation::connected);
        m_server->dropAllSockets();
        m_server->addHistoryMessage(Tenant, QStringLiteral("a"),
            StoredMessage {QStringLiteral("missed"), true, QStringLiteral("while offline"), QString(),
                QDateTime::currentDateTimeUtc(), QString()});
        QVERIFY(reconnected.wait(5000));
        QTRY_COMPARE(a->model()->rowCount(), 6);
        QCOMPARE(workspace.model()->indexOf(QStringLiteral("a")).data(ConversationListModel::PreviewRole).toString(),
            u"while offline");
        QCOMPARE(workspace.unreadTotal(), 0);
        QCOMPARE(inbound.size(), 0);

        // ...while a live one still counts.
        m_server->injectInbound(Tenant, QStringLiteral("a"), QStringLiteral("live"));
        QVERIFY(inbound.wait(5000));
        QCOMPARE(workspace.unreadCount(QStringLiteral("a")), 1);
    }

    void closingAConversationTakesItsUnreadAlong()
    {
        Workspace workspace(base());
        QVERIFY(openAll(workspace, {QStringLiteral("a"), QStringLiteral("b")}));
        QSignalSpy inbound(&workspace, &Workspace::inboundMessage);
        m_server->injectInbound(Tenant, QStringLiteral("a"), QStringLiteral("hi"));
        QVERIFY(inbound.wait(5000));
        QCOMPARE(workspace.unreadTotal(), 1);
        QSignalSpy total(&workspace, &Workspace::unreadTotalChanged);
        workspace.closeConversation(QStringLiteral("a"));
        QCOMPARE(total.size(), 1);
        QCOMPARE(total.last().at(0).toInt(), 0);
    }

    void unsentRepliesAreCountedPerConversation()
    {
        Workspace workspace(base());
        QVERIFY(openAll(workspace, {QStringLiteral("a"), QStringLiteral("b")}));
        QSignalSpy unsent(&workspace, &Workspace::unsentTotalChanged);
        m_server->upstream()->setDown(true);
        QVERIFY(workspace.conversation(QStringLiteral("a"))->sendReply(QStringLiteral("first")));
        QVERIFY(unsent.wait(5000));
        QCOMPARE(unsent.last().at(0).toInt(), 1);
        QVERIFY(workspace.conversation(QStringLiteral("b"))->sendReply(QStringLiteral("second")));
        QVERIFY(unsent.wait(5000));
        QCOMPARE(unsent.last().at(0).toInt(), 2);
        QCOMPARE(
            workspace.model()->indexOf(QStringLiteral("b")).data(ConversationListModel::UnsentCountRole).toInt(), 1);
        QCOMPARE(workspace.model()->indexOf(QStringLiteral("b")).data(ConversationListModel::PreviewRole).toString(),
            u"You: second");
        workspace.conversation(QStringLiteral("b"))->discardAll();
        QCOMPARE(unsent.last().at(0).toInt(), 1);
        QCOMPARE(workspace.unsentTotal(), 1);
    }

    // Canned responses (issue 18): loaded once with the first conversation, not again for the next one,
    // and again when a connection comes back (the list may have changed meanwhile).
    void cannedResponsesLoadOnceAndAgainWhenTheConnectionIsBack()
    {
        const auto codes = [](const CannedList &list) {
            QStringList codes;
            for (const CannedResponse &r : list.responses)
                codes.append(r.shortCode);
            return codes;
        };
        m_server->cannedResponses()->setForTenant(Tenant, {{u"1"_qs, u"hello"_qs, u"Hi {{customer.name}}"_qs}});
        Workspace workspace(base());
        CannedResponses *canned = workspace.cannedResponses();
        QCOMPARE(canned->list().state, CannedList::State::Loading);
        QVERIFY(openAll(workspace, {QStringLiteral("a")}));
        QTRY_COMPARE(canned->list().state, CannedList::State::Ready);
        QCOMPARE(codes(canned->list()), QStringList {u"hello"_qs});

        m_server->cannedResponses()->setForTenant(Tenant, {{u"2"_qs, u"bye"_qs, u"Goodbye"_qs}});
        QSignalSpy changed(canned, &CannedResponses::changed);
        QVERIFY(openAll(workspace, {QStringLiteral("a"), QStringLiteral("b")}));
        QVERIFY(!changed.wait(500)); // a second conversation is no reason to load again
        QCOMPARE(codes(canned->list()), QStringList {u"hello"_qs});

        m_server->dropAllSockets(); // an outage: both reconnect
        QVERIFY(changed.wait(10000));
        QCOMPARE(codes(canned->list()), QStringList {u"bye"_qs});
        QCOMPARE(canned->list().state, CannedList::State::Ready);
    }

    void openListSurvivesARestart()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("agent-console.conf"));
        {
            QSettings settings(path, QSettings::IniFormat);
            Workspace workspace(base());
            workspace.setSettings(&settings);
            workspace.restore(Workspace::savedConversations(settings), Workspace::savedCurrent(settings));
            QCOMPARE(workspace.conversationIds(), QStringList());
            for (const char *id : {"c", "a", "b"})
                workspace.openConversation(QString::fromLatin1(id));
            workspace.setCurrent(QStringLiteral("a"));
            workspace.closeConversation(QStringLiteral("b"));
            QCOMPARE(
                settings.value(QStringLiteral("conversations/open")).toStringList(), (QStringList {u"c"_qs, u"a"_qs}));
            QCOMPARE(settings.value(QStringLiteral("conversations/current")).toString(), u"a");
        }
        // Another process reading the file: what was saved is on disk, not only in memory.
        QSettings reread(path, QSettings::IniFormat);
        QCOMPARE(Workspace::savedConversations(reread), (QStringList {u"c"_qs, u"a"_qs}));
        Workspace again(base());
        again.setSettings(&reread);
        QSignalSpy added(&again, &Workspace::conversationAdded);
        again.restore(Workspace::savedConversations(reread), Workspace::savedCurrent(reread));
        QCOMPARE(again.conversationIds(), (QStringList {u"c"_qs, u"a"_qs}));
        QCOMPARE(again.currentId(), u"a");
        QCOMPARE(added.size(), 2);
        QTRY_COMPARE(again.displayName(QStringLiteral("c")), u"Carla Dias");
    }

    void restoreSkipsBadEntries()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("s.conf")), QSettings::IniFormat);
        settings.setValue(QStringLiteral("conversations/open"), QStringList {u"a"_qs, u"  "_qs, u"a"_qs, u" b"_qs});
        settings.setValue(QStringLiteral("conversations/current"), QStringLiteral("gone"));
        Workspace workspace(base());
        workspace.restore(Workspace::savedConversations(settings), Workspace::savedCurrent(settings));
        QCOMPARE(workspace.conversationIds(), (QStringList {u"a"_qs, u"b"_qs}));
        QCOMPARE(workspace.currentId(), u"a"); // the saved current one is not open: the first is
    }

    // A conversation with replies an earlier run left unsent opens at start whatever the open list says,
    // and its replies leave: closed, they would sit in the file for ever.
    void conversationsWithUnsentRepliesOpenAtStart()
    {
        QTemporaryDir dir;
        OutboxStore store;
        QVERIFY(store.open(dir.filePath(QStringLiteral("outbox.sqlite"))));
        Message left;
        left.id = QStringLiteral("msg_left_in_c");
        left.direction = Direction::Outbound;
        left.text = QStringLiteral("written in c, never sent");
        left.timestamp = QDateTime::currentDateTimeUtc();
        QVERIFY(store.add(Tenant, QStringLiteral("c"), left));
        Message otherTenants = left;
        otherTenants.id = QStringLiteral("msg_other_tenant");
        QVERIFY(store.add(QStringLiteral("other-tenant"), QStringLiteral("b"), otherTenants));
        Workspace workspace(base(), &store);
        workspace.restore({QStringLiteral("a")}, QStringLiteral("a"));
        QCOMPARE(workspace.conversationIds(), (QStringList {u"a"_qs, u"c"_qs})); // not the other tenant's b
        QCOMPARE(workspace.currentId(), u"a");
        QTRY_COMPARE(m_server->acceptedMessageIds(Tenant, QStringLiteral("c")), QStringList {left.id});
        QTRY_VERIFY(store.replies(Tenant, QStringLiteral("c")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
