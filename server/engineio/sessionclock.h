// One timer for the heartbeats of every session of an EngineServer. Each session has at most one
// deadline here at a time (its next ping, or the pong it waits for) in a min-heap, and one precise
// QTimer is armed for the earliest: a session costs a heap entry instead of two QTimers, and a turn of
// the event loop pays for the deadlines that are due, not for every session. Exact to the millisecond,
// as the heartbeat needs (the client gives up pingInterval + pingTimeout after our last sign of life).
#pragma once

#include <QDeadlineTimer>
#include <QHash>
#include <QObject>

#include <vector>

class QTimer;

class SessionClock : public QObject
{
    Q_OBJECT
public:
    class Client
    {
    public:
        virtual void deadlineReached() = 0;

    protected:
        ~Client() = default;
    };

    explicit SessionClock(QObject *parent = nullptr);

    // Sets the client's one deadline (replacing the one it had); deadlineReached() runs once it passed.
    void schedule(Client *client, const QDeadlineTimer &deadline);
    void cancel(Client *client); // also before the client goes
    int scheduled() const { return int(m_tickets.size()); }

private:
    struct Entry
    {
        qint64 deadlineNs;
        quint64 ticket;
        Client *client;
        bool operator>(const Entry &other) const { return deadlineNs > other.deadlineNs; }
    };
    void fire();
    void arm();

    std::vector<Entry> m_heap; // entries whose ticket is no longer the client's are skipped when due
    QHash<Client *, quint64> m_tickets; // each client's current entry
    quint64 m_nextTicket = 0;
    QTimer *m_timer;
    qint64 m_armedForNs = -1;
};
