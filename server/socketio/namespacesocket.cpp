#include "namespacesocket.h"

#include "identifiers.h"
#include "serverlog.h"

#include <QPointer>

#include <memory>
#include <utility>

using namespace Protocol;

NamespaceSocket::NamespaceSocket(const QString &nsp, const QJsonObject &auth, PacketLink *link, QObject *parent)
    : QObject(parent)
    , m_link(link)
    , m_id(ServerIds::sessionId())
    , m_nsp(nsp)
    , m_auth(auth)
{
}

QUrlQuery NamespaceSocket::query() const
{
    return m_link->query();
}

void NamespaceSocket::on(const QString &event, Handler handler)
{
    m_handlers.insert(event, std::move(handler));
}

void NamespaceSocket::emitEvent(
    const QString &event, const QJsonArray &args, const QList<QByteArray> &attachments, Reply ack)
{
    if (!m_connected)
        return;
    SocketPacket packet;
    packet.type = attachments.isEmpty() ? SocketPacketType::Event : SocketPacketType::BinaryEvent;
    packet.nsp = m_nsp;
    packet.attachments = int(attachments.size());
    QJsonArray data = args;
    data.prepend(event);
    packet.data = data;
    if (ack) {
        packet.ackId = m_nextAckId++;
        m_pendingAcks.insert(packet.ackId, std::move(ack));
    }
    m_link->sendPacket(packet, attachments);
}

OutgoingPacket NamespaceSocket::encodeEvent(const QString &nsp, const QString &event, const QJsonArray &args)
{
    SocketPacket packet;
    packet.type = SocketPacketType::Event;
    packet.nsp = nsp;
    QJsonArray data = args;
    data.prepend(event);
    packet.data = data;
    return OutgoingPacket::text(encodeEnginePacket(EnginePacketType::Message, encodeSocketPacket(packet)));
}

void NamespaceSocket::emitEncoded(const OutgoingPacket &packet)
{
    if (m_connected)
        m_link->sendEncoded(packet);
}

void NamespaceSocket::disconnectFromServer(bool closeConnection)
{
    if (!m_connected)
        return;
    SocketPacket packet;
    packet.type = SocketPacketType::Disconnect;
    packet.nsp = m_nsp;
    m_link->sendPacket(packet);
    // Closing first makes the close reason the server's, not that of a connection left without namespaces.
    if (closeConnection)
        m_link->close(QStringLiteral("server disconnect"));
    markDisconnected(QStringLiteral("server namespace disconnect"));
}

void NamespaceSocket::onEvent(const SocketPacket &packet, const QList<QByteArray> &attachments)
{
    QJsonArray args = packet.data.toArray();
    const QJsonValue name = args.takeAt(0);
    Reply ack;
    if (packet.ackId >= 0) {
        // The handler may answer later, after this socket is gone: then nothing is sent.
        ack = [self = QPointer<NamespaceSocket>(this), id = packet.ackId, sent = std::make_shared<bool>(false)](
                  const QJsonArray &replyArgs, const QList<QByteArray> &replyAttachments) {
            if (!self || !self->m_connected || std::exchange(*sent, true))
                return;
            SocketPacket reply;
            reply.type = replyAttachments.isEmpty() ? SocketPacketType::Ack : SocketPacketType::BinaryAck;
            reply.nsp = self->m_nsp;
            reply.ackId = id;
            reply.attachments = int(replyAttachments.size());
            reply.data = replyArgs;
            self->m_link->sendPacket(reply, replyAttachments);
        };
    }
    const auto handler = m_handlers.constFind(name.toString());
    if (!name.isString() || handler == m_handlers.constEnd()) {
        qCDebug(lcServer) << "no handler for event" << name << "on" << m_nsp;
        return;
    }
    // A copy: the handler may replace itself or disconnect this socket.
    const Handler call = *handler;
    call(Event {name.toString(), args, attachments}, ack);
}

void NamespaceSocket::onAck(const SocketPacket &packet, const QList<QByteArray> &attachments)
{
    const Reply reply = m_pendingAcks.take(packet.ackId);
    if (!reply) {
        qCWarning(lcServer) << "dropped an ACK with unknown id" << packet.ackId;
        return;
    }
    reply(packet.data.toArray(), attachments);
}

void NamespaceSocket::markDisconnected(const QString &reason)
{
    if (!m_connected)
        return;
    m_connected = false;
    m_pendingAcks.clear();
    emit disconnected(reason);
}
