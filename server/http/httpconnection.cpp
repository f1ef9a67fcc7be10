#include "httpconnection.h"

#include "requesthead.h"
#include "serverlog.h"
#include "socketshutdown.h"
#include "websocketconnection.h"

#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTimer>

namespace {

// A refused or rejected connection gets this long to read its answer and hang up.
constexpr int LingerMs = 2000;
// A connection over the limit that sends no request head within this time is dropped.
constexpr int RefusedIdleMs = 10000;
constexpr qsizetype MaxChunkLine = 1024;

QByteArray randomRequestId()
{
    return QByteArray::number(QRandomGenerator::global()->generate64(), 16).rightJustified(16, '0');
}

QByteArray methodName(QHttpServerRequest::Method method)
{
    using Method = QHttpServerRequest::Method;
    switch (method) {
    case Method::Get:
        return "GET";
    case Method::Put:
        return "PUT";
    case Method::Delete:
        return "DELETE";
    case Method::Post:
        return "POST";
    case Method::Head:
        return "HEAD";
    case Method::Options:
        return "OPTIONS";
    case Method::Patch:
        return "PATCH";
    case Method::Connect:
        return "CONNECT";
    case Method::Trace:
        return "TRACE";
    default:
        return "OTHER";
    }
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 405:
        return "Method Not Allowed";
    case 413:
        return "Payload Too Large";
    case 429:
        return "Too Many Requests";
    case 404:
        return "Not Found";
    case 431:
        return "Request Header Fields Too Large";
    default:
        return "Error";
    }
}

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, std::shared_ptr<HttpConnectionBook> book, bool refused)
    : QObject(socket)
    , m_socket(socket)
    , m_book(std::move(book))
    , m_peer(normalized(socket->peerAddress()))
    , m_refused(refused)
{
    // Connected before Qt's HTTP server connects its own (it gets the socket after this constructor).
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    if (refused) {
        // Nobody else owns this socket: it goes when the peer hangs up or the timer gives up on it.
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        m_closeTimer = new QTimer(this);
        m_closeTimer->setSingleShot(true);
        connect(m_closeTimer, &QTimer::timeout, this, &HttpConnection::abort);
        m_closeTimer->start(RefusedIdleMs);
        return;
    }
    m_slot = std::make_unique<ConnectionSlot>(m_book, m_peer);
}

HttpConnection::~HttpConnection()
{
    for (Open &open : m_open) {
        open.exchange.status = 499; // the client left before its answer
        open.exchange.durationMs = open.timer.elapsed();
        if (m_book->observer)
            m_book->observer(open.exchange);
    }
}

HttpConnection *HttpConnection::of(const QTcpSocket *socket)
{
    return socket ? socket->findChild<HttpConnection *>(QString(), Qt::FindDirectChildrenOnly) : nullptr;
}

QHostAddress HttpConnection::normalized(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : address;
}

void HttpConnection::begin(const QHttpServerRequest &request)
{
    Open open;
    open.exchange.requestId = randomRequestId();
    open.exchange.method = methodName(request.method());
    open.exchange.path = request.url().path(QUrl::FullyEncoded).left(512);
    open.exchange.remoteAddress = m_peer;
    open.timer.start();
    m_open.append(open);
}

QByteArray HttpConnection::finish(int status)
{
    if (m_open.isEmpty())
        return {};
    Open open = m_open.takeFirst();
    open.exchange.status = status;
    open.exchange.durationMs = open.timer.elapsed();
    if (m_book->observer)
        m_book->observer(open.exchange);
    if (m_book->draining)
        QMetaObject::invokeMethod(this, &HttpConnection::closeIfIdle, Qt::QueuedConnection);
    return open.exchange.requestId;
}

void HttpConnection::setTenant(const QString &tenant)
{
    if (!m_open.isEmpty())
        m_open.last().exchange.tenant = tenant;
}

