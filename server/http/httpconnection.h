// One accepted TCP connection of the HTTP front. Its readyRead slot is connected before Qt's HTTP
// parser's, so it sees every byte first and frames requests itself — just enough to answer what Qt 6.4
// would buffer whole or drop without a word (PLATFORM.md): a head over the header limit (431), a body
// over the body limit (413, from Content-Length before the body arrives, or counted chunk by chunk), a
// request line or header Qt's parser would reject (400/405), and a connection over the per-address limit
// (429). It also queues the requests handed to the handler, so every answer is logged with its duration.
#pragma once

#include "httpexchange.h"

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

// Shared by the front and its connections (a connection may outlive the front by a moment).
struct HttpConnectionBook
{
    qint64 maxBodyBytes = 64 * 1024;
    // Paths (without a trailing slash) whose bodies may be larger: the Engine.IO endpoint, whose polling
    // POSTs go up to the maxPayload its open packet announces. The cap there is the larger of the two.
    QHash<QString, qint64> pathMaxBodyBytes;
    qint64 maxHeaderBytes = 16 * 1024; // Qt 6.4's parser gives up at 80 KiB and closes without an answer
    int maxPerAddress = 0; // open connections from one address; 0 = no limit (widget-server sets 64)
    QHash<QHostAddress, int> perAddress;
    int open = 0;
    bool draining = false; // shutting down: answered connections close
    std::function<void(const HttpExchange &)> observer; // every answered (or abandoned) request
    std::function<void()> closed; // a counted connection closed
};

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
    // The request just begun is the one this connection's framing took for a WebSocket upgrade (and let
    // the bytes after it through unchecked).
    bool framedAsUpgrade() const { return m_upgradeRequest != 0 && m_upgradeRequest == m_begun; }
    QByteArray finish(int status); // the oldest open request was answered; returns its request id
    void setTenant(const QString &tenant); // of the request being handled
    void markUpgraded(); // a WebSocket now owns the connection: no more HTTP on it
    bool isUpgraded() const { return m_stage == Stage::Passthrough && m_upgraded; }
    bool isBusy() const; // a request is arriving or waits for its answer
    bool closesAfterAnswer() const; // draining: the answer says Connection: close
    void closeIfIdle(); // draining: close now unless busy (then after the answer)
    void abort();

private:
    enum class Stage { Head, Body, ChunkSize, ChunkData, ChunkEnd, Trailer, Passthrough, Rejected };
    struct Open
    {
        HttpExchange exchange;
        QElapsedTimer timer;
    };

    void onReadyRead();
    void consume(QByteArray data);
    bool takeHead(QByteArray &data); // false: more bytes needed or rejected
    void parseHead();
    bool takeLine(QByteArray &data, QByteArray *line); // false: more bytes needed
    void requestReceived();
    void reject(int status, const QByteArray &code, const QString &message);
    qint64 maxBodyBytes() const; // for the request being received
    void discardInput();
    void shutdownWhenFlushed();

    QTcpSocket *m_socket;
    std::shared_ptr<HttpConnectionBook> m_book;
    QHostAddress m_peer;
    bool m_refused;
    bool m_upgraded = false;
    bool m_writeShut = false;
    Stage m_stage = Stage::Head;
    QByteArray m_head; // the head being received
    QByteArray m_line; // a chunk-size or trailer line being received
    qint64 m_remaining = 0; // body or chunk bytes still to come
    qint64 m_bodyBytes = 0; // chunked: body bytes so far
    QByteArray m_method; // of the request being received, for the log line of a refusal
    QString m_path;
    QList<Open> m_open; // handed to the handler, not answered yet (oldest first)
    int m_framed = 0; // requests framed so far
    int m_begun = 0; // requests Qt handed to the handler so far
    int m_upgradeRequest = 0; // the number of the request framed as an upgrade; 0: none
    QTimer *m_closeTimer = nullptr; // bounds a refused or rejected connection's life
};
