// Engine.IO over one WebSocket: one packet per frame, text packets as text frames and binary messages
// as raw binary frames (engine.io-protocol, "WebSocket").
#pragma once

#include "sessiontransport.h"

#include <memory>
#include <optional>

class QTimer;
class QWebSocket;

class WebSocketSessionTransport : public SessionTransport
{
    Q_OBJECT
public:
    // pacingMs: see EngineSettings::framePacingMs; 0 writes frames as they come.
    WebSocketSessionTransport(
        std::unique_ptr<QWebSocket> socket, int maxPayload, int pacingMs = 0, QObject *parent = nullptr);
    ~WebSocketSessionTransport() override;

    QString name() const override { return QStringLiteral("websocket"); }
    bool isWritable() const override { return !m_closed; }
    void send(const QList<Protocol::EngineFrame> &frames) override;
    void close(bool clientInitiated, const QString &reason) override;
    void abort() override;
    int unsentFrames() const override { return int(m_queue.size()); }
    qint64 unsentBytes() const override;

private:
    void writeNext();
    void closeNow();

    std::unique_ptr<QWebSocket> m_socket;
    QList<Protocol::EngineFrame> m_queue; // waiting for the frame in flight to reach the kernel
    qint64 m_queueBytes = 0;
    bool m_inFlight = false;
    QTimer *m_pace; // the gap before the next queued frame
    bool m_paced = false;
    std::optional<QString> m_closeReason; // close() was called; it happens once the queue is empty
    bool m_closed = false;
};
