#include "outboxrelay.h"

#include "conversationstore.h"
#include "serverlog.h"
#include "upstream.h"

#include <QPointer>
#include <QUuid>

namespace {

// Rows handed to the upstream at once; more wait in the table (the broker's confirms keep them moving).
constexpr int MaxInFlight = 64;

} // namespace

OutboxRelay::OutboxRelay(
    std::function<ConversationStore &()> store, std::function<Upstream *()> upstream, QObject *parent)
    : QObject(parent)
    , m_store(std::move(store))
    , m_upstream(std::move(upstream))
    , m_token(QUuid::createUuid().toString(QUuid::WithoutBraces))
{
    connect(&m_poll, &QTimer::timeout, this, &OutboxRelay::pump);
    connect(&m_renew, &QTimer::timeout, this, &OutboxRelay::renew);
    setLeaseMs(DefaultLeaseMs);
    m_poll.start();
    m_renew.start();
    schedulePump(); // rows left by an earlier run
}

void OutboxRelay::setLeaseMs(int ms)
{
    m_leaseMs = std::max(1000, ms);
    m_poll.setInterval(std::clamp(m_leaseMs / 4, 250, 1000));
    m_renew.setInterval(m_leaseMs / 3);
}

void OutboxRelay::wake()
{
    schedulePump();
}

void OutboxRelay::forgetInFlight()
{
    m_inFlight.clear();
}

void OutboxRelay::stopClaiming()
{
    m_claiming = false;
    m_poll.stop();
}

void OutboxRelay::releaseInFlight()
{
    ConversationStore &store = m_store();
    for (const auto &[seq, entry] : std::exchange(m_inFlight, {}))
        store.releaseOutbox(seq, m_token, 0, false);
}

int OutboxRelay::retryDelayMs(int refusals)
{
    const int doublings = std::clamp(refusals - 1, 0, 6);
    return std::min(250 << doublings, 10000);
}

bool OutboxRelay::isPermanent(const UpstreamRejection &rejection)
{
    return rejection.httpStatus >= 400 && rejection.httpStatus < 500 && rejection.httpStatus != 408
        && rejection.httpStatus != 429;
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
    // A broker away or blocking would refuse every row at once: claiming them would only churn the table.
    if (!m_claiming || !upstream || !upstream->isAvailable() || room <= 0)
        return;
    ConversationStore &store = m_store();
    const std::vector<OutboxEntry> claimed = store.claimOutbox(room, m_leaseMs, m_token);
    if (!store.error().isEmpty())
        return; // logged by the store; the poll tries again
    for (const OutboxEntry &entry : claimed) {
        if (entry.mayBeRepeat())
            qCInfo(lcServer).noquote() << "outbox: publishing" << entry.id << "again: an earlier claim ended unfinished";
        m_inFlight[entry.seq] = InFlight {entry.tenant, entry.conversation, entry.id, entry.refusals, entry.mayBeRepeat()};
        OutboundMessage message {entry.tenant, entry.conversation, entry.id, entry.clientMessageId,
            entry.integrationId, entry.text, entry.mediaUrl, entry.timestamp};
        if (entry.revival)
            message.deliveryId = OutboundMessage::retryDeliveryId(entry.id, entry.seq);
        // The upstream drops pending completions when it goes; the pointer covers a relay that goes first.
        upstream->submit(message, [self = QPointer<OutboxRelay>(this), seq = entry.seq](const auto &rejection) {
            if (!self || (rejection && !rejection->settled))
                return; // no confirm in time: the final outcome is still due, the lease is renewed meanwhile
            self->finish(seq, rejection ? &*rejection : nullptr);
        });
    }
}

void OutboxRelay::renew()
{
    if (m_inFlight.empty())
        return;
    std::vector<qint64> seqs;
    seqs.reserve(m_inFlight.size());
    for (const auto &[seq, entry] : m_inFlight)
        seqs.push_back(seq);
    m_store().renewOutbox(seqs, m_leaseMs, m_token);
}

void OutboxRelay::finish(qint64 seq, const UpstreamRejection *rejection)
{
    const auto node = m_inFlight.extract(seq);
    if (node.empty())
        return; // forgotten: the upstream or the store was replaced
    const InFlight &entry = node.mapped();
    ConversationStore &store = m_store();
    if (rejection && isPermanent(*rejection)) {
        qCWarning(lcServer).noquote() << "outbox:" << entry.id << "refused for good:" << rejection->message;
        // Stored first, emitted after: a storage error keeps the row, published again after its lease.
        if (!store.failOutbox(seq, entry.tenant, entry.conversation, entry.id, rejection->message))
            return;
        ++m_failed;
        emit refusedForGood(entry.tenant, entry.conversation, entry.id, rejection->message);
        schedulePump();
        return;
    }
    if (rejection) {
        ++m_retried;
        const int delay = retryDelayMs(entry.refusals + 1);
        qCDebug(lcServer).noquote() << "outbox:" << entry.id << "not published:" << rejection->message << "- again in"
                                    << delay << "ms";
        store.releaseOutbox(seq, m_token, delay, true);
        return;
    }
    ++m_published;
    if (entry.mayBeRepeat)
        ++m_republished;
    // A failure here leaves the row: it is published again once its lease runs out (a repeat the
    // consumer drops by message_id), never lost.
    store.removeOutbox(seq);
    schedulePump(); // the conversation's next reply, if any
}
