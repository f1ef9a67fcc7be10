// The WhatsApp side of the reference server as WidgetServer sees it: where accepted replies go and
// where their status updates and the customers' messages come from. Two kinds exist: the in-process
// simulation (SimulatedUpstream, the default) and a RabbitMQ broker (AmqpUpstream). Submission is
// asynchronous because a broker accepts a reply only with its publisher confirm: POST /send is
// answered when the submission completes, not when it starts.
#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

// One reply on its way out, with everything the far side needs to deliver it.
struct OutboundMessage
{
    QString tenantId;
    QString conversationId;
    QString id; // the id the upstream knows it by (idFor()); what status updates name
    QString clientMessageId; // the console's idempotency key (CONTRACT.md §1)
    QString integrationId;
    QString text;
    QString mediaUrl;
    QDateTime timestamp;
    // The AMQP message_id consumers deduplicate by: the id, except for an agent's Retry of a failed reply,
    // which must not be dropped as a repeat of the first publication. Empty: the id.
    QString deliveryId = {};

    // The deliveryId of an agent's Retry: `retry` names the attempt (an outbox row, a time).
    static QString retryDeliveryId(const QString &id, qint64 retry)
    {
        return QStringLiteral("%1:retry:%2").arg(id).arg(retry);
    }
};

// Why the upstream did not take a reply: the HTTP answer the console gets for it.
struct UpstreamRejection
{
    int httpStatus = 503;
    int retryAfterSeconds = -1; // < 0: no Retry-After header
    QString message;
    QString code;
    // false: the upstream gave up waiting (no publisher confirm in time) but still holds the reply, which
    // may yet be accepted; the completion runs once more with the final outcome.
    bool settled = true;
};

class Upstream : public QObject
{
    Q_OBJECT
public:
    // nullopt: the upstream accepted the reply.
    using Completion = std::function<void(const std::optional<UpstreamRejection> &)>;

    using QObject::QObject;

    // The id a new reply gets: the client's own, or one the upstream assigns (a WhatsApp wamid).
    virtual QString idFor(const QString &clientMessageId) const = 0;
    // false while a submission would only be refused at once (a broker away or blocking publishers).
    virtual bool isAvailable() const { return true; }
    // Hands a reply over. done runs on this object's thread, from inside submit() or later, and never after
    // the upstream is destroyed (pending submissions are dropped with it): exactly once with the final
    // outcome, and before that at most once with an unsettled rejection (UpstreamRejection::settled).
    virtual void submit(const OutboundMessage &message, Completion done) = 0;

signals:
    // error: why a "failed" reply failed, as the far side says; empty otherwise.
    void statusReported(const QString &tenant, const QString &conversation, const QString &messageId,
        const QString &status, const QString &error);
    void inboundReceived(const QString &tenant, const QString &conversation, const QString &messageId,
        const QString &text, const QString &mediaUrl, const QDateTime &timestamp);
};
