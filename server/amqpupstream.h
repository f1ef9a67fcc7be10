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
    // 503 UPSTREAM_UNAVAILABLE at once while disconnected, and after a nack, a loss of the connection or
    // no confirm within the confirm timeout.
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
    quint64 m_nextRequest = 0;
    std::map<quint64, Completion> m_pending;
};
