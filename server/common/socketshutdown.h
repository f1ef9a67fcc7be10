// Half-closing and aborting a native socket (shutdown(2) / Winsock's shutdown()), for the sockets Qt
// does not half-close: the HTTP front's lingering close and the AMQP connection's abort from another
// thread. The one place that knows the platform's header and constants.
#pragma once

#include <QtGlobal>

#ifdef Q_OS_WIN
#ifndef NOMINMAX
#define NOMINMAX // windows.h's min() and max() macros break std::min and std::max
#endif
#include <winsock2.h>
#else
#include <sys/socket.h>
#endif

namespace SocketShutdown {

// No more writes: the peer reads the end of the stream; reading goes on.
inline void write(qintptr descriptor)
{
#ifdef Q_OS_WIN
    ::shutdown(SOCKET(descriptor), SD_SEND);
#else
    ::shutdown(int(descriptor), SHUT_WR);
#endif
}

// Neither reads nor writes: a blocked read or write on the socket returns at once.
inline void both(qintptr descriptor)
{
#ifdef Q_OS_WIN
    ::shutdown(SOCKET(descriptor), SD_BOTH);
#else
    ::shutdown(int(descriptor), SHUT_RDWR);
#endif
}

} // namespace SocketShutdown
