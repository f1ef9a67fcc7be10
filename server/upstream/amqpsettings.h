// Where and how widget-server reaches RabbitMQ, parsed from an AMQP URI as RabbitMQ documents it
// (amqp://user:pass@host:port/vhost?heartbeat=10&connection_timeout=5000; amqps:// for TLS) plus
// confirm_timeout, the longest a POST /send waits for the broker's publisher confirm, and the TLS files,
// which come from options of their own. Pure: no I/O, table-tested.
#pragma once

#include <QString>

#include <variant>

struct AmqpSettings
{
    QString host;
    int port = 5672;
    QString vhost = QStringLiteral("/");
    QString user = QStringLiteral("guest");
    QString password = QStringLiteral("guest");
    int heartbeatSeconds = 10; // 0: no heartbeats
    int connectTimeoutMs = 5000; // TCP connect, login and every other round trip
    int confirmTimeoutMs = 10000;
    // amqps://: TLS with the broker's certificate and host name verified, always.
    bool tls = false;
    QString caFile {}; // PEM CA certificates to trust; empty: the system's store
    QString certFile {}; // PEM client certificate (chain) and its unencrypted key, both or neither
    QString keyFile {};

    // The settings, or a message saying what is wrong with the URI (never containing the password).
    static std::variant<AmqpSettings, QString> fromUrl(const QString &uri);
    // The URI for logs: the password replaced by "***".
    QString redactedUrl() const;
};
