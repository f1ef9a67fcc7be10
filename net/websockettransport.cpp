#include "websockettransport.h"

#include <QLoggingCategory>
#include <QWebSocket>

Q_DECLARE_LOGGING_CATEGORY(lcSocket)

WebSocketTransport::WebSocketTransport(const QUrl &url, const QSslConfiguration &ssl, QObject *parent)
    : EngineTransport(parent)
    , m_url(url)
    , m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
{
    m_socket->setSslConfiguration(ssl);
    connect(m_socket, &QWebSocket::connected, this, [this] {
        m_connected = true;
        emit opened();
    });
    connect(m_socket, &QWebSocket::textMessageReceived, this,
        [this](const QString &text) { emit frameReceived(Protocol::EngineFrame::fromText(text)); });
    connect(m_socket, &QWebSocket::binaryMessageReceived, this,
        [this](const QByteArray &bytes) { emit frameReceived(Protocol::EngineFrame::fromBytes(bytes)); });
    // Recorded, never ignored: the handshake then fails and the reason names the host.
    connect(m_socket, &QWebSocket::sslErrors, this,
        [this](const QList<QSslError> &errors) { m_tlsReason = tlsReason(m_url.host(), errors); });
    // A refused upgrade (HTTP 400 from a proxy or a polling-only server) ends in error(); an open
    // connection that is lost, in disconnected() with the close reason.
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this] {
        if (!m_connected)
            fail(m_socket->errorString());
    });
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        fail(!m_socket->closeReason().isEmpty()                            ? m_socket->closeReason()
                : m_socket->error() != QAbstractSocket::UnknownSocketError ? m_socket->errorString()
                                                                           : QStringLiteral("transport close"));
    });
}

WebSocketTransport::~WebSocketTransport()
{
    m_socket->disconnect(this);
    m_socket->abort();
}

void WebSocketTransport::open()
{
    m_socket->open(m_url);
}

void WebSocketTransport::send(const QStringList &packets)
{
    for (const QString &packet : packets)
        m_socket->sendTextMessage(packet);
}

void WebSocketTransport::abort()
{
    m_socket->disconnect(this);
    m_socket->abort();
}

void WebSocketTransport::closeGracefully()
{
    m_socket->disconnect(this);
    // Dropping the socket discards unwritten frames: flush what send() queued first.
    m_socket->flush();
    m_socket->close();
    deleteLater();
}

void WebSocketTransport::fail(const QString &reason)
{
    if (m_failed)
        return;
    m_failed = true;
    const bool tls = !m_tlsReason.isEmpty() || m_socket->error() == QAbstractSocket::SslHandshakeFailedError;
    emit failed(!m_tlsReason.isEmpty() ? m_tlsReason : reason, tls);
}