bool HttpConnection::isBusy() const
{
    return !m_open.isEmpty() || m_stage != Stage::Head || !m_head.isEmpty();
}

bool HttpConnection::closesAfterAnswer() const
{
    return m_book->draining;
}

void HttpConnection::closeIfIdle()
{
    if (m_refused || m_stage == Stage::Rejected || m_stage == Stage::Upgraded || isBusy())
        return;
    m_socket->disconnectFromHost();
}

void HttpConnection::abort()
{
    m_socket->abort();
    if (m_refused || m_stage == Stage::Rejected)
        m_socket->deleteLater();
}

void HttpConnection::onReadyRead()
{
    if (m_stage == Stage::Upgraded || m_stage == Stage::Rejected || !m_socket->isOpen())
        return;
    // Qt's parser reads everything available right after this slot (inside a transaction, which
    // bytesAvailable() and peek() respect), so what is unread now is exactly what arrived since.
    consume(m_socket->peek(m_socket->bytesAvailable()));
}

void HttpConnection::consume(QByteArray data)
{
    while (!data.isEmpty()) {
        switch (m_stage) {
        case Stage::Head:
            if (!takeHead(data))
                return;
            break;
        case Stage::Body: {
            const qint64 n = std::min<qint64>(m_remaining, data.size());
            m_remaining -= n;
            data.remove(0, n);
            if (m_remaining == 0)
                requestReceived();
            break;
        }
        case Stage::ChunkSize: {
            QByteArray line;
            if (!takeLine(data, &line))
                return;
            const qsizetype extension = line.indexOf(';'); // chunk extensions are ignored
            const QByteArray size = (extension < 0 ? line : line.left(extension)).trimmed();
            bool ok = !size.isEmpty() && size.size() <= 15;
            const qint64 bytes = ok ? size.toLongLong(&ok, 16) : 0;
            if (!ok || bytes < 0)
                return reject(400, "BAD_REQUEST", QStringLiteral("Malformed chunked body"));
            m_bodyBytes += bytes;
            if (m_bodyBytes > maxBodyBytes())
                return rejectTooLarge();
            m_remaining = bytes;
            m_stage = bytes == 0 ? Stage::Trailer : Stage::ChunkData;
            break;
        }
        case Stage::ChunkData: {
            const qint64 n = std::min<qint64>(m_remaining, data.size());
            m_remaining -= n;
            data.remove(0, n);
            if (m_remaining == 0)
                m_stage = Stage::ChunkEnd;
            break;
        }
        case Stage::ChunkEnd:
        case Stage::Trailer: {
            QByteArray line;
            if (!takeLine(data, &line))
                return;
            if (m_stage == Stage::ChunkEnd) {
                if (!line.isEmpty())
                    return reject(400, "BAD_REQUEST", QStringLiteral("Malformed chunked body"));
                m_stage = Stage::ChunkSize;
            } else if (line.isEmpty()) {
                requestReceived();
            }
            break;
        }
        case Stage::Upgraded:
        case Stage::Rejected:
            return;
        }
    }
}

bool HttpConnection::takeLine(QByteArray &data, QByteArray *line)
{
    const qsizetype end = data.indexOf('\n');
    m_line += data.left(end < 0 ? data.size() : end);
    if (m_line.size() > MaxChunkLine) {
        reject(400, "BAD_REQUEST", QStringLiteral("Malformed chunked body"));
        return false;
    }
    if (end < 0) {
        data.clear();
        return false;
    }
    data.remove(0, end + 1);
    *line = m_line.endsWith('\r') ? m_line.chopped(1) : m_line;
    m_line.clear();
    return true;
}

