#include "enginesession.h"

#include "pollingsessiontransport.h"
#include "serverlog.h"

#include <QJsonArray>
#include <QTimer>

using namespace Protocol;

namespace {

// engine.io's upgradeTimeout: a probe that never completes the upgrade is closed.
constexpr int UpgradeTimeoutMs = 10000;
// engine.io's upgrade check interval: a waiting poll is ended with a noop this long after the probe,
// so a "5" already on its way (from a client that did not wait for its poll) completes the upgrade
// first and the poll is refused instead.
constexpr int UpgradeNoopDelayMs = 100;

} // namespace

EngineSession::EngineSession(const QString &id, const EngineSettings &settings, const QUrlQuery &query,
    SessionTransport *transport, SessionClock *clock, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_settings(settings)
    , m_query(query)
    , m_clock(clock)
{
    attach(transport);
}

EngineSession::~EngineSession()
{
    m_clock->cancel(this);
}

QString EngineSession::transportName() const
{
    return m_transport ? m_transport->name() : QString();
}

PollingSessionTransport *EngineSession::polling() const
{
    return qobject_cast<PollingSessionTransport *>(m_transport);
}

void EngineSession::attach(SessionTransport *transport)
{
    m_transport = transport;
    transport->setParent(this);
    connect(transport, &SessionTransport::frameReceived, this, &EngineSession::onFrame);
    connect(transport, &SessionTransport::writable, this, &EngineSession::onWritable);
    connect(transport, &SessionTransport::failed, this, [this](const QString &reason) {
        qCInfo(lcServer) << "session" << m_id << "transport failed:" << reason;
        terminate(reason);
    });
    connect(transport, &SessionTransport::closed, this, [this] { finish(QStringLiteral("transport close")); });
}

void EngineSession::startUpgradeTimers()
{
    if (m_upgradeTimer)
        return;
    // Precise, as engine.io's: the upgrade's timeout, and the noop that ends a waiting poll.
    m_upgradeTimer = new QTimer(this);
    m_noopTimer = new QTimer(this);
    for (QTimer *timer : {m_upgradeTimer, m_noopTimer}) {
        timer->setSingleShot(true);
        timer->setTimerType(Qt::PreciseTimer);
    }
    m_upgradeTimer->setInterval(UpgradeTimeoutMs);
    m_noopTimer->setInterval(UpgradeNoopDelayMs);
    connect(m_noopTimer, &QTimer::timeout, this, [this] {
        if (m_probed && m_transport->isWritable() && m_buffer.isEmpty())
            m_transport->send({OutgoingPacket::text(encodeEnginePacket(EnginePacketType::Noop))});
    });
    connect(m_upgradeTimer, &QTimer::timeout, this, &EngineSession::cancelUpgrade);
}

void EngineSession::open()
{
    OpenHandshake handshake;
    handshake.sid = m_id;
    // A WebSocket session has nothing to upgrade to; a polling one may upgrade (engine.io-protocol).
    if (polling())
        handshake.upgrades = QStringList {QStringLiteral("websocket")};
    handshake.pingInterval = m_settings.pingInterval;
    handshake.pingTimeout = m_settings.pingTimeout;
    handshake.maxPayload = m_settings.maxPayload;
    m_state = State::Open;
    sendPacket(OutgoingPacket::text(encodeOpen(handshake)));
    schedulePing();
}

void EngineSession::send(const QString &message)
{
    sendPacket(OutgoingPacket::text(encodeEnginePacket(EnginePacketType::Message, message)));
}

void EngineSession::sendBinary(const QByteArray &message)
{
    sendPacket(OutgoingPacket::binary(message));
}

void EngineSession::sendPacket(const OutgoingPacket &packet)
{
    if (m_state != State::Open)
        return;
    m_buffer.append(packet);
    m_bufferBytes += packet.size();
    if (overOutputCap()) {
        qCWarning(lcServer) << "closing session" << m_id << "over the output cap:" << m_buffer.size() << "packets,"
                            << m_bufferBytes + m_transport->unsentBytes() << "bytes unsent";
        return terminate(QStringLiteral("output over the cap"));
    }
    // A WebSocket takes each packet as it comes; polling batches what one pass of the event loop
    // produced into one response (e.g. a CONNECT reply and the event the server emits right after).
    if (qobject_cast<PollingSessionTransport *>(m_transport))
        scheduleFlush();
    else
        flush();
}

bool EngineSession::overOutputCap() const
{
    return m_buffer.size() + m_transport->unsentFrames() > m_settings.maxUnsentPackets
        || m_bufferBytes + m_transport->unsentBytes() > m_settings.maxUnsentBytes;
}

void EngineSession::scheduleFlush()
{
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_flushScheduled = false;
        flush();
    });
}

