// The conversations of the reference server in SQLite: customer data, messages in timestamp order,
// the server's view of outbound statuses, and the idempotency records of POST /send. A file database
// may be shared by several widget-server processes (scale-out): nothing is cached in memory, every
// answer comes from the file, and each change is one statement or one IMMEDIATE transaction.
// Without a file, each store has a private in-memory database.
//
// Or in PostgreSQL (openPostgres, --database), shared by instances on several hosts: the same tables,
// statements and transactions, only the SQL that differs is per backend. When the connection is lost,
// every call fails with unavailable() set (the server answers 503 STORAGE_UNAVAILABLE) and the store
// reconnects by itself with backoff (0.1 s doubling to 5 s), re-preparing its statements.
//
// Group commit: acceptSendDeferred() and queueStatus() do not write at once; what a turn of the event loop
// queued goes to the file in one IMMEDIATE transaction when the turn ends (or before the next call that
// reads or writes messages, so this store always reads its own writes, and those of the other stores of
// the same file in this thread). A commit costs about the same for one send as for fifty.
#pragma once

#include "postgressettings.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

class QObject;
class QSqlError;
class QSqlQuery;

struct StoredMessage
{
    QString id;
    bool inbound = false;
    QString text;
    QString mediaUrl;
    QDateTime timestamp;
    QString status; // outbound: sent / delivered / read / failed; empty for inbound
    QString error = {}; // why a failed reply failed, as the upstream said
};

// A reply waiting in the transactional outbox (--outbox) for the relay to publish it.
struct OutboxEntry
{
    qint64 seq = 0; // the row's key, in the order the sends were accepted
    QString tenant;
    QString conversation;
    QString id; // the stored message's id, the AMQP message_id
    QString clientMessageId;
    QString integrationId;
    QString text;
    QString mediaUrl;
    QDateTime timestamp;
    qint64 createdMs = 0; // when the row was written (the send accepted, or a failed reply sent again)
    int attempts = 0; // claims so far, this one included
    int refusals = 0; // earlier claims that ended in the upstream's refusal
    bool revival = false; // an agent's Retry of a failed reply
    // An earlier claim ended in neither a refusal nor a confirm (its instance died or its lease ran out):
    // the reply may have been published already.
    bool mayBeRepeat() const { return attempts - refusals > 1; }
};

class ConversationStore
{
public:
    struct Customer
    {
        QString name;
        QString waId;
    };
    struct Page
    {
        QList<StoredMessage> messages; // oldest first
        int total = 0;
    };
    struct Accepted
    {
        QString id; // the id the server answers with: the first request's, whichever process took it
        bool fresh = false; // this call recorded the send; false when an earlier one had
    };

    ConversationStore(); // a private in-memory database
    explicit ConversationStore(const QString &path); // open(path)
    explicit ConversationStore(const PostgresSettings &settings); // openPostgres(settings)
    ~ConversationStore();
    ConversationStore(const ConversationStore &) = delete;
    ConversationStore &operator=(const ConversationStore &) = delete;

    // Opens (creating it and its folder if needed) the database file at `path` instead. On failure the
    // store is closed: every call fails harmlessly and error() says why.
    bool open(const QString &path);
    // Connects to a PostgreSQL database instead, creating or migrating its tables. On failure the store
    // is closed, as with open().
    bool openPostgres(const PostgresSettings &settings);
    static QString fileName() { return QStringLiteral("widget-server.sqlite"); } // inside --data-dir
    QString path() const { return m_path; } // empty for the in-memory database
    QString backendName() const; // "postgresql", "sqlite" or "memory", for /healthz
    bool isOpen() const { return m_statements != nullptr; }
    int schemaVersion() const; // as recorded in the database
    // Why the last call failed for a storage reason (SQLite error, closed store); empty when it did not.
    // "Unknown conversation" and "duplicate id" are answers, not errors: they leave this empty.
    QString error() const { return m_error; }
    // The last call failed because the database cannot be reached (PostgreSQL down or the connection
    // lost): the store is reconnecting, and the same call may succeed later.
    bool unavailable() const { return m_lost && !m_error.isEmpty(); }

    // Adds the conversation, or renames its customer when it exists already.
    void addConversation(const QString &tenant, const QString &conversation, const QString &customerName);
    bool hasConversation(const QString &tenant, const QString &conversation) const;
    std::optional<Customer> customer(const QString &tenant, const QString &conversation) const;
    QList<std::pair<QString, QString>> conversations() const; // (tenant, conversation)

