// The console as main() runs it (ConsoleSession) against widget-server in-process on 127.0.0.1:0:
// a first start signs in through the dialog and opens the console, a second start finds the settings
// and the keychain's token and asks nothing, and a customer writing in a conversation that is not on
// screen raises a notification (recorded by an injected Notifier) and counts in the tray; clicking the
// notification shows that conversation. ctest runs it in a private D-Bus session with gnome-keyring
// (private-session.sh --keyring), so the keychain is real and never the user's own.
#include "appsettings.h"
#include "connectionform.h"
#include "consolesession.h"
#include "conversation.h"
#include "keychainprobe.h"
#include "mainwindow.h"
#include "missingdependency.h"
#include "notifier.h"
#include "signindialog.h"
#include "signinflow.h"
#include "socketioclient.h"
#include "trayicon.h"
#include "widgetserver.h"
#include "workspace.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

namespace {

const QString Token = QStringLiteral("tok_session_8d1f3b5a7c9e2d4f6a8c0e1b3d5f7a9c");
const QString Tenant = QStringLiteral("t1");

class RecordingNotifier : public Notifier
{
    Q_OBJECT
public:
    using Notifier::Notifier;
    struct Shown
    {
        QString conversationId;
        QString title;
        QString body;
    };
    void notify(const QString &conversationId, const QString &title, const QString &body) override
    {
        shown.append({conversationId, title, body});
    }
    void click(const QString &conversationId) { emit activated(conversationId); }
    QList<Shown> shown;
};

} // namespace

class TestConsoleSession : public QObject
{
    Q_OBJECT

    std::unique_ptr<WidgetServer> m_server;

