#include "outbox.h"

#include "attachmentcopies.h"
#include "outboxstore.h"

#include <QLoggingCategory>
#include <QTemporaryDir>

#include <utility>

Q_DECLARE_LOGGING_CATEGORY(lcOutbox)

Outbox::Outbox(OutboxStore *store, const QString &tenant, const QString &conversation, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_tenant(tenant)
    , m_conversation(conversation)
{
    if (!m_store)
        return;
    // Replies left unsent by an earlier run come first, in the order they were written: anything typed
    // in this run queues behind them.
    for (const Message &reply : m_store->replies(tenant, conversation))
        m_entries.append(Entry {reply, false, false, false, false, false, nextChangeStamp()});
    if (!m_entries.isEmpty())
        qCInfo(lcOutbox) << "restored" << m_entries.size() << "unsent replies of" << conversation;
    refreshBlocked();
}

QStringList Outbox::conversationsWithReplies(const OutboxStore *store, const QString &tenant)
{
    return store ? store->conversations(tenant) : QStringList();
}

Outbox::~Outbox() = default;

AttachmentCopies *Outbox::copies()
{
    if (m_store && m_store->copies())
        return m_store->copies();
    if (!m_scratchCopies) {
        m_scratch = std::make_unique<QTemporaryDir>();
        m_scratchCopies = std::make_unique<AttachmentCopies>(m_scratch->path());
    }
    return m_scratchCopies.get();
}

QString Outbox::stagingFolder()
{
    return copies()->stagingFolder();
}

qsizetype Outbox::indexOf(const QString &id) const
{
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].message.id == id)
            return i;
    }
    return -1;
}

const Outbox::Entry *Outbox::find(const QString &id) const
{
    const qsizetype i = indexOf(id);
    return i < 0 ? nullptr : &m_entries[i];
}

QString Outbox::storageProblem() const
{
    if (m_store && (!m_store->isOpen() || m_storageWarned))
        return m_store->error();
    return QString();
}

void Outbox::persisted(bool ok)
{
    if (ok || !m_store || m_storageWarned)
        return;
    m_storageWarned = true;
    emit storageFailed(m_store->error());
}

void Outbox::append(const Message &reply)
{
    bool failedAhead = false;
    for (const Entry &e : std::as_const(m_entries))
        failedAhead = failedAhead || (e.message.status == MessageStatus::Failed && !e.inFlight);
    m_entries.append(Entry {reply, false, failedAhead, false, false, false, nextChangeStamp()});
    emit added(reply);
}

std::optional<Message> Outbox::add(const QString &text, const Attachment &attachment, QString *error)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty() && attachment.isEmpty())
        return std::nullopt;
    Message reply;
    reply.id = makeMessageId();
    reply.direction = Direction::Outbound;
    reply.text = trimmed;
    reply.timestamp = QDateTime::currentDateTimeUtc();
    reply.status = MessageStatus::Pending;
    if (!attachment.isEmpty()) {
        // The composer refused it already; this is the last word before anything is written.
        if (const QString why = AttachmentRules::refusal(attachment); !why.isEmpty()) {
            if (error)
                *error = why;
            return std::nullopt;
        }
        const auto kept = copies()->keep(reply.id, attachment, error);
        if (!kept)
            return std::nullopt;
        reply.attachment = *kept;
    }
    // On disk before anything else happens to it: from here on a crash cannot lose it.
    if (m_store)
        persisted(m_store->add(m_tenant, m_conversation, reply));
    append(reply);
    return reply;
}

bool Outbox::retry(const QString &id)
{
    const qsizetype i = indexOf(id);
    if (i < 0 || m_entries[i].message.status != MessageStatus::Failed)
        return false;
    Entry &e = m_entries[i];
    if (e.inFlight) {
        // The upstream failed it while a POST of it is still being repeated: that POST's answer cannot
        // send it out again, so it goes once more after the answer.
        e.retryOnAnswer = true;
        return true;
    }
    sendAgain(e);
    if (m_store)
        persisted(m_store->markWaiting(id));
    emit changed(id);
    refreshBlocked();
    return true;
}

