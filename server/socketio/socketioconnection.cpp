#include "socketioconnection.h"

#include "enginesession.h"
#include "namespacesocket.h"
#include "serverlog.h"
#include "socketionamespace.h"

#include <QTimerEvent>

using namespace Protocol;

SocketIoConnection::SocketIoConnection(EngineSession *session, const Settings &settings)
    : QObject(session)
    , m_session(session)
    , m_settings(settings)
{
    connect(session, &EngineSession::message, this, &SocketIoConnection::onMessage);
    connect(session, &EngineSession::binaryMessage, this, &SocketIoConnection::onBinary);
    connect(session, &EngineSession::closed, this, [this](const QString &reason) {
        const QList<NamespaceSocket *> sockets = m_sockets.values();
        for (NamespaceSocket *socket : sockets)
            socket->markDisconnected(reason);
    });
    m_connectTimer.start(m_settings.connectTimeoutMs, this);
}

void SocketIoConnection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_connectTimer.timerId())
        return QObject::timerEvent(event);
    m_connectTimer.stop();
    if (m_sockets.isEmpty()) {
        qCInfo(lcServer) << "no Socket.IO CONNECT in time, closing session" << m_session->id();
        m_session->close(QStringLiteral("connect timeout"));
    }
}

void SocketIoConnection::sendPacket(const SocketPacket &packet, const QList<QByteArray> &attachments)
{
    m_session->send(encodeSocketPacket(packet));
    for (const QByteArray &attachment : attachments)
        m_session->sendBinary(attachment);
}

void SocketIoConnection::sendEncoded(const OutgoingPacket &packet)
{
    m_session->sendEncoded(packet);
}

void SocketIoConnection::close(const QString &reason)
{
    m_session->close(reason);
}

QUrlQuery SocketIoConnection::query() const
{
    return m_session->query();
}

void SocketIoConnection::protocolError(const QString &error)
{
    // socket.io-parser throws on these and socket.io closes the connection (the spec's "MUST close").
    if (m_session->settings().strict) {
        qCInfo(lcServer) << "closing session" << m_session->id() << "on a Socket.IO protocol error:" << error;
        m_session->close(QStringLiteral("parse error"));
    } else {
        qCWarning(lcServer) << "dropped" << error;
    }
}

// What a client holds the server's memory with is not a malformed frame to drop: strict or not, the
// session ends (its client may reconnect and behave).
void SocketIoConnection::overLimit(const QString &what)
{
    qCWarning(lcServer) << "closing session" << m_session->id() << "on" << what;
    m_pendingBinary.reset();
    m_attachments.clear();
    m_attachmentBytes = 0;
    m_session->terminate(QStringLiteral("over a limit"));
}

void SocketIoConnection::onMessage(const QString &data)
{
    if (m_pendingBinary) {
        m_pendingBinary.reset();
        m_attachments.clear();
        m_attachmentBytes = 0;
        protocolError(QStringLiteral("a text packet while binary attachments were expected"));
        if (m_session->settings().strict)
            return;
    }
    QString error;
    const auto packet = decodeSocketPacket(data, &error);
    if (!packet)
        return protocolError(QStringLiteral("a malformed Socket.IO packet: %1").arg(error));
    const bool binary = packet->type == SocketPacketType::BinaryEvent || packet->type == SocketPacketType::BinaryAck;
    if (binary && !placeholdersValid(packet->data, packet->attachments))
        return protocolError(QStringLiteral("a binary packet with illegal attachment placeholders"));
    if (binary && !m_sockets.contains(packet->nsp)) {
        // No client sends binary before its CONNECT was answered; the attachments would be held for a
        // socket that does not exist.
        return overLimit(QStringLiteral("a binary packet before CONNECT"));
    }
    if (binary && packet->attachments > MaxAttachments)
        return overLimit(QStringLiteral("a packet announcing %1 attachments").arg(packet->attachments));
    if (binary && packet->attachments > 0) {
        m_pendingBinary = packet;
        return;
    }
    dispatch(*packet, {});
}

