#include "sessionclock.h"

#include <QTimer>

#include <algorithm>
#include <functional>
#include <limits>

SessionClock::SessionClock(QObject *parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &SessionClock::fire);
}

void SessionClock::schedule(Client *client, const QDeadlineTimer &deadline)
{
    const quint64 ticket = ++m_nextTicket;
    m_tickets.insert(client, ticket);
    m_heap.push_back({deadline.deadlineNSecs(), ticket, client});
    std::push_heap(m_heap.begin(), m_heap.end(), std::greater<>());
    // Stale entries (replaced or cancelled deadlines) go when they come up; should they ever outnumber
    // the live ones, they go at once.
    if (qsizetype(m_heap.size()) > 2 * m_tickets.size() + 64) {
        std::erase_if(m_heap, [this](const Entry &e) { return m_tickets.value(e.client) != e.ticket; });
        std::make_heap(m_heap.begin(), m_heap.end(), std::greater<>());
    }
    arm();
}

void SessionClock::cancel(Client *client)
{
    m_tickets.remove(client);
}

void SessionClock::fire()
{
    m_armedForNs = -1;
    const qint64 now = QDeadlineTimer::current(Qt::PreciseTimer).deadlineNSecs();
    while (!m_heap.empty() && m_heap.front().deadlineNs <= now) {
        std::pop_heap(m_heap.begin(), m_heap.end(), std::greater<>());
        const Entry due = m_heap.back();
        m_heap.pop_back();
        const auto it = m_tickets.constFind(due.client);
        if (it == m_tickets.cend() || *it != due.ticket)
            continue; // replaced or cancelled
        m_tickets.erase(it);
        due.client->deadlineReached(); // may schedule again, or cancel others
    }
    arm();
}

void SessionClock::arm()
{
    while (!m_heap.empty() && m_tickets.value(m_heap.front().client) != m_heap.front().ticket) {
        std::pop_heap(m_heap.begin(), m_heap.end(), std::greater<>());
        m_heap.pop_back();
    }
    if (m_heap.empty()) {
        m_timer->stop();
        m_armedForNs = -1;
        return;
    }
    const qint64 next = m_heap.front().deadlineNs;
    if (m_timer->isActive() && m_armedForNs == next)
        return;
    m_armedForNs = next;
    const qint64 remainingNs = next - QDeadlineTimer::current(Qt::PreciseTimer).deadlineNSecs();
    // Rounded up: a timer that fires a millisecond early would find nothing due and arm again.
    m_timer->start(int(std::clamp<qint64>((remainingNs + 999999) / 1000000, 0, std::numeric_limits<int>::max())));
}
