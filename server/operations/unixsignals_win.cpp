// UnixSignals on Windows: the console's control events (SetConsoleCtrlHandler) as the signals a POSIX
// system would send for them. The handler runs on a thread of its own that Windows starts for the event;
// it only posts the signal to the instance's thread. Windows ends the process soon after the handler
// returns from a close, logoff or shutdown event, so for those the handler waits (up to a few seconds,
// the most Windows allows) until the instance is gone, i.e. until main() has left the event loop.
#include "unixsignals.h"

#include "serverlog.h"

#include <QMetaObject>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>

#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

namespace {

std::mutex mutex; // guards instance, watchInt and watchTerm
std::condition_variable instanceGone;
UnixSignals *instance = nullptr;
bool watchInt = false;
bool watchTerm = false;

// Windows gives a console process 5 s after a close event (SPI_GETHUNGAPPTIMEOUT) before it ends it.
constexpr std::chrono::milliseconds CloseGrace {4500};

BOOL WINAPI onConsoleControl(DWORD event)
{
    const bool closing = event == CTRL_CLOSE_EVENT || event == CTRL_LOGOFF_EVENT || event == CTRL_SHUTDOWN_EVENT;
    const int signal = event == CTRL_C_EVENT ? SIGINT : SIGTERM;
    if (event != CTRL_C_EVENT && event != CTRL_BREAK_EVENT && !closing)
        return FALSE;
    std::unique_lock lock(mutex);
    if (!instance || !(signal == SIGINT ? watchInt : watchTerm))
        return FALSE; // the default action: the process ends
    UnixSignals *target = instance;
    QMetaObject::invokeMethod(target, [target, signal] { emit target->received(signal); }, Qt::QueuedConnection);
    if (closing)
        instanceGone.wait_for(lock, CloseGrace, [] { return instance == nullptr; });
    return TRUE;
}

} // namespace

UnixSignals::UnixSignals(QObject *parent)
    : QObject(parent)
{
    std::lock_guard lock(mutex);
    Q_ASSERT_X(!instance, "UnixSignals", "one instance per process");
    if (!::SetConsoleCtrlHandler(onConsoleControl, TRUE)) {
        qCWarning(lcServer) << "cannot install the console control handler:" << qt_error_string(int(::GetLastError()));
        return;
    }
    instance = this;
}

UnixSignals::~UnixSignals()
{
    {
        std::lock_guard lock(mutex);
        if (instance != this)
            return;
        instance = nullptr;
        watchInt = watchTerm = false;
    }
    instanceGone.notify_all();
    ::SetConsoleCtrlHandler(onConsoleControl, FALSE);
}

bool UnixSignals::watch(int signal)
{
    std::lock_guard lock(mutex);
    if (instance != this)
        return false;
    if (signal == SIGINT) {
        watchInt = true;
    } else if (signal == SIGTERM) {
        watchTerm = true;
    } else {
        qCWarning(lcServer) << "cannot handle signal" << signal << ": Windows only has SIGINT and SIGTERM (console events)";
        return false;
    }
    if (!m_watched.contains(signal))
        m_watched.append(signal);
    return true;
}

// readPending() and m_notifier are the POSIX implementation's: here the handler posts each signal itself.
