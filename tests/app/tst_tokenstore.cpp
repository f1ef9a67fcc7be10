// TokenStore against a real Secret Service: gnome-keyring in a private D-Bus session with a scratch
// HOME (tests/app/private-session.sh --keyring, which ctest uses), never the user's keyring. Without a
// reachable keychain the keychain cases skip, saying why. The fallback to memory runs in a child
// process of this test with no session bus at all, because QtKeychain picks its backend once per process.
#include "appsettings.h"
#include "keychainprobe.h"
#include "missingdependency.h"
#include "settingsdialog.h"
#include "tokenstore.h"

#include <QApplication>
#include <QLoggingCategory>
#include <QMutex>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

namespace {

const QString Token = QStringLiteral("tok_keychain_5e1f9a3c7b2d4e6f8a0c1e3b5d7f9a2c");
const QUrl ApiUrl(QStringLiteral("https://chat.example.com"));
const char ChildMode[] = "AGENT_CONSOLE_TOKENSTORE_CHILD";

QMutex logMutex;
QStringList logLines;
QtMessageHandler previousHandler = nullptr;

void captureLog(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&logMutex);
        logLines.append(QString::fromLatin1(context.category) + u' ' + message);
    }
    if (previousHandler && type != QtDebugMsg && type != QtInfoMsg)
        previousHandler(type, context, message);
}

// Waits for `signal` unless it was already recorded.
bool waitFor(QSignalSpy &spy, int count = 1)
{
    while (spy.size() < count) {
        if (!spy.wait(10000))
            return false;
    }
    return true;
}

// The child: no session bus at all. Prints what happened, one fact a line.
int runWithoutKeychain(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    TokenStore store(QStringLiteral("agent-console-test"));
    QSignalSpy unavailable(&store, &TokenStore::keychainUnavailable);
    QSignalSpy written(&store, &TokenStore::tokenWritten);
    QSignalSpy read(&store, &TokenStore::tokenRead);
    QSignalSpy removed(&store, &TokenStore::tokenRemoved);
    const QString key = TokenStore::keyFor(ApiUrl, QStringLiteral("t1"));
    QTextStream out(stdout);
    store.write(key, Token);
    if (!waitFor(written))
        return 3;
    store.read(key);
    if (!waitFor(read))
        return 4;
    out << "read-back " << (read.at(0).at(1).toString() == Token ? "same" : "different") << '\n';
    store.write(TokenStore::keyFor(ApiUrl, QStringLiteral("t2")), QStringLiteral("other"));
    if (!waitFor(written, 2))
        return 5;
    store.remove(key);
    if (!waitFor(removed))
        return 6;
    store.read(key);
    if (!waitFor(read, 2))
        return 7;
    out << "after-remove " << (read.at(1).at(1).toString().isEmpty() ? "empty" : "present") << '\n';
    out << "persistent " << (store.isPersistent() ? "yes" : "no") << '\n';
    out << "unavailable-signals " << unavailable.size() << '\n';
    if (!unavailable.isEmpty())
        out << "reason " << unavailable.at(0).at(0).toString() << '\n';
    return 0;
}

} // namespace

class TestTokenStore : public QObject
{
    Q_OBJECT

    QString m_service;
    QString m_noKeychain; // why the keychain cases skip; empty when a keychain answered

#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
#define REQUIRE_KEYCHAIN()                                                                                             \
    if (!m_noKeychain.isEmpty())                                                                                       \
        SKIP_MISSING_DEPENDENCY(m_noKeychain);
#else
    // Windows' and macOS' own keychains are never reached from a test: there is no private session there.
#define REQUIRE_KEYCHAIN()                                                                                             \
    if (!m_noKeychain.isEmpty())                                                                                       \
        QSKIP(qPrintable(m_noKeychain));
#endif

    // A keychain job, answered: the spy's first emission, or a failure naming what went wrong.
    void roundTrip(TokenStore &store, const QString &key, const QString &token)
    {
        QSignalSpy written(&store, &TokenStore::tokenWritten);
        QSignalSpy failed(&store, &TokenStore::failed);
        store.write(key, token);
        QVERIFY2(written.wait(10000), qPrintable(failed.isEmpty() ? u"no answer"_qs : failed.at(0).at(1).toString()));
        QCOMPARE(written.at(0).at(0).toString(), key);
    }
    QString readBack(TokenStore &store, const QString &key)
    {
        QSignalSpy read(&store, &TokenStore::tokenRead);
        store.read(key);
        if (!read.wait(10000))
            return QStringLiteral("<no answer>");
        return read.at(0).at(1).toString();
    }

private slots:
    void initTestCase()
    {
        if (qgetenv("AGENT_CONSOLE_PRIVATE_SESSION") != "1") {
            m_noKeychain = QStringLiteral("The keychain cases run only inside tests/app/private-session.sh "
                                          "--keyring (as ctest runs them), never against the user's own keyring");
            return;
        }
        m_service = QStringLiteral("agent-console-test-%1").arg(QCoreApplication::applicationPid());
        // Is there a keychain at all? A test that cannot reach one says so.
        const KeychainProbe probe = probeKeychain(m_service);
        QVERIFY(probe.answered);
        m_noKeychain = probe.unavailable;
        if (!m_noKeychain.isEmpty())
            return;
        QVERIFY2(probe.failure.isEmpty(), qPrintable(probe.failure));
    }

    void init()
    {
        QMutexLocker lock(&logMutex);
        logLines.clear();
    }

