// Socket.IO v5 on top of an EngineServer (socket.io-protocol): the namespaces a client may CONNECT
// to, each with its own admission check. Every Engine.IO session gets a SocketIoConnection that
// decodes its packets and holds one NamespaceSocket per joined namespace.
#pragma once

#include "socketionamespace.h"

#include <QHash>
#include <QObject>
#include <QPointer>

class EngineServer;
class SocketIoConnection;

class SocketIoServer : public QObject
{
    Q_OBJECT
public:
    explicit SocketIoServer(EngineServer *engine, QObject *parent = nullptr);

    Namespace *addNamespace(const QString &name); // "/" or "/custom"; unknown ones get "Invalid namespace"
    Namespace *findNamespace(const QString &name) const;
    // socket.io's connectTimeout: a connection that joins no namespace in time is closed.
    void setConnectTimeout(int ms) { m_connectTimeout = ms; }
    int connectTimeout() const { return m_connectTimeout; }
    // Close the Engine.IO connection when its last namespace disconnects. socket.io keeps it open (a
    // client may CONNECT again); the console never does, so its server frees the connection at once.
    void setCloseWhenIdle(bool close) { m_closeWhenIdle = close; }
    bool closesWhenIdle() const { return m_closeWhenIdle; }

    QList<SocketIoConnection *> connections() const;

private:
    QPointer<EngineServer> m_engine;
    QHash<QString, Namespace *> m_namespaces; // children
    int m_connectTimeout = 45000;
    bool m_closeWhenIdle = false;
};
