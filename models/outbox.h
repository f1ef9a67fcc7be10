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
#pragma once

#include "message.h"
#include "statuslattice.h"

#include <QList>
#include <QObject>
#include <QString>

#include <optional>

class OutboxStore;

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
    };
    // Dismissed: discarded, but the server has it (the upstream failed it): out of view for the session.
    enum class Outcome { Accepted, Arrived, Discarded, Dismissed };
    Q_ENUM(Outcome)

    // `store` (not owned; may be null: memory only) holds the replies of every conversation; this
    // outbox reads and writes the rows of (tenant, conversation) only. Restores them at once.
    Outbox(OutboxStore *store, const QString &tenant, const QString &conversation, QObject *parent = nullptr);

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

    // The agent's side. add(): a new reply, on disk before it is shown; null for blank text.
    std::optional<Message> add(const QString &text);
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

    // The sender's side. takeNext(): the head, marked in flight, when it may go now.
    std::optional<Message> takeNext();
    void accepted(const QString &id, const QString &serverId);
    void postFailed(const QString &id, const QString &error);
    // The server's word on a reply here. `stamp`: when it was asked for (a page's request), or now.
    // Returns false when the reply is not here.
    bool applyServer(const QString &id, StatusEvent event, const QString &error, quint64 stamp);

signals:
    void added(const Message &reply); // a new reply, or one requeued for Retry
    void changed(const QString &id); // its status, error or blocked flag
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

    OutboxStore *m_store;
    QString m_tenant;
    QString m_conversation;
    QList<Entry> m_entries;
    bool m_storageWarned = false;
};