    void writeReadRemoveRoundTrip()
    {
        REQUIRE_KEYCHAIN();
        const QString key = TokenStore::keyFor(ApiUrl, QStringLiteral("t1"));
        {
            TokenStore store(m_service);
            roundTrip(store, key, Token);
            QVERIFY(store.isPersistent());
        }
        // A new store has nothing in memory: what it reads came from the keychain.
        TokenStore later(m_service);
        QCOMPARE(readBack(later, key), Token);

        QSignalSpy removed(&later, &TokenStore::tokenRemoved);
        later.remove(key);
        QVERIFY(removed.wait(10000));
        TokenStore afterSignOut(m_service);
        QCOMPARE(readBack(afterSignOut, key), QString());
    }

    void overwriteKeepsTheNewestToken()
    {
        REQUIRE_KEYCHAIN();
        TokenStore store(m_service);
        const QString key = TokenStore::keyFor(ApiUrl, QStringLiteral("t-over"));
        roundTrip(store, key, QStringLiteral("first"));
        roundTrip(store, key, QStringLiteral("second ✓ ünïcode"));
        TokenStore other(m_service);
        QCOMPARE(readBack(other, key), u"second ✓ ünïcode");
    }

    void tokensAreSeparatePerTenantAndBackend()
    {
        REQUIRE_KEYCHAIN();
        TokenStore store(m_service);
        const QString a = TokenStore::keyFor(ApiUrl, QStringLiteral("t1"));
        const QString b = TokenStore::keyFor(ApiUrl, QStringLiteral("t2"));
        const QString c
            = TokenStore::keyFor(QUrl(QStringLiteral("https://staging.example.com/")), QStringLiteral("t1"));
        QCOMPARE(TokenStore::keyFor(QUrl(QStringLiteral("https://chat.example.com/")), QStringLiteral("t1")), a);
        QVERIFY(a != b && a != c && b != c);
        roundTrip(store, a, QStringLiteral("token-a"));
        roundTrip(store, b, QStringLiteral("token-b"));
        roundTrip(store, c, QStringLiteral("token-c"));
        TokenStore other(m_service);
        QCOMPARE(readBack(other, a), u"token-a");
        QCOMPARE(readBack(other, b), u"token-b");
        QCOMPARE(readBack(other, c), u"token-c");
    }

    void removingWhatIsNotThereIsNotAnError()
    {
        REQUIRE_KEYCHAIN();
        TokenStore store(m_service);
        QSignalSpy removed(&store, &TokenStore::tokenRemoved);
        QSignalSpy failed(&store, &TokenStore::failed);
        store.remove(TokenStore::keyFor(ApiUrl, QStringLiteral("never-written")));
        QVERIFY(removed.wait(10000));
        QVERIFY(failed.isEmpty());
    }

    void signOutRemovesTheTokenFromTheKeychain()
    {
        REQUIRE_KEYCHAIN();
        const AppSettings account {QUrl(QStringLiteral("https://chat.example.com")), QStringLiteral("t-signout"), {}};
        TokenStore tokens(m_service);
        roundTrip(tokens, account.tokenKey(), Token);
        SettingsDialog dialog(&tokens);
        dialog.setCurrent(account, Token, QStringLiteral("c1"));
        dialog.open();
        QSignalSpy signedOut(&dialog, &SettingsDialog::signedOut);
        dialog.signOutButton()->click();
        QVERIFY(signedOut.wait(10000));
        QCOMPARE(signedOut.at(0).at(0).value<AppSettings>(), account);
        QVERIFY(!dialog.isVisible());
        TokenStore later(m_service);
        QCOMPARE(readBack(later, account.tokenKey()), QString());
    }

    void theTokenIsNeverLogged()
    {
        REQUIRE_KEYCHAIN();
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=true"));
        previousHandler = qInstallMessageHandler(captureLog);
        {
            TokenStore store(m_service);
            const QString key = TokenStore::keyFor(ApiUrl, QStringLiteral("t-log"));
            roundTrip(store, key, Token);
            QCOMPARE(readBack(store, key), Token);
            store.remove(key);
            QCOMPARE(readBack(store, key), QString());
        }
        qInstallMessageHandler(previousHandler);
        QLoggingCategory::setFilterRules(QString());
        QMutexLocker lock(&logMutex);
        for (const QString &line : std::as_const(logLines))
            QVERIFY2(!line.contains(Token), qPrintable(line));
    }

    // Not a keychain case: runs whatever this machine has, in a child with no session bus.
    void withoutKeychainTheTokenLivesInMemoryAndThatIsSaidOnce()
    {
#if !defined(Q_OS_UNIX) || defined(Q_OS_MACOS)
        QSKIP("Only the Secret Service keychain can be taken away (by the session bus address)");
#endif
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(ChildMode), QStringLiteral("1"));
        env.insert(
            QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent/agent-console-bus"));
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(child.waitForFinished(60000));
        const QString out = QString::fromUtf8(child.readAllStandardOutput());
        QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0,
            qPrintable(out + QString::fromUtf8(child.readAllStandardError())));
        QVERIFY2(out.contains(u"read-back same\n"), qPrintable(out));
        QVERIFY2(out.contains(u"after-remove empty\n"), qPrintable(out));
        QVERIFY2(out.contains(u"persistent no\n"), qPrintable(out));
        QVERIFY2(out.contains(u"unavailable-signals 1\n"), qPrintable(out)); // said once, not per job
        QVERIFY2(out.contains(u"session only"), qPrintable(out));
        QVERIFY(!out.contains(Token));
    }

    void cleanupTestCase()
    {
        if (!m_noKeychain.isEmpty())
            return;
        TokenStore store(m_service);
        QSignalSpy removed(&store, &TokenStore::tokenRemoved);
        store.remove(QStringLiteral("probe"));
        removed.wait(10000);
    }
};

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsSet(ChildMode))
        return runWithoutKeychain(argc, argv);
    QApplication app(argc, argv); // the settings dialog's sign-out is checked here, against the real keychain
    TestTokenStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_tokenstore.moc"
