// SettingsDialog: change the API URL, tenant, integration or token later, checked against the backend
// the same way as signing in; and "Sign out", which removes the token from the keychain. Opened with
// open()/show(), never exec().
#pragma once

#include "appsettings.h"

#include <QDialog>

class ConnectionForm;
class QPushButton;
class QSslConfiguration;
class TokenStore;

class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SettingsDialog(TokenStore *tokens, QWidget *parent = nullptr);

    // The account in use. `token` is what the check uses while the token field is left empty; it is
    // never shown. `conversationId` is the conversation the check opens (usually the one on screen).
    void setCurrent(const AppSettings &settings, const QString &token, const QString &conversationId);
    void setSslConfiguration(const QSslConfiguration &ssl);

    ConnectionForm *form() const { return m_form; }
    QPushButton *saveButton() const { return m_save; }
    QPushButton *signOutButton() const { return m_signOut; }

signals:
    // The backend accepted the new settings and token; the dialog has closed. Nothing is stored yet:
    // the receiver saves the settings and writes the token (as after signing in).
    void settingsChanged(const AppSettings &settings, const QString &token);
    // The token of `settings` is gone from the keychain; the dialog has closed.
    void signedOut(const AppSettings &settings);

private:
    void signOut();

    TokenStore *m_tokens;
    ConnectionForm *m_form;
    QPushButton *m_save;
    QPushButton *m_signOut;
    AppSettings m_current;
    QString m_removingKey; // the keychain entry a sign-out is removing; empty otherwise
};
