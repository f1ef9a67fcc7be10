#include "amqpconnection.h"

#include "amqptls.h"
#include "brokermessages.h"
#include "serverlog.h"
#include "socketshutdown.h"

// rabbitmq-c 0.12 moved its headers to rabbitmq-c/ and deprecated the old names (0.11 on Debian 12 has only those).
#if __has_include(<rabbitmq-c/amqp.h>)
#include <rabbitmq-c/amqp.h>
#include <rabbitmq-c/framing.h>
#include <rabbitmq-c/tcp_socket.h>
#else
#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#endif

#include <QDateTime>
#include <QSocketNotifier>
#include <QTimer>

namespace {

constexpr quint16 PublishChannel = 1;
constexpr quint16 ConsumeChannel = 2;
constexpr int MaxBackoffMs = 5000;
constexpr int FirstBackoffMs = 250;
// Deliveries the broker may push before we ack them: enough to keep the pipe full, small enough that a
// slow instance does not hoard a burst.
constexpr quint16 Prefetch = 200;

amqp_bytes_t bytes(const QByteArray &data)
{
    return amqp_bytes_t {size_t(data.size()), const_cast<char *>(data.constData())};
}

QByteArray toByteArray(amqp_bytes_t b)
{
    return QByteArray(static_cast<const char *>(b.bytes), qsizetype(b.len));
}

QString toString(amqp_bytes_t b)
{
    return QString::fromUtf8(static_cast<const char *>(b.bytes), qsizetype(b.len));
}

timeval toTimeval(int ms)
{
    return timeval {ms / 1000, (ms % 1000) * 1000};
}

// What went wrong in an RPC, in words (the broker's reply text, or rabbitmq-c's error string).
QString describe(const amqp_rpc_reply_t &reply)
{
    switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL:
        return {};
    case AMQP_RESPONSE_NONE:
        return QStringLiteral("missing RPC reply");
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
        return QString::fromUtf8(amqp_error_string2(reply.library_error));
    case AMQP_RESPONSE_SERVER_EXCEPTION:
        if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
            const auto *close = static_cast<const amqp_connection_close_t *>(reply.reply.decoded);
            return QStringLiteral("broker closed the connection: %1 %2")
                .arg(close->reply_code)
                .arg(toString(close->reply_text));
        }
        if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
            const auto *close = static_cast<const amqp_channel_close_t *>(reply.reply.decoded);
            return QStringLiteral("broker closed a channel: %1 %2")
                .arg(close->reply_code)
                .arg(toString(close->reply_text));
        }
        return QStringLiteral("unexpected broker reply 0x%1").arg(reply.reply.id, 8, 16, QLatin1Char('0'));
    }
    return QStringLiteral("unknown RPC reply");
}

} // namespace

AmqpConnection::AmqpConnection(const AmqpSettings &settings, const Subscription &subscription, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_subscription(subscription)
    , m_heartbeat(new QTimer(this))
    , m_reconnect(new QTimer(this))
{
    m_reconnect->setSingleShot(true);
    connect(m_reconnect, &QTimer::timeout, this, &AmqpConnection::start);
    connect(m_heartbeat, &QTimer::timeout, this, &AmqpConnection::beat);
}

AmqpConnection::~AmqpConnection()
{
    m_inFlight.clear(); // the owner is going away: nobody waits for these answers any more
    closeConnection(true);
    if (m_settings.tls)
        AmqpTls::releaseThread();
}

void AmqpConnection::abortSocket()
{
    const int fd = m_fd.load();
    if (fd >= 0)
        SocketShutdown::both(fd);
}

void AmqpConnection::start()
{
    if (m_conn)
        return;
    QString error;
    if (!open(&error) || !declare(&error)) {
        // The first failure of an outage, then about once a minute: a long outage does not flood the log.
        if (m_attempt == 0 || m_attempt % 12 == 0)
            qCWarning(lcServer).noquote() << "AMQP: cannot connect to" << m_settings.redactedUrl() << "-" << error;
        closeConnection(false);
        emit disconnected(error);
        scheduleReconnect();
        return;
    }
    m_attempt = 0;
    m_blocked = false;
    m_lastReceived.start();
    m_notifier = new QSocketNotifier(m_fd.load(), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        m_lastReceived.start(); // rabbitmq-c swallows heartbeat frames; that bytes came in is what counts
        drain();
    });
    if (m_settings.heartbeatSeconds > 0)
        m_heartbeat->start(m_settings.heartbeatSeconds * 1000 / 2);
    qCInfo(lcServer).noquote() << "AMQP: connected to" << m_settings.redactedUrl();
    emit connected();
    drain(); // frames that arrived with the last setup reply are in rabbitmq-c's buffer already
}

