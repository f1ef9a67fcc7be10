#include "settingsdialog.h"

#include "connectionform.h"
#include "tokenstore.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSslConfiguration>
#include <QVBoxLayout>

SettingsDialog::SettingsDialog(TokenStore *tokens, QWidget *parent)
    : QDialog(parent)
    , m_tokens(tokens)
    , m_form(new ConnectionForm(this))
{
    setWindowTitle(tr("Settings — Agent Console"));
    setObjectName(QStringLiteral("settingsDialog"));
    auto *hint = new QLabel(tr("Leave the token empty to keep the current one. Saving checks the settings by "
                               "opening the conversation below."),
        this);
    hint->setTextFormat(Qt::PlainText);
    hint->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(this);
    m_save = buttons->addButton(QDialogButtonBox::Save);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setDefault(true);
    m_save->setAccessibleDescription(tr("Checks the new settings with the backend, then keeps them"));
    m_signOut = buttons->addButton(tr("Sign out"), QDialogButtonBox::DestructiveRole);
    m_signOut->setObjectName(QStringLiteral("signOutButton"));
    m_signOut->setAccessibleDescription(tr("Removes the token from the keychain"));
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    cancel->setAccessibleDescription(tr("Closes the dialog and keeps the current settings"));

    connect(m_save, &QPushButton::clicked, m_form, &ConnectionForm::check);
    connect(m_signOut, &QPushButton::clicked, this, &SettingsDialog::signOut);
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    connect(this, &QDialog::rejected, m_form, &ConnectionForm::cancel);
    connect(m_form, &ConnectionForm::checkingChanged, this, [this](bool checking) {
        m_save->setEnabled(!checking);
        m_signOut->setEnabled(!checking);
    });
    connect(m_form, &ConnectionForm::checkSucceeded, this, [this](const AppSettings &settings, const QString &token) {
        m_form->tokenEdit()->clear();
        accept();
        emit settingsChanged(settings, token);
    });
    connect(m_tokens, &TokenStore::tokenRemoved, this, [this](const QString &key) {
        if (key != m_removingKey)
            return;
        m_removingKey.clear();
        m_form->setCurrentToken({});
        accept();
        emit signedOut(m_current);
    });
    connect(m_tokens, &TokenStore::failed, this, [this](const QString &key, const QString &error) {
        if (key != m_removingKey)
            return;
        m_removingKey.clear();
        m_save->setEnabled(true);
        m_signOut->setEnabled(true);
        m_form->errorLabel()->setText(tr("Could not sign out: %1").arg(error));
        m_form->errorLabel()->show();
    });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(hint);
    layout->addWidget(m_form);
    layout->addStretch(1);
    layout->addWidget(buttons);
    setMinimumWidth(460);
}

void SettingsDialog::setCurrent(const AppSettings &settings, const QString &token, const QString &conversationId)
{
    m_current = settings;
    m_form->setSettings(settings);
    m_form->setCurrentToken(token);
    m_form->setConversationId(conversationId);
}

void SettingsDialog::setSslConfiguration(const QSslConfiguration &ssl)
{
    m_form->setSslConfiguration(ssl);
}

void SettingsDialog::signOut()
{
    m_form->cancel();
    m_removingKey = m_current.tokenKey();
    m_save->setEnabled(false);
    m_signOut->setEnabled(false);
    m_tokens->remove(m_removingKey);
}
