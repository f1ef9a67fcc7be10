// In-memory conversations of the reference server: customer data, messages in timestamp order with
// an id index, the server's view of outbound statuses, and the idempotency records of POST /send.
#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

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
    bool applyStatus(const QString &tenant, const QString &conversation, const QString &id, const QString &status);
    // Sets the status unconditionally (a failed message forwarded again starts over at "sent").
    void resetStatus(const QString &tenant, const QString &conversation, const QString &id, const QString &status);

    // Idempotency: the client's messageId -> the id the server answered with.
    std::optional<QString> acceptedId(
        const QString &tenant, const QString &conversation, const QString &clientMessageId) const;
    void recordAccepted(
        const QString &tenant, const QString &conversation, const QString &clientMessageId, const QString &storedId);
    QStringList acceptedMessageIds(const QString &tenant, const QString &conversation) const;

private:
    struct Conversation
    {
        Customer customer;
        QList<StoredMessage> messages;
        QHash<QString, qsizetype> rowById;
        QHash<QString, QString> acceptedIds;
        QStringList acceptedOrder;
    };
    static QString key(const QString &tenant, const QString &conversation);
    Conversation *find(const QString &tenant, const QString &conversation);
    const Conversation *find(const QString &tenant, const QString &conversation) const;

    QHash<QString, Conversation> m_conversations;
    QList<std::pair<QString, QString>> m_order;
};
