// One console per user and profile: a second start hands its conversations to the running one and
// exits 0; a lock left by a killed console is taken over; the demo keeps a profile of its own. Links
// from other tools (agent-console://open?..., issue 18) start the console or go to the running one, and a
// link for another account is refused there and said by the start that brought it. The processes are the
// real agent-console, in a scratch HOME, against a real widget-server.
#include "singleinstance.h"
#include "widgetserver.h"

#include <QDir>
#include <QFileInfo>
#include <QLocalServer>
#include <QStandardPaths>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

static const QString Token = QStringLiteral("single-instance-token");

class TestSingleInstance : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_home; // a new one for every test: nothing carries over
    std::unique_ptr<WidgetServer> m_server;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("HOME"), m_home->path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home->filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home->filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), m_home->filePath(QStringLiteral("cache")));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_home->filePath(QStringLiteral("run")));
        env.insert(QStringLiteral("AGENT_CONSOLE_TOKEN"), Token);
        env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS")); // no desktop services: the console runs without
        return env;
    }
    QStringList account(const QString &conversation) const
    {
        return {QStringLiteral("--api-url"), m_server->baseUrl().toString(), QStringLiteral("--tenant"),
            QStringLiteral("t1"), QStringLiteral("--conversation"), conversation};
    }
    // `readErrors`: keep its stderr to read, rather than passing it through.
    std::unique_ptr<QProcess> start(const QStringList &arguments, bool readErrors = false) const
    {
        auto process = std::make_unique<QProcess>();
        process->setProcessEnvironment(environment());
        process->setProcessChannelMode(readErrors ? QProcess::SeparateChannels : QProcess::ForwardedErrorChannel);
        process->start(QStringLiteral(AGENT_CONSOLE_EXECUTABLE), arguments);
        return process;
    }
    // The open list the running console keeps in its settings file.
    QStringList openInSettings() const
    {
        QSettings settings(m_home->filePath(QStringLiteral("config/agent-console/agent-console.conf")),
            QSettings::IniFormat);
        return settings.value(QStringLiteral("conversations/open")).toStringList();
    }
    QString profile(bool demo) const
    {
        return m_home->filePath(QStringLiteral("data/agent-console/agent-console")) + (demo ? QStringLiteral("/demo") : QString());
    }
    static void stop(QProcess &process)
    {
        QSignalSpy finished(&process, &QProcess::finished);
        process.kill();
        finished.wait(10000);
    }

