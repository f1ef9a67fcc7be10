// SingleInstance: one console per user and profile, as Telegram Desktop does. Two processes on one
// profile would restore the same unsent replies and send them twice, and Discard in one would not stop
// Retry in the other. The first process takes a lock file in the profile folder and listens on a local
// socket named after that folder; a later one finds the lock taken, hands its request (conversations
// and agent-console:// links to open) over the socket, waits for the answer and exits. The answer says
// whether the running console took it all, or why it refused a link (another account's). A lock left
// by a process that died is taken over: QLockFile sees that its owner is gone.
#pragma once

#include <QLockFile>
#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>

class QLocalServer;
class QLocalSocket;
class QTimer;

class SingleInstance : public QObject
{
    Q_OBJECT

public:
    // `profileDir`: the folder whose data one process owns (created if missing).
    explicit SingleInstance(const QString &profileDir, QObject *parent = nullptr);
    ~SingleInstance() override;

    // True when this process is the first (it now owns the profile); false when another one does.
    bool claim();
    // The first process: answers the later ones. False, with `error`, when the socket cannot listen.
    bool listen(QString *error = nullptr);
    // The first process: what a later start's request does. Returns why (part of) it was refused, for
    // the later process to print; empty when everything was taken. Without one, requests are only signalled.
    using Handler = std::function<QString(const QStringList &conversations, const QStringList &links)>;
    void setHandler(Handler handler) { m_handler = std::move(handler); }
    // A later process: hands `conversations` and `links` over, then emits handedOver. Never blocks: it
    // retries for a while when the first process is still starting and has not listened yet; when the
    // first one quits meanwhile, this one claims the profile and emits becameFirst instead.
    void handOver(const QStringList &conversations, const QStringList &links = {});
    // The local socket's name for a profile: the same for every process of one user and profile.
    static QString serverName(const QString &profileDir);
    // The profile a start uses: the app's data folder; the demo keeps one of its own beside it, so a
    // demo never hands over to (or takes the place of) the agent's real console.
    static QString profileDir(bool demo);

    // How long a later process keeps trying to reach the first one (and waits for its answer).
    static constexpr int HandOverTimeoutMs = 10000;
    void setHandOverTimeout(int ms) { m_timeoutMs = ms; }

signals:
    // In the first process: a later one asked to be shown, with these conversations and links opened.
    void activationRequested(const QStringList &conversations, const QStringList &links);
    // In a later process: `ok`, or why not (the first one holds the lock but does not answer, or it
    // refused a link: then `error` is its reason).
    void handedOver(bool ok, const QString &error);
    // In a later process: the first one quit before it answered; this one owns the profile now.
    void becameFirst();

private:
    void tryConnect();
    void giveUp();
    void onRequest(QLocalSocket *socket);

    Handler m_handler;
    QString m_profileDir;
    QLockFile m_lock;
    QLocalServer *m_server = nullptr;
    QLocalSocket *m_client = nullptr;
    QTimer *m_retry = nullptr;
    QTimer *m_deadline = nullptr;
    QByteArray m_request;
    QByteArray m_answer;
    int m_timeoutMs = HandOverTimeoutMs;
};
