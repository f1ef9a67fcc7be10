// The console's real-time side of the reference server (CONTRACT.md §2): Socket.IO on /socket.io/
// with the "/" namespace guarded by the token, one room per tenant + conversation (from the handshake
// query; the token must reach that tenant), and the events the console listens to.
#pragma once

#include <QJsonObject>
#include <QMultiHash>
#include <QObject>
#include <QString>
#include <QUrlQuery>

class EngineServer;
class NamespaceSocket;
class SocketIoServer;
class TokenRegistry;

class SocketHub : public QObject
{
    Q_OBJECT
public:
    explicit SocketHub(QObject *parent = nullptr);

    EngineServer *engine() const { return m_engine; }

    // The tokens a CONNECT is checked against (not owned). When it changes, sockets whose token no
    // longer reaches their tenant are disconnected ("41": a revoked token must not reconnect).
    void setTokenRegistry(TokenRegistry *tokens);
    // Settings for sessions opened from now on (timing, limits) or all of them (suspension).
    void setPingTiming(int pingIntervalMs, int pingTimeoutMs);
    void setMaxPayload(int bytes);
    void setStrictProtocol(bool strict);
    void setPingsSuspended(bool suspended);

    // tenantId and conversationId name the room (CONTRACT.md §2); a handshake without them is refused.
    static bool hasRoomQuery(const QUrlQuery &query);
    void emitToRoom(
        const QString &tenant, const QString &conversation, const QString &event, const QJsonObject &payload);

    void dropAll(); // abrupt: the client must reconnect
    // Closes every Engine.IO session (a WebSocket close frame, a close packet on a waiting poll) and sends
    // no "41": the clients reconnect, as after socket.io's io.close(). For a restart or a deploy.
    void closeTransports(const QString &reason);
    // "41" then close: the client must not reconnect (CONTRACT.md §2). Only for a socket ended for good.
    void disconnectAll();
    int joinedCount() const;

signals:
    void socketJoined();
    void socketLeft();

private:
    static QString roomKey(const QString &tenant, const QString &conversation);
    void join(NamespaceSocket *socket);
    QString admit(const QJsonObject &auth, const QUrlQuery &query) const;
    void dropRevoked();

    EngineServer *m_engine;
    SocketIoServer *m_io;
    TokenRegistry *m_tokens = nullptr;
    QMultiHash<QString, NamespaceSocket *> m_rooms; // each removed on its disconnected()
};
