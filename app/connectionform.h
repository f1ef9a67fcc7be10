// ConnectionForm: the fields of a connection (API URL, tenant, integration, token, the conversation to
// open) and the check of them: one asynchronous call of the context endpoint (CONTRACT.md §1) through
// WidgetApiClient, with progress while it runs and the server's answer in words when it fails.
// SignInDialog and SettingsDialog are this form plus their buttons.
#pragma once

#include "appsettings.h"

#include <QSslConfiguration>
#include <QWidget>

class QFormLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class WidgetApiClient;

namespace Wire {
struct ApiError;
}

class ConnectionForm : public QWidget
{
    Q_OBJECT

public:
    explicit ConnectionForm(QWidget *parent = nullptr);

    void setSettings(const AppSettings &settings);
    AppSettings settings() const; // as typed, trimmed
    void setConversationId(const QString &conversationId);
    QString conversationId() const;
    // The token the check uses when the token field is left empty (Settings: "unchanged"). Kept in
    // memory only, never shown.
    void setCurrentToken(const QString &token);
    QString token() const; // typed, or the current one when the field is empty
    // CA store for https (--ca-file), the same the conversations use.
    void setSslConfiguration(const QSslConfiguration &ssl) { m_ssl = ssl; }

    // Checks the fields locally, then asks the backend. Answers with checkSucceeded or checkFailed.
    void check();
    // Forgets a check in flight: its answer, when it comes, is ignored.
    void cancel();
    bool isChecking() const { return m_api != nullptr; }
    QString errorText() const;

    // The words for a failed context call: what the agent reads under the fields.
    static QString describe(const Wire::ApiError &error, const QUrl &apiUrl, const QString &conversationId);

    QLineEdit *apiUrlEdit() const { return m_apiUrl; }
    QLineEdit *tenantEdit() const { return m_tenant; }
    QLineEdit *integrationEdit() const { return m_integration; }
    QLineEdit *tokenEdit() const { return m_token; }
    QLineEdit *conversationEdit() const { return m_conversation; }
    QLabel *errorLabel() const { return m_error; }
    QProgressBar *progressBar() const { return m_progress; }

signals:
    void checkingChanged(bool checking);
    void checkSucceeded(
        const AppSettings &settings, const QString &token, const QString &conversationId, const QString &customerName);
    void checkFailed(const QString &message);

private:
    void showError(const QString &message);
    void fail(const QString &message, QLineEdit *field);
    void setChecking(WidgetApiClient *api);
    void finishCheck();

    QLineEdit *m_apiUrl;
    QLineEdit *m_tenant;
    QLineEdit *m_integration;
    QLineEdit *m_token;
    QLineEdit *m_conversation;
    QLabel *m_error;
    QLabel *m_status;
    QProgressBar *m_progress;
    QString m_currentToken;
    QSslConfiguration m_ssl = QSslConfiguration::defaultConfiguration();
    WidgetApiClient *m_api = nullptr; // set while a check runs; a new client per check
};
