#include "connectionform.h"

#include "widgetapiclient.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QVBoxLayout>

// How long the check waits for the backend: long enough for a slow VPN, short enough not to look hung.
static constexpr int CheckTimeoutMs = 15000;

ConnectionForm::ConnectionForm(QWidget *parent)
    : QWidget(parent)
    , m_apiUrl(new QLineEdit(this))
    , m_tenant(new QLineEdit(this))
    , m_integration(new QLineEdit(this))
    , m_token(new QLineEdit(this))
    , m_conversation(new QLineEdit(this))
    , m_error(new QLabel(this))
    , m_status(new QLabel(this))
    , m_progress(new QProgressBar(this))
{
    m_apiUrl->setObjectName(QStringLiteral("apiUrlEdit"));
    m_apiUrl->setPlaceholderText(QStringLiteral("https://chat.example.com"));
    m_apiUrl->setAccessibleName(tr("API URL"));
    m_apiUrl->setAccessibleDescription(tr("Base address of the chat backend"));
    m_tenant->setObjectName(QStringLiteral("tenantEdit"));
    m_tenant->setAccessibleName(tr("Tenant"));
    m_tenant->setAccessibleDescription(tr("Your organisation's tenant id"));
    m_integration->setObjectName(QStringLiteral("integrationEdit"));
    m_integration->setPlaceholderText(tr("Optional: taken from the conversation"));
    m_integration->setAccessibleName(tr("Integration"));
    m_integration->setAccessibleDescription(tr("Optional integration id; the backend names it when left empty"));
    m_token->setObjectName(QStringLiteral("tokenEdit"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setAccessibleName(tr("Token"));
    m_token->setAccessibleDescription(tr("Your API token; it is kept in the system keychain"));
    m_conversation->setObjectName(QStringLiteral("conversationEdit"));
    m_conversation->setAccessibleName(tr("Conversation"));
    m_conversation->setAccessibleDescription(tr("Id of the conversation to open; signing in checks it"));

    // Server text is shown as it is, never interpreted as markup.
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setAccessibleName(tr("Sign-in error"));
    QPalette red = m_error->palette();
    red.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
    m_error->setPalette(red);
    m_error->hide();
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->hide();
    m_progress->setObjectName(QStringLiteral("checkProgress"));
    m_progress->setRange(0, 0); // busy: a context call has no measurable progress
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(6);
    m_progress->setAccessibleName(tr("Checking the connection"));
    m_progress->hide();

    auto *form = new QFormLayout;
    form->addRow(tr("&API URL:"), m_apiUrl);
    form->addRow(tr("&Tenant:"), m_tenant);
    form->addRow(tr("&Integration:"), m_integration);
    form->addRow(tr("To&ken:"), m_token);
    form->addRow(tr("&Conversation:"), m_conversation);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_error);
}

void ConnectionForm::setSettings(const AppSettings &settings)
{
    m_apiUrl->setText(settings.apiUrl.toString());
    m_tenant->setText(settings.tenant);
    m_integration->setText(settings.integration);
}

AppSettings ConnectionForm::settings() const
{
    AppSettings s;
    const QString url = m_apiUrl->text().trimmed();
    s.apiUrl = url.isEmpty() ? QUrl() : QUrl(url, QUrl::StrictMode);
    s.tenant = m_tenant->text().trimmed();
    s.integration = m_integration->text().trimmed();
    return s;
}

void ConnectionForm::setConversationId(const QString &conversationId)
{
    m_conversation->setText(conversationId);
}

QString ConnectionForm::conversationId() const
{
    return m_conversation->text().trimmed();
}

void ConnectionForm::setCurrentToken(const QString &token)
{
    m_currentToken = token;
    m_token->setPlaceholderText(token.isEmpty() ? QString() : tr("Unchanged"));
}

QString ConnectionForm::token() const
{
    // Tokens never contain spaces; a trailing newline from a paste would only make the backend refuse it.
    const QString typed = m_token->text().trimmed();
    return typed.isEmpty() ? m_currentToken : typed;
}

QString ConnectionForm::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void ConnectionForm::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void ConnectionForm::fail(const QString &message, QLineEdit *field)
{
    showError(message);
    field->setFocus();
    field->selectAll();
    emit checkFailed(message);
}

void ConnectionForm::check()
{
    cancel();
    const AppSettings s = settings();
    QString problem = s.problem();
    if (problem.isEmpty() && token().isEmpty())
        problem = tr("Enter your token.");
    if (problem.isEmpty() && conversationId().isEmpty())
        problem = tr("Enter the id of a conversation to open; signing in checks that it can be opened.");
    if (!problem.isEmpty()) {
        AppSettings withTenant = s;
        withTenant.tenant = QStringLiteral("-");
        QLineEdit *field = m_conversation;
        if (!withTenant.isComplete())
            field = m_apiUrl;
        else if (s.tenant.isEmpty())
            field = m_tenant;
        else if (token().isEmpty())
            field = m_token;
        fail(problem, field);
        return;
    }
    showError({});
    auto *api = new WidgetApiClient(this);
    api->setConfig(ApiConfig {s.apiUrl, s.tenant, s.integration, token(), CheckTimeoutMs, m_ssl});
    const QString conversation = conversationId();
    const QString tokenUsed = token();
    connect(api, &WidgetApiClient::contextLoaded, this,
        [this, api, s, conversation, tokenUsed](const Wire::ConversationContext &context) {
            if (api != m_api)
                return;
            finishCheck();
            emit checkSucceeded(s, tokenUsed, conversation, context.customerName);
        });
    connect(api, &WidgetApiClient::contextFailed, this, [this, api, s, conversation](const Wire::ApiError &error) {
        if (api != m_api)
            return;
        finishCheck();
        // Back to the field most likely wrong, so the agent can correct it at once.
        QLineEdit *field = m_apiUrl;
        if (error.httpStatus == 401 || error.httpStatus == 403)
            field = m_token;
        else if (error.httpStatus == 404)
            field = m_conversation;
        fail(describe(error, s.apiUrl, conversation), field);
    });
    setChecking(api);
    m_status->setText(tr("Checking with %1…").arg(s.apiUrl.host()));
    api->fetchContext(conversation);
}

void ConnectionForm::cancel()
{
    if (!m_api)
        return;
    finishCheck();
}

void ConnectionForm::setChecking(WidgetApiClient *api)
{
    m_api = api;
    const bool checking = api != nullptr;
    for (QLineEdit *edit : {m_apiUrl, m_tenant, m_integration, m_token, m_conversation})
        edit->setReadOnly(checking);
    m_progress->setVisible(checking);
    m_status->setVisible(checking);
    emit checkingChanged(checking);
}

void ConnectionForm::finishCheck()
{
    // Deleting the client aborts its request: a cancelled check answers nothing.
    WidgetApiClient *api = m_api;
    setChecking(nullptr);
    api->deleteLater();
}

QString ConnectionForm::describe(const Wire::ApiError &error, const QUrl &apiUrl, const QString &conversationId)
{
    const QString host
        = apiUrl.port() > 0 ? QStringLiteral("%1:%2").arg(apiUrl.host()).arg(apiUrl.port()) : apiUrl.host();
    const QString server = error.message.isEmpty() ? QString() : tr(" (server: %1)").arg(error.message);
    switch (error.httpStatus) {
    case 401:
        return tr("The token was refused%1. Check the token and the tenant.").arg(server);
    case 403:
        return tr("The token may not open conversations of this tenant%1.").arg(server);
    case 404:
        return tr("Conversation “%1” was not found%2. Check the conversation id, the tenant and the API URL.")
            .arg(conversationId, server);
    case 0:
        break;
    default:
        return tr("%1 answered HTTP %2: %3").arg(host).arg(error.httpStatus).arg(error.message);
    }
    if (error.code == u"TLS")
        return error.message; // names the host already
    return tr("No answer from %1: %2").arg(host, error.message);
}