void EngineSession::flush()
{
    if (m_buffer.isEmpty() || !m_transport || !m_transport->isWritable())
        return;
    m_pingInBuffer = false;
    m_bufferBytes = 0;
    m_transport->send(std::exchange(m_buffer, {}));
}

void EngineSession::onWritable()
{
    if (m_draining)
        return finishDraining(m_closeReason);
    if (!m_buffer.isEmpty())
        flush();
    else if (m_probed && m_noopTimer)
        m_noopTimer->start();
}

void EngineSession::onFrame(const EngineFrame &frame)
{
    if (m_state != State::Open)
        return;
    if (frame.binary) {
        emit binaryMessage(frame.bytes);
        return;
    }
    QString error;
    const auto packet = decodeEnginePacket(frame.text, &error);
    if (!packet)
        return protocolError(QStringLiteral("malformed Engine.IO packet: %1").arg(error));
    switch (packet->type) {
    case EnginePacketType::Pong:
        // Engine.IO v4: a pong answers our ping; the next ping waits a full interval from here. One
        // that answers no ping the client has been given is ignored: else a polling client could POST
        // "3" for ever, never GET, and keep a session (and everything its room sends it) alive.
        if (m_heartbeat != Heartbeat::PongDue || m_pingInBuffer) {
            qCDebug(lcServer) << "ignored a pong to no ping in session" << m_id;
            return;
        }
        schedulePing();
        return;
    case EnginePacketType::Message:
        emit message(packet->data);
        return;
    case EnginePacketType::Close:
        closeFromClient();
        return;
    case EnginePacketType::Noop:
        return;
    case EnginePacketType::Ping: // v4 clients never ping: engine.io closes ("invalid heartbeat direction")
        return protocolError(QStringLiteral("a ping from the client"));
    case EnginePacketType::Open:
    case EnginePacketType::Upgrade: // only valid on a probe, see onProbeFrame()
        qCWarning(lcServer) << "dropped an unexpected Engine.IO packet of type" << int(packet->type);
        return;
    }
}

void EngineSession::protocolError(const QString &error)
{
    if (m_settings.strict) {
        qCInfo(lcServer) << "closing session" << m_id << "on a protocol error:" << error;
        terminate(QStringLiteral("parse error"));
    } else {
        qCWarning(lcServer) << "dropped" << error;
    }
}

void EngineSession::schedulePing()
{
    stopHeartbeat();
    if (m_settings.pingsSuspended || m_state != State::Open)
        return;
    m_pingDue = QDeadlineTimer(m_settings.pingInterval, Qt::PreciseTimer);
    m_heartbeat = Heartbeat::PingDue;
    m_clock->schedule(this, m_pingDue);
}

void EngineSession::stopHeartbeat()
{
    if (m_heartbeat == Heartbeat::Off)
        return;
    m_heartbeat = Heartbeat::Off;
    m_clock->cancel(this);
}

void EngineSession::deadlineReached()
{
    const Heartbeat was = std::exchange(m_heartbeat, Heartbeat::Off);
    if (was == Heartbeat::PingDue)
        return sendPing();
    if (was == Heartbeat::PongDue) {
        qCInfo(lcServer) << "no pong within" << m_settings.pingTimeout << "ms, closing session" << m_id;
        terminate(QStringLiteral("ping timeout"));
    }
}

void EngineSession::sendPing()
{
    // The client allows pingInterval + pingTimeout from its last sign of us; measured from when the
    // ping was due, not from when the clock got round to it.
    m_pongDeadline = QDeadlineTimer::addNSecs(m_pingDue, qint64(m_settings.pingTimeout) * 1000000);
    m_pingInBuffer = true; // until flush() hands it over
    static const OutgoingPacket ping = OutgoingPacket::text(encodeEnginePacket(EnginePacketType::Ping));
    sendPacket(ping);
    if (m_state != State::Open)
        return; // the ping went over the output cap
    m_heartbeat = Heartbeat::PongDue;
    m_clock->schedule(this, m_pongDeadline);
}

void EngineSession::closeIfOverdue()
{
    if (m_state == State::Open && m_heartbeat == Heartbeat::PongDue && m_pongDeadline.hasExpired()) {
        stopHeartbeat();
        qCInfo(lcServer) << "pong overdue, closing session" << m_id;
        terminate(QStringLiteral("ping timeout"));
    }
}

void EngineSession::setPingsSuspended(bool suspended)
{
    m_settings.pingsSuspended = suspended;
    stopHeartbeat();
    if (!suspended)
        schedulePing();
}

bool EngineSession::canUpgrade() const
{
    return m_state == State::Open && polling() && !m_probe;
}