    // Inserts in timestamp order (after equal timestamps). False for an unknown conversation or a known id.
    bool addMessage(const QString &tenant, const QString &conversation, const StoredMessage &message);
    std::optional<StoredMessage> message(const QString &tenant, const QString &conversation, const QString &id) const;
    int messageCount(const QString &tenant, const QString &conversation) const;
    // offset counts back from the newest message (CONTRACT.md §1).
    Page history(const QString &tenant, const QString &conversation, int limit, int offset) const;

    // Applies a status event by the rules of CONTRACT.md §3: never backwards, "failed" only over
    // "sent", "delivered"/"read" also over "failed". True when the stored status changed.
    // A "failed" status keeps `error` (the upstream's reason); any other clears it.
    bool applyStatus(const QString &tenant, const QString &conversation, const QString &id, const QString &status,
        const QString &error = {});
    // Sets the status unconditionally (a failed message forwarded again starts over at "sent").
    void resetStatus(const QString &tenant, const QString &conversation, const QString &id, const QString &status);

    // The rule of CONTRACT.md §3 for a status the server stores: may an outbound message in `from`
    // ("" = not yet accepted) move to `to`? Unknown names never do.
    static bool statusMayFollow(const QString &from, const QString &to);

    // Idempotency: the client's messageId -> the id the server answered with.
    std::optional<QString> acceptedId(
        const QString &tenant, const QString &conversation, const QString &clientMessageId) const;
    void recordAccepted(
        const QString &tenant, const QString &conversation, const QString &clientMessageId, const QString &storedId);
    QStringList acceptedMessageIds(const QString &tenant, const QString &conversation) const;
    // acceptedId + addMessage + recordAccepted as one transaction, race-free across processes: the
    // first caller stores `message` and gets fresh = true; every later one (here or in another process
    // sharing the file) gets the first one's id and fresh = false. nullopt for an unknown conversation
    // or a storage error (see error()).
    std::optional<Accepted> acceptSend(const QString &tenant, const QString &conversation,
        const QString &clientMessageId, const StoredMessage &message);
    // A failed reply goes out again: "failed" -> "sent", true for the one caller that made the change.
    bool reviveFailed(const QString &tenant, const QString &conversation, const QString &id);

    // acceptSend with group commit: queued with this turn's other writes; `done` runs once they are
    // committed (so an answer given there is durable), with acceptSend's result, or with nullopt and the
    // storage error when the commit failed. Until then acceptedId() does not see the record: in-flight
    // sends are the caller's to know.
    using AcceptDone = std::function<void(const std::optional<Accepted> &accepted, const QString &error)>;
    void acceptSendDeferred(const QString &tenant, const QString &conversation, const QString &clientMessageId,
        const StoredMessage &message, AcceptDone done);
    // applyStatus with group commit: no answer, committed with the turn's other writes.
    void queueStatus(const QString &tenant, const QString &conversation, const QString &id, const QString &status,
        const QString &error = {});
    // Transactional outbox: acceptSendDeferred() that also writes the reply's outbox row, in the same
    // transaction, when this call records the send (fresh); a repeat writes none.
    void acceptSendToOutbox(const QString &tenant, const QString &conversation, const QString &clientMessageId,
        const QString &integrationId, const StoredMessage &message, AcceptDone done);
    // reviveFailed() and, when this call made the change, an outbox row for the reply, in one transaction.
    bool reviveFailedToOutbox(const QString &tenant, const QString &conversation, const QString &clientMessageId,
        const QString &integrationId, const StoredMessage &message);
    // Claims up to `limit` rows for leaseMs for the relay named `token`: of each conversation only its oldest
    // row, and only when no row of it is leased (so one conversation's replies are published one at a time,
    // in order). Each claim counts an attempt. Rows of a lease that ran out are claimed again: their
    // publisher died or hangs, and the reply may have been published already. Lease times are the
    // database's clock on PostgreSQL.
    std::vector<OutboxEntry> claimOutbox(int limit, qint64 leaseMs, const QString &token);
    // Extends the leases the relay `token` still holds on these rows (publishes waiting for their confirm).
    void renewOutbox(const std::vector<qint64> &seqs, qint64 leaseMs, const QString &token);
    void removeOutbox(qint64 seq); // published: the broker confirmed it
    // Refused for good: the row goes and the reply is "failed" (with the reason) in one transaction, so a
    // crash cannot leave it "sent" with nothing left to send it. False on a storage error (row kept).
    bool failOutbox(qint64 seq, const QString &tenant, const QString &conversation, const QString &id,
        const QString &error);
    // Gives up the relay's lease on a row, if it still holds it: claimable again after delayMs. refused: the
    // upstream refused the publish (counted); otherwise the relay stops without knowing (shutdown).
    void releaseOutbox(qint64 seq, const QString &token, qint64 delayMs, bool refused);
    struct OutboxState
    {
        int rows = 0;
        qint64 oldestCreatedMs = 0; // 0 when empty
    };
    std::optional<OutboxState> outboxState() const; // nullopt on a storage error
    // The time the database took: each statement or transaction the store ran, for /metrics.
    struct Latency
    {
        qint64 count = 0;
        double totalSeconds = 0;
        // The slowest of this minute and of the one before (by the wall clock), whoever reads it.
        qint64 minute = 0;
        double maxThisMinute = 0;
        double maxMinuteBefore = 0;
    };
    const Latency &latency() const { return m_latency; }
    double recentMaxLatency() const; // seconds, over the last one to two minutes

