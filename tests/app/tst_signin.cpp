// Signing in and the settings: SignInDialog and SettingsDialog against widget-server in-process on
// 127.0.0.1:0 (valid sign-in, a refused token, an unknown conversation, an unreachable URL), AppSettings
// in a test-mode settings location with a check that no token text reaches the file, and SignInFlow
// from first start to a second start that needs no dialog. ctest runs it in a private D-Bus session
// with gnome-keyring (private-session.sh --keyring); run by hand it never reaches the user's keyring.
#include "appsettings.h"
#include "connectionform.h"
#include "settingsdialog.h"
#include "signindialog.h"
#include "signinflow.h"
#include "tokenstore.h"
#include "widgetserver.h"
#include "wirejson.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>

namespace {

const QString Token = QStringLiteral("tok_signin_3c9e1a7f5b2d4c6e8a0f2b4d6c8e0a1b");
const QString Tenant = QStringLiteral("t1");
const QString Conversation = QStringLiteral("c1");

// A port nothing listens on: bound, then closed again.
quint16 closedPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

void saveArtifact(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("AGENT_CONSOLE_ARTIFACTS");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    widget->grab().save(dir + u'/' + name);
}

} // namespace

class TestSignIn : public QObject
{
    Q_OBJECT

    std::unique_ptr<WidgetServer> m_server;

    AppSettings serverSettings() const { return AppSettings {m_server->baseUrl(), Tenant, {}}; }
    // Fills the dialog as an agent would, by typing.
    void fill(ConnectionForm *form, const QString &url, const QString &tenant, const QString &token,
        const QString &conversation)
    {
        for (QLineEdit *edit : {form->apiUrlEdit(), form->tenantEdit(), form->tokenEdit(), form->conversationEdit()})
            edit->clear();
        QTest::keyClicks(form->apiUrlEdit(), url);
        QTest::keyClicks(form->tenantEdit(), tenant);
        QTest::keyClicks(form->tokenEdit(), token);
        QTest::keyClicks(form->conversationEdit(), conversation);
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // settings go to ~/.qttest/config, not the agent's own
        qRegisterMetaType<AppSettings>();
    }

    void init()
    {
        m_server = std::make_unique<WidgetServer>();
        m_server->setToken(Token);
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
        m_server->addConversation(Tenant, Conversation, QStringLiteral("Ana Customer"));
        AppSettings::clear();
    }
    void cleanup()
    {
        m_server.reset();
        AppSettings::clear();
    }

    void validSignInEmitsSignedIn()
    {
        SignInDialog dialog;
        dialog.open();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy signedIn(&dialog, &SignInDialog::signedIn);
        fill(dialog.form(), m_server->baseUrl().toString(), Tenant, Token, Conversation);
        QCOMPARE(dialog.form()->tokenEdit()->echoMode(), QLineEdit::Password);
        saveArtifact(&dialog, QStringLiteral("signin-filled.png"));
        dialog.signInButton()->click();
        // Asynchronous: the click returns at once, with the check in progress and the button disabled.
        QVERIFY(dialog.form()->isChecking());
        QVERIFY(dialog.form()->progressBar()->isVisible());
        QVERIFY(!dialog.signInButton()->isEnabled());
        QVERIFY(dialog.form()->tokenEdit()->isReadOnly());
        saveArtifact(&dialog, QStringLiteral("signin-checking.png"));
        QVERIFY(signedIn.wait(5000));
        const auto settings = signedIn.at(0).at(0).value<AppSettings>();
        QCOMPARE(settings.apiUrl, m_server->baseUrl());
        QCOMPARE(settings.tenant, Tenant);
        QCOMPARE(settings.integration, QString());
        QCOMPARE(signedIn.at(0).at(1).toString(), Token);
        QCOMPARE(signedIn.at(0).at(2).toString(), Conversation);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(!dialog.isVisible());
        QVERIFY(dialog.form()->tokenEdit()->text().isEmpty()); // not left in a widget
    }

