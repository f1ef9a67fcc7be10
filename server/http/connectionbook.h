// What the HTTP front and its connections share (a connection may outlive the front by a moment): the
// limits, the counts of open connections, the observers, and where WebSocket upgrades go. Both kinds of
// connection, HTTP and the WebSocket one takes over from, count in it through a ConnectionSlot.
#pragma once

#include "httpexchange.h"

#include <QHash>
#include <QHostAddress>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

class EventPoller;
class WebSocketConnection;

struct HttpConnectionBook
{
    // The key of a path in the maps below: the path as the router reads it (%75pload is upload, // is /),
    // without its trailing slash, so a limit or check of a path cannot be stepped around by spelling it
    // differently. Paths are registered and looked up through this one function.
    static QString pathKey(const QString &path)
    {
        QString key = QUrl::fromPercentEncoding(path.toUtf8());
        while (key.contains(u"//"))
            key.replace(QStringLiteral("//"), QStringLiteral("/"));
        return key.endsWith(u'/') ? key.chopped(1) : key;
    }

    qint64 maxBodyBytes = 64 * 1024;
    // Paths (without a trailing slash) whose bodies may be larger: the Engine.IO endpoint, whose polling
    // POSTs go up to the maxPayload its open packet announces. The cap there is the larger of the two.
    QHash<QString, qint64> pathMaxBodyBytes;
    // The error code of their 413, when it is not PAYLOAD_TOO_LARGE (the upload's is MEDIA_TOO_LARGE).
    QHash<QString, std::pair<QByteArray, QString>> pathTooLarge;
    // Paths whose requests must carry a known token before their body is read (the upload's, up to
    // 16 MiB): the Authorization header's value -> whether it is known. Otherwise 401 from the head.
    QHash<QString, std::function<bool(const QByteArray &authorization)>> pathTokenCheck;
    qint64 maxHeaderBytes = 16 * 1024; // Qt 6.4's parser gives up at 80 KiB and closes without an answer
    int maxPerAddress = 0; // open connections from one address; 0 = no limit (widget-server sets 64)
    QHash<QHostAddress, int> perAddress;
    int open = 0;
    bool draining = false; // shutting down: answered connections close, upgrades are refused
    std::function<void(const HttpExchange &)> observer; // every answered (or abandoned) request
    std::function<void()> closed; // a counted connection closed

    // WebSocket upgrades: whether the request target is served (else 404), and who takes the connection
    // (its handshake answered). The sockets are watched through the poller.
    std::function<bool(const QUrl &target)> acceptsUpgrade;
    std::function<void(std::unique_ptr<WebSocketConnection>)> webSocketAccepted;
    EventPoller *poller = nullptr;
};

// One counted connection: open and per address while it lives.
class ConnectionSlot
{
public:
    ConnectionSlot(std::shared_ptr<HttpConnectionBook> book, const QHostAddress &peer)
        : m_book(std::move(book))
        , m_peer(peer)
    {
        ++m_book->perAddress[m_peer];
        ++m_book->open;
    }
    ~ConnectionSlot()
    {
        if (--m_book->perAddress[m_peer] <= 0)
            m_book->perAddress.remove(m_peer);
        --m_book->open;
        if (m_book->closed)
            m_book->closed();
    }
    ConnectionSlot(const ConnectionSlot &) = delete;
    ConnectionSlot &operator=(const ConnectionSlot &) = delete;

    const std::shared_ptr<HttpConnectionBook> &book() const { return m_book; }
    const QHostAddress &peer() const { return m_peer; }

private:
    std::shared_ptr<HttpConnectionBook> m_book;
    QHostAddress m_peer;
};
