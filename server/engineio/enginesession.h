// One Engine.IO v4 session (engine.io-protocol): the open handshake, the server's ping / client's pong
// heartbeat, the write buffer, closing, and the polling → WebSocket upgrade (2probe / 3probe / 5).
// It speaks through one transport at a time and outlives the transport it started with. The heartbeat's
// deadlines are kept by the server's SessionClock, not by timers of its own.
#pragma once

#include "sessionclock.h"
#include "sessiontransport.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QPointer>
#include <QUrlQuery>

class PollingSessionTransport;
class QTimer;

class EngineSession : public QObject, private SessionClock::Client
{
    Q_OBJECT
public:
    // Takes the transport over (reparents it). clock: the server's, which outlives its sessions.
    EngineSession(const QString &id, const EngineSettings &settings, const QUrlQuery &query,
        SessionTransport *transport, SessionClock *clock, QObject *parent = nullptr);
    ~EngineSession() override;

    QString id() const { return m_id; }
    QUrlQuery query() const { return m_query; } // of the request that opened the session
    const EngineSettings &settings() const { return m_settings; }
    bool isOpen() const { return m_state == State::Open; }
    bool isDraining() const { return m_draining; } // closing, but a poll may still fetch the last packets
    QString transportName() const;
    PollingSessionTransport *polling() const; // the polling transport while it is the session's one, else null

    void open(); // sends the open packet and starts the heartbeat
    void send(const QString &message); // an Engine.IO message packet ("4" + message)
    void sendBinary(const QByteArray &message);
    // A packet encoded already ("4" + message), shared by the sessions of a broadcast.
    void sendEncoded(const OutgoingPacket &packet) { sendPacket(packet); }
    // Server-side close: what is buffered still goes out (over polling, with the next poll); closed() follows.
    void close(const QString &reason = {});
    void abort(); // drops the connection without a goodbye; closed() follows
    void terminate(const QString &reason); // closes at once, dropping what is buffered; closed() follows
    void setPingsSuspended(bool suspended);
    // Closes the session when its pong is overdue but the timer has not fired yet, so a request that
    // arrives after the deadline never sees a live session (timers fire a little late, clients don't).
    void closeIfOverdue();

    bool canUpgrade() const; // polling, open, and no upgrade under way
    void beginUpgrade(SessionTransport *probe); // takes the probe transport over

signals:
    void message(const QString &data);
    void binaryMessage(const QByteArray &data);
    void closed(const QString &reason); // once; the session deletes itself afterwards

private:
    enum class State { Opening, Open, Closing, Closed };

    void attach(SessionTransport *transport);
    void sendPacket(const OutgoingPacket &packet);
    bool overOutputCap() const;
    void scheduleFlush();
    void flush();
    void onFrame(const Protocol::EngineFrame &frame);
    void onProbeFrame(const Protocol::EngineFrame &frame);
    void onWritable();
    void protocolError(const QString &error);
    void schedulePing();
    void sendPing();
    void deadlineReached() override; // the ping is due, or the pong overdue
    void stopHeartbeat();
    void startUpgradeTimers();
    void closeFromClient();
    void cancelUpgrade();
    void closeSession(const QString &reason, bool drain);
    void finishDraining(const QString &reason);
    void finish(const QString &reason);

    QString m_id;
    EngineSettings m_settings;
    QUrlQuery m_query;
    SessionTransport *m_transport = nullptr; // child
    QPointer<SessionTransport> m_probe; // child while an upgrade is under way
    bool m_probed = false; // the probe answered 3probe: waiting polls get a noop
    QList<OutgoingPacket> m_buffer;
    qint64 m_bufferBytes = 0;
    bool m_pingInBuffer = false; // the ping sent last has not reached the transport yet
    bool m_flushScheduled = false;
    SessionClock *m_clock;
    enum class Heartbeat : quint8 { Off, PingDue, PongDue } m_heartbeat = Heartbeat::Off; // m_clock's deadline
    // Only while an upgrade is under way (created then): its timeout, and the noop that ends a poll.
    QTimer *m_upgradeTimer = nullptr;
    QTimer *m_noopTimer = nullptr;
    QDeadlineTimer m_pingDue; // when the next ping is due: the pong deadline counts from here
    QDeadlineTimer m_pongDeadline;
    State m_state = State::Opening;
    bool m_draining = false;
    QString m_closeReason;
};
