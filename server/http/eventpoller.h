// Readiness of many sockets through one place. On Linux an epoll set whose own descriptor is the only one
// Qt's event dispatcher watches: Qt 6.4's dispatchers (glib's and the UNIX one) poll() every registered
// descriptor on every turn of the event loop, so with thousands of idle WebSockets each turn cost as much
// as the descriptors; here it costs what is ready. Elsewhere a QSocketNotifier per socket does the same job.
//
// It also holds the end of the turn: clients that asked for it (flushAtEndOfTurn()) are called once the
// events already waiting have been handled, so what one turn produced for a socket leaves in one write.
#pragma once

#include <QHash>
#include <QObject>

#include <vector>

class QSocketNotifier;

class EventPoller : public QObject
{
    Q_OBJECT
public:
    class Client
    {
    public:
        // readable: data, the end of the stream or an error waits; writable: the send buffer has room.
        virtual void pollEvent(bool readable, bool writable) = 0;
        virtual void endOfTurn() = 0; // see flushAtEndOfTurn()

    protected:
        ~Client() = default;
    };

    explicit EventPoller(QObject *parent = nullptr);
    ~EventPoller() override;

    // socket must be non-blocking. Watched for reading from now on; for writing only while asked.
    bool add(qintptr socket, Client *client);
    void setWriteInterest(qintptr socket, Client *client, bool on);
    // Before the socket is closed or the client goes; no event reaches the client afterwards.
    void remove(qintptr socket, Client *client);
    // client->endOfTurn() runs once, after the events that were already waiting.
    void flushAtEndOfTurn(Client *client);

    int watched() const { return m_watched; }

private:
    void dispatch();
    void endTurn();
    void forget(Client *client); // no end of turn for it any more

    int m_watched = 0;
    std::vector<Client *> m_flush;
    std::vector<Client *> m_flushing; // the end of turn being run
    bool m_flushPosted = false;
#ifdef Q_OS_LINUX
    int m_epoll = -1;
    QSocketNotifier *m_notifier = nullptr;
    struct Ready
    {
        Client *client;
        quint32 events;
    };
    std::vector<Ready> m_ready; // the batch being dispatched; remove() clears its client's entries
#else
    struct Notifiers
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
    };
    QHash<qintptr, Notifiers> m_notifiers;
#endif
};
