// SocketIoClient: the real-time half of CONTRACT.md §2, Socket.IO v5 over Engine.IO v4: auth in
// CONNECT, the two events, reconnect with backoff. The Engine.IO session (WebSocket, or long-polling when
// the WebSocket is refused; pings; maxPayload) is EngineConnection's.
#pragma once

#include "wirejson.h"

#include <QObject>
#include <QSslConfiguration>
#include <QUrl>

#include <functional>

class EngineConnection;
class QTimer;

struct SocketConfig
{
    QUrl baseUrl; // the REST base URL; http -> ws, https -> wss
    QString tenant;
    QString conversation;
    QString token;
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration(); // CA store for wss
};

class SocketIoClient : public QObject
{
    Q_OBJECT

public:
    enum class State { Disconnected, Connecting, Connected, Reconnecting };
    Q_ENUM(State)

    explicit SocketIoClient(QObject *parent = nullptr);
    ~SocketIoClient() override;

    void open(const SocketConfig &config);
    void close();
    // Connects at once instead of waiting out the backoff, or again after a server disconnect.
    void reconnectNow();

    State state() const { return m_state; }
    int reconnectAttempt() const { return m_attempt; }
    // Source of the reconnect jitter in [0, 1); tests pin it.
    void setRandomSource(std::function<double()> random) { m_random = std::move(random); }
    static QUrl socketUrl(const SocketConfig &config);

signals:
    void stateChanged(SocketIoClient::State state);
    void connected(); // after every successful CONNECT: the owner re-reads history (CONTRACT.md §2)
    void reconnectScheduled(int delayMs, int attempt);
    void disconnected(const QString &reason, bool willReconnect);
    void connectError(const QString &message); // CONNECT_ERROR: no reconnect
    void statusUpdate(const Wire::StatusUpdate &update);
    void inboundMessage(const Message &message);

private:
    void connectSocket();
    void onEngineOpen();
    void onBinary(const QByteArray &bytes);
    void onSocketPacket(QStringView payload);
    void onEvent(const Wire::ServerPacket &packet);
    void onTransportLost(const QString &reason);
    void stop(const QString &reason);
    void setState(State state);
    void dropSocket();

    SocketConfig m_config;
    EngineConnection *m_engine;
    QTimer *m_reconnectTimer;
    State m_state = State::Disconnected;
    int m_attempt = 0;
    int m_pendingAttachments = 0; // binary frames still owed to an ignored 45-/46- packet
    QString m_pid; // connection-state recovery (CONTRACT.md §2)
    QString m_offset;
    std::function<double()> m_random;
};