bool AmqpConnection::open(QString *error)
{
    m_conn = amqp_new_connection();
    // The TLS handshake happens inside amqp_socket_open_noblock(), on this thread like the TCP connect.
    amqp_socket_t *socket
        = m_settings.tls ? AmqpTls::newSocket(m_conn, m_settings, &m_tls, error) : amqp_tcp_socket_new(m_conn);
    if (!socket) {
        if (error->isEmpty())
            *error = QStringLiteral("cannot create a socket");
        return false;
    }
    timeval timeout = toTimeval(m_settings.connectTimeoutMs);
    const QByteArray host = m_settings.host.toUtf8();
    const int status = amqp_socket_open_noblock(socket, host.constData(), m_settings.port, &timeout);
    if (status != AMQP_STATUS_OK) {
        *error = m_tls.refusal.isEmpty() ? withTlsReason(QString::fromUtf8(amqp_error_string2(status)))
                                         : QStringLiteral("TLS: the broker's certificate is refused: ") + m_tls.refusal;
        return false;
    }
    m_fd = amqp_get_sockfd(m_conn); // from now on abortSocket() can cut a hanging login short
    amqp_set_handshake_timeout(m_conn, &timeout);
    amqp_set_rpc_timeout(m_conn, &timeout);

    // connection.blocked: the broker tells us when a resource alarm holds our publishes back.
    amqp_table_entry_t capability;
    capability.key = amqp_cstring_bytes("connection.blocked");
    capability.value.kind = AMQP_FIELD_KIND_BOOLEAN;
    capability.value.value.boolean = 1;
    amqp_table_entry_t properties[2];
    properties[0].key = amqp_cstring_bytes("capabilities");
    properties[0].value.kind = AMQP_FIELD_KIND_TABLE;
    properties[0].value.value.table = amqp_table_t {1, &capability};
    properties[1].key = amqp_cstring_bytes("connection_name");
    properties[1].value.kind = AMQP_FIELD_KIND_UTF8;
    properties[1].value.value.bytes = amqp_cstring_bytes("widget-server");
    const amqp_table_t clientProperties {2, properties};
    const QByteArray vhost = m_settings.vhost.toUtf8();
    const QByteArray user = m_settings.user.toUtf8();
    const QByteArray password = m_settings.password.toUtf8();
    const amqp_rpc_reply_t login = amqp_login_with_properties(m_conn, vhost.constData(), 0, AMQP_DEFAULT_FRAME_SIZE,
        m_settings.heartbeatSeconds, &clientProperties, AMQP_SASL_METHOD_PLAIN, user.constData(), password.constData());
    if (login.reply_type != AMQP_RESPONSE_NORMAL) {
        // Over TLS 1.3 a broker refuses the client's certificate (or its lack) after the handshake, and
        // its alert is usually lost to the reset that follows: say what that most likely means.
        *error = withTlsReason(QStringLiteral("login failed: ") + describe(login));
        if (m_settings.tls && m_settings.certFile.isEmpty() && login.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION
            && m_tls.alert.isEmpty())
            *error += QStringLiteral(" (the broker ended the TLS session: it may require a client certificate, "
                                     "see --upstream-cert)");
        return false;
    }
    return true;
}

QString AmqpConnection::withTlsReason(const QString &error) const
{
    if (!m_settings.tls)
        return error;
    const QString openssl = AmqpTls::takeError();
    QString reason = m_tls.alert.isEmpty() ? openssl : QStringLiteral("TLS alert from the broker: ") + m_tls.alert;
    return reason.isEmpty() ? error : error + QStringLiteral(" (") + reason + u')';
}

