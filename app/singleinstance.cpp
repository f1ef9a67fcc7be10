#include "singleinstance.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QTimer>

Q_LOGGING_CATEGORY(lcInstance, "agentconsole.instance")

// A request is one line of JSON; nothing legitimate comes near this.
static constexpr qint64 MaxRequestBytes = 64 * 1024;

static QString lockPath(const QString &profileDir)
{
    QDir().mkpath(profileDir);
    return QDir(profileDir).filePath(QStringLiteral("instance.lock"));
}

SingleInstance::SingleInstance(const QString &profileDir, QObject *parent)
    : QObject(parent)
    , m_profileDir(QDir(profileDir).absolutePath())
    , m_lock(lockPath(m_profileDir))
{
}

SingleInstance::~SingleInstance()
{
    if (m_server)
        m_server->close();
}

QString SingleInstance::serverName(const QString &profileDir)
{
    // A full path in the user's runtime folder (private to the user: Qt makes sure it is 0700 and
    // theirs), never a bare name in a folder every user can write to, where another account could take
    // the name first. Short: socket paths are limited to about 100 bytes.
    const QByteArray key = QDir(profileDir).absolutePath().toUtf8();
    const QString name = QStringLiteral("agent-console-")
        + QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(24));
    const QString runtime = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (!runtime.isEmpty())
        return QDir(runtime).filePath(name);
#ifdef Q_OS_UNIX
    // No usable runtime folder (another user made it first, or its rights are wrong): the profile
    // folder, which is the user's own, while the path fits a socket address.
    const QString inProfile = QDir(profileDir).absoluteFilePath(QStringLiteral(".instance"));
    if (inProfile.toLocal8Bit().size() < 100)
        return inProfile;
#endif
    return name;
}

QString SingleInstance::profileDir(bool demo)
{
    const QString data = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return demo ? data + QStringLiteral("/demo") : data;
}

bool SingleInstance::claim()
{
    // 0: never take a live owner's lock for stale, whatever its age; a dead owner's is taken over.
    m_lock.setStaleLockTime(0);
    if (m_lock.tryLock(0))
        return true;
    if (m_lock.error() == QLockFile::LockFailedError) {
        qint64 pid = 0;
        QString host;
        QString app;
        m_lock.getLockInfo(&pid, &host, &app);
        qCDebug(lcInstance) << "the profile is in use by process" << pid;
        return false;
    }
    // The folder cannot hold a lock (read-only, full): run anyway rather than not at all.
    qCWarning(lcInstance) << "cannot lock" << m_lock.error() << "in" << m_profileDir;
    return true;
}

bool SingleInstance::listen(QString *error)
{
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    const QString name = serverName(m_profileDir);
    // We own the lock: a socket file by that name is a dead process's.
    QLocalServer::removeServer(name);
    if (!m_server->listen(name)) {
        if (error)
            *error = m_server->errorString();
        qCWarning(lcInstance) << "cannot listen for other starts:" << m_server->errorString();
        return false;
    }
    connect(m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *socket = m_server->nextPendingConnection()) {
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QLocalSocket::readyRead, this, [this, socket] { onRequest(socket); });
            // A peer that never finishes its line is dropped.
            QTimer::singleShot(HandOverTimeoutMs, socket, [socket] { socket->abort(); });
        }
    });
    return true;
}

void SingleInstance::onRequest(QLocalSocket *socket)
{
    if (socket->bytesAvailable() > MaxRequestBytes || !socket->canReadLine()) {
        if (socket->bytesAvailable() > MaxRequestBytes)
            socket->abort();
        return;
    }
    const QJsonObject request = QJsonDocument::fromJson(socket->readLine()).object();
    const auto strings = [&request](QStringView key) {
        QStringList values;
        for (const QJsonValue &value : request.value(key).toArray()) {
            if (!value.toString().trimmed().isEmpty())
                values.append(value.toString().trimmed());
        }
        return values;
    };
    const QStringList conversations = strings(u"conversations");
    const QStringList links = strings(u"links");
    qCInfo(lcInstance) << "another start handed over" << conversations.size() << "conversations and" << links.size()
                       << "links";
    emit activationRequested(conversations, links);
    const QString refused = m_handler ? m_handler(conversations, links) : QString();
    // One line: the reason, with its line breaks folded, for the other process to print.
    socket->write(refused.isEmpty() ? QByteArray("ok\n") : "refused " + refused.simplified().toUtf8() + '\n');
    socket->flush();
    socket->disconnectFromServer();
}

void SingleInstance::handOver(const QStringList &conversations, const QStringList &links)
{
    m_request = QJsonDocument(QJsonObject {{QStringLiteral("conversations"), QJsonArray::fromStringList(conversations)},
                                  {QStringLiteral("links"), QJsonArray::fromStringList(links)}})
                    .toJson(QJsonDocument::Compact)
        + '\n';
    m_retry = new QTimer(this);
    m_retry->setSingleShot(true);
    m_retry->setInterval(100);
    connect(m_retry, &QTimer::timeout, this, &SingleInstance::tryConnect);
    // One deadline for the whole hand-over, connected or not: a first process that is stopped or hung
    // holds a connection open and never answers.
    m_deadline = new QTimer(this);
    m_deadline->setSingleShot(true);
    connect(m_deadline, &QTimer::timeout, this, &SingleInstance::giveUp);
    m_deadline->start(m_timeoutMs);
    tryConnect();
}

void SingleInstance::giveUp()
{
    m_retry->stop();
    if (m_client) {
        m_client->disconnect(this);
        m_client->abort();
    }
    qint64 pid = 0;
    QString host;
    QString app;
    m_lock.getLockInfo(&pid, &host, &app);
    emit handedOver(false,
        QCoreApplication::translate("SingleInstance", "Agent Console is already running (process %1) but does "
                                                      "not answer. Close it and start again.")
            .arg(pid));
}

void SingleInstance::tryConnect()
{
    if (m_client)
        m_client->deleteLater();
    m_client = new QLocalSocket(this);
    m_answer.clear();
    QLocalSocket *client = m_client;
    connect(client, &QLocalSocket::connected, this, [this, client] {
        client->write(m_request);
        client->flush();
    });
    connect(client, &QLocalSocket::readyRead, this, [this, client] {
        m_answer += client->readAll();
        if (!m_answer.contains('\n'))
            return;
        m_deadline->stop();
        client->disconnect(this);
        client->disconnectFromServer();
        if (m_answer.startsWith("refused "))
            emit handedOver(false, QString::fromUtf8(m_answer.mid(8).trimmed()));
        else
            emit handedOver(m_answer.startsWith("ok\n"), QString());
    });
    connect(client, &QLocalSocket::errorOccurred, this, [this, client] {
        client->disconnect(this);
        // The first process quit meanwhile: the profile is free, and this process takes it.
        if (claim()) {
            m_deadline->stop();
            emit becameFirst();
            return;
        }
        // Still starting (the lock is taken before the socket listens): try again, until the deadline.
        m_retry->start();
    });
    client->connectToServer(serverName(m_profileDir));
}
