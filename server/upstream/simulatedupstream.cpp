#include "simulatedupstream.h"

#include "identifiers.h"

#include <QTimer>

SimulatedUpstream::SimulatedUpstream(QObject *parent)
    : Upstream(parent)
{
}

void SimulatedUpstream::setDelays(int sentMs, int deliveredMs, int readMs)
{
    m_sentMs = std::max(0, sentMs);
    m_deliveredMs = std::max(m_sentMs, deliveredMs);
    m_readMs = std::max(m_deliveredMs, readMs);
}

void SimulatedUpstream::setDown(bool down)
{
    m_down = down;
}

bool SimulatedUpstream::isDown() const
{
    return m_down;
}

void SimulatedUpstream::failNext(int count, int httpStatus, int retryAfterSeconds)
{
    m_failuresLeft = std::max(0, count);
    m_failure = Failure {httpStatus, retryAfterSeconds};
}

void SimulatedUpstream::setAssignIds(bool assign)
{
    m_assignIds = assign;
}

bool SimulatedUpstream::assignsIds() const
{
    return m_assignIds;
}

void SimulatedUpstream::setProgressEnabled(bool enabled)
{
    m_progress = enabled;
}

bool SimulatedUpstream::isProgressEnabled() const
{
    return m_progress;
}

std::optional<SimulatedUpstream::Failure> SimulatedUpstream::takeFailure()
{
    if (m_failuresLeft <= 0)
        return std::nullopt;
    --m_failuresLeft;
    return m_failure;
}

QString SimulatedUpstream::idFor(const QString &clientMessageId) const
{
    return m_assignIds ? ServerIds::upstreamId() : clientMessageId;
}

void SimulatedUpstream::submit(const OutboundMessage &message, Completion done)
{
    if (const auto failure = takeFailure()) {
        return done(UpstreamRejection {failure->httpStatus, failure->retryAfterSeconds,
            QStringLiteral("Upstream error (simulated)"), QStringLiteral("UPSTREAM_ERROR")});
    }
    if (m_down)
        return done(
            UpstreamRejection {503, -1, QStringLiteral("Upstream unavailable"), QStringLiteral("UPSTREAM_DOWN")});
    emit accepting(message.tenantId, message.conversationId, message.id);
    done(std::nullopt);
    forward(message.tenantId, message.conversationId, message.id);
}

void SimulatedUpstream::forward(const QString &tenant, const QString &conversation, const QString &messageId)
{
    emit forwarded(tenant, conversation, messageId);
    const auto report = [=, this](const QString &status, bool isProgress) {
        // Checked when the timer fires, so switching progress off also stops replies already in flight.
        if (isProgress && !m_progress)
            return;
        emit statusReported(tenant, conversation, messageId, status, {});
    };
    // A zero delay still goes through the event loop, so "sent" follows the HTTP 200 on the wire.
    QTimer::singleShot(m_sentMs, this, [report] { report(QStringLiteral("sent"), false); });
    if (!m_progress)
        return;
    QTimer::singleShot(m_deliveredMs, this, [report] { report(QStringLiteral("delivered"), true); });
    QTimer::singleShot(m_readMs, this, [report] { report(QStringLiteral("read"), true); });
}
