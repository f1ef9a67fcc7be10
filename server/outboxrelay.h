// The relay of the transactional outbox (widget-server --outbox). POST /send answers once the reply and
// its outbox row are committed in one transaction; this relay then hands the rows to the upstream (a
// broker: publish with confirm) and deletes each row once the upstream accepted it.
//
// Any number of instances relay from one database: each claims the oldest row of a conversation for a
// lease, so one conversation's replies are published one after another, in the order they were accepted.
// The guarantee, precisely:
//   - An accepted reply is published at least once: its row stays until a confirm was seen, and outlives
//     a crash, kill -9 or broker outage of any instance.
//   - It is published more than once only when an instance published it and stopped (or hung past its
//     lease) before deleting the row, or the broker confirmed without the confirm reaching us. The copy
//     goes out under the same AMQP message_id (the stored id), so the consumer deduplicates by message_id.
//   - The console never sees a repeat: it was answered once per POST, with the stored id, and the status
//     events that follow are the upstream's, which the store applies by the status lattice.
#pragma once

#include <QObject>
#include <QTimer>

#include <functional>
#include <set>

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
    // How long a claim holds a row against the other instances: longer than a publish takes.
    void setLeaseMs(int ms);
    int leaseMs() const { return m_leaseMs; }
    // A row was written: relay it at the end of this turn (the poll would find it within a second).
    void wake();
    // The upstream was replaced: its unfinished publishes are dropped with it, their rows are claimed again.
    void forgetInFlight();

    int inFlight() const { return int(m_inFlight.size()); }
    qint64 published() const { return m_published; } // rows the upstream accepted
    qint64 republished() const { return m_republished; } // of those, ones that may have gone out before
    qint64 retried() const { return m_retried; } // publishes the upstream refused; their rows wait and go again

    // The wait before a refused row is claimed again: 0.25 s doubling with each refusal, at most 10 s.
    static int retryDelayMs(int refusals);

private:
    void schedulePump();
    void pump();
    void finish(const OutboxEntry &entry, const UpstreamRejection *rejection);

    std::function<ConversationStore &()> m_store;
    std::function<Upstream *()> m_upstream;
    int m_leaseMs = DefaultLeaseMs;
    QTimer m_poll; // rows of other instances' runout leases, rows waiting out a retry delay
    bool m_pumpScheduled = false;
    std::set<qint64> m_inFlight; // rows handed to the upstream and not finished
    qint64 m_published = 0;
    qint64 m_republished = 0;
    qint64 m_retried = 0;
};
