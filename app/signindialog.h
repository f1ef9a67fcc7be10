// SignInDialog: the first start without a configuration (or after signing out). The agent enters where
// and who, plus the conversation to open first; "Sign in" checks them against the backend and the
// dialog stays open, with the server's answer, until they work. Opened with open()/show(), never exec().
#pragma once

#include "appsettings.h"

#include <QDialog>

class ConnectionForm;
class QLabel;
class QPushButton;
class QSslConfiguration;

class SignInDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SignInDialog(QWidget *parent = nullptr);

    // Prefills (e.g. the last settings, or --api-url/--tenant); the token field always starts empty.
    void setSettings(const AppSettings &settings);
    void setConversationId(const QString &conversationId);
    void setSslConfiguration(const QSslConfiguration &ssl);
    // A line above the fields, e.g. why the dialog is shown ("The keychain is not available ...").
    void setNotice(const QString &text);

    ConnectionForm *form() const { return m_form; }
    QPushButton *signInButton() const { return m_signIn; }

signals:
    // The backend accepted the token and knows the conversation. The dialog has closed (accepted).
    void signedIn(const AppSettings &settings, const QString &token, const QString &conversationId);

private:
    ConnectionForm *m_form;
    QLabel *m_notice;
    QPushButton *m_signIn;
};
