// The WhatsApp side of the reference server, simulated in-process (the default Upstream): whether it
// is reachable, injected failures, the ids it assigns, and the sent -> delivered -> read progression of
// every reply forwarded to it. It accepts or refuses a submission at once.
#pragma once

#include "upstream.h"

#include <QString>

#include <optional>

class SimulatedUpstream : public Upstream
{
    Q_OBJECT
public:
    struct Failure
    {
        int httpStatus = 503;
        int retryAfterSeconds = -1; // < 0: no Retry-After header
    };

    explicit SimulatedUpstream(QObject *parent = nullptr);

    // Milliseconds after a reply is forwarded at which it reports "sent", "delivered" and "read".
    // Each is counted from the forward, not from the previous status.
    void setDelays(int sentMs, int deliveredMs, int readMs);
    void setDown(bool down);
    bool isDown() const;
    // The next count valid POST /send requests fail with httpStatus (Retry-After if >= 0).
    void failNext(int count, int httpStatus = 503, int retryAfterSeconds = -1);
    void setAssignIds(bool assign);
    bool assignsIds() const;
    void setProgressEnabled(bool enabled); // false: forwarded replies stay "sent"
    bool isProgressEnabled() const;

    // Consumes one injected failure, if any is left.
    std::optional<Failure> takeFailure();
    // The id the upstream gives a new reply: a "wamid." of its own when assigning ids, else the client's.
    QString idFor(const QString &clientMessageId) const override;
    // An injected failure, else 503 UPSTREAM_DOWN while down, else accepted and forwarded; done runs
    // before the forward, so "sent" follows the HTTP 200 on the wire.
    void submit(const OutboundMessage &message, Completion done) override;
    // Hands a reply to the upstream: statusReported follows with sent (and delivered, read).
    void forward(const QString &tenant, const QString &conversation, const QString &messageId);

signals:
    // A reply is about to be accepted: the moment between submit() and its completion, where a status
    // update of the far side can arrive first.
    void accepting(const QString &tenant, const QString &conversation, const QString &messageId);
    void forwarded(const QString &tenant, const QString &conversation, const QString &messageId);

private:
    int m_sentMs = 0;
    int m_deliveredMs = 800;
    int m_readMs = 2000;
    bool m_down = false;
    bool m_assignIds = false;
    bool m_progress = true;
    int m_failuresLeft = 0;
    Failure m_failure;
};
