// EngineConnection: one Engine.IO v4 session under SocketIoClient (CONTRACT.md §2). Starts on a
// WebSocket; when that cannot be opened (a proxy strips Upgrade, the server answers 400) it falls back
// to HTTP long-polling and upgrades to a WebSocket again when the server offers it, like the official
// client. It answers pings, notices a dead link and never sends a packet larger than maxPayload.
#pragma once

#include "protocol.h"

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QSslConfiguration>
#include <QStringList>
#include <QUrl>

class EngineTransport;
class QNetworkAccessManager;
class QTimer;

class EngineConnection : public QObject
{
    Q_OBJECT

public:
    explicit EngineConnection(QObject *parent = nullptr);
    ~EngineConnection() override;

    // websocketUrl: ws(s)://host/socket.io/?EIO=4&transport=websocket&...; polling uses the same query.
    void open(const QUrl &websocketUrl, const QSslConfiguration &ssl);
    // Stops at once and emits nothing more.
    void abort();
    // Sends these message payloads (e.g. Socket.IO "1", a DISCONNECT) then closes, best effort.
    void closeGracefully(const QStringList &lastMessages);
    // Queues an Engine.IO message. false (and logged) when it exceeds the server's maxPayload: the
    // server would close the session on it (engine.io: "message too big" / HTTP 413).
    bool sendMessage(const QString &data);
    QString transportName() const;
    // True when polling had to stand in for a refused WebSocket on this server: later sessions start
    // with polling and upgrade, as the WebSocket handshake alone would fail again.
    bool startsWithPolling(const QUrl &websocketUrl) const;

signals:
    void opened(const Protocol::OpenHandshake &handshake);
    // The data of an Engine.IO message packet: a view into the frame, valid during the emission.
    void messageReceived(QStringView data);
    void binaryReceived(const QByteArray &bytes);
    void lost(const QString &reason);
    void upgraded();

private:
    void startTransport(EngineTransport *transport);
    void onFrame(const Protocol::EngineFrame &frame);
    void onOpenPacket(QStringView json);
    void onFailed(const QString &reason, bool tls);
    void startProbe();
    void onProbeFrame(const Protocol::EngineFrame &frame);
    void onProbeFailed(const QString &reason);
    void finishUpgrade();
    void dropProbe();
    bool sendPacket(const QString &packet);
    void flush();
    void fail(const QString &reason);
    QUrl pollingUrl() const;
    static QString serverKey(const QUrl &url);

    QNetworkAccessManager *m_network;
    QTimer *m_pingDeadline;
    QPointer<EngineTransport> m_transport;
    QPointer<EngineTransport> m_probe;
    QUrl m_websocketUrl;
    QSslConfiguration m_ssl;
    QStringList m_writeBuffer;
    Protocol::OpenHandshake m_handshake;
    int m_pingWindowMs = 45000;
    bool m_handshaken = false;
    bool m_fellBack = false; // this session's WebSocket was refused and polling took over
    bool m_upgrading = false; // the probe answered: writes wait for the switch
    QSet<QString> m_websocketRefused;
};
