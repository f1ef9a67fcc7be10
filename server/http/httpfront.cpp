#include "httpfront.h"

#include "eventpoller.h"
#include "httpconnection.h"
#include "httplistener.h"
#include "requesthead.h"
#include "serverlog.h"
#include "websocketconnection.h"

#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpSocket>

HttpFront::HttpFront(Handler handler, UpgradeFilter upgradeFilter, WebSocketHandler webSocketHandler, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_handler(std::move(handler))
    , m_book(std::make_shared<HttpConnectionBook>())
    , m_poller(new EventPoller(this))
{
    m_book->acceptsUpgrade = std::move(upgradeFilter);
    m_book->webSocketAccepted = std::move(webSocketHandler);
    m_book->poller = m_poller;
    m_book->closed = [front = QPointer<HttpFront>(this)] {
        if (front)
            emit front->connectionClosed();
    };
}

HttpFront::~HttpFront()
{
    // Connections still open close after this (they are children of the listeners): they must not
    // report to an observer whose owner is gone.
    m_book->observer = {};
    m_book->closed = {};
    m_book->acceptsUpgrade = {};
    m_book->webSocketAccepted = {};
    m_book->poller = nullptr;
}

quint16 HttpFront::listen(const QHostAddress &address, quint16 port)
{
    auto *listener = new HttpListener(m_book, this);
    if (!listener->listen(address, port)) {
        qCWarning(lcServer) << "cannot listen:" << listener->errorString();
        delete listener;
        return 0;
    }
    bind(listener);
    return listener->serverPort();
}

void HttpFront::setMaxBodyBytes(qint64 bytes)
{
    m_book->maxBodyBytes = std::max<qint64>(0, bytes);
}

qint64 HttpFront::maxBodyBytes() const
{
    return m_book->maxBodyBytes;
}

void HttpFront::setMaxBodyBytesForPath(
    const QString &path, qint64 bytes, const QByteArray &code, const QString &message)
{
    const QString key = HttpConnectionBook::pathKey(path);
    m_book->pathMaxBodyBytes.insert(key, std::max<qint64>(0, bytes));
    if (!code.isEmpty())
        m_book->pathTooLarge.insert(key, {code, message});
}

void HttpFront::setTokenCheckedFromHead(
    const QString &path, std::function<bool(const QByteArray &authorization)> known)
{
    m_book->pathTokenCheck.insert(HttpConnectionBook::pathKey(path), std::move(known));
}

void HttpFront::setMaxHeaderBytes(qint64 bytes)
{
    m_book->maxHeaderBytes = std::max<qint64>(256, bytes);
}

void HttpFront::setMaxConnectionsPerAddress(int connections)
{
    m_book->maxPerAddress = std::max(0, connections);
}

int HttpFront::maxConnectionsPerAddress() const
{
    return m_book->maxPerAddress;
}

void HttpFront::setExchangeObserver(ExchangeObserver observer)
{
    m_book->observer = std::move(observer);
}

void HttpFront::setTenant(const QHttpServerResponder &responder, const QString &tenant)
{
    if (HttpConnection *connection = HttpConnection::of(responder.socket()))
        connection->setTenant(tenant);
}

void HttpFront::drain()
{
    m_book->draining = true;
    const QList<QTcpServer *> listeners = servers();
    for (QTcpServer *listener : listeners)
        listener->close();
    const QList<HttpConnection *> connections = findChildren<HttpConnection *>();
    for (HttpConnection *connection : connections)
        connection->closeIfIdle();
}

void HttpFront::abortAll()
{
    const QList<HttpConnection *> connections = findChildren<HttpConnection *>();
    for (HttpConnection *connection : connections)
        connection->abort();
}

int HttpFront::openConnections() const
{
    return m_book->open;
}

bool HttpFront::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Real-time traffic is many small writes (an Engine.IO packet per WebSocket frame, paced one by
    // one): Nagle's algorithm would hold each behind the previous one's delayed ACK, 40 ms on Linux.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    HttpConnection *connection = HttpConnection::of(socket);
    if (connection)
        connection->begin(request);
    // Qt 6.4.2 asks handleRequest() about a WebSocket upgrade too. The upgrades the connection framed as
    // such it took over before Qt saw them (RequestHead's rule); one Qt takes for an upgrade all the same
    // (should Qt ever read a header otherwise than it was sent) is refused: false makes Qt answer through
    // missingHandler() and close, and nothing of it goes to a QWebSocket (no one listens for those).
    QByteArray upgradeValue;
    int upgradeHeaders = 0;
    QByteArray connectionTokens;
    const auto headers = request.headers();
    for (const auto &[key, value] : headers) {
        if (key.compare("Upgrade", Qt::CaseInsensitive) == 0 && upgradeHeaders++ == 0)
            upgradeValue = value;
        else if (key.compare("Connection", Qt::CaseInsensitive) == 0)
            connectionTokens += value + ',';
    }
    if (upgradeHeaders == 1 && RequestHead::upgradesToWebSocket(upgradeValue, connectionTokens))
        return false;
    m_handler(request, makeResponder(request, socket));
    return true;
}

void HttpFront::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Only upgrades Qt saw get here: handleRequest() answers every other request.
    QHttpServerResponder responder = makeResponder(request, socket);
    writeJson(responder, 404, errorBody(QStringLiteral("Not found"), QStringLiteral("NOT_FOUND")));
}

QJsonObject HttpFront::errorBody(const QString &message, const QString &code)
{
    return httpErrorBody(message, code);
}

void HttpFront::writeError(QHttpServerResponder &responder, int httpStatus, const QString &message, const QString &code)
{
    writeJson(responder, httpStatus, httpErrorBody(message, code));
}

void HttpFront::writeJson(
    QHttpServerResponder &responder, int httpStatus, const QJsonObject &body, int retryAfterSeconds)
{
    HeaderList headers {{"Content-Type", "application/json"}};
    if (retryAfterSeconds >= 0)
        headers.append({"Retry-After", QByteArray::number(retryAfterSeconds)});
    write(responder, httpStatus, QJsonDocument(body).toJson(QJsonDocument::Compact), headers);
}

void HttpFront::write(
    QHttpServerResponder &responder, int httpStatus, const QByteArray &body, const HeaderList &headers)
{
    // Every answer passes here: the place to log it and to count it.
    QByteArray requestId;
    bool closing = false;
    if (HttpConnection *connection = HttpConnection::of(responder.socket())) {
        requestId = connection->finish(httpStatus);
        closing = connection->closesAfterAnswer();
    }
    responder.writeStatusLine(QHttpServerResponder::StatusCode(httpStatus));
    for (const auto &[name, value] : headers)
        responder.writeHeader(name, value);
    if (!requestId.isEmpty())
        responder.writeHeader(QByteArrayLiteral("X-Request-ID"), requestId);
    if (closing)
        responder.writeHeader(QByteArrayLiteral("Connection"), QByteArrayLiteral("close"));
    responder.writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(body.size()));
    responder.writeBody(body);
}

QByteArray HttpFront::header(const QHttpServerRequest &request, QByteArrayView name)
{
    const auto headers = request.headers();
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value.trimmed();
    }
    return {};
}
