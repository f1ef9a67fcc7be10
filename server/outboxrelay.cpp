#include "outboxrelay.h"

#include "conversationstore.h"
#include "serverlog.h"
#include "upstream.h"

#include <QDateTime>

namespace {

// Rows handed to the upstream at once; more wait in the table (the broker's confirms keep them moving).
constexpr int MaxInFlight = 64;

} // namespace

OutboxRelay::OutboxRelay(
    std::function<ConversationStore &()> store, std::function<Upstream *()> upstream, QObject *parent)
    : QObject(parent)
    , m_store(std::move(store))
    , m_upstream(std::move(upstream))
{
    m_poll.setInterval(1000);
    connect(&m_poll, &QTimer::timeout, this, &OutboxRelay::pump);
    m_poll.start();
    schedulePump(); // rows left by an earlier run
}

void OutboxRelay::setLeaseMs(int ms)
{
    m_leaseMs = std::max(1000, ms);
    m_poll.setInterval(std::clamp(m_leaseMs / 4, 250, 1000));
}

void OutboxRelay::wake()
{
    schedulePump();
}

void OutboxRelay::forgetInFlight()
{
    m_inFlight.clear();
}

int OutboxRelay::retryDelayMs(int refusals)
{
    const int doublings = std::clamp(refusals - 1, 0, 6);
    return std::min(250 << doublings, 10000);
}

void OutboxRelay::schedulePump()
{
    if (m_pumpScheduled)
        return;
    m_pumpScheduled = true;
    // Queued: the commit of this turn's sends runs first, so their rows are there to claim.
    QMetaObject::invokeMethod(this, [this] {
        m_pumpScheduled = false;
        pump();
    }, Qt::QueuedConnection);
}

void OutboxRelay::pump()
{
    Upstream *upstream = m_upstream();
    const int room = MaxInFlight - int(m_inFlight.size());
    if (!upstream || room <= 0)
        return;
    ConversationStore &store = m_store();
    const std::vector<OutboxEntry> claimed = store.claimOutbox(room, m_leaseMs);
    if (!store.error().isEmpty())
        return; // logged by the store; the poll tries again
    for (const OutboxEntry &entry : claimed) {
        // Our own publish still waits for its confirm and its lease ran out meanwhile: the claim renewed it.
        if (!m_inFlight.insert(entry.seq).second)
            continue;
        if (entry.mayBeRepeat())
            qCInfo(lcServer).noquote() << "outbox: publishing" << entry.id << "again: an earlier claim ended unfinished";
        const OutboundMessage message {entry.tenant, entry.conversation, entry.id, entry.clientMessageId,
            entry.integrationId, entry.text, entry.mediaUrl, entry.timestamp};
        // The upstream drops its pending completions when it goes (forgetInFlight() then), and is deleted
        // before this relay (SendDesk owns both, the upstream as a child created later), so `this` is alive.
        upstream->submit(message, [this, entry](const std::optional<UpstreamRejection> &rejection) {
            if (rejection && !rejection->settled)
                return; // no confirm in time; the final outcome is still due, the row stays claimed
            finish(entry, rejection ? &*rejection : nullptr);
        });
    }
}

void OutboxRelay::finish(const OutboxEntry &entry, const UpstreamRejection *rejection)
{
    if (m_inFlight.erase(entry.seq) == 0)
        return; // forgotten: the upstream was replaced
    ConversationStore &store = m_store();
    if (rejection) {
        ++m_retried;
        const int delay = retryDelayMs(entry.refusals + 1);
        qCDebug(lcServer).noquote() << "outbox:" << entry.id << "not published:" << rejection->message << "- again in"
                                    << delay << "ms";
        store.releaseOutbox(entry.seq, QDateTime::currentMSecsSinceEpoch() + delay);
        return;
    }
    ++m_published;
    if (entry.mayBeRepeat())
        ++m_republished;
    // A failure here leaves the row: it is published again once its lease runs out (a repeat the
    // consumer drops by message_id), never lost.
    store.removeOutbox(entry.seq);
    schedulePump(); // the conversation's next reply, if any
}
