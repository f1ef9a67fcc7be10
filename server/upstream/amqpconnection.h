// One AMQP 0-9-1 connection to RabbitMQ through rabbitmq-c, living in a thread of its own: declares
// the widget topology, publishes with publisher confirms on channel 1, consumes one queue on channel 2,
// and reconnects with backoff when the broker goes away. Its owner talks to it with queued calls and
// queued signals only (AmqpUpstream in widget-server, the upstream simulator in the tests).
//
// Why a thread and not the owner's event loop: rabbitmq-c is a blocking library. Logging in, declaring
// queues and reading the header and body frames of a delivery are blocking round trips, and a publish
// blocks in send() while a broker under a resource alarm stops reading. None of that may ever stall
// the thread that serves HTTP and WebSockets. Inside its own thread the connection still runs a Qt
// event loop: a QSocketNotifier on amqp_get_sockfd() wakes it for incoming frames, queued calls bring
// publishes, timers send heartbeats and pace reconnects.
#pragma once

#include "amqpsettings.h"
#include "amqptls.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QString>

#include <atomic>
#include <map>

class QSocketNotifier;
class QTimer;
struct amqp_connection_state_t_;

class AmqpConnection : public QObject
{
    Q_OBJECT
public:
    // The queue consumed on channel 2. An empty name asks for a server-named exclusive auto-delete queue
    // (one per widget-server instance: every instance gets every event); otherwise a durable queue
    // shared by all consumers (work distribution). Either is bound to bindExchange with bindingKey.
    struct Subscription
    {
        QString queue;
        QString bindExchange;
        QString bindingKey = QStringLiteral("#");
    };

    AmqpConnection(const AmqpSettings &settings, const Subscription &subscription, QObject *parent = nullptr);
    ~AmqpConnection() override; // closes the connection; runs in the connection's thread

    // Unblocks a send() stuck on a broker that stopped reading. The only call allowed from another thread.
    void abortSocket();

public slots:
    void start(); // connects (and keeps reconnecting until destroyed)
    // published(requestId, ...) follows exactly once: after the broker's confirm, nack, return or a loss.
    void publish(quint64 requestId, const QString &exchange, const QString &routingKey, const QByteArray &body,
        const QString &messageId, const QString &type);

signals:
    void connected();
    void disconnected(const QString &reason);
    void blockedChanged(bool blocked, const QString &reason); // the broker's resource alarm (connection.blocked)
    void published(quint64 requestId, bool confirmed, const QString &reason);
    void received(const QString &routingKey, const QString &type, const QByteArray &body);

private:
    struct InFlight
    {
        quint64 requestId = 0;
        QString messageId;
    };

    bool open(QString *error);
    bool declare(QString *error);
    QString withTlsReason(const QString &error) const; // error, with OpenSSL's reason when there is one
    void drain();
    bool handleFrame(const void *frame); // false: the connection is lost (m_error says why)
    bool handleDelivery(quint16 channel, quint64 deliveryTag, const QString &routingKey);
    void settle(quint64 deliveryTag, bool multiple, bool confirmed, const QString &reason);
    void beat();
    void lose(const QString &reason);
    void closeConnection(bool graceful);
    void scheduleReconnect();

    const AmqpSettings m_settings;
    const Subscription m_subscription;
    amqp_connection_state_t_ *m_conn = nullptr;
    std::atomic<int> m_fd {-1};
    QSocketNotifier *m_notifier = nullptr;
    QTimer *m_heartbeat = nullptr;
    QTimer *m_reconnect = nullptr;
    QElapsedTimer m_lastReceived;
    int m_attempt = 0;
    bool m_blocked = false;
    quint64 m_nextTag = 0; // publisher confirm delivery tags count from 1 on each new channel
    std::map<quint64, InFlight> m_inFlight;
    QSet<QString> m_returned; // message ids the broker returned as unroutable, until their confirm
    QString m_error;
    AmqpTls::Findings m_tls; // amqps://: what OpenSSL saw go wrong, for the log
};