    void wrongTokenShowsTheRefusalAndStaysOpen()
    {
        SignInDialog dialog;
        dialog.open();
        QSignalSpy signedIn(&dialog, &SignInDialog::signedIn);
        QSignalSpy failed(dialog.form(), &ConnectionForm::checkFailed);
        fill(dialog.form(), m_server->baseUrl().toString(), Tenant, QStringLiteral("not-the-token"), Conversation);
        dialog.signInButton()->click();
        QVERIFY(failed.wait(5000));
        const QString error = dialog.form()->errorLabel()->text();
        QVERIFY2(error.startsWith(u"The token was refused"), qPrintable(error));
        QVERIFY2(error.contains(u"Unauthorized"), qPrintable(error)); // the server's own words
        QVERIFY(dialog.form()->errorLabel()->isVisible());
        QCOMPARE(dialog.form()->errorLabel()->textFormat(), Qt::PlainText);
        QVERIFY(dialog.isVisible());
        QVERIFY(signedIn.isEmpty());
        QVERIFY(dialog.signInButton()->isEnabled());
        QVERIFY(!dialog.form()->progressBar()->isVisible());
        QCOMPARE(dialog.focusWidget(), dialog.form()->tokenEdit()); // ready for the right token
        saveArtifact(&dialog, QStringLiteral("signin-refused.png"));

        // Correcting the token on the same dialog works.
        dialog.form()->tokenEdit()->clear();
        QTest::keyClicks(dialog.form()->tokenEdit(), Token);
        dialog.signInButton()->click();
        QVERIFY(signedIn.wait(5000));
        QCOMPARE(signedIn.at(0).at(1).toString(), Token);
    }

    void unknownConversationIsNamed()
    {
        SignInDialog dialog;
        dialog.open();
        QSignalSpy failed(dialog.form(), &ConnectionForm::checkFailed);
        QSignalSpy signedIn(&dialog, &SignInDialog::signedIn);
        fill(dialog.form(), m_server->baseUrl().toString(), Tenant, Token, QStringLiteral("c-missing"));
        dialog.signInButton()->click();
        QVERIFY(failed.wait(5000));
        const QString error = failed.at(0).at(0).toString();
        QVERIFY2(error.contains(u"“c-missing” was not found"), qPrintable(error));
        QVERIFY2(error.contains(u"Conversation not found"), qPrintable(error));
        QCOMPARE(dialog.form()->errorLabel()->text(), error);
        QVERIFY(dialog.isVisible());
        QVERIFY(signedIn.isEmpty());
        QCOMPARE(dialog.focusWidget(), dialog.form()->conversationEdit());
    }