    static QSettings settingsFile()
    {
        return QSettings(QSettings::NativeFormat, QSettings::UserScope, QStringLiteral("agent-console"),
            QStringLiteral("agent-console"));
    }
    QString m_noKeychain; // why the sign-in case cannot run here; empty when a keychain answered

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // settings go to ~/.qttest/config, not the agent's own
        m_server = std::make_unique<WidgetServer>();
        m_server->setToken(Token);
        m_server->addConversation(Tenant, QStringLiteral("c1"), QStringLiteral("Ana Souza"));
        m_server->addConversation(Tenant, QStringLiteral("c2"), QStringLiteral("Ben Okafor"));
        QVERIFY(m_server->listen());
        if (qgetenv("AGENT_CONSOLE_PRIVATE_SESSION") != "1") {
            m_noKeychain = QStringLiteral("no D-Bus session with a keychain: run through ctest (private-session.sh "
                                          "--keyring), never against the user's own keyring");
            return;
        }
        const KeychainProbe probe = probeKeychain(QStringLiteral("agent-console-test-probe"));
        QVERIFY(probe.answered);
        m_noKeychain = probe.unavailable;
    }

    void firstStartSignsInThenSecondStartAsksNothing()
    {
        if (!m_noKeychain.isEmpty()) {
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
            SKIP_MISSING_DEPENDENCY(m_noKeychain);
#else
            QSKIP(qPrintable(m_noKeychain)); // Windows' and macOS' own keychains are never reached from a test
#endif
        }
        AppSettings::clear();
        settingsFile().remove(QStringLiteral("conversations"));

        {
            ConsoleSession session(Options {}, nullptr, nullptr);
            session.start();
            QTRY_VERIFY(session.signInFlow()->dialog());
            QVERIFY(!session.window());
            SignInDialog *dialog = session.signInFlow()->dialog();
            QTest::keyClicks(dialog->form()->apiUrlEdit(), m_server->baseUrl().toString());
            QTest::keyClicks(dialog->form()->tenantEdit(), Tenant);
            QTest::keyClicks(dialog->form()->tokenEdit(), Token);
            QTest::keyClicks(dialog->form()->conversationEdit(), QStringLiteral("c1"));
            // Links another program hands over while the agent signs in wait for the account, as many
            // as a burst may open, however many come.
            for (int burst = 0; burst < 3; ++burst) {
                QStringList links;
                for (int i = 0; i < 40; ++i)
                    links << QStringLiteral("agent-console://open?conversation=w%1_%2&tenant=%3").arg(burst).arg(i).arg(Tenant);
                QCOMPARE(session.activate({}, links), QString());
            }
            QCOMPARE(session.waitingLinkCount(), ConsoleSession::MaxLinksAtOnce);
            QSignalSpy opened(&session, &ConsoleSession::consoleOpened);
            QTest::mouseClick(dialog->signInButton(), Qt::LeftButton);
            QVERIFY(opened.wait(10000));
            QVERIFY(session.window());
            QCOMPARE(session.workspace()->conversationIds().size(), 1 + ConsoleSession::MaxLinksAtOnce);
            QVERIFY(session.workspace()->conversationIds().contains(u"w0_9"_qs));
            QVERIFY(!session.workspace()->conversationIds().contains(u"w0_10"_qs));
            auto *said = session.window()->findChild<QMessageBox *>(QStringLiteral("linkRefusedMessage"));
            QVERIFY(said);
            QVERIFY2(said->text().contains(u"first 10 of 120"), qPrintable(said->text()));
            for (int i = 0; i < ConsoleSession::MaxLinksAtOnce; ++i)
                session.workspace()->closeConversation(QStringLiteral("w0_%1").arg(i));
            QCOMPARE(session.workspace()->conversationIds(), QStringList {QStringLiteral("c1")});
            QTRY_COMPARE(session.workspace()->displayName(QStringLiteral("c1")), u"Ana Souza");
            // A stored account can be changed later.
            QVERIFY(session.window()->settingsAction()->isVisible());
            QVERIFY(session.window()->shortcutActions().contains(session.window()->settingsAction()));
        }

        QSettings settings(settingsFile().fileName(), QSettings::NativeFormat);
        QFile file(settings.fileName());
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(settings.fileName()));
        const QByteArray stored = file.readAll();
        QVERIFY(stored.contains(Tenant.toUtf8()));
        QVERIFY2(!stored.contains(Token.toUtf8()), "the token reached the settings file");

        // Next start: settings from the file, token from the keychain, the open list restored.
        ConsoleSession again(Options {}, nullptr, nullptr);
        QSignalSpy opened(&again, &ConsoleSession::consoleOpened);
        again.start();
        QVERIFY(opened.wait(10000));
        QVERIFY(!again.signInFlow()->dialog());
        QCOMPARE(again.workspace()->conversationIds(), QStringList {QStringLiteral("c1")});
        QTRY_COMPARE(again.workspace()->displayName(QStringLiteral("c1")), u"Ana Souza");
    }

    void customerWritingElsewhereNotifiesAndTheClickShowsIt()
    {
        Options options;
        options.apiUrl = m_server->baseUrl();
        options.tenant = Tenant;
        options.token = Token;
        options.conversations = {QStringLiteral("c1"), QStringLiteral("c2")};
        QObject owner;
        auto *notifier = new RecordingNotifier(&owner);
        ConsoleSession session(options, nullptr, nullptr, notifier);
        session.start();
        Workspace *workspace = session.workspace();
        QVERIFY(workspace);
        // An account from the command line is for this run: nothing to change in Settings.
        QVERIFY(!session.window()->settingsAction()->isVisible());
        QVERIFY(!session.window()->shortcutActions().contains(session.window()->settingsAction()));
        workspace->setCurrent(QStringLiteral("c1"));
        Conversation *background = workspace->conversation(QStringLiteral("c2"));
        QTRY_COMPARE(background->connectionState(), SocketIoClient::State::Connected);
        QTRY_COMPARE(workspace->displayName(QStringLiteral("c2")), u"Ben Okafor");

        QVERIFY(!m_server->injectInbound(Tenant, QStringLiteral("c2"), QStringLiteral("Is my order on its way?")).isEmpty());
        QTRY_COMPARE(notifier->shown.size(), 1);
        QCOMPARE(notifier->shown.constFirst().conversationId, u"c2");
        QCOMPARE(notifier->shown.constFirst().title, u"Ben Okafor");
        QCOMPARE(notifier->shown.constFirst().body, u"Is my order on its way?");
        QTRY_COMPARE(session.tray()->unreadCount(), 1);
        QVERIFY(session.tray()->toolTip().contains(u'1'));

        notifier->click(QStringLiteral("c2"));
        QTRY_COMPARE(workspace->currentId(), u"c2");
        QTRY_COMPARE(session.tray()->unreadCount(), 0);
    }

    // A link handed over by another start (issue 18): the account's conversation opens; another tenant's
    // is refused with a message in the window, and the console stays signed in where it was.
    void linksOpenOnTheirAccountOnly()
    {
        Options options;
        options.apiUrl = m_server->baseUrl();
        options.tenant = Tenant;
        options.token = Token;
        options.conversations = {QStringLiteral("c1")};
        QObject owner;
        ConsoleSession session(options, nullptr, nullptr, new RecordingNotifier(&owner));
        session.start();
        Workspace *workspace = session.workspace();
        QCOMPARE(session.activate({}, {QStringLiteral("agent-console://open?conversation=c2&tenant=%1").arg(Tenant)}),
            QString());
        QCOMPARE(workspace->currentId(), u"c2");

        const QString refusal
            = session.activate({}, {QStringLiteral("agent-console://open?conversation=c3&tenant=globex")});
        QVERIFY2(refusal.contains(u"of tenant “globex”"), qPrintable(refusal));
        QCOMPARE(workspace->conversationIds(), (QStringList {u"c1"_qs, u"c2"_qs}));
        QCOMPARE(session.workspace(), workspace); // the same account, not another
        auto *box = session.window()->findChild<QMessageBox *>(QStringLiteral("linkRefusedMessage"));
        QVERIFY(box);
        QTRY_VERIFY(box->isVisible());
        QCOMPARE(box->text(), refusal);
        QCOMPARE(box->textFormat(), Qt::PlainText); // a link's words are never markup

        // A burst of links opens the first few only, and says so.
        QStringList burst;
        for (int i = 0; i < 50; ++i)
            burst << QStringLiteral("agent-console://open?conversation=burst%1&tenant=%2").arg(i).arg(Tenant);
        const QString said = session.activate({}, burst);
        QVERIFY2(said.contains(u"first 10 of 50"), qPrintable(said));
        QCOMPARE(workspace->conversationIds().size(), 2 + ConsoleSession::MaxLinksAtOnce);
    }
};

QTEST_MAIN(TestConsoleSession)
#include "tst_consolesession.moc"
