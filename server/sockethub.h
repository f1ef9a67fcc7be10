// Accepts the Socket.IO WebSockets of the reference server, checks their URL, and keeps the rooms:
// one per tenant + conversation, joined once the client's CONNECT carries the right token.
#pragma once

#include <QList>
#include <QMultiHash>
#include <QObject>
#include <QString>

#include <memory>

class QUrl;
class QWebSocket;
class SocketSession;

class SocketHub : public QObject
{
    Q_OBJECT
public:
    explicit SocketHub(QObject *parent = nullptr);
    ~SocketHub() override;

    // Settings for sockets accepted from now on (token, ping timing) or all of them (suspension).
    void setToken(const QString &token);
    void setPingTiming(int pingIntervalMs, int pingTimeoutMs);
    void setPingsSuspended(bool suspended);

    // /socket.io/?EIO=4&transport=websocket&tenantId=..&conversationId=.. (CONTRACT.md §2)
    static bool isSocketUrl(const QUrl &url);
    // Takes an upgraded connection; closes it at once when its URL is not a socket URL.
    void accept(std::unique_ptr<QWebSocket> socket);
    void emitToRoom(const QString &tenant, const QString &conversation, const QString &frame);

    void dropAll();
    void disconnectAll();
    int joinedCount() const;

signals:
    void socketJoined();
    void socketLeft();

private:
    static QString roomKey(const QString &tenant, const QString &conversation);
    void onClosed(SocketSession *session);

    QString m_token;
    int m_pingInterval = 25000;
    int m_pingTimeout = 20000;
    bool m_pingsSuspended = false;
    QList<SocketSession *> m_sessions; // children; each deletes itself after closing
    QMultiHash<QString, SocketSession *> m_rooms;
};
