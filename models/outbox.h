// Outbox: the replies of one conversation that the backend has not accepted yet, in the order the
// agent wrote them. Only the head may be on the wire, so replies leave in order and a later reply
// never overtakes a failed earlier one (CONTRACT.md §3 "Order").
#pragma once

#include <QList>
#include <QString>

#include <optional>

class Outbox
{
public:
    enum class State { Waiting, InFlight, Failed };
    struct Entry
    {
        QString id;
        State state = State::Waiting;
    };

    void enqueue(const QString &id);
    bool contains(const QString &id) const { return find(id) >= 0; }
    bool isEmpty() const { return m_entries.isEmpty(); }
    qsizetype size() const { return m_entries.size(); }
    const QList<Entry> &entries() const { return m_entries; }

    // The reply to put on the wire now, marked in flight; nullopt when the head is in flight or failed.
    std::optional<QString> takeNextToSend();
    // The head was accepted by the backend: it leaves the outbox.
    bool accepted(const QString &id);
    // The head failed for good: the queue stops behind it until retry() or discard().
    bool failed(const QString &id);
    bool retry(const QString &id);
    bool discard(const QString &id);
    // True when the reply waits behind an earlier reply that is failed or on the wire.
    bool isBlocked(const QString &id) const;

private:
    qsizetype find(const QString &id) const;
    QList<Entry> m_entries;
};
