// One accepted TCP connection of the HTTP front. Its readyRead slot is connected before Qt's HTTP
// parser's, so it sees every byte first and frames requests itself — just enough to answer what Qt 6.4
// would buffer whole or drop without a word (PLATFORM.md): a head over the header limit (431), a body
// over the body limit (413, from Content-Length before the body arrives, or counted chunk by chunk), a
// request line or header Qt's parser would reject (400/405), and a connection over the per-address limit
// (429). It also queues the requests handed to the handler, so every answer is logged with its duration.
// A WebSocket upgrade it takes over before Qt sees it: it answers the handshake and hands the socket to a
// WebSocketConnection (Qt's QWebSocket costs tens of KiB per idle connection and writes each frame alone).
#pragma once

#include "connectionbook.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>

#include <functional>
#include <memory>

class QHttpServerRequest;
class QTcpSocket;
class QTimer;
struct RequestHead;

class HttpConnection : public QObject
{
    Q_OBJECT
public:
    // Becomes a child of socket. refused: over the per-address limit, answered 429 and closed; never
    // handed to Qt's HTTP server and not counted.
    HttpConnection(QTcpSocket *socket, std::shared_ptr<HttpConnectionBook> book, bool refused);
    ~HttpConnection() override;

    static HttpConnection *of(const QTcpSocket *socket);
    static QHostAddress normalized(const QHostAddress &address); // ::ffff:a.b.c.d → a.b.c.d

    void begin(const QHttpServerRequest &request); // Qt handed a complete request to the handler
    QByteArray finish(int status); // the oldest open request was answered; returns its request id
    void setTenant(const QString &tenant); // of the request being handled
    bool isBusy() const; // a request is arriving or waits for its answer
    bool closesAfterAnswer() const; // draining: the answer says Connection: close
    void closeIfIdle(); // draining: close now unless busy (then after the answer)
    void abort();

private:
    enum class Stage { Head, Body, ChunkSize, ChunkData, ChunkEnd, Trailer, Upgraded, Rejected };
    struct Open
    {
        HttpExchange exchange;
        QElapsedTimer timer;
    };

    void onReadyRead();
    void consume(QByteArray data);
    bool takeHead(QByteArray &data); // false: more bytes needed or rejected
    void parseHead(const RequestHead &head);
    bool takeLine(QByteArray &data, QByteArray *line); // false: more bytes needed
    void requestReceived();
    void reject(int status, const QByteArray &code, const QString &message);
    void takeOver(const RequestHead &head, QByteArrayView rest); // a WebSocket upgrade
    QByteArray log(int status) const; // a request this connection answers itself; returns its id
    qint64 maxBodyBytes() const; // for the request being received
    QString routeKey() const { return HttpConnectionBook::pathKey(m_path); } // for the maps of paths
    void rejectTooLarge();
    void discardInput();
    void shutdownWhenFlushed();

    QTcpSocket *m_socket;
    std::shared_ptr<HttpConnectionBook> m_book;
    QHostAddress m_peer;
    bool m_refused;
    std::unique_ptr<ConnectionSlot> m_slot; // none when refused
    bool m_writeShut = false;
    Stage m_stage = Stage::Head;
    QByteArray m_head; // the head being received
    QByteArray m_line; // a chunk-size or trailer line being received
    qint64 m_remaining = 0; // body or chunk bytes still to come
    qint64 m_bodyBytes = 0; // chunked: body bytes so far
    QByteArray m_method; // of the request being received, for the log line of a refusal
    QString m_path;
    QList<Open> m_open; // handed to the handler, not answered yet (oldest first)
    QTimer *m_closeTimer = nullptr; // bounds a refused or rejected connection's life
};