bool AmqpConnection::declare(QString *error)
{
    const auto failed = [this, error](const char *step) {
        const amqp_rpc_reply_t reply = amqp_get_rpc_reply(m_conn);
        if (reply.reply_type == AMQP_RESPONSE_NORMAL)
            return false;
        *error = QString::fromLatin1(step) + QStringLiteral(": ") + describe(reply);
        return true;
    };
    // Topology (see brokermessages.h): both exchanges topic and durable; accepted replies also land in
    // the durable queue widget.outbound, so none is lost while the far side is away.
    amqp_channel_open(m_conn, PublishChannel);
    if (failed("channel.open"))
        return false;
    amqp_confirm_select(m_conn, PublishChannel);
    if (failed("confirm.select"))
        return false;
    m_nextTag = 0;
    for (const char *exchange : {BrokerMessages::OutboundExchange, BrokerMessages::EventsExchange}) {
        amqp_exchange_declare(m_conn, PublishChannel, amqp_cstring_bytes(exchange), amqp_cstring_bytes("topic"), 0, 1,
            0, 0, amqp_empty_table);
        if (failed("exchange.declare"))
            return false;
    }
    amqp_queue_declare(
        m_conn, PublishChannel, amqp_cstring_bytes(BrokerMessages::OutboundQueue), 0, 1, 0, 0, amqp_empty_table);
    if (failed("queue.declare"))
        return false;
    amqp_queue_bind(m_conn, PublishChannel, amqp_cstring_bytes(BrokerMessages::OutboundQueue),
        amqp_cstring_bytes(BrokerMessages::OutboundExchange), amqp_cstring_bytes("#"), amqp_empty_table);
    if (failed("queue.bind"))
        return false;

    amqp_channel_open(m_conn, ConsumeChannel);
    if (failed("channel.open"))
        return false;
    const QByteArray wanted = m_subscription.queue.toUtf8();
    const bool temporary = wanted.isEmpty();
    const amqp_queue_declare_ok_t *declared = amqp_queue_declare(m_conn, ConsumeChannel, bytes(wanted), 0,
        temporary ? 0 : 1, temporary ? 1 : 0, temporary ? 1 : 0, amqp_empty_table);
    if (failed("queue.declare"))
        return false;
    if (!declared) {
        *error = QStringLiteral("queue.declare: no reply");
        return false;
    }
    const QByteArray queue = toByteArray(declared->queue); // copied: the next RPC reuses the decode pool
    amqp_queue_bind(m_conn, ConsumeChannel, bytes(queue),
        amqp_cstring_bytes(m_subscription.bindExchange.toUtf8().constData()), bytes(m_subscription.bindingKey.toUtf8()),
        amqp_empty_table);
    if (failed("queue.bind"))
        return false;
    amqp_basic_qos(m_conn, ConsumeChannel, 0, Prefetch, 0);
    if (failed("basic.qos"))
        return false;
    amqp_basic_consume(m_conn, ConsumeChannel, bytes(queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
    return !failed("basic.consume");
}

void AmqpConnection::publish(quint64 requestId, const QString &exchange, const QString &routingKey,
    const QByteArray &body, const QString &messageId, const QString &type)
{
    if (!m_conn) {
        emit published(requestId, false, QStringLiteral("not connected to the broker"));
        return;
    }
    const QByteArray exchangeBytes = exchange.toUtf8();
    const QByteArray keyBytes = routingKey.toUtf8();
    const QByteArray idBytes = messageId.toUtf8();
    const QByteArray typeBytes = type.toUtf8();
    amqp_basic_properties_t properties {};
    properties._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG
        | AMQP_BASIC_TYPE_FLAG | AMQP_BASIC_TIMESTAMP_FLAG;
    properties.content_type = amqp_cstring_bytes("application/json");
    properties.delivery_mode = 2; // persistent: survives a broker restart in the durable queue
    properties.message_id = bytes(idBytes); // consumers deduplicate by it
    properties.type = bytes(typeBytes);
    properties.timestamp = quint64(QDateTime::currentSecsSinceEpoch());
    // Recorded first: a failed send loses the connection, and that fails everything in flight, this too.
    m_inFlight[++m_nextTag] = InFlight {requestId, messageId};
    // mandatory: a message no queue would take comes back (basic.return) instead of vanishing.
    const int status = amqp_basic_publish(
        m_conn, PublishChannel, bytes(exchangeBytes), bytes(keyBytes), 1, 0, &properties, bytes(body));
    if (status != AMQP_STATUS_OK)
        lose(QStringLiteral("publish failed: ") + QString::fromUtf8(amqp_error_string2(status)));
}

void AmqpConnection::drain()
{
    // rabbitmq-c reads ahead into its own buffer: keep taking frames until that buffer and the socket
    // are both empty, or the notifier (level-triggered on the socket only) would leave frames behind.
    while (m_conn) {
        amqp_frame_t frame;
        timeval immediately {0, 0};
        const int status = amqp_simple_wait_frame_noblock(m_conn, &frame, &immediately);
        if (status == AMQP_STATUS_TIMEOUT)
            return;
        if (status != AMQP_STATUS_OK)
            return lose(QString::fromUtf8(amqp_error_string2(status)));
        if (!handleFrame(&frame))
            return lose(m_error);
        amqp_maybe_release_buffers(m_conn);
    }
}

bool AmqpConnection::handleFrame(const void *framePointer)
{
    const auto &frame = *static_cast<const amqp_frame_t *>(framePointer);
    if (frame.frame_type != AMQP_FRAME_METHOD)
        return true; // heartbeats; a stray header or body frame has nothing to belong to
    const amqp_method_t &method = frame.payload.method;
    switch (method.id) {
    case AMQP_BASIC_ACK_METHOD: {
        const auto *ack = static_cast<const amqp_basic_ack_t *>(method.decoded);
        settle(ack->delivery_tag, ack->multiple, true, {});
        return true;
    }
    case AMQP_BASIC_NACK_METHOD: {
        const auto *nack = static_cast<const amqp_basic_nack_t *>(method.decoded);
        settle(nack->delivery_tag, nack->multiple, false, QStringLiteral("the broker refused the message"));
        return true;
    }
    case AMQP_BASIC_RETURN_METHOD: {
        // Unroutable: the message follows, and its confirm comes after it (settle() fails it then).
        amqp_message_t message;
        const amqp_rpc_reply_t reply = amqp_read_message(m_conn, frame.channel, &message, 0);
        if (reply.reply_type != AMQP_RESPONSE_NORMAL) {
            m_error = QStringLiteral("reading a returned message: ") + describe(reply);
            return false;
        }
        if (message.properties._flags & AMQP_BASIC_MESSAGE_ID_FLAG)
            m_returned.insert(toString(message.properties.message_id));
        amqp_destroy_message(&message);
        return true;
    }
    case AMQP_BASIC_DELIVER_METHOD: {
        const auto *deliver = static_cast<const amqp_basic_deliver_t *>(method.decoded);
        // Copied before reading on: the next frames reuse the pool the decoded method lives in.
        return handleDelivery(frame.channel, deliver->delivery_tag, toString(deliver->routing_key));
    }
    case AMQP_CONNECTION_BLOCKED_METHOD:
    case AMQP_CONNECTION_UNBLOCKED_METHOD: {
        m_blocked = method.id == AMQP_CONNECTION_BLOCKED_METHOD;
        const QString reason
            = m_blocked ? toString(static_cast<const amqp_connection_blocked_t *>(method.decoded)->reason) : QString();
        qCWarning(lcServer).noquote() << (m_blocked ? "AMQP: the broker blocks publishing:"
                                                    : "AMQP: the broker publishes again")
                                      << reason;
        emit blockedChanged(m_blocked, reason);
        return true;
    }
    case AMQP_CONNECTION_CLOSE_METHOD: {
        const auto *close = static_cast<const amqp_connection_close_t *>(method.decoded);
        m_error = QStringLiteral("broker closed the connection: %1 %2")
                      .arg(close->reply_code)
                      .arg(toString(close->reply_text));
        amqp_connection_close_ok_t ok {};
        amqp_send_method(m_conn, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
        return false;
    }
    case AMQP_CHANNEL_CLOSE_METHOD: {
        // Both channels are needed: start over with a fresh connection rather than repair one.
        const auto *close = static_cast<const amqp_channel_close_t *>(method.decoded);
        m_error = QStringLiteral("broker closed channel %1: %2 %3")
                      .arg(frame.channel)
                      .arg(close->reply_code)
                      .arg(toString(close->reply_text));
        return false;
    }
    default:
        qCDebug(lcServer) << "AMQP: ignored method" << Qt::hex << method.id << "on channel" << frame.channel;
        return true;
    }
}

bool AmqpConnection::handleDelivery(quint16 channel, quint64 deliveryTag, const QString &routingKey)
{
    amqp_message_t message;
    const amqp_rpc_reply_t reply = amqp_read_message(m_conn, channel, &message, 0);
    if (reply.reply_type != AMQP_RESPONSE_NORMAL) {
        m_error = QStringLiteral("reading a delivery: ") + describe(reply);
        return false;
    }
    const QString type
        = (message.properties._flags & AMQP_BASIC_TYPE_FLAG) ? toString(message.properties.type) : QString();
    const QByteArray body = toByteArray(message.body);
    amqp_destroy_message(&message);
    // Acked as soon as it is handed on, malformed ones included (the owner drops and logs those): a
    // requeued malformed message would only come back forever.
    emit received(routingKey, type, body);
    if (amqp_basic_ack(m_conn, channel, deliveryTag, 0) != AMQP_STATUS_OK) {
        m_error = QStringLiteral("cannot ack a delivery");
        return false;
    }
    return true;
}

void AmqpConnection::settle(quint64 deliveryTag, bool multiple, bool confirmed, const QString &reason)
{
    auto it = multiple ? m_inFlight.begin() : m_inFlight.find(deliveryTag);
    while (it != m_inFlight.end() && it->first <= deliveryTag) {
        const InFlight entry = it->second;
        it = m_inFlight.erase(it);
        if (m_returned.remove(entry.messageId))
            emit published(entry.requestId, false, QStringLiteral("no queue is bound to the exchange"));
        else
            emit published(entry.requestId, confirmed, reason);
        if (!multiple)
            break;
    }
}

void AmqpConnection::beat()
{
    if (!m_conn)
        return;
    // The broker sends a heartbeat at least every interval; two missed mean it is gone without a FIN.
    if (m_lastReceived.elapsed() > 2LL * m_settings.heartbeatSeconds * 1000)
        return lose(QStringLiteral("missed broker heartbeats"));
    amqp_frame_t heartbeat {};
    heartbeat.frame_type = AMQP_FRAME_HEARTBEAT;
    heartbeat.channel = 0;
    if (amqp_send_frame(m_conn, &heartbeat) != AMQP_STATUS_OK)
        return lose(QStringLiteral("cannot send a heartbeat"));
    drain();
}

void AmqpConnection::lose(const QString &reason)
{
    if (!m_conn)
        return;
    qCWarning(lcServer).noquote() << "AMQP: connection to" << m_settings.redactedUrl() << "lost:" << reason;
    const auto inFlight = std::exchange(m_inFlight, {});
    m_returned.clear();
    closeConnection(false);
    for (const auto &[tag, entry] : inFlight) {
        Q_UNUSED(tag);
        emit published(entry.requestId, false, reason);
    }
    emit disconnected(reason);
    scheduleReconnect();
}

void AmqpConnection::closeConnection(bool graceful)
{
    delete m_notifier; // before the socket closes: a notifier on a closed descriptor spins
    m_notifier = nullptr;
    m_heartbeat->stop();
    if (!m_conn)
        return;
    if (graceful) {
        // Short: a broker under a resource alarm may not read our close at all.
        const timeval timeout = toTimeval(1000);
        amqp_set_rpc_timeout(m_conn, &timeout);
        amqp_connection_close(m_conn, AMQP_REPLY_SUCCESS);
    }
    m_fd = -1;
    amqp_destroy_connection(m_conn);
    m_conn = nullptr;
}

void AmqpConnection::scheduleReconnect()
{
    const int delay = std::min(MaxBackoffMs, FirstBackoffMs << std::min(m_attempt, 5));
    ++m_attempt;
    m_reconnect->start(delay);
}
