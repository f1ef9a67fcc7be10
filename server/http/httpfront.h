// The HTTP side of the reference server: a QAbstractHttpServer that hands every request to one
// handler (WidgetServer routes itself, so unknown paths and methods get JSON errors) and WebSocket
// upgrades to a filter, plus the JSON response helpers every route uses. Its own listener guards each
// connection (HttpConnection: header, body and per-address limits; it also answers WebSocket upgrades and
// hands them on as WebSocketConnections, watched by the front's EventPoller) and every answer goes through
// write(), which reports it to the exchange observer (access log, metrics).
#pragma once

#include "httpexchange.h"

#include <QAbstractHttpServer>
#include <QHttpServerResponder>
#include <QJsonObject>
#include <QList>

#include <functional>
#include <memory>

struct HttpConnectionBook;
class EventPoller;
class QHttpServerRequest;
class WebSocketConnection;

class HttpFront : public QAbstractHttpServer
{
    Q_OBJECT
public:
    using Handler = std::function<void(const QHttpServerRequest &, QHttpServerResponder &&)>;
    // For a WebSocket upgrade's target (path and query): true, the handshake is answered and the
    // WebSocketHandler gets the connection; false, answered with a JSON 404.
    using UpgradeFilter = std::function<bool(const QUrl &)>;
    using WebSocketHandler = std::function<void(std::unique_ptr<WebSocketConnection>)>;

    HttpFront(Handler handler, UpgradeFilter upgradeFilter, WebSocketHandler webSocketHandler, QObject *parent = nullptr);
    ~HttpFront() override;

    // Listens through an HttpListener (hides QAbstractHttpServer::listen). Returns the port, 0 on failure.
    quint16 listen(const QHostAddress &address, quint16 port);

    // Limits for the connections accepted from now on (the body cap applies to every request).
    void setMaxBodyBytes(qint64 bytes);
    qint64 maxBodyBytes() const;
    // Requests to path (with or without its trailing slash) may carry up to max(bytes, the body cap);
    // a larger one gets 413 with `code` and `message` when given.
    void setMaxBodyBytesForPath(const QString &path, qint64 bytes, const QByteArray &code = {},
        const QString &message = {});
    // Requests to path with a body are answered 401 UNAUTHORIZED from their head, before the body is
    // read, unless `known` says yes to their Authorization header.
    void setTokenCheckedFromHead(const QString &path, std::function<bool(const QByteArray &authorization)> known);
    void setMaxHeaderBytes(qint64 bytes);
    void setMaxConnectionsPerAddress(int connections); // 0 = no limit
    int maxConnectionsPerAddress() const;

    using ExchangeObserver = std::function<void(const HttpExchange &)>;
    void setExchangeObserver(ExchangeObserver observer); // every answered or abandoned request
    // Notes the authenticated tenant of the request being answered through responder, for the log.
    static void setTenant(const QHttpServerResponder &responder, const QString &tenant);

    // Graceful stop: closes the listening sockets (new connections are refused), closes idle
    // keep-alive connections now and the others after their answer (which says Connection: close).
    // WebSocket connections are left to their owners; upgrades are refused from now on.
    void drain();
    void abortAll(); // the end of a grace period: drops every HTTP connection still open
    int openConnections() const; // counted TCP connections, WebSocket ones included
    EventPoller *poller() const { return m_poller; } // watches the WebSocket connections

    using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

    static QJsonObject errorBody(const QString &message, const QString &code); // httpErrorBody()
    static void writeError(QHttpServerResponder &responder, int httpStatus, const QString &message, const QString &code);
    // Writes a JSON body with Content-Type application/json (and Retry-After when >= 0).
    static void writeJson(
        QHttpServerResponder &responder, int httpStatus, const QJsonObject &body, int retryAfterSeconds = -1);
    // Writes any body with any headers (QHttpServerResponder's own overloads take a fixed initializer list).
    static void write(
        QHttpServerResponder &responder, int httpStatus, const QByteArray &body, const HeaderList &headers);
    static QByteArray header(const QHttpServerRequest &request, QByteArrayView name); // case-insensitive

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

signals:
    void connectionClosed();

private:
    Handler m_handler;
    std::shared_ptr<HttpConnectionBook> m_book;
    EventPoller *m_poller;
};