    // Commits what is queued now (the end of the turn does it by itself). Transactions committed so far,
    // for the tests of the grouping.
    void commitQueued() const;
    qint64 groupCommits() const { return m_groupCommits; }

private:
    struct Statements;
    struct Queued
    {
        QString tenant;
        QString conversation;
        QString clientMessageId; // a send; empty for a status
        StoredMessage message; // the send's message, or the status (id, status, error) to apply
        AcceptDone done;
        std::optional<QString> outboxIntegration; // a send to the outbox, with its integration id
    };
    bool insertOutbox(const QString &tenant, const QString &conversation, const QString &clientMessageId,
        const QString &integrationId, const StoredMessage &message, bool revival);
    std::optional<qint64> outboxNow() const; // the clock of the leases
    void measure(qint64 nanoseconds) const;
    bool fail(const QString &what, const QString &why) const;
    // The bodies of the public calls, without committing the queue first.
    bool insertAccepted( // true: recorded now
        const QString &tenant, const QString &conversation, const QString &clientMessageId, const QString &storedId);
    // The conversation's row id (kept once read); nullopt when unknown or on a storage error.
    std::optional<qint64> conversationKey(const QString &tenant, const QString &conversation) const;
    bool insertMessage(const QString &tenant, const QString &conversation, const StoredMessage &message);
    std::optional<QString> readAcceptedId(
        const QString &tenant, const QString &conversation, const QString &clientMessageId) const;
    bool updateStatus(const QString &tenant, const QString &conversation, const QString &id, const QString &status,
        const QString &error);
    std::optional<Accepted> acceptInTransaction(const QString &tenant, const QString &conversation,
        const QString &clientMessageId, const StoredMessage &message);
    void enqueue(Queued queued);
    void commitOwnQueue() const;
    QString commitGroup(const std::vector<Queued> &queue, std::vector<std::optional<Accepted>> &accepted) const;
    void commitOtherStoresOfFile() const; // what other stores of this file in this thread queued
    bool ready(const QString &what) const; // clears error(); false (with error()) when closed
    bool run(QSqlQuery &query, const char *what) const;
    enum class Step { Begin, Commit, Rollback };
    bool transaction(Step step, const char *what) const;
    // Commits the open transaction when `keep` and nothing in it failed, else rolls it back keeping the
    // first error. True when committed.
    bool endTransaction(bool keep, const char *what) const;
    void noticeLost(const QSqlError &error) const; // a PostgreSQL error that means the connection is gone
    void scheduleReconnect() const;
    void reconnect();
    bool openWith(const QString &location, const std::function<QString(const QString &connection)> &connect);
    void close();

    std::unique_ptr<Statements> m_statements; // prepared once, reused for every call
    QString m_connection;
    QString m_path;
    QString m_file; // absolute path of a file database, the URL of a PostgreSQL one, empty in memory
    std::optional<PostgresSettings> m_postgres; // set while the store is meant to be on PostgreSQL
    mutable bool m_lost = false; // the PostgreSQL connection is gone; reconnecting
    mutable bool m_reconnectScheduled = false;
    mutable int m_backoffMs = 100;
    mutable QHash<std::pair<QString, QString>, qint64> m_conversationKeys; // (tenant, conversation) -> id
    mutable QString m_error;
    mutable QString m_sqlState; // of the last failed statement (PostgreSQL's SQLSTATE)
    // Committing the queue changes nothing a reader could tell apart, so the reads (const) may do it.
    mutable std::vector<Queued> m_queue; // written at the end of the turn, in this order
    // The context of the commit posted for the end of the turn, and of the reconnects.
    mutable std::unique_ptr<QObject> m_turnEnd;
    mutable bool m_commitScheduled = false;
    mutable qint64 m_groupCommits = 0;
    mutable Latency m_latency;
};
