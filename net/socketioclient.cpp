#include "socketioclient.h"

#include "protocol.h"
#include "retryschedule.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

Q_LOGGING_CATEGORY(lcSocket, "agentconsole.socket")

using namespace Protocol;

SocketIoClient::SocketIoClient(QObject *parent)
    : QObject(parent)
    , m_pingDeadline(new QTimer(this))
    , m_reconnectTimer(new QTimer(this))
    , m_random([] { return QRandomGenerator::global()->generateDouble(); })
{
    m_pingDeadline->setSingleShot(true);
    connect(m_pingDeadline, &QTimer::timeout, this, [this] { onTransportLost(QStringLiteral("ping timeout")); });
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
    if (m_socket && m_state == State::Connected) {
        // Say goodbye so a backend with connection-state recovery does not keep the session for us;
        // flush first, as dropping the socket discards unwritten frames.
        send(encodeEnginePacket(EnginePacketType::Message, u"1"));
        m_socket->flush();
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
    m_pingDeadline->stop();
    if (!m_socket)
        return;
    QWebSocket *old = m_socket;
    m_socket = nullptr;
    old->disconnect(this);
    old->abort();
    old->deleteLater();
}

void SocketIoClient::connectSocket()
{
    dropSocket();
    setState(State::Connecting);
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    connect(socket, &QWebSocket::textMessageReceived, this, &SocketIoClient::onTextMessage);
    connect(socket, &QWebSocket::binaryMessageReceived, this, [](const QByteArray &data) {
        qCWarning(lcSocket) << "dropped a binary frame of" << data.size() << "bytes";
    });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] {
        if (socket == m_socket)
            onTransportLost(!socket->closeReason().isEmpty() ? socket->closeReason()
                            : socket->error() != QAbstractSocket::UnknownSocketError ? socket->errorString()
                                                                                     : QStringLiteral("transport close"));
    });
    // The handshake must arrive within one ping window, as a dead link would be noticed later.
    m_pingDeadline->start(m_pingWindowMs);
    socket->open(socketUrl(m_config));
}

void SocketIoClient::send(const QString &frame)
{
    if (m_socket)
        m_socket->sendTextMessage(frame);
}

void SocketIoClient::onTextMessage(const QString &frame)
{
    QString error;
    const auto packet = decodeEnginePacket(frame, &error);
    if (!packet) {
        qCWarning(lcSocket) << "dropped a frame:" << error;
        return;
    }
    switch (packet->type) {
    case EnginePacketType::Open: {
        const auto open = decodeOpen(packet->data, &error);
        if (!open) {
            qCWarning(lcSocket) << "dropped an open packet:" << error;
            return;
        }
        m_pingWindowMs = open->pingInterval + open->pingTimeout;
        m_pingDeadline->start(m_pingWindowMs);
        QJsonObject auth{{QStringLiteral("token"), m_config.token}};
        if (!m_pid.isEmpty()) {
            auth.insert(QStringLiteral("pid"), m_pid);
            auth.insert(QStringLiteral("offset"), m_offset);
        }
        send(connectFrame(auth));
        return;
    }
    case EnginePacketType::Ping:
        m_pingDeadline->start(m_pingWindowMs);
        send(encodeEnginePacket(EnginePacketType::Pong, packet->data));
        return;
    case EnginePacketType::Close:
        onTransportLost(QStringLiteral("transport close"));
        return;
    case EnginePacketType::Message:
        onSocketPacket(packet->data);
        return;
    case EnginePacketType::Pong:
    case EnginePacketType::Upgrade:
    case EnginePacketType::Noop:
        return;
    }
}

void SocketIoClient::onSocketPacket(const QString &payload)
{
    QString error;
    const auto packet = decodeSocketPacket(payload, &error);
    if (!packet) {
        qCWarning(lcSocket) << "dropped a Socket.IO packet:" << error;
        return;
    }
    if (packet->nsp != u"/")
        return; // another namespace: not ours
    switch (packet->type) {
    case SocketPacketType::Connect:
        m_attempt = 0;
        m_pid = packet->data.toObject().value(u"pid").toString();
        setState(State::Connected);
        emit connected();
        return;
    case SocketPacketType::ConnectError: {
        const QString message = packet->data.isString() ? packet->data.toString()
                                                        : packet->data.toObject().value(u"message").toString();
        stop(message);
        emit connectError(message.isEmpty() ? QStringLiteral("The server refused the connection.") : message);
        return;
    }
    case SocketPacketType::Disconnect:
        stop(QStringLiteral("The server closed the connection."));
        return;
    case SocketPacketType::Event:
        onEvent(packet->data.toArray());
        return;
    case SocketPacketType::Ack:
    case SocketPacketType::BinaryEvent:
    case SocketPacketType::BinaryAck:
        qCDebug(lcSocket) << "ignored Socket.IO packet of type" << int(packet->type);
        return;
    }
}

void SocketIoClient::onEvent(const QJsonArray &payload)
{
    const QString name = payload.first().toString();
    // With connection-state recovery the server appends the event's offset as a last string argument.
    if (!m_pid.isEmpty() && payload.size() > 2 && payload.last().isString())
        m_offset = payload.last().toString();
    const QJsonValue argument = payload.at(1);
    QString error;
    if (name == u"status_update") {
        if (const auto update = Wire::parseStatusUpdate(argument, &error))
            emit statusUpdate(*update);
        else
            qCWarning(lcSocket) << "dropped status_update:" << error;
    } else if (name == u"inbound_message") {
        if (const auto message = Wire::parseInboundMessage(argument, &error))
            emit inboundMessage(*message);
        else
            qCWarning(lcSocket) << "dropped inbound_message:" << error;
    } else {
        qCDebug(lcSocket) << "ignored event" << name;
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
