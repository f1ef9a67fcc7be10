// Engine.IO over one WebSocket: one packet per frame, text packets as text frames and binary messages
// as raw binary frames (engine.io-protocol, "WebSocket"), on a WebSocketConnection.
#pragma once

#include "sessiontransport.h"
#include "websocketconnection.h"

#include <memory>
#include <optional>

class QTimer;

class WebSocketSessionTransport : public SessionTransport, private WebSocketConnection::Receiver
{
    Q_OBJECT
public:
    // pacingMs: see EngineSettings::framePacingMs; 0 writes frames as they come.
    WebSocketSessionTransport(std::unique_ptr<WebSocketConnection> connection, int maxPayload, int pacingMs = 0,
        QObject *parent = nullptr);
    ~WebSocketSessionTransport() override;

    QString name() const override { return QStringLiteral("websocket"); }
    bool isWritable() const override { return !m_closed; }
    void send(const QList<OutgoingPacket> &packets) override;
    void close(bool clientInitiated, const QString &reason) override;
    // close() with another code than 1000 (normal): 1008 for a socket refused after its handshake.
    void closeWithCode(quint16 code, const QString &reason);
    void abort() override;
    int unsentFrames() const override { return int(m_paced.size()); }
    qint64 unsentBytes() const override;

private:
    void textMessage(const QByteArray &utf8) override;
    void binaryMessage(const QByteArray &bytes) override;
    void drained() override;
    void disconnected() override;
    void writeNextPaced();
    void closeNow();

    std::unique_ptr<WebSocketConnection> m_connection;
    // Paced only: the frames waiting for the one in flight to leave, and the gap before the next.
    QList<OutgoingPacket> m_paced;
    qint64 m_pacedBytes = 0;
    bool m_inFlight = false;
    QTimer *m_pace = nullptr;
    int m_pacingMs = 0;
    quint16 m_closeCode = WebSocketConnection::CloseNormal;
    std::optional<QString> m_closeReason; // close() was called; it happens once the paced queue is out
    bool m_closeSent = false; // the close frame is queued
    bool m_closed = false;
};
