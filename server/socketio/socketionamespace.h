// One Socket.IO namespace a client may CONNECT to (socket.io-protocol): its admission check, and the
// signal for each socket admitted. Owned by the SocketIoServer; SocketIoConnection admits through it.
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QUrlQuery>

#include <functional>

class NamespaceSocket;

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
