// agent-console --demo as the agent sees it: the in-process backend, the real window, the Demo menu.
#include "composer.h"
#include "conversation.h"
#include "demobackend.h"
#include "mainwindow.h"
#include "conversationlistmodel.h"
#include "socketioclient.h"
#include "workspace.h"

#include <QAction>
#include <QDir>
#include <QPlainTextEdit>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

class TestDemo : public QObject
{
    Q_OBJECT

private slots:
    void demoShowsAConversationInEveryState()
    {
        DemoBackend demo;
        QString error;
        QVERIFY2(demo.start(&error), qPrintable(error));
        Workspace workspace(demo.conversationConfig());
        MainWindow window(&workspace, &demo);
        window.resize(860, 900);
        window.show();
        workspace.restore(demo.conversations());
        Conversation &controller = *workspace.conversation(QStringLiteral("demo"));
        QSignalSpy connected(&controller, &Conversation::connected);
        QVERIFY(connected.wait(5000));
        QCOMPARE(window.windowTitle(), u"Maria Schneider — Agent Console");
        QVERIFY(controller.model()->rowCount() >= 20);

        QSet<MessageStatus> states;
        bool inbound = false;
        for (int row = 0; row < controller.model()->rowCount(); ++row) {
            const Message &m = controller.model()->at(row);
            inbound |= m.direction == Direction::Inbound;
            states.insert(m.status);
        }
        QVERIFY(inbound);
        QVERIFY(states.contains(MessageStatus::Read));
        QVERIFY(states.contains(MessageStatus::Delivered));

        // The outage switch of the Demo menu makes a reply fail; switching it off lets Retry recover it.
        auto *outage = window.findChild<QAction *>(QStringLiteral("demoOutageAction"));
        QVERIFY(outage);
        outage->setChecked(true);
        QTest::keyClicks(window.composer()->editor(), QStringLiteral("Let me check that for you."));
        QTest::keyClick(window.composer()->editor(), Qt::Key_Return);
        MessageListModel *model = controller.model();
        const QString id = model->at(model->rowCount() - 1).id;
        QTRY_COMPARE(model->at(model->rowOf(id)).status, MessageStatus::Failed);
        QTest::keyClicks(window.composer()->editor(), QStringLiteral("One moment please."));
        QTest::keyClick(window.composer()->editor(), Qt::Key_Return);
        QTRY_VERIFY(model->at(model->rowCount() - 1).queued);

        const QString dir = qEnvironmentVariable("AGENT_CONSOLE_ARTIFACTS", QDir::tempPath()) + QStringLiteral("/screenshots");
        QDir().mkpath(dir);
        QVERIFY(window.grab().save(dir + QStringLiteral("/demo-failed.png")));

        outage->setChecked(false);
        controller.retry(id);
        QTRY_COMPARE_WITH_TIMEOUT(model->at(model->rowOf(id)).status, MessageStatus::Read, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(model->at(model->rowCount() - 1).status, MessageStatus::Read, 10000);
        QVERIFY(window.grab().save(dir + QStringLiteral("/demo.png")));
    }

    // Three customers, each with a history of their own; the first is the long chat above.
    void demoOpensThreeConversations()
    {
        DemoBackend demo;
        QVERIFY(demo.start(nullptr));
        QCOMPARE(demo.conversations().size(), 3);
        QCOMPARE(demo.conversations().first(), u"demo");
        Workspace workspace(demo.conversationConfig());
        workspace.restore(demo.conversations());
        QCOMPARE(workspace.currentId(), u"demo");
        QStringList names;
        for (const QString &id : demo.conversations()) {
            QTRY_VERIFY(!workspace.model()->indexOf(id).data(ConversationListModel::CustomerNameRole).toString().isEmpty());
            QTRY_VERIFY(workspace.conversation(id)->model()->rowCount() > 0);
            names.append(workspace.displayName(id));
        }
        QCOMPARE(names, (QStringList{u"Maria Schneider"_qs, u"Ana Souza"_qs, u"Kenji Tanaka"_qs}));
    }

    // The Demo menu's "Customer writes" writes into the conversation on screen.
    void customerWritesIntoTheCurrentConversation()
    {
        DemoBackend demo;
        QVERIFY(demo.start(nullptr));
        Workspace workspace(demo.conversationConfig());
        MainWindow window(&workspace, &demo);
        workspace.restore(demo.conversations());
        const QString second = demo.conversations().at(1);
        Conversation *controller = workspace.conversation(second);
        QSignalSpy connected(controller, &Conversation::connected);
        QVERIFY(connected.wait(5000));
        workspace.setCurrent(second);
        const int before = controller->model()->rowCount();
        const int firstBefore = workspace.conversation(QStringLiteral("demo"))->model()->rowCount();
        auto *writes = window.findChild<QAction *>(QStringLiteral("demoInboundAction"));
        QVERIFY(writes);
        writes->trigger();
        QTRY_COMPARE(controller->model()->rowCount(), before + 1);
        QCOMPARE(controller->model()->at(before).direction, Direction::Inbound);
        QCOMPARE(workspace.conversation(QStringLiteral("demo"))->model()->rowCount(), firstBefore);
    }

    void customerWritesArrivesLive()
    {
        DemoBackend demo;
        QVERIFY(demo.start(nullptr));
        Conversation controller(demo.conversationConfig());
        QSignalSpy connected(&controller, &Conversation::connected);
        controller.start();
        QVERIFY(connected.wait(5000));
        const int before = controller.model()->rowCount();
        demo.customerWrites();
        QTRY_COMPARE(controller.model()->rowCount(), before + 1);
        QCOMPARE(controller.model()->at(before).direction, Direction::Inbound);
    }
};

QTEST_MAIN(TestDemo)
#include "tst_demo.moc"