void SocketIoConnection::onBinary(const QByteArray &data)
{
    if (!m_pendingBinary)
        return protocolError(QStringLiteral("a binary message no packet announced"));
    m_attachmentBytes += data.size();
    if (m_attachmentBytes > m_session->settings().maxPayload)
        return overLimit(QStringLiteral("attachments of more than %1 bytes").arg(m_session->settings().maxPayload));
    m_attachments.append(data);
    if (m_attachments.size() < m_pendingBinary->attachments)
        return;
    const SocketPacket packet = *std::exchange(m_pendingBinary, std::nullopt);
    m_attachmentBytes = 0;
    dispatch(packet, std::exchange(m_attachments, {}));
}

void SocketIoConnection::dispatch(const SocketPacket &packet, const QList<QByteArray> &attachments)
{
    if (packet.type == SocketPacketType::Connect)
        return onConnect(packet);
    NamespaceSocket *socket = m_sockets.value(packet.nsp);
    if (!socket) {
        qCWarning(lcServer) << "dropped a Socket.IO packet of type" << int(packet.type) << "for namespace" << packet.nsp
                            << "the client has not joined";
        return;
    }
    switch (packet.type) {
    case SocketPacketType::Disconnect:
        socket->markDisconnected(QStringLiteral("client namespace disconnect"));
        return;
    case SocketPacketType::Event:
    case SocketPacketType::BinaryEvent:
        socket->onEvent(packet, attachments);
        return;
    case SocketPacketType::Ack:
    case SocketPacketType::BinaryAck:
        socket->onAck(packet, attachments);
        return;
    case SocketPacketType::Connect:
    case SocketPacketType::ConnectError: // a server's packet type; socket.io ignores it from a client
        qCWarning(lcServer) << "dropped a Socket.IO packet of type" << int(packet.type) << "from a client";
        return;
    }
}

void SocketIoConnection::onConnect(const SocketPacket &packet)
{
    if (m_sockets.contains(packet.nsp)) {
        qCWarning(lcServer) << "dropped a second CONNECT to" << packet.nsp;
        return;
    }
    SocketPacket reply;
    reply.nsp = packet.nsp;
    Namespace *ns = m_settings.findNamespace ? m_settings.findNamespace(packet.nsp) : nullptr;
    if (!ns) {
        // socket.io keeps the Engine.IO connection: the client may still join other namespaces.
        reply.type = SocketPacketType::ConnectError;
        reply.data = QJsonObject {{QStringLiteral("message"), QStringLiteral("Invalid namespace")}};
        sendPacket(reply);
        return;
    }
    const QJsonObject auth = packet.data.toObject(); // {} when the CONNECT has no payload
    const QString refusal = ns->admit({auth, m_session->query()});
    if (!refusal.isEmpty()) {
        qCInfo(lcServer) << "refused a CONNECT to" << packet.nsp << ":" << refusal;
        reply.type = SocketPacketType::ConnectError;
        reply.data = QJsonObject {{QStringLiteral("message"), refusal}};
        sendPacket(reply);
        if (ns->closesOnRefusal())
            m_session->close(QStringLiteral("connect refused"));
        return;
    }
    auto *socket = new NamespaceSocket(packet.nsp, auth, this, this);
    m_sockets.insert(packet.nsp, socket);
    connect(socket, &NamespaceSocket::disconnected, this, [this, nsp = packet.nsp] { onSocketDisconnected(nsp); });
    m_connectTimer.stop();
    reply.type = SocketPacketType::Connect;
    reply.data = QJsonObject {{QStringLiteral("sid"), socket->id()}};
    sendPacket(reply);
    emit ns->connected(socket);
}

void SocketIoConnection::onSocketDisconnected(const QString &nsp)
{
    if (NamespaceSocket *socket = m_sockets.take(nsp))
        socket->deleteLater();
    if (m_sockets.isEmpty() && m_settings.closeWhenIdle)
        m_session->close(QStringLiteral("client namespace disconnect"));
}
