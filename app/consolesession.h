// ConsoleSession: the console from start to quit. Chooses the account (the demo backend, the command
// line, or the stored settings + keychain through SignInFlow), builds the Workspace and MainWindow for
// it, and wires them to the tray icon and desktop notifications. Settings… and sign-out rebuild the
// console for the new account. main() only parses the command line and hands over.
#pragma once

#include "appsettings.h"
#include "commandline.h"

#include <QObject>
#include <QSslConfiguration>

#include <memory>

class DemoBackend;
class MainWindow;
class NotificationCenter;
class Notifier;
class OutboxStore;
class QSettings;
class SignInFlow;
class TokenStore;
class TrayIcon;
class Workspace;

class ConsoleSession : public QObject
{
    Q_OBJECT

public:
    // `demo` (may be null) and `outbox` (may be null: replies kept in memory only) must outlive the
    // session. `notifier` null: the desktop's (org.freedesktop.Notifications, else tray balloons).
    ConsoleSession(const Options &options, DemoBackend *demo, OutboxStore *outbox, Notifier *notifier = nullptr,
        QObject *parent = nullptr);
    ~ConsoleSession() override;

    void start();

    Workspace *workspace() const { return m_workspace.get(); }
    MainWindow *window() const { return m_window.get(); }
    TrayIcon *tray() const { return m_tray; }
    SignInFlow *signInFlow() const { return m_signIn; }
    NotificationCenter *notifications() const { return m_notifications; }
    // Opens the Settings dialog for the current account (what Conversation → Settings… does).
    void showSettings();
    // Another start of the console handed over (SingleInstance): show the window, open these conversations
    // and the conversations of these links. A link for another tenant or server than the signed-in account
    // is refused with a message in the window; returns the refusals (empty: all opened).
    QString activate(const QStringList &conversations, const QStringList &links = {});
    static constexpr int MaxLinksAtOnce = 10;
    qsizetype waitingLinkCount() const { return m_pendingLinks.size(); } // kept until the agent signs in

protected:
    // macOS hands a clicked agent-console:// link to the running app as a QFileOpenEvent, not in argv.
    bool eventFilter(QObject *watched, QEvent *event) override;

signals:
    // The console for an account is on screen (after start, sign-in, or a settings change).
    void consoleOpened();

private:
    void openConsole(const QStringList &conversations, const QString &current);
    // Opens the links' conversations on the account in use, or says why not; returns the refusals.
    // `offered`: how many links were handed over in all, when more came than `links` kept.
    QString openLinks(const QStringList &links, qsizetype offered = 0);
    void keepUntilSignedIn(const QStringList &links);
    void closeConsole();

    Options m_options;
    DemoBackend *m_demo;
    OutboxStore *m_outbox;
    QSslConfiguration m_ssl;
    std::unique_ptr<QSettings> m_settings;
    TokenStore *m_tokens;
    SignInFlow *m_signIn;
    TrayIcon *m_tray;
    NotificationCenter *m_notifications;
    AppSettings m_account;
    QString m_token; // for this session; the keychain holds the stored copy
    QStringList m_pendingLinks; // links that came before an account was chosen: opened with its console
    qsizetype m_pendingLinksOffered = 0; // all that came meanwhile; only the first MaxLinksAtOnce are kept
    // The window before the workspace it shows: declared after it, destroyed first.
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<MainWindow> m_window;
};
