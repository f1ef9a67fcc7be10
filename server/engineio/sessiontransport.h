// The two ways an Engine.IO v4 session reaches its client (engine.io-protocol, "Transports"): HTTP
// long-polling and WebSocket. The session owns the write buffer and the heartbeat; a transport only
// moves frames and says when it can take more.
#pragma once

#include "outgoingpacket.h"
#include "protocol.h"

#include <QObject>

struct EngineSettings
{
    int pingInterval = 25000;
    int pingTimeout = 20000;
    int maxPayload = 1000000; // bytes of one POST body or WebSocket message, announced in the open packet
    // Spec-strict: a malformed packet closes the session (what engine.io / socket.io do). Lenient: it is
    // dropped and logged, so one bad frame from a buggy widget does not cut a customer off.
    bool strict = false;
    bool pingsSuspended = false; // test hook: no pings, so no ping timeout either
    // Milliseconds between WebSocket frames, for clients that take one message per read callback (the
    // official test suites); 0 writes every frame at once, which is what a busy server needs.
    int framePacingMs = 0;
    // Output the client has not taken yet (buffered for the next poll, queued, or in the socket's write
    // buffer): past either cap the session is closed, and its client reconnects and resyncs from history.
    // Without them a client that never reads (a poll never sent, a WebSocket never read) holds as much
    // of the server's memory as its room produces, or as it asks for with echo.
    qint64 maxUnsentBytes = 2 * 1000000; // two messages of the default maxPayload
    int maxUnsentPackets = 4096;
};

class SessionTransport : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual QString name() const = 0;
    // True when send() reaches the client now: a WebSocket while open, polling while a GET waits.
    virtual bool isWritable() const = 0;
    virtual void send(const QList<OutgoingPacket> &packets) = 0;
    // Ends the transport. clientInitiated: the client sent a close packet, so a waiting poll is ended
    // with a noop; otherwise with a close packet. reason goes into a WebSocket close frame.
    virtual void close(bool clientInitiated, const QString &reason) = 0;
    virtual void abort() = 0; // no goodbye: the client sees the connection drop
    // What was handed to send() and has not left yet: frames held, and bytes (those frames' and what
    // the socket still buffers).
    virtual int unsentFrames() const { return 0; }
    virtual qint64 unsentBytes() const { return 0; }

signals:
    void frameReceived(const Protocol::EngineFrame &frame);
    void writable();
    // The transport cannot go on (overlapping polls, a poll dropped mid-wait, a malformed payload on a
    // polling POST): the session must close.
    void failed(const QString &reason);
    void closed(); // the connection is gone
};