bool HttpConnection::takeHead(QByteArray &data)
{
    if (m_head.isEmpty()) {
        // Blank lines between requests are allowed (RFC 9112 §2.2).
        qsizetype skip = 0;
        while (skip < data.size() && (data.at(skip) == '\r' || data.at(skip) == '\n'))
            ++skip;
        data.remove(0, skip);
        if (data.isEmpty())
            return false;
    }
    const qsizetype received = m_head.size();
    m_head += data;
    data.clear();
    const qsizetype end = m_head.indexOf("\r\n\r\n", std::max<qsizetype>(0, received - 3));
    const qsizetype endLength = 4;
    // Lines end with CRLF and nothing else: Qt's parser also takes a bare LF (or a CR before any byte)
    // for a line end, and "\n\r\n" for the end of the head, so a head we framed differently would let
    // it read requests this guard never saw. No client needs them: refused.
    const qsizetype checkedEnd = end < 0 ? m_head.size() : end + endLength;
    for (qsizetype i = std::max<qsizetype>(1, received); i < checkedEnd; ++i) {
        const bool afterCr = m_head.at(i - 1) == '\r';
        if (afterCr != (m_head.at(i) == '\n')) {
            reject(400, "BAD_REQUEST", QStringLiteral("Header lines must end with CRLF"));
            return false;
        }
    }
    if (end < 0) {
        if (m_head.size() > m_book->maxHeaderBytes) {
            reject(431, "HEADERS_TOO_LARGE", QStringLiteral("Request head too large"));
            return false;
        }
        return false;
    }
    data = m_head.mid(end + endLength); // the body (or the next request) follows the head
    m_head.truncate(end + endLength);
    if (m_head.size() > m_book->maxHeaderBytes) {
        reject(431, "HEADERS_TOO_LARGE", QStringLiteral("Request head too large"));
        return false;
    }
    const RequestHead head = RequestHead::parse(m_head);
    parseHead(head);
    if (head.websocket && m_stage == Stage::Head) {
        takeOver(head, data);
        return false;
    }
    return m_stage != Stage::Rejected && m_stage != Stage::Upgraded;
}

void HttpConnection::parseHead(const RequestHead &head)
{
    m_method = head.method;
    m_path = head.path;
    if (m_refused)
        return reject(429, "TOO_MANY_CONNECTIONS", QStringLiteral("Too many connections from your address"));
    if (head.errorStatus != 0)
        return reject(head.errorStatus, head.errorCode, head.errorMessage);
    if (head.contentLength > maxBodyBytes())
        return rejectTooLarge();
    if (head.contentLength > 0 || head.chunked) {
        const auto check = m_book->pathTokenCheck.constFind(routeKey());
        if (check != m_book->pathTokenCheck.cend() && !(*check)(head.authorization))
            return reject(401, "UNAUTHORIZED", QStringLiteral("Unauthorized"));
    }
    m_head.clear();
    m_bodyBytes = 0;
    if (head.websocket) {
        return; // takeOver()
    } else if (head.chunked) {
        m_stage = Stage::ChunkSize;
    } else if (head.contentLength > 0) {
        m_remaining = head.contentLength;
        m_stage = Stage::Body;
    } else {
        requestReceived();
    }
}


qint64 HttpConnection::maxBodyBytes() const
{
    const QString path = routeKey();
    return std::max(m_book->maxBodyBytes, m_book->pathMaxBodyBytes.value(path, 0));
}

void HttpConnection::rejectTooLarge()
{
    const QString path = routeKey();
    const auto special = m_book->pathTooLarge.constFind(path);
    if (special != m_book->pathTooLarge.cend())
        return reject(413, special->first, special->second);
    reject(413, "PAYLOAD_TOO_LARGE", QStringLiteral("Request body too large"));
}

void HttpConnection::requestReceived()
{
    m_stage = Stage::Head;
    m_head.clear();
    m_remaining = 0;
    m_bodyBytes = 0;
}

