#include "socketsession.h"

#include "identifiers.h"
#include "protocol.h"
#include "serverlog.h"

#include <QJsonObject>
#include <QTimer>
#include <QWebSocket>

using namespace Protocol;

SocketSession::SocketSession(std::unique_ptr<QWebSocket> socket, const QString &tenant, const QString &conversation,
    const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_socket(std::move(socket))
    , m_tenant(tenant)
    , m_conversation(conversation)
    , m_settings(settings)
    , m_pingTimer(new QTimer(this))
    , m_pongTimer(new QTimer(this))
    , m_connectTimer(new QTimer(this))
{
    m_socket->setMaxAllowedIncomingMessageSize(1000000); // the maxPayload announced below
    connect(m_socket.get(), &QWebSocket::textMessageReceived, this, &SocketSession::onFrame);
    connect(m_socket.get(), &QWebSocket::binaryMessageReceived, this, [](const QByteArray &data) {
        qCWarning(lcServer) << "dropped a binary WebSocket frame of" << data.size() << "bytes";
    });
    connect(m_socket.get(), &QWebSocket::disconnected, this, &SocketSession::finish);

    m_pingTimer->setSingleShot(true);
    m_pingTimer->setInterval(m_settings.pingInterval);
    connect(m_pingTimer, &QTimer::timeout, this, &SocketSession::sendPing);
    m_pongTimer->setSingleShot(true);
    m_pongTimer->setInterval(m_settings.pingTimeout);
    connect(m_pongTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcServer) << "no pong within" << m_settings.pingTimeout << "ms, closing the socket";
        m_socket->abort();
    });
    m_connectTimer->setSingleShot(true);
    connect(m_connectTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcServer) << "no Socket.IO CONNECT in time, closing the socket";
        close();
    });

    OpenHandshake open;
    open.sid = ServerIds::sessionId();
    open.pingInterval = m_settings.pingInterval;
    open.pingTimeout = m_settings.pingTimeout;
    sendFrame(encodeOpen(open));
    m_connectTimer->start(m_settings.connectTimeout);
    if (!m_settings.pingsSuspended)
        m_pingTimer->start();
}

SocketSession::~SocketSession()
{
    // The socket dies with us; its last signals must not reach a half-destroyed session.
    m_socket->disconnect(this);
}

void SocketSession::sendFrame(const QString &frame)
{
    if (!m_finished)
        m_socket->sendTextMessage(frame);
}

void SocketSession::setPingsSuspended(bool suspended)
{
    m_settings.pingsSuspended = suspended;
    m_pongTimer->stop();
    if (suspended)
        m_pingTimer->stop();
    else if (!m_finished)
        m_pingTimer->start();
}

void SocketSession::disconnectFromServer()
{
    SocketPacket packet;
    packet.type = SocketPacketType::Disconnect;
    sendFrame(encodeEnginePacket(EnginePacketType::Message, encodeSocketPacket(packet)));
    close(QStringLiteral("server disconnect"));
}

void SocketSession::abort()
{
    if (!m_finished)
        m_socket->abort();
}

void SocketSession::sendPing()
{
    sendFrame(encodeEnginePacket(EnginePacketType::Ping));
    m_pongTimer->start();
}

void SocketSession::onFrame(const QString &frame)
{
    QString error;
    const auto packet = decodeEnginePacket(frame, &error);
    if (!packet) {
        qCWarning(lcServer) << "dropped a malformed Engine.IO frame:" << error;
        return;
    }
    switch (packet->type) {
    case EnginePacketType::Pong:
        // Engine.IO v4: a pong answers our ping; the next ping waits a full interval from here.
        m_pongTimer->stop();
        if (!m_settings.pingsSuspended)
            m_pingTimer->start();
        return;
    case EnginePacketType::Message:
        onSocketMessage(packet->data);
        return;
    case EnginePacketType::Close:
        close();
        return;
    case EnginePacketType::Noop:
        return;
    case EnginePacketType::Open:
    case EnginePacketType::Ping: // v4 clients never ping; socket.io answers with an error, we just drop it
    case EnginePacketType::Upgrade: // no upgrades offered
        qCWarning(lcServer) << "dropped an unexpected Engine.IO packet of type" << int(packet->type);
        return;
    }
}

void SocketSession::onSocketMessage(const QString &payload)
{
    QString error;
    const auto packet = decodeSocketPacket(payload, &error);
    if (!packet) {
        qCWarning(lcServer) << "dropped a malformed Socket.IO packet:" << error;
        return;
    }
    switch (packet->type) {
    case SocketPacketType::Connect:
        onConnectPacket(*packet);
        return;
    case SocketPacketType::Disconnect:
        qCDebug(lcServer) << "client disconnected";
        close();
        return;
    case SocketPacketType::Event:
        // Clients have nothing to say on this contract; a future event must not break the connection.
        qCDebug(lcServer) << "ignored a client event";
        return;
    default:
        qCWarning(lcServer) << "dropped an unexpected Socket.IO packet of type" << int(packet->type);
        return;
    }
}

void SocketSession::onConnectPacket(const SocketPacket &packet)
{
    SocketPacket reply;
    reply.nsp = packet.nsp;
    if (m_joined) {
        qCWarning(lcServer) << "dropped a second CONNECT on a connected socket";
        return;
    }
    if (packet.nsp != u"/") {
        reply.type = SocketPacketType::ConnectError;
        reply.data = QJsonObject {{QStringLiteral("message"), QStringLiteral("Invalid namespace")}};
        sendFrame(encodeEnginePacket(EnginePacketType::Message, encodeSocketPacket(reply)));
        return; // socket.io keeps the Engine.IO connection for other namespaces
    }
    const QJsonValue token = packet.data.toObject().value(u"token");
    if (!token.isString() || !ServerIds::tokensEqual(m_settings.token, token.toString())) {
        qCInfo(lcServer) << "rejected a socket with a missing or invalid token";
        reply.type = SocketPacketType::ConnectError;
        reply.data = QJsonObject {{QStringLiteral("message"), QStringLiteral("Invalid token")}};
        sendFrame(encodeEnginePacket(EnginePacketType::Message, encodeSocketPacket(reply)));
        close();
        return;
    }
    m_connectTimer->stop();
    reply.type = SocketPacketType::Connect;
    reply.data = QJsonObject {{QStringLiteral("sid"), ServerIds::sessionId()}};
    sendFrame(encodeEnginePacket(EnginePacketType::Message, encodeSocketPacket(reply)));
    m_joined = true;
    emit joined();
}

void SocketSession::close(const QString &reason)
{
    if (m_finished)
        return;
    m_pingTimer->stop();
    m_pongTimer->stop();
    m_connectTimer->stop();
    m_socket->close(QWebSocketProtocol::CloseCodeNormal, reason); // disconnected follows, then finish()
    // A peer that never answers the close frame must not keep the session alive.
    QTimer::singleShot(2000, this, [this] { m_socket->abort(); });
}

void SocketSession::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_pingTimer->stop();
    m_pongTimer->stop();
    m_connectTimer->stop();
    emit closed();
    deleteLater();
}