void Outbox::sendAgain(Entry &entry)
{
    setStatus(entry, MessageStatus::Pending, QString());
    entry.since = nextChangeStamp();
    entry.retried = true;
    entry.retryOnAnswer = false;
    entry.inFlight = false;
}

bool Outbox::requeue(const Message &reply)
{
    if (reply.direction != Direction::Outbound || contains(reply.id))
        return false;
    const auto next = nextStatus(reply.status, StatusEvent::RetryRequested);
    if (!next)
        return false;
    Message again = reply;
    again.status = *next;
    again.error.clear();
    again.queued = false;
    if (m_store)
        persisted(m_store->add(m_tenant, m_conversation, again));
    append(again);
    m_entries.last().retried = true;
    return true;
}

bool Outbox::holdFailed(const Message &reply)
{
    if (reply.direction != Direction::Outbound || reply.status != MessageStatus::Failed || contains(reply.id))
        return false;
    // Its place: before the replies here written after it (or in the same millisecond: it went first),
    // but never before the one on the wire.
    qsizetype at = !m_entries.isEmpty() && m_entries.first().inFlight ? 1 : 0;
    while (at < m_entries.size() && m_entries[at].message.timestamp < reply.timestamp)
        ++at;
    Message held = reply;
    held.queued = false;
    if (m_store) {
        QStringList after;
        for (qsizetype i = at; i < m_entries.size(); ++i)
            after.append(m_entries[i].message.id);
        persisted(m_store->add(m_tenant, m_conversation, held) && m_store->markFailed(held.id, held.error)
            && m_store->moveToEnd(after));
    }
    m_entries.insert(at, Entry {held, false, false, true, false, false, nextChangeStamp()});
    emit added(held);
    refreshBlocked();
    return true;
}

bool Outbox::canDiscard(const QString &id) const
{
    const Entry *e = find(id);
    return e && !e->inFlight; // a POST on its way may yet arrive
}

bool Outbox::discard(const QString &id)
{
    if (!canDiscard(id))
        return false;
    const qsizetype i = indexOf(id);
    leave(i, m_entries[i].serverHasIt ? Outcome::Dismissed : Outcome::Discarded);
    return true;
}

bool Outbox::cancelUpload(const QString &id)
{
    const qsizetype i = indexOf(id);
    if (i < 0 || !m_entries[i].uploading)
        return false;
    leave(i, Outcome::Discarded);
    return true;
}

void Outbox::uploadStarted(const QString &id)
{
    const qsizetype i = indexOf(id);
    if (i < 0 || !m_entries[i].inFlight)
        return;
    Entry &e = m_entries[i];
    e.uploading = true;
    e.uploadSent = 0;
    e.uploadTotal = std::max<qint64>(0, e.message.attachment.size);
    emit uploadProgressed(id);
}

void Outbox::uploadProgress(const QString &id, qint64 sent, qint64 total)
{
    const qsizetype i = indexOf(id);
    if (i < 0 || !m_entries[i].uploading)
        return;
    Entry &e = m_entries[i];
    if (e.uploadSent == sent && e.uploadTotal == total)
        return;
    e.uploadSent = sent;
    e.uploadTotal = total;
    emit uploadProgressed(id);
}

void Outbox::uploaded(const QString &id, const QString &mediaUrl, const Attachment &atServer)
{
    const qsizetype i = indexOf(id);
    if (i < 0 || !m_entries[i].inFlight)
        return;
    Entry &e = m_entries[i];
    e.uploading = false;
    e.message.mediaUrl = mediaUrl;
    // The server's word on what it stored; the name and the copy stay ours.
    Attachment &a = e.message.attachment;
    a.mimeType = atServer.mimeType.isEmpty() ? a.mimeType : atServer.mimeType;
    a.size = atServer.size >= 0 ? atServer.size : a.size;
    if (atServer.hasSize()) {
        a.width = atServer.width;
        a.height = atServer.height;
    }
    if (m_store)
        persisted(m_store->markUploaded(id, mediaUrl, a));
    emit uploadProgressed(id);
    emit changed(id);
}

