// Never lose or duplicate a reply: the console core runs as a child process against widget-server
// and is killed with SIGKILL at random (seeded, reproducible) moments during a burst of sends.
#include "conversationstore.h"
#include "simulatedupstream.h"
#include "widgetserver.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

class TestOutboxCrash : public QObject
{
    Q_OBJECT

private slots:
    void everyReplyArrivesExactlyOnceInOrder()
    {
        const int total = 1000;
        const int wantedKills = 50;
        const quint32 seed = qEnvironmentVariableIntValue("AGENT_CONSOLE_CRASH_SEED") ? quint32(qEnvironmentVariableIntValue("AGENT_CONSOLE_CRASH_SEED")) : 20261125u;
        QRandomGenerator random(seed);
        qInfo("seed %u", seed);

        WidgetServer server;
        server.setToken(QStringLiteral("crash-token"));
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        server.addConversation(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("Crash"));
        server.upstream()->setProgressEnabled(false);
        QTemporaryDir dataDir;
        QVERIFY(dataDir.isValid());

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("AGENT_CONSOLE_TOKEN"), QStringLiteral("crash-token"));
        const QStringList args{QStringLiteral("--api-url"), server.baseUrl().toString(), QStringLiteral("--data-dir"),
                               dataDir.path(), QStringLiteral("--total"), QString::number(total)};
        int kills = 0;
        bool done = false;
        int runs = 0;
        while (!done && runs < 400) {
            ++runs;
            QProcess child;
            child.setProcessEnvironment(env);
            child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
            QSignalSpy finished(&child, &QProcess::finished);
            child.start(QStringLiteral(CRASH_CHILD), args);
            QVERIFY(child.waitForStarted(10000));
            if (kills < wantedKills) {
                // Let it run a random while: sometimes not even past start-up, sometimes mid-burst.
                const int lifetimeMs = 20 + int(random.bounded(250));
                if (!finished.wait(lifetimeMs)) {
                    child.kill(); // SIGKILL (TerminateProcess on Windows): no chance to clean up
                    QVERIFY(finished.wait(10000));
                    ++kills;
                    continue;
                }
            } else {
                QVERIFY2(finished.wait(60000), "the last run did not finish its sends");
            }
            QCOMPARE(child.exitStatus(), QProcess::NormalExit);
            QCOMPARE(child.exitCode(), 0);
            done = child.readAllStandardOutput().contains("done");
        }
        QVERIFY(done);
        QVERIFY(kills >= wantedKills);

        // Every reply exactly once, in the order written.
        const QStringList accepted = server.acceptedMessageIds(QStringLiteral("t1"), QStringLiteral("c1"));
        QStringList texts;
        for (const QString &id : accepted) {
            const auto stored = server.store()->message(QStringLiteral("t1"), QStringLiteral("c1"), id);
            QVERIFY(stored);
            texts.append(stored->text);
        }
        QStringList expected;
        for (int i = 0; i < total; ++i)
            expected.append(QStringLiteral("reply %1").arg(i));
        QCOMPARE(texts.size(), total);
        QCOMPARE(texts, expected);
        QCOMPARE(server.store()->messageCount(QStringLiteral("t1"), QStringLiteral("c1")), total);
        qInfo("%d kills over %d runs; %d POSTs for %d replies", kills, runs, server.sendRequestCount(), total);
    }
};

QTEST_GUILESS_MAIN(TestOutboxCrash)
#include "tst_outboxcrash.moc"