void EngineSession::beginUpgrade(SessionTransport *probe)
{
    startUpgradeTimers();
    m_probe = probe;
    probe->setParent(this);
    connect(probe, &SessionTransport::frameReceived, this, &EngineSession::onProbeFrame);
    connect(probe, &SessionTransport::closed, this, [this] {
        if (m_probe && m_probe == sender())
            cancelUpgrade();
    });
    m_upgradeTimer->start();
}

void EngineSession::onProbeFrame(const EngineFrame &frame)
{
    const auto packet = frame.binary ? std::nullopt : decodeEnginePacket(frame.text);
    if (packet && packet->type == EnginePacketType::Ping && packet->data == u"probe") {
        m_probe->send({OutgoingPacket::text(encodeEnginePacket(EnginePacketType::Pong, u"probe"))});
        // The client now waits for its current poll to end before it sends "5": end it with a noop.
        m_probed = true;
        if (m_transport->isWritable() && m_buffer.isEmpty())
            m_noopTimer->start();
        return;
    }
    if (packet && packet->type == EnginePacketType::Upgrade && m_probed) {
        m_upgradeTimer->stop();
        m_noopTimer->stop();
        SessionTransport *old = m_transport;
        if (auto *polling = qobject_cast<PollingSessionTransport *>(old))
            polling->refusePoll();
        old->disconnect(this);
        old->close(true, {});
        old->deleteLater();
        SessionTransport *probe = m_probe;
        probe->disconnect(this);
        m_probe.clear();
        m_probed = false;
        attach(probe);
        flush();
        qCDebug(lcServer) << "session" << m_id << "upgraded to" << probe->name();
        return;
    }
    // engine.io: anything else on a probe ends the probe, not the session.
    qCInfo(lcServer) << "closing an upgrade probe that sent something else";
    cancelUpgrade();
}

void EngineSession::cancelUpgrade()
{
    if (m_upgradeTimer) {
        m_upgradeTimer->stop();
        m_noopTimer->stop();
    }
    m_probed = false;
    if (SessionTransport *probe = m_probe) {
        m_probe.clear();
        probe->disconnect(this);
        probe->close(false, QStringLiteral("upgrade cancelled"));
        // Deleted once its close completes (or at once if it already has).
        connect(probe, &SessionTransport::closed, probe, &QObject::deleteLater);
        QTimer::singleShot(3000, probe, &QObject::deleteLater);
    }
}

void EngineSession::closeFromClient()
{
    if (m_state != State::Open)
        return;
    m_state = State::Closing;
    m_closeReason = QStringLiteral("transport close");
    stopHeartbeat();
    cancelUpgrade();
    m_transport->close(true, {});
}

void EngineSession::close(const QString &reason)
{
    closeSession(reason, true);
}

void EngineSession::terminate(const QString &reason)
{
    closeSession(reason, false);
}

void EngineSession::closeSession(const QString &reason, bool drain)
{
    if (m_state == State::Closing || m_state == State::Closed)
        return;
    m_state = State::Closing;
    m_closeReason = reason.isEmpty() ? QStringLiteral("forced close") : reason;
    stopHeartbeat();
    cancelUpgrade();
    // Whatever is still buffered goes out first (a CONNECT_ERROR or "41" before the close), as
    // engine.io does. Over polling that may mean waiting for the client's next GET, not for ever.
    if (!drain) {
        m_buffer.clear(); // a dead or misbehaving client gets nothing more (engine.io discards too)
        m_bufferBytes = 0;
    }
    if (!m_buffer.isEmpty() && !m_transport->isWritable() && polling()) {
        m_draining = true;
        QTimer::singleShot(m_settings.pingInterval + m_settings.pingTimeout, this, [this, reason] {
            if (m_draining)
                finishDraining(reason);
        });
        return;
    }
    finishDraining(reason);
}

void EngineSession::finishDraining(const QString &reason)
{
    m_draining = false;
    if (m_transport->isWritable() && !m_buffer.isEmpty()) {
        m_bufferBytes = 0;
        m_transport->send(std::exchange(m_buffer, {}));
    }
    m_transport->close(false, reason);
}

void EngineSession::abort()
{
    if (m_state == State::Closed)
        return;
    if (m_state == State::Open)
        m_closeReason = QStringLiteral("transport error");
    m_state = State::Closing;
    cancelUpgrade();
    m_transport->abort();
}

void EngineSession::finish(const QString &reason)
{
    if (m_state == State::Closed)
        return;
    const QString why = m_closeReason.isEmpty() ? reason : m_closeReason;
    m_state = State::Closed;
    stopHeartbeat();
    if (m_upgradeTimer) {
        m_upgradeTimer->stop();
        m_noopTimer->stop();
    }
    m_buffer.clear();
    m_bufferBytes = 0;
    emit closed(why);
    deleteLater();
}
