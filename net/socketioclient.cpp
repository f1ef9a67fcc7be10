#include "socketioclient.h"

#include "engineconnection.h"
#include "protocol.h"
#include "retryschedule.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrlQuery>

Q_LOGGING_CATEGORY(lcSocket, "agentconsole.socket")

using namespace Protocol;

SocketIoClient::SocketIoClient(QObject *parent)
    : QObject(parent)
    , m_engine(new EngineConnection(this))
    , m_reconnectTimer(new QTimer(this))
    , m_random([] { return QRandomGenerator::global()->generateDouble(); })
{
    connect(m_engine, &EngineConnection::opened, this, &SocketIoClient::onEngineOpen);
    connect(m_engine, &EngineConnection::messageReceived, this, &SocketIoClient::onSocketPacket);
    connect(m_engine, &EngineConnection::binaryReceived, this, &SocketIoClient::onBinary);
    connect(m_engine, &EngineConnection::lost, this, &SocketIoClient::onTransportLost);
    m_reconnectTimer->setSingleShot(true);
    connect(m_reconnectTimer, &QTimer::timeout, this, &SocketIoClient::connectSocket);
}

SocketIoClient::~SocketIoClient()
{
    dropSocket();
}

QUrl SocketIoClient::socketUrl(const SocketConfig &config)
{
    QUrl url = config.baseUrl;
    url.setScheme(url.scheme() == u"https" ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setPath(QStringLiteral("/socket.io/"));
    // The token never goes into the URL: URLs end up in proxy and server logs. It travels in CONNECT.
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("EIO"), QStringLiteral("4"));
    query.addQueryItem(QStringLiteral("transport"), QStringLiteral("websocket"));
    query.addQueryItem(QStringLiteral("tenantId"), config.tenant);
    query.addQueryItem(QStringLiteral("conversationId"), config.conversation);
    url.setQuery(query);
    return url;
}

void SocketIoClient::open(const SocketConfig &config)
{
    m_config = config;
    m_attempt = 0;
    m_pid.clear();
    m_offset.clear();
    m_reconnectTimer->stop();
    connectSocket();
}

void SocketIoClient::close()
{
    if (m_state == State::Connected) {
        // Say goodbye (Socket.IO DISCONNECT) so a backend with connection-state recovery does not keep
        // the session for us.
        m_engine->closeGracefully({encodeSocketPacket(SocketPacket {SocketPacketType::Disconnect})});
    }
    stop(QStringLiteral("closed"));
}

void SocketIoClient::reconnectNow()
{
    if (m_state == State::Connected || m_state == State::Connecting || m_config.baseUrl.isEmpty())
        return;
    m_reconnectTimer->stop();
    connectSocket();
}

void SocketIoClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void SocketIoClient::dropSocket()
{
    m_engine->abort();
    m_pendingAttachments = 0;
}

void SocketIoClient::connectSocket()
{
    dropSocket();
    setState(State::Connecting);
    m_engine->open(socketUrl(m_config), m_config.ssl);
}

void SocketIoClient::onEngineOpen()
{
    QJsonObject auth {{QStringLiteral("token"), m_config.token}};
    if (!m_pid.isEmpty()) {
        auth.insert(QStringLiteral("pid"), m_pid);
        auth.insert(QStringLiteral("offset"), m_offset);
    }
    SocketPacket connectPacket {SocketPacketType::Connect};
    connectPacket.data = auth;
    // Retrying cannot make the token shorter or the server's limit larger.
    if (!m_engine->sendMessage(encodeSocketPacket(connectPacket)))
        stop(tr("The sign-in data is larger than the server accepts (maxPayload)."));
}

// socket.io-parser sends a binary packet's attachments as the next N binary messages. The console
// uses no binary events: it consumes them so they are not taken for anything else.
void SocketIoClient::onBinary(const QByteArray &bytes)
{
    if (m_pendingAttachments > 0)
        --m_pendingAttachments;
    else
        qCWarning(lcSocket) << "dropped an unexpected binary message of" << bytes.size() << "bytes";
}

void SocketIoClient::onSocketPacket(QStringView payload)
{
    if (m_pendingAttachments > 0) {
        qCWarning(lcSocket) << "a binary packet lacked" << m_pendingAttachments << "attachments";
        m_pendingAttachments = 0;
    }
    QString error;
    const auto packet = Wire::decodeServerPacket(payload, &error);
    if (!packet) {
        qCWarning(lcSocket) << "dropped a Socket.IO packet:" << error;
        return;
    }
    // Attachments follow whatever the namespace: counted before the namespace filter.
    if (packet->type == SocketPacketType::BinaryEvent || packet->type == SocketPacketType::BinaryAck) {
        m_pendingAttachments = packet->attachments;
        qCDebug(lcSocket) << "ignored a binary packet with" << packet->attachments << "attachments";
        return;
    }
    if (packet->nsp != u"/")
        return; // another namespace: not ours
    switch (packet->type) {
    case SocketPacketType::Connect:
        m_attempt = 0;
        // A new session (no recovery, or the server could not recover ours) starts its own offsets.
        if (packet->pid != m_pid) {
            m_pid = packet->pid;
            m_offset.clear();
        }
        setState(State::Connected);
        emit connected();
        return;
    case SocketPacketType::ConnectError:
        stop(packet->message);
        emit connectError(packet->message.isEmpty() ? tr("The server refused the connection.") : packet->message);
        return;
    case SocketPacketType::Disconnect:
        stop(tr("The server closed the connection."));
        return;
    case SocketPacketType::Event:
        onEvent(*packet);
        return;
    case SocketPacketType::Ack: // the console never asks for one
    case SocketPacketType::BinaryEvent:
    case SocketPacketType::BinaryAck:
        qCDebug(lcSocket) << "ignored Socket.IO packet of type" << int(packet->type);
        return;
    }
}

void SocketIoClient::onEvent(const Wire::ServerPacket &packet)
{
    // With connection-state recovery the server appends the event's offset as a last string argument.
    if (!m_pid.isEmpty() && packet.offset)
        m_offset = *packet.offset;
    if (packet.event == u"status_update") {
        if (packet.statusUpdate)
            emit statusUpdate(*packet.statusUpdate);
        else
            qCWarning(lcSocket) << "dropped status_update:" << packet.argumentError;
    } else if (packet.event == u"inbound_message") {
        if (packet.inboundMessage)
            emit inboundMessage(*packet.inboundMessage);
        else
            qCWarning(lcSocket) << "dropped inbound_message:" << packet.argumentError;
    } else {
        qCDebug(lcSocket) << "ignored event" << packet.event;
    }
}

void SocketIoClient::onTransportLost(const QString &reason)
{
    if (m_state == State::Disconnected)
        return;
    dropSocket();
    const int delay = RetrySchedule::reconnectDelayMs(m_attempt, m_random());
    ++m_attempt;
    qCInfo(lcSocket).nospace() << "connection lost (" << reason << "), reconnecting in " << delay << " ms";
    setState(State::Reconnecting);
    emit disconnected(reason, true);
    emit reconnectScheduled(delay, m_attempt);
    m_reconnectTimer->start(delay);
}

void SocketIoClient::stop(const QString &reason)
{
    m_reconnectTimer->stop();
    dropSocket();
    if (m_state == State::Disconnected)
        return;
    setState(State::Disconnected);
    emit disconnected(reason, false);
}
