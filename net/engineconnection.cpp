#include "engineconnection.h"

#include "pollingtransport.h"
#include "websockettransport.h"

#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QTimer>
#include <QUrlQuery>

Q_DECLARE_LOGGING_CATEGORY(lcSocket)

using namespace Protocol;

EngineConnection::EngineConnection(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_pingDeadline(new QTimer(this))
{
    // The polling POST carries the CONNECT with the token: a redirect, to another host or not, is a
    // failure of the transport, never followed (as for REST, WidgetApiClient).
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_pingDeadline->setSingleShot(true);
    connect(m_pingDeadline, &QTimer::timeout, this, [this] { fail(QStringLiteral("ping timeout")); });
}

EngineConnection::~EngineConnection()
{
    abort();
}

QString EngineConnection::serverKey(const QUrl &url)
{
    return url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment).toString();
}

bool EngineConnection::startsWithPolling(const QUrl &websocketUrl) const
{
    return m_websocketRefused.contains(serverKey(websocketUrl));
}

QUrl EngineConnection::pollingUrl() const
{
    QUrl url = m_websocketUrl;
    url.setScheme(url.scheme() == u"wss" ? QStringLiteral("https") : QStringLiteral("http"));
    QUrlQuery query(url);
    query.removeQueryItem(QStringLiteral("transport"));
    query.addQueryItem(QStringLiteral("transport"), QStringLiteral("polling"));
    url.setQuery(query);
    return url;
}

QString EngineConnection::transportName() const
{
    return m_transport ? m_transport->name() : QString();
}

void EngineConnection::open(const QUrl &websocketUrl, const QSslConfiguration &ssl)
{
    abort();
    m_websocketUrl = websocketUrl;
    m_ssl = ssl;
    m_handshaken = false;
    m_fellBack = false;
    m_handshake = {};
    // The handshake must arrive within one ping window, as a dead link would be noticed later.
    m_pingDeadline->start(m_pingWindowMs);
    if (startsWithPolling(websocketUrl)) {
        m_fellBack = true;
        startTransport(new PollingTransport(pollingUrl(), m_ssl, m_network, this));
    } else {
        startTransport(new WebSocketTransport(websocketUrl, m_ssl, this));
    }
}

void EngineConnection::startTransport(EngineTransport *transport)
{
    m_transport = transport;
    transport->setMaxPayload(m_handshake.maxPayload);
    if (auto *polling = qobject_cast<PollingTransport *>(transport))
        polling->setRequestTimeout(m_pingWindowMs + 5000);
    connect(transport, &EngineTransport::frameReceived, this, &EngineConnection::onFrame);
    connect(transport, &EngineTransport::failed, this, &EngineConnection::onFailed);
    qCDebug(lcSocket) << "opening" << transport->name();
    transport->open();
}

static void release(QPointer<EngineTransport> &transport)
{
    if (!transport)
        return;
    EngineTransport *old = transport;
    transport = nullptr;
    old->disconnect();
    old->abort();
    old->deleteLater(); // may be inside one of its signals
}

void EngineConnection::abort()
{
    m_pingDeadline->stop();
    release(m_transport);
    dropProbe();
    m_writeBuffer.clear();
    m_upgrading = false;
}

void EngineConnection::fail(const QString &reason)
{
    abort();
    emit lost(reason);
}

void EngineConnection::closeGracefully(const QStringList &lastMessages)
{
    if (m_transport && m_handshaken) {
        for (const QString &data : lastMessages)
            sendPacket(encodeEnginePacket(EnginePacketType::Message, data));
        m_transport->send(m_writeBuffer);
        m_writeBuffer.clear();
        EngineTransport *closing = m_transport;
        m_transport = nullptr;
        closing->disconnect(this);
        closing->closeGracefully();
    }
    abort();
}

void EngineConnection::onFailed(const QString &reason, bool tls)
{
    // A refused WebSocket handshake before any Engine.IO open: try polling at once, as the official
    // client does. Not after a TLS failure: polling would meet the same certificate.
    if (!m_handshaken && !tls && m_transport && m_transport->name() == u"websocket") {
        qCInfo(lcSocket).nospace() << "websocket failed (" << reason << "), falling back to polling";
        release(m_transport);
        m_fellBack = true;
        startTransport(new PollingTransport(pollingUrl(), m_ssl, m_network, this));
        return;
    }
    fail(reason);
}

