#include "unixsignals.h"

#include "serverlog.h"

#include <QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

int signalPipe[2] = {-1, -1}; // [0] read on the event loop, [1] written by the handler

void onSignal(int signal)
{
    const int savedErrno = errno;
    const unsigned char byte = static_cast<unsigned char>(signal);
    // Non-blocking: when the pipe is full, signals are already pending and the loop will wake up.
    [[maybe_unused]] const ssize_t written = ::write(signalPipe[1], &byte, 1);
    errno = savedErrno;
}

} // namespace

UnixSignals::UnixSignals(QObject *parent)
    : QObject(parent)
{
    Q_ASSERT_X(signalPipe[0] < 0, "UnixSignals", "one instance per process");
#ifdef SOCK_CLOEXEC
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, signalPipe) != 0) {
#else // macOS: no SOCK_CLOEXEC; nothing forks between the two calls, this runs before the server starts
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0) {
#endif
        qCWarning(lcServer) << "cannot create the signal socketpair:" << qt_error_string(errno);
        return;
    }
#ifndef SOCK_CLOEXEC
    ::fcntl(signalPipe[0], F_SETFD, FD_CLOEXEC);
    ::fcntl(signalPipe[1], F_SETFD, FD_CLOEXEC);
#endif
    ::fcntl(signalPipe[0], F_SETFL, ::fcntl(signalPipe[0], F_GETFL) | O_NONBLOCK);
    ::fcntl(signalPipe[1], F_SETFL, ::fcntl(signalPipe[1], F_GETFL) | O_NONBLOCK);
    m_notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &UnixSignals::readPending);
}

UnixSignals::~UnixSignals()
{
    for (const int signal : std::as_const(m_watched))
        std::signal(signal, SIG_DFL);
    delete m_notifier;
    for (int &fd : signalPipe) {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
}

bool UnixSignals::watch(int signal)
{
    if (!m_notifier)
        return false;
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    if (::sigaction(signal, &action, nullptr) != 0) {
        qCWarning(lcServer) << "cannot handle signal" << signal << ":" << qt_error_string(errno);
        return false;
    }
    if (!m_watched.contains(signal))
        m_watched.append(signal);
    return true;
}

void UnixSignals::readPending()
{
    unsigned char buffer[64];
    for (;;) {
        const ssize_t n = ::read(signalPipe[0], buffer, sizeof buffer);
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n; ++i)
            emit received(int(buffer[i]));
    }
}
