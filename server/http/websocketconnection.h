// One accepted WebSocket connection, server side (RFC 6455), on a plain non-blocking socket: frames in
// (masked, possibly fragmented; pings answered, text checked to be UTF-8, a message over the size limit
// closed with 1009), frames out through a queue written with one sendmsg() per turn of the event loop, and
// the close handshake. What it keeps while idle is this object and nothing else: no QObject, no socket
// notifier (the EventPoller watches it), no read buffer (only a partial frame is kept), and a frame
// shared by a room's broadcast is queued by reference, not copied.
#pragma once

#include "connectionbook.h"
#include "eventpoller.h"

#include <QByteArray>
#include <QList>
#include <QPointer>
#include <QUrl>

#include <memory>

class WebSocketConnection final : public EventPoller::Client
{
public:
    enum CloseCode : quint16 {
        CloseNormal = 1000,
        CloseProtocolError = 1002,
        CloseInvalidData = 1007,
        ClosePolicyViolated = 1008,
        CloseTooBig = 1009,
    };

    class Receiver
    {
    public:
        virtual void textMessage(const QByteArray &utf8) = 0; // checked: valid UTF-8
        virtual void binaryMessage(const QByteArray &bytes) = 0;
        virtual void drained() = 0; // everything queued has been handed to the kernel
        virtual void disconnected() = 0; // once; the socket is closed

    protected:
        ~Receiver() = default;
    };

    // Takes the socket over: it is closed when this goes. The caller has read the handshake's head;
    // handshakeResponse() is queued first.
    WebSocketConnection(qintptr socket, std::unique_ptr<ConnectionSlot> slot, EventPoller *poller,
        const QUrl &requestUrl, const QByteArray &handshakeKey);
    ~WebSocketConnection();
    WebSocketConnection(const WebSocketConnection &) = delete;
    WebSocketConnection &operator=(const WebSocketConnection &) = delete;

    QUrl requestUrl() const { return m_requestUrl; } // the path and query of the upgrade request
    QHostAddress peerAddress() const { return m_slot->peer(); }
    bool isOpen() const { return m_state == State::Open; }

    void setReceiver(Receiver *receiver); // parses what received() kept
    // Larger messages (all their fragments together) close the connection with 1009, as engine.io does
    // past maxPayload.
    void setMaxMessageSize(qint64 bytes) { m_maxMessage = bytes; }
    // Bytes that came after the upgrade request's head (a client that spoke before the 101): kept, and
    // parsed as frames once the receiver is set.
    void received(QByteArrayView bytes) { m_in.append(bytes); }

    // A complete frame (encodeFrame()), written at the end of this turn with whatever else was queued.
    void send(const QByteArray &frame);
    qint64 unsentBytes() const { return m_outBytes - m_outOffset; }
    // The close handshake: a close frame after what is queued; the socket is closed once the peer answers
    // (the caller decides how long to wait for that before abort()).
    void close(quint16 code, const QString &reason);
    void abort(); // closes the socket now; disconnected() follows at once

    // Frame and handshake encoding, for the frames encoded once and queued on many connections.
    static QByteArray encodeFrame(bool binary, QByteArrayView payload);
    static QByteArray handshakeResponse(const QByteArray &key);
    static bool isValidUtf8(QByteArrayView bytes);
    // A second descriptor of the same open socket, for taking a connection over from a QTcpSocket that
    // then closes its own; -1 on failure.
    static qintptr duplicateSocket(qintptr socket);

private:
    enum class State : quint8 {
        Open,
        Closing, // our close frame is queued or sent: waiting for the peer's
        ClosingAfterFlush, // the handshake is over (or failed): the socket closes once the queue is out
        Closed,
    };

    void pollEvent(bool readable, bool writable) override;
    void endOfTurn() override;
    void readAvailable();
    qsizetype parseFrames(const char *data, qsizetype size); // bytes consumed
    void frameReceived(quint8 opcode, bool fin, QByteArray payload);
    void deliver(quint8 opcode, const QByteArray &message);
    void closeReceived(const QByteArray &payload);
    void fail(quint16 code, const char *why); // a close frame, then the socket closes
    void queue(QByteArray frame);
    void writeQueued();
    void closeSocket();

    qintptr m_socket;
    std::unique_ptr<ConnectionSlot> m_slot;
    QPointer<EventPoller> m_poller; // a connection dropped at exit may outlive the front's poller
    QUrl m_requestUrl;
    Receiver *m_receiver = nullptr;
    qint64 m_maxMessage = 1000000;
    QByteArray m_in; // the start of a frame whose rest has not arrived
    QByteArray m_message; // the fragments of a message so far
    quint8 m_messageOpcode = 0; // 0: no fragmented message under way
    State m_state = State::Open;
    bool m_closeSent = false;
    bool m_flushRequested = false;
    bool m_waitingForWritable = false;
    QList<QByteArray> m_out; // frames not yet handed to the kernel, the first maybe in part
    qsizetype m_outOffset = 0; // of the first frame
    qint64 m_outBytes = 0;
};