std::optional<Message> Outbox::takeNext()
{
    if (m_entries.isEmpty())
        return std::nullopt;
    Entry &head = m_entries.first();
    if (head.inFlight || head.message.status != MessageStatus::Pending)
        return std::nullopt;
    head.inFlight = true;
    return head.message;
}

void Outbox::accepted(const QString &id, const QString &serverId)
{
    const qsizetype i = indexOf(id);
    if (i < 0)
        return;
    Entry &e = m_entries[i];
    e.inFlight = false;
    if (e.retryOnAnswer) { // the agent's Retry came while this POST was on its way: once more
        sendAgain(e);
        emit changed(id);
        return;
    }
    if (const auto next = nextStatus(e.message.status, StatusEvent::PostAccepted))
        setStatus(e, *next, QString());
    leave(i, Outcome::Accepted, serverId);
}

void Outbox::postFailed(const QString &id, const QString &error)
{
    const qsizetype i = indexOf(id);
    if (i < 0)
        return;
    Entry &e = m_entries[i];
    e.inFlight = false;
    if (std::exchange(e.uploading, false))
        emit uploadProgressed(id);
    if (e.retryOnAnswer) {
        sendAgain(e);
        if (m_store)
            persisted(m_store->markWaiting(id));
        emit changed(id);
        return;
    }
    // The server spoke of it while the POST was retrying: it is there, whatever the POST says, and no
    // longer ours to send; it must not hold up the replies behind it.
    if (e.serverHasIt) {
        leave(i, Outcome::Arrived);
        return;
    }
    if (const auto next = nextStatus(e.message.status, StatusEvent::PostFailed))
        setStatus(e, *next, error);
    if (m_store)
        persisted(m_store->markFailed(id, e.message.error));
    emit changed(id);
    refreshBlocked();
}

bool Outbox::applyServer(const QString &id, StatusEvent event, const QString &error, quint64 stamp)
{
    const qsizetype i = indexOf(id);
    if (i < 0)
        return false;
    Entry &e = m_entries[i];
    if (stamp < e.since)
        return true; // asked for before the agent's last change (a Retry): it must not undo it
    if (e.retried && (event == StatusEvent::ServerSent || event == StatusEvent::ServerFailed))
        return true; // may be about the attempt before the Retry: its POST's answer will tell
    const auto next = nextStatus(e.message.status, event);
    if (!next)
        return true; // a duplicate, a regression, or "sent" for a failed reply: not proof enough (§3)
    setStatus(e, *next, error);
    e.serverHasIt = true;
    if (statusRank(*next) >= 2)
        e.retryOnAnswer = false; // it arrived: nothing to send again
    if (!e.inFlight) {
        leave(i, Outcome::Arrived);
        return true;
    }
    emit changed(id); // the POST's answer decides when it leaves
    return true;
}

void Outbox::setStatus(Entry &entry, MessageStatus status, const QString &error)
{
    entry.message.status = status;
    entry.message.error = status == MessageStatus::Failed ? error : QString();
}

void Outbox::leave(qsizetype index, Outcome outcome, const QString &serverId)
{
    const Entry e = m_entries.takeAt(index);
    if (m_store)
        persisted(m_store->remove(e.message.id));
    emit left(e.message, outcome, serverId, e.retried ? nextChangeStamp() : 0);
    // After `left`: whoever shows the reply from now on may take the copy over (a media cache) first.
    if (!e.message.attachment.isEmpty())
        copies()->remove(e.message.id);
    refreshBlocked();
}

void Outbox::refreshBlocked()
{
    QStringList flipped;
    bool failedAhead = false;
    for (Entry &e : m_entries) {
        if (e.blocked != failedAhead) {
            e.blocked = failedAhead;
            flipped.append(e.message.id);
        }
        failedAhead = failedAhead || (e.message.status == MessageStatus::Failed && !e.inFlight);
    }
    for (const QString &id : std::as_const(flipped))
        emit changed(id);
}
