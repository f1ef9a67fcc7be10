#include "eventpoller.h"

#include "serverlog.h"

#include <QSocketNotifier>

#ifdef Q_OS_LINUX
#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#endif

namespace {

// Events taken from the kernel per turn: more wait for the next turn, so one busy moment cannot
// starve the timers and the HTTP connections Qt's dispatcher serves.
constexpr int MaxEventsPerTurn = 512;

} // namespace

#ifdef Q_OS_LINUX

EventPoller::EventPoller(QObject *parent)
    : QObject(parent)
    , m_epoll(::epoll_create1(EPOLL_CLOEXEC))
{
    if (m_epoll < 0) {
        qCCritical(lcServer) << "epoll_create1 failed:" << qt_error_string(errno);
        return;
    }
    m_notifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &EventPoller::dispatch);
}

EventPoller::~EventPoller()
{
    if (m_epoll >= 0)
        ::close(m_epoll);
}

bool EventPoller::add(qintptr socket, Client *client)
{
    epoll_event event {};
    event.events = EPOLLIN | EPOLLRDHUP;
    event.data.ptr = client;
    if (m_epoll < 0 || ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, int(socket), &event) != 0) {
        qCWarning(lcServer) << "cannot watch a socket:" << qt_error_string(errno);
        return false;
    }
    ++m_watched;
    return true;
}

void EventPoller::setWriteInterest(qintptr socket, Client *client, bool on)
{
    epoll_event event {};
    event.events = EPOLLIN | EPOLLRDHUP | (on ? quint32(EPOLLOUT) : 0u);
    event.data.ptr = client;
    ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, int(socket), &event);
}

void EventPoller::remove(qintptr socket, Client *client)
{
    if (::epoll_ctl(m_epoll, EPOLL_CTL_DEL, int(socket), nullptr) == 0)
        --m_watched;
    // A client removed while its batch is dispatched (its session ended in an earlier event of the same
    // batch) gets nothing more.
    for (Ready &ready : m_ready) {
        if (ready.client == client)
            ready.client = nullptr;
    }
    forget(client);
}

void EventPoller::dispatch()
{
    epoll_event events[MaxEventsPerTurn];
    const int count = ::epoll_wait(m_epoll, events, MaxEventsPerTurn, 0);
    if (count <= 0)
        return;
    m_ready.clear();
    for (int i = 0; i < count; ++i)
        m_ready.push_back({static_cast<Client *>(events[i].data.ptr), events[i].events});
    for (size_t i = 0; i < m_ready.size(); ++i) {
        if (Client *client = m_ready[i].client) {
            const quint32 e = m_ready[i].events;
            client->pollEvent((e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0, (e & EPOLLOUT) != 0);
        }
    }
    m_ready.clear();
}

#else

EventPoller::EventPoller(QObject *parent)
    : QObject(parent)
{
}

EventPoller::~EventPoller() = default;

bool EventPoller::add(qintptr socket, Client *client)
{
    Notifiers &n = m_notifiers[socket];
    n.read = new QSocketNotifier(socket, QSocketNotifier::Read, this);
    connect(n.read, &QSocketNotifier::activated, this, [client] { client->pollEvent(true, false); });
    ++m_watched;
    return true;
}

void EventPoller::setWriteInterest(qintptr socket, Client *client, bool on)
{
    const auto it = m_notifiers.find(socket);
    if (it == m_notifiers.end())
        return;
    if (on && !it->write) {
        it->write = new QSocketNotifier(socket, QSocketNotifier::Write, this);
        connect(it->write, &QSocketNotifier::activated, this, [client] { client->pollEvent(false, true); });
    } else if (!on && it->write) {
        delete std::exchange(it->write, nullptr);
    }
}

void EventPoller::remove(qintptr socket, Client *client)
{
    const auto it = m_notifiers.find(socket);
    if (it != m_notifiers.end()) {
        delete it->read;
        delete it->write;
        m_notifiers.erase(it);
        --m_watched;
    }
    forget(client);
}

void EventPoller::dispatch()
{
}

#endif

void EventPoller::flushAtEndOfTurn(Client *client)
{
    m_flush.push_back(client);
    if (m_flushPosted)
        return;
    m_flushPosted = true;
    // Posted: it runs after the events that were waiting when this turn began (the rest of the batch,
    // the timers due together, the group commit's answers), so their frames for a socket are written once.
    QMetaObject::invokeMethod(this, &EventPoller::endTurn, Qt::QueuedConnection);
}

void EventPoller::endTurn()
{
    m_flushPosted = false;
    // A client may ask again while it is flushed (a frame queued from inside its write): the next turn then.
    m_flushing = std::exchange(m_flush, {});
    for (size_t i = 0; i < m_flushing.size(); ++i) {
        if (Client *client = m_flushing[i])
            client->endOfTurn();
    }
    m_flushing.clear();
}

void EventPoller::forget(Client *client)
{
    for (std::vector<Client *> *list : {&m_flush, &m_flushing})
        std::replace(list->begin(), list->end(), client, static_cast<Client *>(nullptr));
}