void EngineConnection::onFrame(const EngineFrame &frame)
{
    if (frame.binary) {
        emit binaryReceived(frame.bytes);
        return;
    }
    QString error;
    const auto type = decodeEnginePacketType(frame.text, &error);
    if (!type) {
        qCWarning(lcSocket) << "dropped a frame:" << error;
        return;
    }
    const QStringView data = QStringView(frame.text).mid(1);
    switch (*type) {
    case EnginePacketType::Open:
        onOpenPacket(data);
        return;
    case EnginePacketType::Ping:
        m_pingDeadline->start(m_pingWindowMs);
        sendPacket(encodeEnginePacket(EnginePacketType::Pong, data));
        return;
    case EnginePacketType::Close:
        fail(QStringLiteral("transport close"));
        return;
    case EnginePacketType::Message:
        emit messageReceived(data);
        return;
    case EnginePacketType::Pong:
    case EnginePacketType::Upgrade:
    case EnginePacketType::Noop: // the server ends a pending poll with it during an upgrade
        return;
    }
}

void EngineConnection::onOpenPacket(QStringView json)
{
    QString error;
    const auto open = decodeOpen(json, &error);
    if (!open) {
        qCWarning(lcSocket) << "dropped an open packet:" << error;
        return;
    }
    m_handshake = *open;
    m_handshaken = true;
    m_pingWindowMs = open->pingInterval + open->pingTimeout;
    m_pingDeadline->start(m_pingWindowMs);
    m_transport->setMaxPayload(open->maxPayload);
    if (auto *polling = qobject_cast<PollingTransport *>(m_transport.data()))
        polling->setRequestTimeout(m_pingWindowMs + 5000);
    if (m_fellBack) // polling works where the WebSocket did not: start with it next time
        m_websocketRefused.insert(serverKey(m_websocketUrl));
    qCInfo(lcSocket) << "engine.io session open on" << m_transport->name();
    const bool offersWebSocket = m_transport->name() == u"polling" && open->upgrades.contains(u"websocket");
    emit opened(*open);
    if (offersWebSocket && m_transport)
        startProbe();
}

// engine.io-protocol "Upgrade": 2probe / 3probe on a second connection with the same sid, then the
// client pauses polling (the server flushes the pending GET with a noop) and sends 5 on the WebSocket.
void EngineConnection::startProbe()
{
    QUrl url = m_websocketUrl;
    QUrlQuery query(url);
    query.addQueryItem(QStringLiteral("sid"), m_handshake.sid);
    url.setQuery(query);
    auto *probe = new WebSocketTransport(url, m_ssl, this);
    m_probe = probe;
    probe->setMaxPayload(m_handshake.maxPayload);
    connect(probe, &EngineTransport::opened, this, [probe] { probe->send({QStringLiteral("2probe")}); });
    connect(probe, &EngineTransport::frameReceived, this, &EngineConnection::onProbeFrame);
    connect(probe, &EngineTransport::failed, this, [this](const QString &reason) { onProbeFailed(reason); });
    probe->open();
}

void EngineConnection::onProbeFrame(const EngineFrame &frame)
{
    if (!frame.binary && frame.text == u"3probe" && !m_upgrading) {
        m_upgrading = true;
        connect(
            m_transport.data(), &EngineTransport::paused, this, &EngineConnection::finishUpgrade, Qt::UniqueConnection);
        m_transport->pause();
    } else if (frame.binary || frame.text != u"6") {
        onProbeFailed(QStringLiteral("unexpected probe answer"));
    }
}

void EngineConnection::onProbeFailed(const QString &reason)
{
    qCInfo(lcSocket).nospace() << "websocket upgrade failed (" << reason << "), staying on polling";
    dropProbe();
    if (m_upgrading && m_transport) {
        m_upgrading = false;
        m_transport->resume();
        flush();
    }
}

void EngineConnection::dropProbe()
{
    release(m_probe);
}

void EngineConnection::finishUpgrade()
{
    if (!m_probe || !m_upgrading)
        return;
    EngineTransport *probe = m_probe;
    m_probe = nullptr;
    probe->disconnect(this);
    release(m_transport);
    probe->send({encodeEnginePacket(EnginePacketType::Upgrade)});
    m_transport = probe;
    connect(probe, &EngineTransport::frameReceived, this, &EngineConnection::onFrame);
    connect(probe, &EngineTransport::failed, this, &EngineConnection::onFailed);
    m_upgrading = false;
    qCInfo(lcSocket) << "upgraded to websocket";
    flush();
    emit upgraded();
}

bool EngineConnection::sendMessage(const QString &data)
{
    return sendPacket(encodeEnginePacket(EnginePacketType::Message, data));
}

bool EngineConnection::sendPacket(const QString &packet)
{
    const qsizetype bytes = packet.toUtf8().size();
    if (bytes > m_handshake.maxPayload) {
        qCWarning(lcSocket) << "dropped a packet of" << bytes << "bytes: the server's maxPayload is"
                            << m_handshake.maxPayload;
        return false;
    }
    m_writeBuffer.append(packet);
    flush();
    return true;
}

void EngineConnection::flush()
{
    if (!m_transport || !m_handshaken || m_upgrading || m_writeBuffer.isEmpty())
        return;
    const QStringList packets = std::exchange(m_writeBuffer, {});
    m_transport->send(packets);
}
