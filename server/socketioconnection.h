// One client's Socket.IO v5 side of an Engine.IO session: decodes packets (reassembling binary ones
// from their attachments), admits CONNECTs to namespaces, and routes the rest to the namespace sockets.
#pragma once

#include "protocol.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <optional>

class EngineSession;
class NamespaceSocket;
class QTimer;
class SocketIoServer;

class SocketIoConnection : public QObject
{
    Q_OBJECT
public:
    // Attachments one binary packet may announce. The console sends none; socket.io's own clients send
    // one per Buffer in an event. Their bytes together may not exceed maxPayload.
    static constexpr int MaxAttachments = 10;

    // Becomes a child of the session.
    SocketIoConnection(EngineSession *session, SocketIoServer *server);

    EngineSession *session() const { return m_session; }
    QList<NamespaceSocket *> sockets() const { return m_sockets.values(); }

    // Sends a packet; binary ones are followed by their attachments as binary Engine.IO messages.
    void sendPacket(const Protocol::SocketPacket &packet, const QList<QByteArray> &attachments = {});
    void close(const QString &reason);

private:
    void onMessage(const QString &data);
    void onBinary(const QByteArray &data);
    void dispatch(const Protocol::SocketPacket &packet, const QList<QByteArray> &attachments);
    void onConnect(const Protocol::SocketPacket &packet);
    void onSocketDisconnected(const QString &nsp);
    void protocolError(const QString &error);
    void overLimit(const QString &what);

    EngineSession *m_session;
    QPointer<SocketIoServer> m_server;
    QHash<QString, NamespaceSocket *> m_sockets; // by namespace; children
    std::optional<Protocol::SocketPacket> m_pendingBinary; // a 45-/46- waiting for its attachments
    QList<QByteArray> m_attachments;
    qint64 m_attachmentBytes = 0;
    QTimer *m_connectTimer;
};
