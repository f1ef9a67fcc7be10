#include "signindialog.h"

#include "connectionform.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSslConfiguration>
#include <QVBoxLayout>

SignInDialog::SignInDialog(QWidget *parent)
    : QDialog(parent)
    , m_form(new ConnectionForm(this))
    , m_notice(new QLabel(this))
{
    setWindowTitle(tr("Sign in — Agent Console"));
    setObjectName(QStringLiteral("signInDialog"));
    m_notice->setObjectName(QStringLiteral("noticeLabel"));
    m_notice->setTextFormat(Qt::PlainText);
    m_notice->setWordWrap(true);
    m_notice->hide();

    auto *intro = new QLabel(tr("Sign in to your chat backend. The token is kept in the system keychain."), this);
    intro->setTextFormat(Qt::PlainText);
    intro->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(this);
    m_signIn = buttons->addButton(tr("Sign in"), QDialogButtonBox::AcceptRole);
    m_signIn->setObjectName(QStringLiteral("signInButton"));
    m_signIn->setDefault(true);
    m_signIn->setAccessibleDescription(tr("Checks the address, tenant and token with the backend, then signs in"));
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    cancel->setAccessibleDescription(tr("Closes the dialog without signing in"));
    // Accept only after the backend said yes: the button starts a check, the check's answer closes.
    connect(buttons, &QDialogButtonBox::accepted, m_form, &ConnectionForm::check);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(
        m_form, &ConnectionForm::checkingChanged, m_signIn, [this](bool checking) { m_signIn->setEnabled(!checking); });
    connect(m_form, &ConnectionForm::checkSucceeded, this,
        [this](const AppSettings &settings, const QString &token, const QString &conversationId) {
            m_form->tokenEdit()->clear(); // the dialog may be reused; the token does not stay in a widget
            accept();
            emit signedIn(settings, token, conversationId);
        });
    connect(this, &QDialog::rejected, m_form, &ConnectionForm::cancel);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_notice);
    layout->addWidget(m_form);
    layout->addStretch(1);
    layout->addWidget(buttons);
    setMinimumWidth(460);
}

void SignInDialog::setSettings(const AppSettings &settings)
{
    m_form->setSettings(settings);
}

void SignInDialog::setConversationId(const QString &conversationId)
{
    m_form->setConversationId(conversationId);
}

void SignInDialog::setSslConfiguration(const QSslConfiguration &ssl)
{
    m_form->setSslConfiguration(ssl);
}

void SignInDialog::setNotice(const QString &text)
{
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}
