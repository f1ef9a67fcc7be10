// TokenStore: the API token in the OS keychain (QtKeychain: Secret Service, macOS Keychain, Windows
// Credential Manager), never in a settings file. Every operation is an asynchronous job answered by a
// signal. Without a reachable keychain the token is kept in memory for this session only, and
// keychainUnavailable() says so once.
#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QUrl>

namespace QKeychain {
class Job;
}

class TokenStore : public QObject
{
    Q_OBJECT

public:
    // `service` names the keychain entries; tests pass their own so they never touch the app's.
    explicit TokenStore(QObject *parent = nullptr);
    explicit TokenStore(const QString &service, QObject *parent = nullptr);
    ~TokenStore() override;

    // One token per backend and tenant: the same tenant id on two backends is two accounts.
    static QString keyFor(const QUrl &apiUrl, const QString &tenant);

    QString service() const { return m_service; }
    // False once a job found no keychain; tokens written from then on live in memory only.
    bool isPersistent() const { return !m_unavailable; }
    QString unavailableReason() const { return m_unavailableReason; }

    void read(const QString &key);
    void write(const QString &key, const QString &token);
    void remove(const QString &key);

signals:
    void tokenRead(const QString &key, const QString &token); // empty token: nothing stored under key
    void tokenWritten(const QString &key);
    void tokenRemoved(const QString &key);
    // The keychain is there but refused or failed (access denied, locked and not unlocked, ...).
    void failed(const QString &key, const QString &error);
    // Emitted once per store, the first time a job finds no keychain at all.
    void keychainUnavailable(const QString &error);

private:
    enum class Operation { Read, Write, Remove };
    void start(QKeychain::Job *job, Operation operation, const QString &key);
    void finished(QKeychain::Job *job, Operation operation, const QString &key);
    void markUnavailable(const QString &reason);

    QString m_service;
    bool m_unavailable = false;
    QString m_unavailableReason;
    QHash<QString, QString> m_memory; // session-only tokens while no keychain is reachable
};
