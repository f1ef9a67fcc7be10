#include "signinflow.h"

#include "signindialog.h"
#include "tokenstore.h"

SignInFlow::SignInFlow(TokenStore *tokens, QObject *parent)
    : QObject(parent)
    , m_tokens(tokens)
{
    connect(m_tokens, &TokenStore::tokenRead, this, [this](const QString &key, const QString &token) {
        if (key != m_pendingRead)
            return;
        m_pendingRead.clear();
        if (token.isEmpty())
            openDialog(m_conversation, QString());
        else
            emit ready(m_settings, token, QString());
    });
    connect(m_tokens, &TokenStore::keychainUnavailable, this, [this](const QString &why) { m_keychainNotice = why; });
}

SignInFlow::~SignInFlow()
{
    delete m_dialog.data(); // parented to a window that may outlive the flow
}

SignInDialog *SignInFlow::dialog() const
{
    return m_dialog;
}

void SignInFlow::start(const QString &conversationId)
{
    m_conversation = conversationId;
    m_settings = AppSettings::load();
    if (!m_settings.isComplete()) {
        openDialog(conversationId, QString());
        return;
    }
    m_pendingRead = m_settings.tokenKey();
    m_tokens->read(m_pendingRead);
}

void SignInFlow::signInAgain(const QString &conversationId, const QString &reason)
{
    m_pendingRead.clear();
    m_settings = AppSettings::load();
    openDialog(conversationId, reason);
}

void SignInFlow::openDialog(const QString &conversationId, const QString &notice)
{
    if (!m_dialog) {
        m_dialog = new SignInDialog(m_dialogParent);
        m_dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_dialog, &SignInDialog::rejected, this, &SignInFlow::cancelled);
        connect(m_dialog, &SignInDialog::signedIn, this,
            [this](const AppSettings &settings, const QString &token, const QString &conversationId) {
                m_settings = settings;
                settings.save();
                // Written in the background; without a keychain it is kept for this session only, and
                // the store says so. The console connects with the token it has meanwhile.
                m_tokens->write(settings.tokenKey(), token);
                emit ready(settings, token, conversationId);
            });
    }
    m_dialog->setSslConfiguration(m_ssl);
    m_dialog->setSettings(m_settings);
    if (!conversationId.isEmpty())
        m_dialog->setConversationId(conversationId);
    QStringList notices;
    if (!notice.isEmpty())
        notices << notice;
    if (!m_keychainNotice.isEmpty())
        notices << m_keychainNotice;
    m_dialog->setNotice(notices.join(u'\n'));
    m_dialog->open();
}
