// The conversations of the reference server in SQLite: customer data, messages in timestamp order,
// the server's view of outbound statuses, and the idempotency records of POST /send. A file database
// may be shared by several widget-server processes (scale-out): nothing is cached in memory, every
// answer comes from the file, and each change is one statement or one IMMEDIATE transaction.
// Without a file, each store has a private in-memory database.
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

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
    ~ConversationStore();
    ConversationStore(const ConversationStore &) = delete;
    ConversationStore &operator=(const ConversationStore &) = delete;

    // Opens (creating it and its folder if needed) the database file at `path` instead. On failure the
    // store is closed: every call fails harmlessly and error() says why.
    bool open(const QString &path);
    static QString fileName() { return QStringLiteral("widget-server.sqlite"); } // inside --data-dir
    QString path() const { return m_path; } // empty for the in-memory database
    bool isOpen() const { return m_statements != nullptr; }
    int schemaVersion() const; // as recorded in the database
    // Why the last call failed for a storage reason (SQLite error, closed store); empty when it did not.
    // "Unknown conversation" and "duplicate id" are answers, not errors: they leave this empty.
    QString error() const { return m_error; }

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

private:
    struct Statements;
    bool fail(const QString &what, const QString &why) const;
    bool ready(const QString &what) const; // clears error(); false (with error()) when closed
    bool run(QSqlQuery &query, const char *what) const;
    void close();

    std::unique_ptr<Statements> m_statements; // prepared once, reused for every call
    QString m_connection;
    QString m_path;
    mutable QString m_error;
};
