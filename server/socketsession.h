// One client's Engine.IO v4 / Socket.IO v5 connection over a WebSocket (CONTRACT.md §2): the open
// handshake, the CONNECT with its token, the server's ping / client's pong heartbeat, and closing.
#pragma once

#include <QObject>
#include <QString>

#include <memory>

class QTimer;
class QWebSocket;
namespace Protocol {
struct SocketPacket;
}

class SocketSession : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        QString token;
        int pingInterval = 25000;
        int pingTimeout = 20000;
        int connectTimeout = 45000; // socket.io's default: a socket that never CONNECTs is dropped
        bool pingsSuspended = false;
    };

    // Takes the socket over and sends the Engine.IO open packet at once.
    SocketSession(std::unique_ptr<QWebSocket> socket, const QString &tenant, const QString &conversation,
        const Settings &settings, QObject *parent = nullptr);
    ~SocketSession() override;

    QString tenant() const { return m_tenant; }
    QString conversation() const { return m_conversation; }
    bool isJoined() const { return m_joined; } // Socket.IO CONNECT accepted

    void sendFrame(const QString &frame);
    void setPingsSuspended(bool suspended);
    void disconnectFromServer(); // Socket.IO DISCONNECT ("41"), then close: the client must not reconnect
    void abort(); // drops the TCP connection without a close frame: the client must reconnect

signals:
    void joined();
    void closed(); // emitted once; the session deletes itself later

private:
    void onFrame(const QString &frame);
    void onSocketMessage(const QString &payload);
    void onConnectPacket(const Protocol::SocketPacket &packet);
    void sendPing();
    void close(const QString &reason = {});
    void finish();

    std::unique_ptr<QWebSocket> m_socket;
    QString m_tenant;
    QString m_conversation;
    Settings m_settings;
    QTimer *m_pingTimer = nullptr; // interval until the next ping
    QTimer *m_pongTimer = nullptr; // deadline for the pong of the ping in flight
    QTimer *m_connectTimer = nullptr;
    bool m_joined = false;
    bool m_finished = false;
};
