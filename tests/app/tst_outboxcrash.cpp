// Never lose or duplicate a reply: the console core runs as a child process against widget-server and
// is killed with SIGKILL at random (seeded, reproducible) moments: before its conversation has opened,
// while replies typed before the open wait, and during a burst of sends. Some runs start against a
// backend that accepts connections and never answers, as a server that is down or still starting:
// their replies wait in the outbox until a later run, against the real server, sends them. The child says which replies
// it has taken, once sendReply() returned; every one of them must reach the server exactly once, in
// the order typed, across all the kills. Each run names its replies anew ("run <k> reply <i>"), so a
// reply lost at the tail of the outbox cannot hide behind a later run typing the same words again.
// Every third reply carries a picture whose original is deleted once it is taken: killed during its
// upload or during its send, it is uploaded under its messageId and sent once, with its own bytes.
#include "conversationstore.h"
#include "mediadesk.h"
#include "mediastore.h"
#include "simulatedupstream.h"
#include "widgetserver.h"

#include <QImage>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
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
                else if (line == "opened")
                    opened = true;
                else if (line == "done")
                    done = true;
                else if (line == "uploading" || line == "uploaded")
                    uploading = line == "uploading";
            }
        });
    }
    QList<Taken> taken;
    bool opened = false;
    bool done = false;
    bool uploading = false; // an upload is on the wire

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

        // A backend that takes every connection and never says a word.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        connect(&silent, &QTcpServer::newConnection, &silent, [&silent] {
            while (QTcpSocket *held = silent.nextPendingConnection())
                held->setParent(&silent);
        });
        const QUrl silentUrl(QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort()));

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("AGENT_CONSOLE_TOKEN"), QStringLiteral("crash-token"));
        QList<Taken> taken;
        int kills = 0;
        int earlyKills = 0; // killed before the open, with replies typed before it waiting
        int silentRuns = 0;
        int uploadKills = 0; // killed while an upload was on the wire
        bool done = false;
        for (int run = 1; !done && run <= 400; ++run) {
            const bool last = kills >= wantedKills;
            QProcess child;
            child.setProcessEnvironment(env);
            child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
            ChildOutput output(&child);
            QSignalSpy finished(&child, &QProcess::finished);
            // Up to 3 replies typed before the open; the last run types a few and must finish them all.
            const int early = run == 2 ? 2 : int(random.bounded(4));
            // Run 2 and about one run in six more meet the silent backend.
            const bool silentBackend = !last && early > 0 && (run == 2 || random.bounded(6) == 0);
            child.start(QStringLiteral(CRASH_CHILD),
                {QStringLiteral("--api-url"), (silentBackend ? silentUrl : server.baseUrl()).toString(), QStringLiteral("--data-dir"),
                    dataDir.path(), QStringLiteral("--run"), QString::number(run), QStringLiteral("--count"),
                    QString::number(last ? 20 : 1000), QStringLiteral("--early"), QString::number(early)});
            QVERIFY(child.waitForStarted(10000));
            if (silentBackend) {
                // Killed once it has taken its early replies; it can never have opened.
                QTRY_COMPARE_WITH_TIMEOUT(output.taken.size(), early, 10000);
                child.kill();
                QVERIFY(finished.wait(10000));
                QVERIFY(!output.opened);
                ++kills;
                ++silentRuns;
                ++earlyKills;
            } else if (!last) {
                // A random while: sometimes not even past the open, sometimes mid-burst.
                const int lifetimeMs = 10 + int(random.bounded(250));
                QVERIFY(!finished.wait(lifetimeMs));
                child.kill(); // SIGKILL (TerminateProcess on Windows): no chance to clean up
                QVERIFY(finished.wait(10000));
                ++kills;
                uploadKills += output.uploading ? 1 : 0;
                earlyKills += !output.opened && !output.taken.isEmpty() ? 1 : 0;
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
        // A reply with a picture was sent with the media uploaded under its messageId, its own bytes.
        const MediaStore &media = server.mediaDesk()->store();
        qint64 pictureBytes = 0;
        for (const QString &id : accepted) {
            const auto stored = server.store()->message(QStringLiteral("t1"), QStringLiteral("c1"), id);
            const auto [run, index] = order[position.value(id)];
            if (index % 3 != 0) {
                QVERIFY(stored->mediaUrl.isEmpty());
                continue;
            }
            const auto record = media.find(QStringLiteral("t1"), MediaStore::idFor(QStringLiteral("t1"), QStringLiteral("c1"), id));
            QVERIFY2(record, qPrintable(stored->text));
            QVERIFY2(stored->mediaUrl.endsWith(record->id), qPrintable(stored->text));
            const std::optional<QByteArray> bytes = media.bytes(*record);
            QVERIFY(bytes);
            QImage picture;
            QVERIFY(picture.loadFromData(*bytes, "PNG"));
            QImage expected(256, 256, QImage::Format_RGB32);
            QRandomGenerator noise(quint32(run) * 100003u + quint32(index));
            for (int y = 0; y < expected.height(); ++y)
                noise.fillRange(reinterpret_cast<quint32 *>(expected.scanLine(y)), expected.width());
            QVERIFY2(picture.convertToFormat(QImage::Format_RGB32) == expected, qPrintable(stored->text));
            pictureBytes += bytes->size();
        }
        // Nothing else was kept: no upload of a reply that was never sent, none stored twice.
        QCOMPARE(media.memoryBytes(), pictureBytes);
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
        QVERIFY(silentRuns > 0);
        QVERIFY(uploadKills > 0);
        qInfo("%d kills (%d before the open with replies waiting, %d of them against the silent backend, %d during "
              "an upload); %lld replies taken, %lld at the server, %d POSTs",
            kills, earlyKills, silentRuns, uploadKills, qlonglong(taken.size()), qlonglong(accepted.size()),
            server.sendRequestCount());
    }
};

QTEST_GUILESS_MAIN(TestOutboxCrash)
#include "tst_outboxcrash.moc"
