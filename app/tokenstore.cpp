#include "tokenstore.h"

#include <QLoggingCategory>

#include <qt6keychain/keychain.h>

Q_LOGGING_CATEGORY(lcTokens, "agentconsole.tokens")

static const QString DefaultService = QStringLiteral("agent-console");

TokenStore::TokenStore(QObject *parent)
    : TokenStore(DefaultService, parent)
{
}

TokenStore::TokenStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{
}

TokenStore::~TokenStore() = default;

QString TokenStore::keyFor(const QUrl &apiUrl, const QString &tenant)
{
    // Normalised so "https://host/" and "https://host" are one account.
    QUrl url = apiUrl.adjusted(QUrl::StripTrailingSlash | QUrl::NormalizePathSegments | QUrl::RemoveQuery
        | QUrl::RemoveFragment | QUrl::RemoveUserInfo);
    if (url.path() == u"/")
        url.setPath(QString());
    return tenant + u'@' + url.toString();
}

void TokenStore::read(const QString &key)
{
    if (m_unavailable) {
        const QString token = m_memory.value(key);
        QMetaObject::invokeMethod(
            this, [this, key, token] { emit tokenRead(key, token); }, Qt::QueuedConnection);
        return;
    }
    start(new QKeychain::ReadPasswordJob(m_service), Operation::Read, key);
}

void TokenStore::write(const QString &key, const QString &token)
{
    if (m_unavailable) {
        m_memory.insert(key, token);
        QMetaObject::invokeMethod(
            this, [this, key] { emit tokenWritten(key); }, Qt::QueuedConnection);
        return;
    }
    m_memory.insert(key, token); // until the keychain has it: if it turns out to be missing, nothing is lost
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setTextData(token);
    start(job, Operation::Write, key);
}

void TokenStore::remove(const QString &key)
{
    m_memory.remove(key);
    if (m_unavailable) {
        QMetaObject::invokeMethod(
            this, [this, key] { emit tokenRemoved(key); }, Qt::QueuedConnection);
        return;
    }
    start(new QKeychain::DeletePasswordJob(m_service), Operation::Remove, key);
}

void TokenStore::start(QKeychain::Job *job, Operation operation, const QString &key)
{
    // Never a plain-file fallback: QtKeychain's "insecure fallback" would write the token to QSettings.
    job->setInsecureFallback(false);
    job->setAutoDelete(true);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this,
        [this, operation, key](QKeychain::Job *done) { finished(done, operation, key); });
    job->start();
}

// No keychain at all (no Secret Service on the bus, no session bus) or one that cannot be used here
// (a locked collection whose unlock prompt cannot be shown): from then on this session keeps tokens in
// memory. A refusal by the user is not that: it is reported and nothing falls back.
static bool meansNoKeychain(QKeychain::Error error)
{
    return error == QKeychain::NoBackendAvailable || error == QKeychain::NotImplemented
        || error == QKeychain::OtherError;
}

void TokenStore::finished(QKeychain::Job *job, Operation operation, const QString &key)
{
    const QKeychain::Error error = job->error();
    // The key and the error only: never the data.
    if (error != QKeychain::NoError && error != QKeychain::EntryNotFound)
        qCDebug(lcTokens) << "keychain job for" << key << "failed:" << error << job->errorString();

    if (error == QKeychain::NoError || (error == QKeychain::EntryNotFound && operation != Operation::Write)) {
        switch (operation) {
        case Operation::Read: {
            const auto *readJob = static_cast<QKeychain::ReadPasswordJob *>(job);
            emit tokenRead(key, error == QKeychain::NoError ? readJob->textData() : QString());
            break;
        }
        case Operation::Write:
            m_memory.remove(key); // the keychain has it now
            emit tokenWritten(key);
            break;
        case Operation::Remove:
            emit tokenRemoved(key);
            break;
        }
        return;
    }
    if (meansNoKeychain(error)) {
        markUnavailable(job->errorString());
        switch (operation) {
        case Operation::Read:
            emit tokenRead(key, m_memory.value(key));
            break;
        case Operation::Write:
            emit tokenWritten(key); // kept in m_memory since write()
            break;
        case Operation::Remove:
            emit tokenRemoved(key);
            break;
        }
        return;
    }
    if (operation == Operation::Write)
        m_memory.remove(key);
    emit failed(key, tr("The keychain refused access: %1").arg(job->errorString()));
}

void TokenStore::markUnavailable(const QString &reason)
{
    if (m_unavailable)
        return;
    m_unavailable = true;
    m_unavailableReason = tr("No keychain is available (%1). The token is kept for this session only and "
                             "must be entered again after a restart.")
                              .arg(reason.isEmpty() ? tr("no Secret Service") : reason);
    qCWarning(lcTokens).noquote() << m_unavailableReason;
    emit keychainUnavailable(m_unavailableReason);
}