void HttpConnection::reject(int status, const QByteArray &code, const QString &message)
{
    if (m_stage == Stage::Rejected)
        return;
    m_stage = Stage::Rejected;
    // The answer is ours: Qt's parser must not see a byte more (it would buffer the body, or close the
    // connection without an answer on what it cannot parse).
    QObject::disconnect(m_socket, &QTcpSocket::readyRead, nullptr, nullptr);
    if (m_socket->isTransactionStarted())
        m_socket->commitTransaction();
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::discardInput);
    discardInput();

    const QByteArray requestId = log(status);
    const QByteArray body
        = QJsonDocument(httpErrorBody(message, QString::fromLatin1(code))).toJson(QJsonDocument::Compact);
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status)
        + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\nConnection: close\r\nX-Request-ID: " + requestId + "\r\n";
    if (status == 429)
        response += "Retry-After: 1\r\n";
    m_socket->write(response + "\r\n" + body);

    // Lingering close: half-close once the answer is out and keep reading, so a client still sending
    // its body reads the answer instead of a reset (closing with unread input sends RST).
    connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpConnection::shutdownWhenFlushed);
    if (!m_closeTimer) {
        m_closeTimer = new QTimer(this);
        m_closeTimer->setSingleShot(true);
        connect(m_closeTimer, &QTimer::timeout, this, &HttpConnection::abort);
    }
    m_closeTimer->start(LingerMs);
    m_socket->flush();
    shutdownWhenFlushed();
}

QByteArray HttpConnection::log(int status) const
{
    HttpExchange exchange;
    exchange.requestId = randomRequestId();
    exchange.method = m_method.isEmpty() ? QByteArray("-") : m_method;
    exchange.path = m_path.isEmpty() ? QStringLiteral("-") : m_path;
    exchange.remoteAddress = m_peer;
    exchange.status = status;
    if (m_book->observer)
        m_book->observer(exchange);
    return exchange.requestId;
}

void HttpConnection::takeOver(const RequestHead &head, QByteArrayView rest)
{
    // The upgrade is answered here, before Qt's parser reads the head: Qt would hand the socket to a
    // QWebSocket. What Qt 6.4 would have refused (a path nobody serves, a stop under way) is a 404 as before.
    const QUrl target = QUrl::fromEncoded(head.target);
    if (m_book->draining || !m_book->acceptsUpgrade || !m_book->webSocketAccepted || !m_book->acceptsUpgrade(target)) {
        qCWarning(lcServer) << "refused a WebSocket upgrade for" << head.path;
        return reject(404, "NOT_FOUND", QStringLiteral("Not found"));
    }
    if (!m_open.isEmpty())
        return reject(400, "BAD_REQUEST", QStringLiteral("An upgrade behind unanswered requests"));
    if (head.webSocketVersion != "13" || head.webSocketKey.isEmpty())
        return reject(400, "BAD_REQUEST", QStringLiteral("Unsupported WebSocket handshake"));
    const qintptr socket = WebSocketConnection::duplicateSocket(m_socket->socketDescriptor());
    if (socket < 0)
        return reject(400, "BAD_REQUEST", QStringLiteral("The connection cannot be upgraded"));
    m_stage = Stage::Upgraded;
    log(101);
    // Qt's parser must not read a byte more (the WebSocket's frames), and its socket is closed at once:
    // the connection lives on in the duplicate descriptor, counted by its own slot.
    QObject::disconnect(m_socket, &QTcpSocket::readyRead, nullptr, nullptr);
    auto connection = std::make_unique<WebSocketConnection>(
        socket, std::make_unique<ConnectionSlot>(m_book, m_peer), m_book->poller, target, head.webSocketKey);
    connection->received(rest); // a client that did not wait for the 101
    m_socket->abort(); // Qt deletes the socket (and this) later, on its disconnected()
    m_book->webSocketAccepted(std::move(connection));
}

void HttpConnection::discardInput()
{
    m_socket->skip(m_socket->bytesAvailable());
}

void HttpConnection::shutdownWhenFlushed()
{
    if (m_writeShut || m_socket->bytesToWrite() > 0 || m_socket->socketDescriptor() < 0)
        return;
    m_writeShut = true;
    SocketShutdown::write(m_socket->socketDescriptor());
}
