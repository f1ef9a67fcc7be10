// A TCP port on 127.0.0.1 that nothing listens on right now, for a server a test starts that cannot be
// told to take port 0 (nginx, PostgreSQL, RabbitMQ). 0 when none could be had.
#pragma once

#include <QHostAddress>
#include <QTcpServer>

inline quint16 freeLocalPort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}
