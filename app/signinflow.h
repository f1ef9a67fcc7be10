// SignInFlow: from start to a usable account. Loads AppSettings; when they are complete, reads the
// token from the keychain; when anything is missing (first start, signed out, no keychain) opens the
// SignInDialog, and after a successful sign-in saves the settings and writes the token. Emits ready()
// once the console can connect. Everything is asynchronous; nothing waits on the UI thread.
#pragma once

#include "appsettings.h"

#include <QObject>
#include <QPointer>
#include <QSslConfiguration>

class SignInDialog;
class TokenStore;

class SignInFlow : public QObject
{
    Q_OBJECT

public:
    // `tokens` is not owned and must outlive the flow.
    explicit SignInFlow(TokenStore *tokens, QObject *parent = nullptr);
    ~SignInFlow() override;

    void setSslConfiguration(const QSslConfiguration &ssl) { m_ssl = ssl; }
    // Parent of the sign-in dialog (the main window once there is one); may be null.
    void setDialogParent(QWidget *parent) { m_dialogParent = parent; }

    // `conversationId` prefills the dialog's conversation field (e.g. --conversation or the last open).
    void start(const QString &conversationId = QString());
    // Opens the dialog again, e.g. after signing out or when the backend refused the stored token.
    void signInAgain(const QString &conversationId, const QString &reason = QString());

    SignInDialog *dialog() const; // while open
    AppSettings settings() const { return m_settings; }

signals:
    // Settings saved, token at hand. `conversationId` is the one the agent signed in with; empty when
    // the account came from the stored settings and keychain without a dialog.
    void ready(const AppSettings &settings, const QString &token, const QString &conversationId);
    // The agent closed the sign-in dialog without signing in.
    void cancelled();

private:
    void openDialog(const QString &conversationId, const QString &notice);

    TokenStore *m_tokens;
    QPointer<QWidget> m_dialogParent;
    QPointer<SignInDialog> m_dialog;
    QSslConfiguration m_ssl = QSslConfiguration::defaultConfiguration();
    AppSettings m_settings;
    QString m_pendingRead; // the keychain key start() is reading; empty otherwise
    QString m_conversation;
    QString m_keychainNotice; // said once in the dialog when the keychain is missing
};
