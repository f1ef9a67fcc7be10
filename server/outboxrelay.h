// The relay of the transactional outbox (widget-server --outbox). POST /send answers once the reply and
// its outbox row are committed in one transaction; this relay then hands the rows to the upstream (a
// broker: publish with confirm) and deletes each row once the upstream accepted it.
//
// Any number of instances relay from one database: each claims the oldest row of a conversation for a
// lease (renewed while the publish waits for its confirm), so one agent's replies to a conversation are
// published one after another, in the order they were accepted. (Two replies accepted at the same moment
// through two instances may race into flight together, in either order.)
// The guarantee, precisely:
//   - An accepted reply is published at least once: its row stays until a confirm was seen, and outlives
//     a crash, kill -9 or broker outage of any instance.
//   - It is published more than once only when an instance published it and stopped (or hung past its
//     lease) before deleting the row, or the broker confirmed without the confirm reaching us. The copy
//     goes out under the same AMQP message_id (the stored id), so the consumer deduplicates by message_id.
//     An agent's Retry of a failed reply is a new delivery, message_id <id>:retry:<row>, not a repeat.
//   - A reply the upstream refuses for good (a 4xx: the far side will never take it) is marked failed,
//     which the console shows with Retry; a refusal that may pass (broker away, nack) is tried again.
//   - The console never sees a repeat: it was answered once per POST, with the stored id, and the status
//     events that follow are the upstream's, which the store applies by the status lattice.
#pragma once

#include <QObject>
#include <QTimer>

#include <functional>
#include <map>

class ConversationStore;
class Upstream;
struct OutboxEntry;
struct UpstreamRejection;

class OutboxRelay : public QObject
{
    Q_OBJECT
public:
    OutboxRelay(std::function<ConversationStore &()> store, std::function<Upstream *()> upstream,
        QObject *parent = nullptr);

    static constexpr int DefaultLeaseMs = 30000;
    // How long a claim holds a row against the other instances; renewed every third of it while in flight.
    void setLeaseMs(int ms);
    int leaseMs() const { return m_leaseMs; }
    // A row was written: relay it at the end of this turn (the poll would find it within a second).
    void wake();
    // The upstream or the store was replaced: unfinished publishes are forgotten (their completions never
    // come, or name rows of another database); their rows are claimed again once their leases run out.
    void forgetInFlight();
    // Shutdown: no new claims; publishes in flight may still finish. releaseInFlight() then gives their
    // leases up, so another instance takes the rows at once instead of after the lease.
    void stopClaiming();
    void releaseInFlight();

    int inFlight() const { return int(m_inFlight.size()); }
    qint64 published() const { return m_published; } // rows the upstream accepted
    qint64 republished() const { return m_republished; } // of those, ones that may have gone out before
    qint64 retried() const { return m_retried; } // publishes the upstream refused for now; their rows go again
    qint64 failed() const { return m_failed; } // replies the upstream refused for good, marked failed

    // The wait before a refused row is claimed again: 0.25 s doubling with each refusal, at most 10 s.
    static int retryDelayMs(int refusals);
    // A refusal the far side will repeat whatever we do: any 4xx but 408 and 429.
    static bool isPermanent(const UpstreamRejection &rejection);

signals:
    // The upstream refused a reply for good: it is stored as failed now; the server emits the status.
    void refusedForGood(const QString &tenant, const QString &conversation, const QString &messageId,
        const QString &error);

private:
    void schedulePump();
    void pump();
    void renew();
    void finish(qint64 seq, const UpstreamRejection *rejection);

    struct InFlight
    {
        QString tenant;
        QString conversation;
        QString id;
        int refusals = 0;
        bool mayBeRepeat = false;
    };

    std::function<ConversationStore &()> m_store;
    std::function<Upstream *()> m_upstream;
    const QString m_token; // names this relay's leases in the table
    int m_leaseMs = DefaultLeaseMs;
    QTimer m_poll; // rows of other instances' runout leases, rows waiting out a retry delay
    QTimer m_renew; // the leases of the rows in flight
    bool m_pumpScheduled = false;
    bool m_claiming = true;
    std::map<qint64, InFlight> m_inFlight; // rows handed to the upstream and not finished, by seq
    qint64 m_published = 0;
    qint64 m_republished = 0;
    qint64 m_retried = 0;
    qint64 m_failed = 0;
};