    void unreachableUrlNamesTheHost()
    {
        const quint16 port = closedPort();
        QVERIFY(port != 0);
        SignInDialog dialog;
        dialog.open();
        QSignalSpy failed(dialog.form(), &ConnectionForm::checkFailed);
        fill(dialog.form(), QStringLiteral("http://127.0.0.1:%1").arg(port), Tenant, Token, Conversation);
        dialog.signInButton()->click();
        QVERIFY(failed.wait(10000));
        const QString error = failed.at(0).at(0).toString();
        QVERIFY2(error.contains(QStringLiteral("127.0.0.1:%1").arg(port)), qPrintable(error));
        QVERIFY2(error.contains(u"refused", Qt::CaseInsensitive), qPrintable(error));
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.focusWidget(), dialog.form()->apiUrlEdit());
        saveArtifact(&dialog, QStringLiteral("signin-unreachable.png"));
    }

    void serverTextIsNeverMarkup()
    {
        // A hostile or broken backend's error text is shown as typed characters, not rendered.
        ConnectionForm form;
        const QString shown = ConnectionForm::describe(
            Wire::ApiError {401, QStringLiteral("UNAUTHORIZED"), QStringLiteral("<b>bold</b>")}, QUrl(), Conversation);
        QVERIFY(shown.contains(u"<b>bold</b>"));
        QCOMPARE(form.errorLabel()->textFormat(), Qt::PlainText);
    }

    void incompleteFieldsAreCaughtBeforeAnyRequest_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("tenant");
        QTest::addColumn<QString>("token");
        QTest::addColumn<QString>("conversation");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("focus");
        QTest::newRow("no url") << ""
                                << "t1"
                                << "x"
                                << "c1"
                                << "Enter the API URL."
                                << "apiUrlEdit";
        QTest::newRow("ftp url") << "ftp://host"
                                 << "t1"
                                 << "x"
                                 << "c1"
                                 << "http:// or https://"
                                 << "apiUrlEdit";
        QTest::newRow("no host") << "https://"
                                 << "t1"
                                 << "x"
                                 << "c1"
                                 << "http:// or https://"
                                 << "apiUrlEdit";
        QTest::newRow("no tenant") << "https://host"
                                   << " "
                                   << "x"
                                   << "c1"
                                   << "Enter the tenant."
                                   << "tenantEdit";
        QTest::newRow("no token") << "https://host"
                                  << "t1"
                                  << ""
                                  << "c1"
                                  << "Enter your token."
                                  << "tokenEdit";
        QTest::newRow("no conversation") << "https://host"
                                         << "t1"
                                         << "x"
                                         << ""
                                         << "conversation to open"
                                         << "conversationEdit";
    }
    void incompleteFieldsAreCaughtBeforeAnyRequest()
    {
        QFETCH(QString, url);
        QFETCH(QString, tenant);
        QFETCH(QString, token);
        QFETCH(QString, conversation);
        QFETCH(QString, expected);
        QFETCH(QString, focus);
        SignInDialog dialog;
        dialog.open();
        QSignalSpy failed(dialog.form(), &ConnectionForm::checkFailed);
        fill(dialog.form(), url, tenant, token, conversation);
        dialog.signInButton()->click();
        QCOMPARE(failed.size(), 1); // at once: nothing was sent
        QVERIFY(!dialog.form()->isChecking());
        QVERIFY2(failed.at(0).at(0).toString().contains(expected), qPrintable(failed.at(0).at(0).toString()));
        QVERIFY(dialog.focusWidget());
        QCOMPARE(dialog.focusWidget()->objectName(), focus);
    }

    void cancelWhileCheckingAnswersNothing()
    {
        SignInDialog dialog;
        dialog.open();
        QSignalSpy signedIn(&dialog, &SignInDialog::signedIn);
        QSignalSpy failed(dialog.form(), &ConnectionForm::checkFailed);
        fill(dialog.form(), m_server->baseUrl().toString(), Tenant, Token, Conversation);
        dialog.signInButton()->click();
        QVERIFY(dialog.form()->isChecking());
        dialog.reject();
        QVERIFY(!dialog.form()->isChecking());
        // A second, later check proves the first answer has come and gone without effect.
        QSignalSpy succeeded(dialog.form(), &ConnectionForm::checkSucceeded);
        dialog.form()->check();
        QVERIFY(succeeded.wait(5000));
        QCOMPARE(succeeded.size(), 1);
        QVERIFY(signedIn.size() <= 1);
        QVERIFY(failed.isEmpty());
    }

    void settingsRoundTripAndNoTokenInTheFile()
    {
        const AppSettings empty = AppSettings::load();
        QVERIFY(!empty.isComplete());
        const QString file = QSettings(QSettings::NativeFormat, QSettings::UserScope, QStringLiteral("agent-console"),
            QStringLiteral("agent-console"))
                                 .fileName();
        QVERIFY2(file.contains(u".qttest"), qPrintable(file)); // test mode: never the agent's real file
        QVERIFY(file.endsWith(u"agent-console/agent-console.conf"));

        // Sign in for real, then store what the dialog handed over as the app does.
        SignInDialog dialog;
        dialog.open();
        QSignalSpy signedIn(&dialog, &SignInDialog::signedIn);
        fill(dialog.form(), m_server->baseUrl().toString(), Tenant, Token, Conversation);
        QTest::keyClicks(dialog.form()->integrationEdit(), QStringLiteral("i-42"));
        dialog.signInButton()->click();
        QVERIFY(signedIn.wait(5000));
        const auto settings = signedIn.at(0).at(0).value<AppSettings>();
        settings.save();

        const AppSettings loaded = AppSettings::load();
        QVERIFY(loaded.isComplete());
        QCOMPARE(loaded, settings);
        QCOMPARE(loaded.integration, u"i-42");
        QCOMPARE(loaded.tokenKey(), TokenStore::keyFor(m_server->baseUrl(), Tenant));

        QFile written(file);
        QVERIFY(written.open(QIODevice::ReadOnly));
        const QByteArray contents = written.readAll();
        QVERIFY(contents.contains(m_server->baseUrl().toString().toUtf8()));
        QVERIFY(!contents.contains(Token.toUtf8()));
        QVERIFY(!contents.contains("tok_"));
        QVERIFY(!contents.contains("conversations/"));

        // Other groups of the file are left alone by save() and clear().
        {
            QSettings other(file, QSettings::IniFormat);
            other.setValue(QStringLiteral("conversations/open"), QStringList {QStringLiteral("c1")});
        }
        AppSettings::clear();
        QVERIFY(!AppSettings::load().isComplete());
        QCOMPARE(QSettings(file, QSettings::IniFormat).value(QStringLiteral("conversations/open")).toStringList(),
            QStringList {QStringLiteral("c1")});
    }

    void settingsDialogChecksAChangedToken()
    {
        TokenStore tokens(QStringLiteral("agent-console-test-unused"));
        SettingsDialog dialog(&tokens);
        dialog.setCurrent(serverSettings(), Token, Conversation);
        dialog.open();
        QSignalSpy changed(&dialog, &SettingsDialog::settingsChanged);
        QSignalSpy failed(dialog.form(), &ConnectionForm::checkFailed);
        QVERIFY(dialog.form()->tokenEdit()->text().isEmpty()); // the current token is never shown
        QCOMPARE(dialog.form()->apiUrlEdit()->text(), m_server->baseUrl().toString());

        QTest::keyClicks(dialog.form()->tokenEdit(), QStringLiteral("a-new-wrong-token"));
        dialog.saveButton()->click();
        QVERIFY(failed.wait(5000));
        QVERIFY(failed.at(0).at(0).toString().startsWith(u"The token was refused"));
        QVERIFY(dialog.isVisible());
        saveArtifact(&dialog, QStringLiteral("settings-refused.png"));

        // Empty token field: the current token is kept, and checked.
        dialog.form()->tokenEdit()->clear();
        dialog.form()->integrationEdit()->setText(QStringLiteral("i-7"));
        dialog.saveButton()->click();
        QVERIFY(changed.wait(5000));
        QCOMPARE(changed.at(0).at(0).value<AppSettings>().integration, u"i-7");
        QCOMPARE(changed.at(0).at(1).toString(), Token);
        QVERIFY(!dialog.isVisible());
    }

    // SignInFlow ---------------------------------------------------------------------------------

    void firstStartSignsInAndTheNextStartDoesNot()
    {
        const QString service = QStringLiteral("agent-console-test-signin-%1").arg(QCoreApplication::applicationPid());
        TokenStore tokens(service);
        QString key;
        {
            SignInFlow flow(&tokens);
            QSignalSpy ready(&flow, &SignInFlow::ready);
            flow.start(QStringLiteral("c1"));
            QVERIFY(flow.dialog());
            QVERIFY(flow.dialog()->isVisible());
            QCOMPARE(flow.dialog()->form()->conversationEdit()->text(), Conversation);
            QSignalSpy written(&tokens, &TokenStore::tokenWritten);
            fill(flow.dialog()->form(), m_server->baseUrl().toString(), Tenant, Token, Conversation);
            flow.dialog()->signInButton()->click();
            QVERIFY(ready.wait(5000));
            QCOMPARE(ready.at(0).at(0).value<AppSettings>(), serverSettings());
            QCOMPARE(ready.at(0).at(1).toString(), Token);
            QCOMPARE(ready.at(0).at(2).toString(), Conversation);
            QCOMPARE(AppSettings::load(), serverSettings());
            QVERIFY(written.wait(10000));
            key = written.at(0).at(0).toString();
            QCOMPARE(key, serverSettings().tokenKey());
        }
        // Next start: settings and token are found; no dialog. With a keychain a new store proves the
        // token came from it; without one, the session's store still has it.
        TokenStore fresh(service);
        TokenStore *store = tokens.isPersistent() ? &fresh : &tokens;
        SignInFlow again(store);
        QSignalSpy ready(&again, &SignInFlow::ready);
        again.start();
        QVERIFY(ready.wait(10000));
        QVERIFY(!again.dialog());
        QCOMPARE(ready.at(0).at(1).toString(), Token);
        QCOMPARE(ready.at(0).at(2).toString(), QString());

        QSignalSpy removed(store, &TokenStore::tokenRemoved);
        store->remove(key);
        QVERIFY(removed.wait(10000));
    }

    void storedSettingsWithoutTokenAskForItOnly()
    {
        serverSettings().save();
        TokenStore tokens(QStringLiteral("agent-console-test-signin-empty-%1").arg(QCoreApplication::applicationPid()));
        SignInFlow flow(&tokens);
        flow.start(QStringLiteral("c7"));
        QTRY_VERIFY(flow.dialog() && flow.dialog()->isVisible());
        ConnectionForm *form = flow.dialog()->form();
        QCOMPARE(form->apiUrlEdit()->text(), m_server->baseUrl().toString());
        QCOMPARE(form->tenantEdit()->text(), Tenant);
        QVERIFY(form->tokenEdit()->text().isEmpty());
        QCOMPARE(form->conversationEdit()->text(), u"c7");
        saveArtifact(flow.dialog(), QStringLiteral("signin-stored-settings.png"));
    }

    void closingTheDialogCancels()
    {
        TokenStore tokens(QStringLiteral("agent-console-test-signin-cancel"));
        SignInFlow flow(&tokens);
        QSignalSpy cancelled(&flow, &SignInFlow::cancelled);
        QSignalSpy ready(&flow, &SignInFlow::ready);
        flow.start();
        QVERIFY(flow.dialog());
        flow.dialog()->reject();
        QCOMPARE(cancelled.size(), 1);
        QVERIFY(ready.isEmpty());
    }

    void signInAgainSaysWhy()
    {
        serverSettings().save();
        TokenStore tokens(QStringLiteral("agent-console-test-signin-again"));
        SignInFlow flow(&tokens);
        flow.signInAgain(Conversation, QStringLiteral("You signed out."));
        QVERIFY(flow.dialog());
        auto *notice = flow.dialog()->findChild<QLabel *>(QStringLiteral("noticeLabel"));
        QVERIFY(notice);
        QVERIFY(notice->text().startsWith(u"You signed out."));
        QCOMPARE(notice->textFormat(), Qt::PlainText);
        QCOMPARE(flow.dialog()->form()->tenantEdit()->text(), Tenant);
    }
};

int main(int argc, char **argv)
{
    // Outside the private session no keychain is reached at all: tokens then live in memory.
    if (qgetenv("AGENT_CONSOLE_PRIVATE_SESSION") != "1")
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/agent-console-bus");
    QApplication app(argc, argv);
    TestSignIn test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_signin.moc"
