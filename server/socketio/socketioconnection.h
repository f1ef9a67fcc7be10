// One client's Socket.IO v5 side of an Engine.IO session: decodes packets (reassembling binary ones
// from their attachments), admits CONNECTs to namespaces, and routes the rest to the namespace sockets.
#pragma once

#include "packetlink.h"
#include "protocol.h"

#include <QBasicTimer>
#include <QHash>
#include <QObject>

#include <functional>
#include <optional>

class EngineSession;
class Namespace;
class NamespaceSocket;

class SocketIoConnection : public QObject, public PacketLink
{
    Q_OBJECT
public:
    // What the server decides for each connection (SocketIoServer's namespaces and options).
    struct Settings
    {
        std::function<Namespace *(const QString &name)> findNamespace; // null: "Invalid namespace"
        int connectTimeoutMs = 45000; // socket.io's connectTimeout: a connection that joins nothing is closed
        bool closeWhenIdle = false; // close the Engine.IO connection once its last namespace disconnected
    };
    // Attachments one binary packet may announce. The console sends none; socket.io's own clients send
    // one per Buffer in an event. Their bytes together may not exceed maxPayload.
    static constexpr int MaxAttachments = 10;

    // Becomes a child of the session.
    SocketIoConnection(EngineSession *session, const Settings &settings);

    EngineSession *session() const { return m_session; }
    QList<NamespaceSocket *> sockets() const { return m_sockets.values(); }

    // Binary packets are followed by their attachments as binary Engine.IO messages.
    void sendPacket(const Protocol::SocketPacket &packet, const QList<QByteArray> &attachments = {}) override;
    void sendEncoded(const OutgoingPacket &packet) override;
    void close(const QString &reason) override;
    QUrlQuery query() const override;

protected:
    void timerEvent(QTimerEvent *event) override; // the connect timeout

private:
    void onMessage(const QString &data);
    void onBinary(const QByteArray &data);
    void dispatch(const Protocol::SocketPacket &packet, const QList<QByteArray> &attachments);
    void onConnect(const Protocol::SocketPacket &packet);
    void onSocketDisconnected(const QString &nsp);
    void protocolError(const QString &error);
    void overLimit(const QString &what);

    EngineSession *m_session;
    Settings m_settings;
    QHash<QString, NamespaceSocket *> m_sockets; // by namespace; children
    std::optional<Protocol::SocketPacket> m_pendingBinary; // a 45-/46- waiting for its attachments
    QList<QByteArray> m_attachments;
    qint64 m_attachmentBytes = 0;
    QBasicTimer m_connectTimer; // a timer id, not a QTimer object per connection
};
