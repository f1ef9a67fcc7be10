// Socket.IO v5 on top of an EngineServer (socket.io-protocol): the namespaces a client may CONNECT
// to, each with its own admission check. Every Engine.IO session gets a SocketIoConnection that
// decodes its packets and holds one NamespaceSocket per joined namespace.
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QUrlQuery>

#include <functional>

class EngineServer;
class EngineSession;
class NamespaceSocket;
class SocketIoConnection;

class Namespace : public QObject
{
    Q_OBJECT
public:
    struct Handshake
    {
        QJsonObject auth; // the CONNECT packet's payload ({} when it has none)
        QUrlQuery query; // of the request that opened the Engine.IO session
    };
    // Returns an empty string to admit the client, else the CONNECT_ERROR message.
    using Admission = std::function<QString(const Handshake &)>;

    explicit Namespace(const QString &name, QObject *parent = nullptr);
    QString name() const { return m_name; }
    void setAdmission(Admission admission);
    QString admit(const Handshake &handshake) const;
    // After a refused CONNECT, also close the connection: for a client that must not retry anyway.
    void setCloseOnRefusal(bool close) { m_closeOnRefusal = close; }
    bool closesOnRefusal() const { return m_closeOnRefusal; }

signals:
    void connected(NamespaceSocket *socket); // after the CONNECT reply was sent

private:
    QString m_name;
    Admission m_admission;
    bool m_closeOnRefusal = false;
};

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
