#include "amqpupstream.h"

#include "amqpconnection.h"
#include "brokermessages.h"
#include "serverlog.h"

#include <QThread>
#include <QTimer>

#include <algorithm>

namespace {

UpstreamRejection unavailable(const QString &why, bool settled = true)
{
    return UpstreamRejection {503, -1, QStringLiteral("Upstream unavailable: %1").arg(why),
        QStringLiteral("UPSTREAM_UNAVAILABLE"), settled};
}

} // namespace

AmqpUpstream::AmqpUpstream(const AmqpSettings &settings, QObject *parent)
    : Upstream(parent)
    , m_settings(settings)
    , m_thread(new QThread(this))
    , m_connection(new AmqpConnection(settings, {{}, QString::fromLatin1(BrokerMessages::EventsExchange)}))
{
    m_thread->setObjectName(QStringLiteral("amqp"));
    m_connection->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_connection, &QObject::deleteLater);
    connect(m_connection, &AmqpConnection::connected, this, [this] {
        m_connected = true;
        emit connectedChanged(true);
    });
    connect(m_connection, &AmqpConnection::disconnected, this, [this] {
        m_blocked = false; // a new connection starts unblocked; the broker says so again if not
        const bool was = std::exchange(m_connected, false);
        if (was)
            emit connectedChanged(false);
    });
    connect(m_connection, &AmqpConnection::blockedChanged, this, [this](bool blocked) { m_blocked = blocked; });
    connect(m_connection, &AmqpConnection::published, this, &AmqpUpstream::onPublished);
    connect(m_connection, &AmqpConnection::received, this, &AmqpUpstream::onReceived);
    m_thread->start();
    QMetaObject::invokeMethod(m_connection, &AmqpConnection::start, Qt::QueuedConnection);
}

AmqpUpstream::~AmqpUpstream()
{
    m_pending.clear(); // Upstream's promise: no completion runs once we are gone
    disconnect(m_connection, nullptr, this, nullptr);
    m_thread->quit();
    // The connection closes in its own thread; a publish stuck in send() on a broker that stopped
    // reading, or a login or declare on a broker that does not answer, could hold it: cut the socket
    // then. Only the TCP connect itself runs without a socket to cut; it ends within the connect
    // timeout, so the wait outlasts it.
    if (!m_thread->wait(QDeadlineTimer(std::max(3000, m_settings.connectTimeoutMs + 1000)))) {
        m_connection->abortSocket();
        m_thread->wait();
    }
}

QString AmqpUpstream::idFor(const QString &clientMessageId) const
{
    return clientMessageId;
}

void AmqpUpstream::submit(const OutboundMessage &message, Completion done)
{
    if (!m_connected)
        return done(unavailable(QStringLiteral("the message broker is not connected")));
    // Published now, it would sit in the broker's socket buffer until the alarm clears and then go out
    // regardless of what the client was told.
    if (m_blocked)
        return done(unavailable(QStringLiteral("the message broker blocks publishing (resource alarm)")));
    const quint64 request = ++m_nextRequest;
    m_pending.emplace(request, Pending {std::move(done)});
    QTimer::singleShot(m_settings.confirmTimeoutMs, this, [this, request] {
        const auto it = m_pending.find(request);
        if (it == m_pending.end() || it->second.overdue)
            return;
        it->second.overdue = true;
        qCWarning(lcServer).noquote() << "AMQP: no publisher confirm in time; the reply stays in flight";
        // A copy: the completion may submit again, and m_pending may change under it.
        const Completion done = it->second.done;
        done(unavailable(QStringLiteral("the message broker did not confirm in time"), false));
    });
    // Runs in the connection's thread; everything is captured by value.
    QMetaObject::invokeMethod(
        m_connection,
        [connection = m_connection, request, key = BrokerMessages::routingKey(message.tenantId, message.conversationId),
            body = BrokerMessages::encodeOutbound(message),
            id = message.deliveryId.isEmpty() ? message.id : message.deliveryId] {
            connection->publish(request, QString::fromLatin1(BrokerMessages::OutboundExchange), key, body, id,
                QString::fromLatin1(BrokerMessages::OutboundType));
        },
        Qt::QueuedConnection);
}

void AmqpUpstream::onPublished(quint64 requestId, bool confirmed, const QString &reason)
{
    if (confirmed)
        complete(requestId, std::nullopt);
    else
        complete(requestId, unavailable(reason));
}

void AmqpUpstream::complete(quint64 requestId, const std::optional<UpstreamRejection> &rejection)
{
    const auto it = m_pending.find(requestId);
    if (it == m_pending.end())
        return; // settled by the connection's loss already
    const Completion done = std::move(it->second.done);
    m_pending.erase(it);
    if (rejection)
        qCWarning(lcServer).noquote() << "AMQP: a reply was not accepted:" << rejection->message;
    done(rejection);
}

void AmqpUpstream::onReceived(const QString &routingKey, const QString &type, const QByteArray &body)
{
    Q_UNUSED(type); // the body's "type" decides; the property is for people reading the queue
    const auto event = BrokerMessages::decodeEvent(body);
    if (const auto *problem = std::get_if<QString>(&event)) {
        qCWarning(lcServer).noquote() << "AMQP: dropped a malformed event with routing key" << routingKey.left(200)
                                      << "-" << *problem;
        return;
    }
    if (const auto *status = std::get_if<BrokerMessages::StatusEvent>(&event)) {
        emit statusReported(status->tenantId, status->conversationId, status->messageId, status->status, status->error);
        return;
    }
    const auto &inbound = std::get<BrokerMessages::InboundEvent>(event);
    emit inboundReceived(
        inbound.tenantId, inbound.conversationId, inbound.messageId, inbound.text, inbound.mediaUrl, inbound.timestamp);
}