private slots:
    void init()
    {
        m_home = std::make_unique<QTemporaryDir>();
        QVERIFY(QDir().mkpath(m_home->filePath(QStringLiteral("run"))));
        QFile::setPermissions(m_home->filePath(QStringLiteral("run")), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        // This process is one of the user's processes too: the same runtime folder as the consoles.
        qputenv("XDG_RUNTIME_DIR", m_home->filePath(QStringLiteral("run")).toLocal8Bit());
        m_server = std::make_unique<WidgetServer>();
        m_server->setToken(Token);
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
        for (const char *c : {"c1", "c2", "c3"})
            m_server->addConversation(QStringLiteral("t1"), QString::fromLatin1(c), QStringLiteral("Customer"));
    }
    void cleanup() { m_server.reset(); }

    // In one process: the first claims the profile, a later one hands over and is answered.
    void theSecondHandsOverToTheFirst()
    {
        QTemporaryDir profile;
        SingleInstance first(profile.path());
        QVERIFY(first.claim());
        QVERIFY(first.listen());
        SingleInstance second(profile.path());
        QVERIFY(!second.claim());
        QSignalSpy activated(&first, &SingleInstance::activationRequested);
        QSignalSpy handed(&second, &SingleInstance::handedOver);
        const QString link = QStringLiteral("agent-console://open?conversation=c8");
        second.handOver({QStringLiteral("c7"), QStringLiteral("  ")}, {link});
        QVERIFY(handed.wait(5000));
        QCOMPARE(handed.first().at(0).toBool(), true);
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.first().at(0).toStringList(), QStringList {u"c7"_qs});
        QCOMPARE(activated.first().at(1).toStringList(), QStringList {link});
        QVERIFY(SingleInstance::serverName(profile.path()) != SingleInstance::serverName(profile.path() + QStringLiteral("/demo")));
    }

    // The running console refuses (part of) a request: the later start learns why.
    void aRefusalGoesBackToTheLaterStart()
    {
        QTemporaryDir profile;
        SingleInstance first(profile.path());
        QVERIFY(first.claim());
        QVERIFY(first.listen());
        first.setHandler([](const QStringList &, const QStringList &links) {
            return links.isEmpty() ? QString() : QStringLiteral("Not for this account:\n%1").arg(links.first());
        });
        SingleInstance second(profile.path());
        QVERIFY(!second.claim());
        QSignalSpy handed(&second, &SingleInstance::handedOver);
        second.handOver({}, {QStringLiteral("agent-console://open?conversation=c1&tenant=other")});
        QVERIFY(handed.wait(5000));
        QCOMPARE(handed.first().at(0).toBool(), false);
        QCOMPARE(handed.first().at(1).toString(),
            u"Not for this account: agent-console://open?conversation=c1&tenant=other"_qs);
    }

    // The lock is taken before the socket listens: a start in between waits for it rather than fail.
    void aStartWhileTheFirstIsStillStartingWaits()
    {
        QTemporaryDir profile;
        SingleInstance first(profile.path());
        QVERIFY(first.claim());
        SingleInstance second(profile.path());
        QVERIFY(!second.claim());
        QSignalSpy handed(&second, &SingleInstance::handedOver);
        second.handOver({});
        QVERIFY(!handed.wait(300)); // nobody listens yet: it keeps trying
        QVERIFY(first.listen());
        QVERIFY(handed.wait(5000));
        QCOMPARE(handed.first().at(0).toBool(), true);
    }

    // A first process that holds the lock and the socket but never answers (stopped, hung): the later
    // start gives up at its deadline and says why, rather than wait for ever.
    void aHandOverThatIsNeverAnsweredEnds()
    {
        QTemporaryDir profile;
        SingleInstance first(profile.path());
        QVERIFY(first.claim());
        QLocalServer mute; // accepts, never reads or answers
        QLocalServer::removeServer(SingleInstance::serverName(profile.path()));
        QVERIFY(mute.listen(SingleInstance::serverName(profile.path())));
        SingleInstance second(profile.path());
        QVERIFY(!second.claim());
        second.setHandOverTimeout(1000);
        QSignalSpy handed(&second, &SingleInstance::handedOver);
        second.handOver({QStringLiteral("c1")});
        QVERIFY(handed.wait(5000));
        QCOMPARE(handed.first().at(0).toBool(), false);
        QVERIFY(handed.first().at(1).toString().contains(u"does not answer"));
    }

    // The first process quits while a later start waits for it: the later one takes the profile.
    void aStartWhoseFirstQuitsTakesTheProfile()
    {
        QTemporaryDir profile;
        auto first = std::make_unique<SingleInstance>(profile.path());
        QVERIFY(first->claim());
        SingleInstance second(profile.path());
        QVERIFY(!second.claim());
        QSignalSpy becameFirst(&second, &SingleInstance::becameFirst);
        QSignalSpy handed(&second, &SingleInstance::handedOver);
        second.handOver({QStringLiteral("c1")});
        first.reset(); // it exits before it listened
        QVERIFY(becameFirst.wait(5000));
        QCOMPARE(handed.size(), 0);
        QVERIFY(second.listen()); // and it answers the starts after it
    }

    // The socket is in the user's own runtime folder, not in a folder every account can write to.
    void theSocketIsInTheUsersRuntimeFolder()
    {
        QTemporaryDir profile;
        const QString name = SingleInstance::serverName(profile.path());
        const QString runtime = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
        QVERIFY(!runtime.isEmpty());
        QVERIFY2(name.startsWith(runtime + u'/'), qPrintable(name));
        QCOMPARE(QFileInfo(runtime).permissions() & (QFileDevice::ReadOther | QFileDevice::WriteOther
                         | QFileDevice::ReadGroup | QFileDevice::WriteGroup),
            QFileDevice::Permissions());
        SingleInstance first(profile.path());
        QVERIFY(first.claim());
        QVERIFY(first.listen());
        QVERIFY(QFileInfo::exists(name));
    }

    // The real program: a second `agent-console --conversation c2` opens c2 in the running one, exits 0.
    void aSecondStartOpensItsConversationInTheRunningConsole()
    {
        auto first = start(account(QStringLiteral("c1")));
        QVERIFY(first->waitForStarted(10000));
        QTRY_COMPARE_WITH_TIMEOUT(openInSettings(), QStringList {u"c1"_qs}, 20000);

        auto second = start({QStringLiteral("--conversation"), QStringLiteral("c2")});
        QSignalSpy finished(second.get(), &QProcess::finished);
        QVERIFY(finished.wait(20000));
        QCOMPARE(second->exitStatus(), QProcess::NormalExit);
        QCOMPARE(second->exitCode(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(openInSettings(), (QStringList {u"c1"_qs, u"c2"_qs}), 10000);
        QCOMPARE(first->state(), QProcess::Running);
        stop(*first);
    }

    // A link clicked in another tool while the console runs: the link's start hands it over and exits 0;
    // the running console opens the conversation.
    void aLinkOpensItsConversationInTheRunningConsole()
    {
        auto first = start(account(QStringLiteral("c1")));
        QTRY_COMPARE_WITH_TIMEOUT(openInSettings(), QStringList {u"c1"_qs}, 20000);
        auto link = start({QStringLiteral("agent-console://open?conversation=c2&tenant=t1")});
        QSignalSpy finished(link.get(), &QProcess::finished);
        QVERIFY(finished.wait(20000));
        QCOMPARE(link->exitStatus(), QProcess::NormalExit);
        QCOMPARE(link->exitCode(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(openInSettings(), (QStringList {u"c1"_qs, u"c2"_qs}), 10000);
        QCOMPARE(first->state(), QProcess::Running);
        stop(*first);
    }

    // A link for another tenant, or another server: refused by the running console, which stays on its
    // account; the link's start says why on stderr and exits 1.
    void aLinkForAnotherAccountIsRefused_data()
    {
        QTest::addColumn<QString>("link");
        QTest::addColumn<QString>("reason");
        QTest::newRow("another tenant") << u"agent-console://open?conversation=c3&tenant=globex"_qs
                                        << u"of tenant “globex”, but the console is signed in to tenant “t1”"_qs;
        QTest::newRow("another server")
            << u"agent-console://open?conversation=c3&server=https%3A%2F%2Fchat.example.com"_qs
            << u"on https://chat.example.com, but the console is signed in to"_qs;
    }
    void aLinkForAnotherAccountIsRefused()
    {
        QFETCH(QString, link);
        QFETCH(QString, reason);
        auto first = start(account(QStringLiteral("c1")));
        QTRY_COMPARE_WITH_TIMEOUT(openInSettings(), QStringList {u"c1"_qs}, 20000);
        auto refused = start({link}, true);
        QSignalSpy finished(refused.get(), &QProcess::finished);
        QVERIFY(finished.wait(20000));
        QCOMPARE(refused->exitCode(), 1);
        const QString error = QString::fromUtf8(refused->readAllStandardError());
        QVERIFY2(error.contains(reason), qPrintable(error));
        QCOMPARE(first->state(), QProcess::Running);
        QCOMPARE(openInSettings(), QStringList {u"c1"_qs}); // nothing opened, no account switched
        stop(*first);
    }

    // No console running: the link starts one, which opens the link's conversation too.
    void aLinkStartsTheConsole()
    {
        auto console = start(account(QStringLiteral("c1")) + QStringList {u"agent-console://open?conversation=c3"_qs});
        QTRY_COMPARE_WITH_TIMEOUT(openInSettings(), (QStringList {u"c1"_qs, u"c3"_qs}), 20000);
        QCOMPARE(console->state(), QProcess::Running);
        stop(*console);
    }

    // A console killed with SIGKILL leaves its lock behind: the next start takes it over and runs.
    void aLockLeftByAKilledConsoleIsTakenOver()
    {
        auto killed = start(account(QStringLiteral("c1")));
        QTRY_COMPARE_WITH_TIMEOUT(openInSettings(), QStringList {u"c1"_qs}, 20000);
        stop(*killed);
        QVERIFY(QFile::exists(profile(false) + QStringLiteral("/instance.lock")));

        auto next = start(account(QStringLiteral("c3")));
        QTRY_COMPARE_WITH_TIMEOUT(openInSettings(), QStringList {u"c3"_qs}, 20000);
        QCOMPARE(next->state(), QProcess::Running); // the first: it did not hand over to a dead one
        // And it answers the starts after it.
        SingleInstance later(profile(false));
        QVERIFY(!later.claim());
        QSignalSpy handed(&later, &SingleInstance::handedOver);
        later.handOver({QStringLiteral("c2")});
        QVERIFY(handed.wait(10000));
        QCOMPARE(handed.first().at(0).toBool(), true);
        QTRY_COMPARE_WITH_TIMEOUT(openInSettings(), (QStringList {u"c3"_qs, u"c2"_qs}), 10000);
        stop(*next);
    }

    // The demo keeps a profile of its own: it neither hands over to the agent's console nor blocks it.
    void theDemoHasAProfileOfItsOwn()
    {
        auto console = start(account(QStringLiteral("c1")));
        QTRY_COMPARE_WITH_TIMEOUT(openInSettings(), QStringList {u"c1"_qs}, 20000);
        auto demo = start({QStringLiteral("--demo")});
        QVERIFY(demo->waitForStarted(10000));
        QSignalSpy demoFinished(demo.get(), &QProcess::finished);
        // A hand-over would end it within a second or two; a running demo never ends by itself.
        QVERIFY(!demoFinished.wait(3000));
        QCOMPARE(demo->state(), QProcess::Running);
        QVERIFY(QFile::exists(profile(true) + QStringLiteral("/instance.lock")));
        stop(*demo);
        stop(*console);
    }
};

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "tst_singleinstance.moc"
