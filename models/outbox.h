// Outbox: every reply of one conversation that is not sent — the backend has not accepted it yet, or
// the upstream failed it while the agent was working — and the only owner of its state while it is
// here: the message, whether a POST of it is on the wire, its status and error. Each change is on disk
// (OutboxStore) before the call returns, and a new Outbox restores what an earlier run left, so a crash
// loses nothing. Replies leave in the order the agent wrote them: only the head may be on the wire, and
// a failed reply holds the ones written after it (CONTRACT.md §3 "Order").
//
// A reply leaves when the backend accepted its POST, when the server's word proves it has it (a
// status event, a history page), or when the agent discards it. `left` hands its last state to
// whoever shows it from then on (MessageListModel).
//
// A reply with an attachment keeps its own copy of the file (AttachmentCopies) from add() until it
// leaves, and its sending has two steps on the wire: the upload, then the POST with the mediaUrl the
// upload gave, which is on disk in between so a crash never uploads it twice (CONTRACT.md §5).
#pragma once

#include "message.h"
#include "statuslattice.h"

#include <QList>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

class AttachmentCopies;
class OutboxStore;
class QTemporaryDir;

class Outbox : public QObject
{
    Q_OBJECT

public:
    struct Entry
    {
        Message message; // status: pending or failed until the server speaks, by the lattice after
        bool inFlight = false; // a POST of it is on the wire
        bool blocked = false; // waits behind a failed reply
        bool serverHasIt = false; // a status event or a history page named it
        // The agent asked for it to go out again: until its POST answers, a "sent" or "failed" may be
        // about the attempt before, and moves nothing (delivered and read still prove it arrived).
        bool retried = false;
        bool retryOnAnswer = false; // Retry pressed while a POST of it was on the wire: send it again after
        quint64 since = 0; // nextChangeStamp() of the agent's last change: older pages do not undo it
        bool uploading = false; // its attachment's upload is on the wire (not kept: a restart uploads again)
        qint64 uploadSent = 0;
        qint64 uploadTotal = 0;
    };
    // Dismissed: discarded, but the server has it (the upstream failed it): out of view for the session.
    enum class Outcome { Accepted, Arrived, Discarded, Dismissed };
    Q_ENUM(Outcome)

    // `store` (not owned; may be null: memory only) holds the replies of every conversation; this
    // outbox reads and writes the rows of (tenant, conversation) only. Restores them at once.
    Outbox(OutboxStore *store, const QString &tenant, const QString &conversation, QObject *parent = nullptr);
    ~Outbox() override;

    // The conversations of `tenant` with replies an earlier run left unsent (they must be opened, or
    // those replies never leave).
    static QStringList conversationsWithReplies(const OutboxStore *store, const QString &tenant);

    const QList<Entry> &entries() const { return m_entries; }
    const Entry *find(const QString &id) const;
    bool contains(const QString &id) const { return find(id) != nullptr; }
    bool isEmpty() const { return m_entries.isEmpty(); }
    qsizetype size() const { return m_entries.size(); }
    // Why replies are not durable (the store could not be opened or written); empty when they are.
    QString storageProblem() const;

    // The agent's side. add(): a new reply, on disk (its attachment copied) before it is shown; null for
    // blank text without an attachment, or when the attachment cannot be sent or kept (`error` says why).
    std::optional<Message> add(const QString &text, const Attachment &attachment = {}, QString *error = nullptr);
    // Where the composer copies a file while the agent writes the caption (AttachmentCopies::stage), so
    // that add() only moves it: the UI thread never copies a file.
    QString stagingFolder();
    // Retry: a failed reply here waits again; a reply the upstream failed after acceptance (shown by
    // the model, no longer here) comes back at the end of the queue. False when it does not apply.
    bool retry(const QString &id);
    bool requeue(const Message &reply);
    // The upstream failed a reply that had left (its POST was accepted) while the agent works: it is not
    // sent after all, and holds the replies written after it until it is retried or discarded. It
    // comes back in the place it was written.
    bool holdFailed(const Message &reply);
    bool canDiscard(const QString &id) const;
    bool discard(const QString &id);
    // The agent cancels an upload under way: nothing of the reply was sent, so it is discarded.
    bool cancelUpload(const QString &id);

    // The sender's side. takeNext(): the head, marked in flight, when it may go now.
    std::optional<Message> takeNext();
    void accepted(const QString &id, const QString &serverId);
    void postFailed(const QString &id, const QString &error); // the upload's failure too
    // The head's attachment on its way up, and at the server: the POST follows with `mediaUrl`.
    void uploadStarted(const QString &id);
    void uploadProgress(const QString &id, qint64 sent, qint64 total);
    void uploaded(const QString &id, const QString &mediaUrl, const Attachment &atServer);
    // The server's word on a reply here. `stamp`: when it was asked for (a page's request), or now.
    // Returns false when the reply is not here.
    bool applyServer(const QString &id, StatusEvent event, const QString &error, quint64 stamp);

signals:
    void added(const Message &reply); // a new reply, or one requeued for Retry
    void changed(const QString &id); // its status, error, blocked flag or mediaUrl
    void uploadProgressed(const QString &id); // started, moved on, or over
    // `retriedAt`: for a reply the agent retried, when it left (0: never retried), so whoever shows it
    // next still knows which history pages were asked for before the retried POST was answered.
    void left(const Message &reply, Outbox::Outcome outcome, const QString &serverId, quint64 retriedAt);
    void storageFailed(const QString &message); // the first time a write fails

private:
    qsizetype indexOf(const QString &id) const;
    void append(const Message &reply);
    void leave(qsizetype index, Outcome outcome, const QString &serverId = QString());
    void setStatus(Entry &entry, MessageStatus status, const QString &error);
    void sendAgain(Entry &entry);
    void refreshBlocked();
    void persisted(bool ok);
    AttachmentCopies *copies();

    OutboxStore *m_store;
    QString m_tenant;
    QString m_conversation;
    QList<Entry> m_entries;
    bool m_storageWarned = false;
    // Without a store, attachments are copied to a folder of this process (kept in memory, like the replies).
    std::unique_ptr<QTemporaryDir> m_scratch;
    std::unique_ptr<AttachmentCopies> m_scratchCopies;
};
