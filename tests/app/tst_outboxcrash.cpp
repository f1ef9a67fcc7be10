// Never lose or duplicate a reply: the console core runs as a child process against widget-server and
// is killed with SIGKILL at random (seeded, reproducible) moments: before its conversation has opened,
// while replies typed before the open wait, and during a burst of sends. The child says which replies
// it has taken, once sendReply() returned; every one of them must reach the server exactly once, in
// the order typed, across all the kills. Each run names its replies anew ("run <k> reply <i>"), so a
// reply lost at the tail of the outbox cannot hide behind a later run typing the same words again.
#include "conversationstore.h"
#include "simulatedupstream.h"
#include "widgetserver.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Taken
{
    int run;
    int index;
    QString id;
};

// Reads "taken <run> <i> <id>" lines as the child writes them; a line cut by the kill does not count.
class ChildOutput : public QObject
{
public:
    explicit ChildOutput(QProcess *child)
    {
        connect(child, &QProcess::readyReadStandardOutput, this, [this, child] {
            m_buffer += child->readAllStandardOutput();
            qsizetype end;
            while ((end = m_buffer.indexOf('\n')) >= 0) {
                const QByteArray line = m_buffer.left(end);
                m_buffer.remove(0, end + 1);
                const QList<QByteArray> parts = line.split(' ');
                if (parts.size() == 4 && parts[0] == "taken")
                    taken.append(Taken {parts[1].toInt(), parts[2].toInt(), QString::fromLatin1(parts[3])});
                else if (line == "done")
                    done = true;
            }
        });
    }
    QList<Taken> taken;
    bool done = false;

private:
    QByteArray m_buffer;
};

} // namespace

class TestOutboxCrash : public QObject
{
    Q_OBJECT

private slots:
    void everyTakenReplyArrivesExactlyOnceInOrder()
    {
        const int wantedKills = 50;
        const quint32 seed = qEnvironmentVariableIntValue("AGENT_CONSOLE_CRASH_SEED")
            ? quint32(qEnvironmentVariableIntValue("AGENT_CONSOLE_CRASH_SEED"))
            : 20261207u;
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
        QList<Taken> taken;
        int kills = 0;
        int earlyKills = 0; // killed while replies typed before the open were still waiting
        bool done = false;
        for (int run = 1; !done && run <= 400; ++run) {
            const bool last = kills >= wantedKills;
            QProcess child;
            child.setProcessEnvironment(env);
            child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
            ChildOutput output(&child);
            QSignalSpy finished(&child, &QProcess::finished);
            // Up to 3 replies typed before the open; the last run types a few and must finish them all.
            const int early = int(random.bounded(4));
            child.start(QStringLiteral(CRASH_CHILD),
                {QStringLiteral("--api-url"), server.baseUrl().toString(), QStringLiteral("--data-dir"),
                    dataDir.path(), QStringLiteral("--run"), QString::number(run), QStringLiteral("--count"),
                    QString::number(last ? 20 : 1000), QStringLiteral("--early"), QString::number(early)});
            QVERIFY(child.waitForStarted(10000));
            if (!last) {
                // A random while: sometimes not even past the open, sometimes mid-burst.
                const int lifetimeMs = 10 + int(random.bounded(250));
                QVERIFY(!finished.wait(lifetimeMs));
                child.kill(); // SIGKILL (TerminateProcess on Windows): no chance to clean up
                QVERIFY(finished.wait(10000));
                ++kills;
                earlyKills += !output.taken.isEmpty() && output.taken.size() <= early ? 1 : 0;
            } else {
                QVERIFY2(finished.wait(60000), "the last run did not finish its sends");
                QCOMPARE(child.exitStatus(), QProcess::NormalExit);
                QCOMPARE(child.exitCode(), 0);
                done = output.done;
            }
            taken += output.taken;
        }
        QVERIFY(done);

        // What the server accepted, in its order, as (run, index) from the reply's words.
        static const QRegularExpression words(QStringLiteral("^run (\\d+) reply (\\d+)$"));
        const QStringList accepted = server.acceptedMessageIds(QStringLiteral("t1"), QStringLiteral("c1"));
        QHash<QString, int> position;
        QList<std::pair<int, int>> order;
        for (const QString &id : accepted) {
            const auto stored = server.store()->message(QStringLiteral("t1"), QStringLiteral("c1"), id);
            QVERIFY(stored);
            const auto match = words.match(stored->text);
            QVERIFY2(match.hasMatch(), qPrintable(stored->text));
            position.insert(id, int(order.size()));
            order.append({match.captured(1).toInt(), match.captured(2).toInt()});
        }
        // Nothing twice, and in the order typed: by run, then by reply within it.
        for (qsizetype i = 1; i < order.size(); ++i)
            QVERIFY2(order[i - 1] < order[i],
                qPrintable(QStringLiteral("run %1 reply %2 reached the server after run %3 reply %4")
                        .arg(order[i].first)
                        .arg(order[i].second)
                        .arg(order[i - 1].first)
                        .arg(order[i - 1].second)));
        // Every reply the console took is there, under the id it was given.
        int previous = -1;
        for (const Taken &t : std::as_const(taken)) {
            QVERIFY2(position.contains(t.id), qPrintable(QStringLiteral("run %1 reply %2 (%3) was taken and lost")
                                                             .arg(t.run)
                                                             .arg(t.index)
                                                             .arg(t.id)));
            QVERIFY(position.value(t.id) > previous);
            previous = position.value(t.id);
        }
        QVERIFY(earlyKills > 0); // some kills fell while replies typed before the open waited
        qInfo("%d kills (%d with replies typed before the open waiting); %lld replies taken, %lld at the server, "
              "%d POSTs",
            kills, earlyKills, qlonglong(taken.size()), qlonglong(accepted.size()), server.sendRequestCount());
    }
};

QTEST_GUILESS_MAIN(TestOutboxCrash)
#include "tst_outboxcrash.moc"
