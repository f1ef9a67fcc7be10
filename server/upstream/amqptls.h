// The TLS side of an amqps:// connection: a rabbitmq-c SSL socket set up from AmqpSettings, with the
// broker's certificate checked against the CA file (or the system's store) and its name checked
// against the URL's host by OpenSSL during the handshake (IP addresses too), so a refused broker is
// refused before a byte of AMQP, with the reason in words.
#pragma once

#include "amqpsettings.h"

#include <QString>

struct amqp_connection_state_t_;
struct amqp_socket_t_;

namespace AmqpTls {

// What a handshake or the TLS session reported, in words, for the log line of a failed connect.
struct Findings
{
    QString refusal; // why the broker's certificate was refused
    QString alert; // the last fatal alert the broker sent (e.g. "certificate required")
};

// Creates the connection's socket. nullptr, and *error, when a file cannot be loaded. Until the
// connection is destroyed, OpenSSL's callbacks fill *findings.
amqp_socket_t_ *newSocket(
    amqp_connection_state_t_ *connection, const AmqpSettings &settings, Findings *findings, QString *error);

// What OpenSSL last reported on this thread, in words (empty when nothing), and the report cleared.
QString takeError();

// Frees what OpenSSL keeps for the calling thread (its random generators): the broker link's thread
// calls it as it ends, as OpenSSL's own clean-up at thread exit misses them here.
void releaseThread();

// False in a build without OpenSSL or with a rabbitmq-c built without SSL: amqps:// is refused there.
bool supported();

} // namespace AmqpTls
