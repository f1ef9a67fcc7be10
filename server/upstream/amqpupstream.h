// The upstream behind a RabbitMQ broker (widget-server --upstream amqp://...): an accepted reply is
// published to widget.outbound and counts as accepted only with the broker's publisher confirm; status
// updates and customer messages come back from widget.events (topology: brokermessages.h). The
// rabbitmq-c connection lives in a thread of its own (AmqpConnection says why); this object only
// exchanges queued signals with it, so the HTTP thread never waits on the broker.
#pragma once

#include "amqpsettings.h"
#include "upstream.h"

#include <map>

class AmqpConnection;
class QThread;

class AmqpUpstream : public Upstream
{
    Q_OBJECT
public:
    explicit AmqpUpstream(const AmqpSettings &settings, QObject *parent = nullptr);
    ~AmqpUpstream() override;

    bool isConnected() const { return m_connected; }
    // The client's own id: it is also the AMQP message_id, so a reply sent twice (through two instances,
    // or again after a lost confirm) carries one id the far side can deduplicate by.
    QString idFor(const QString &clientMessageId) const override;
    bool isAvailable() const override { return m_connected && !m_blocked; }
    // 503 UPSTREAM_UNAVAILABLE at once while disconnected or while the broker blocks publishers (its
    // resource alarm, connection.blocked), and after a nack or a loss of the connection. No confirm within
    // the confirm timeout: an unsettled 503 first, then the real outcome when the confirm, nack or loss
    // comes (the reply is published and may still reach the customer).
    void submit(const OutboundMessage &message, Completion done) override;

signals:
    void connectedChanged(bool connected);

private:
    void onPublished(quint64 requestId, bool confirmed, const QString &reason);
    void onReceived(const QString &routingKey, const QString &type, const QByteArray &body);
    void complete(quint64 requestId, const std::optional<UpstreamRejection> &rejection);

    const AmqpSettings m_settings;
    QThread *m_thread;
    AmqpConnection *m_connection; // lives in m_thread, deleted there when it finishes
    bool m_connected = false;
    bool m_blocked = false; // the broker's resource alarm holds publishes back (connection.blocked)
    quint64 m_nextRequest = 0;
    struct Pending
    {
        Completion done;
        bool overdue = false; // answered unsettled at the confirm timeout; the real outcome is still due
    };
    std::map<quint64, Pending> m_pending;
};
