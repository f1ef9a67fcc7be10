#include "senddesk.h"

#include "conversationstore.h"
#include "httpfront.h"
#include "outboxrelay.h"
#include "serverjson.h"
#include "serverlog.h"
#include "simulatedupstream.h"
#include "upstream.h"

#include <QTcpSocket>

namespace {

// A deferred answer: the client may have hung up (or its socket been deleted) while the upstream worked.
void answerIfConnected(QHttpServerResponder &responder, const QPointer<QTcpSocket> &socket, int status,
    const QJsonObject &body, int retryAfterSeconds = -1)
{
    if (!socket || socket->state() != QAbstractSocket::ConnectedState) {
        qCDebug(lcServer) << "a POST /send went away before its answer" << status;
        return;
    }
    HttpFront::writeJson(responder, status, body, retryAfterSeconds);
}

QJsonObject sendAccepted(const QString &id)
{
    return QJsonObject {{QStringLiteral("success"), true}, {QStringLiteral("messageId"), id}};
}

void writeStorageError(QHttpServerResponder &responder, const ConversationStore &store)
{
    const StorageErrorReply reply = storageErrorReply(store.unavailable());
    HttpFront::writeError(responder, reply.status, reply.message, reply.code);
}

// Keys a POST by tenant + conversation + client messageId (see m_pending).
QString pendingKey(const SendRequest &send)
{
    return send.tenantId + QChar(0) + send.conversationId + QChar(0) + send.messageId;
}

} // namespace

SendDesk::SendDesk(std::function<ConversationStore &()> store, QObject *parent)
    : QObject(parent)
    , m_store(std::move(store))
    , m_upstream(new SimulatedUpstream(this))
{
    connectUpstream();
}

SendDesk::~SendDesk()
{
    // The upstream first: it drops its pending completions, which would otherwise reach the relay or
    // this desk half destroyed.
    delete std::exchange(m_upstream, nullptr);
}

void SendDesk::setOutbox()
{
    if (m_relay)
        return;
    m_relay = new OutboxRelay(m_store, [this] { return m_upstream; }, this);
    // Refused for good: "failed" like any status from the far side, stored and emitted by the server.
    connect(m_relay, &OutboxRelay::refusedForGood, this,
        [this](const QString &tenant, const QString &conversation, const QString &id, const QString &error) {
            emit statusReported(tenant, conversation, id, QStringLiteral("failed"), error);
        });
}

SimulatedUpstream *SendDesk::simulatedUpstream() const
{
    return qobject_cast<SimulatedUpstream *>(m_upstream);
}

void SendDesk::setUpstream(Upstream *upstream)
{
    if (!upstream || upstream == m_upstream)
        return;
    // The old upstream drops its pending submissions unanswered when it goes: answer them here.
    auto pending = std::exchange(m_pending, {});
    m_overdue.clear(); // their outcomes go with the old upstream
    std::unique_ptr<Upstream> previous(m_upstream);
    m_upstream = upstream;
    m_upstream->setParent(this);
    connectUpstream();
    previous.reset();
    if (m_relay)
        m_relay->forgetInFlight();
    for (auto &[key, waiters] : pending) {
        Q_UNUSED(key);
        for (PendingAnswer &waiter : waiters) {
            answerIfConnected(waiter.responder, waiter.socket, 503,
                HttpFront::errorBody(QStringLiteral("Upstream unavailable"), QStringLiteral("UPSTREAM_UNAVAILABLE")));
        }
    }
}

int SendDesk::pendingCount() const
{
    int count = 0;
    for (const auto &[key, waiters] : m_pending)
        count += int(waiters.size());
    return count;
}

void SendDesk::connectUpstream()
{
    connect(m_upstream, &Upstream::statusReported, this, &SendDesk::statusReported);
    connect(m_upstream, &Upstream::inboundReceived, this, &SendDesk::inboundReceived);
}

void SendDesk::send(const SendRequest &send, QHttpServerResponder &responder)
{
    ConversationStore &store = m_store();
    const QString &tenant = send.tenantId;
    const QString &conversation = send.conversationId;
    // Idempotency (CONTRACT.md §1): a repeat is answered from the record and forwarded nowhere,
    // unless the upstream failed the message: then the repeat is the agent's Retry and goes out again.
    // With several instances on one data dir the record is shared, so this holds across instances.
    const std::optional<QString> known = store.acceptedId(tenant, conversation, send.messageId);
    const std::optional<StoredMessage> stored = known ? store.message(tenant, conversation, *known) : std::nullopt;
    if (!store.error().isEmpty())
        return writeStorageError(responder, store);
    if (known && !(stored && stored->status == u"failed")) {
        emit deduplicated();
        return HttpFront::writeJson(responder, 200, sendAccepted(*known));
    }
    if (m_relay)
        return sendThroughOutbox(send, known, stored, responder);

    // A repeat that arrives while the first request still waits for the upstream (the console's retry
    // after a timeout) waits for the same answer instead of going out twice.
    const QString key = pendingKey(send);
    // The same after the first request was answered 503 for want of a confirm: the upstream still holds
    // the reply, so the repeat gets 503 again (the console retries with backoff) and nothing goes out.
    if (m_overdue.count(key) > 0) {
        return HttpFront::writeError(responder, 503,
            QStringLiteral("Upstream unavailable: the reply still awaits the upstream's answer"),
            QStringLiteral("UPSTREAM_UNAVAILABLE"));
    }
    if (!waitForAnswer(key, responder))
        return;
    OutboundMessage message {tenant, conversation, known ? *known : m_upstream->idFor(send.messageId),
        send.messageId, send.integrationId, send.text, send.mediaUrl, QDateTime::currentDateTimeUtc()};
    // The agent's Retry of a failed reply is a new delivery: under the first one's message_id a consumer
    // that deduplicates would drop it.
    if (known)
        message.deliveryId = OutboundMessage::retryDeliveryId(message.id, QDateTime::currentMSecsSinceEpoch());
    // The completion may run inside submit() (the simulation) or later (a broker's confirm); the upstream
    // is our child and drops pending completions when it goes, so `this` outlives every call.
    m_upstream->submit(message, [this, key, message, resend = known.has_value()](const auto &rejection) {
        finish(key, message, resend, rejection);
    });
}

void SendDesk::finish(
    const QString &key, const OutboundMessage &message, bool resend, const std::optional<UpstreamRejection> &rejection)
{
    // The final outcome of a reply whose POSTs were answered 503 already: nobody waits, but an acceptance
    // is still recorded (the reply went out), so the console's next retry is answered from the record.
    const bool overdue = m_overdue.erase(key) > 0;
    if (!m_pending.count(key) && !overdue)
        return; // answered already (setUpstream() replaced the upstream meanwhile)
    if (rejection) {
        std::vector<PendingAnswer> waiters = takeWaiters(key);
        for (PendingAnswer &waiter : waiters) {
            answerIfConnected(waiter.responder, waiter.socket, rejection->httpStatus,
                HttpFront::errorBody(rejection->message, rejection->code), rejection->retryAfterSeconds);
        }
        if (!rejection->settled)
            m_overdue.insert(key);
        return;
    }
    ConversationStore &store = m_store();
    const QString &tenant = message.tenantId;
    const QString &conversation = message.conversationId;
    if (resend) {
        // Only from "failed": a "delivered"/"read" that came in while the reply was out again stays.
        store.reviveFailed(tenant, conversation, message.id);
        return answer(key, message.id, store.error());
    }
    // One transaction on the shared record: when another instance on the same data dir accepted the same
    // messageId meanwhile, its id is the answer here too. Group commit: the record is written with the
    // other sends of this turn, and the 200 goes out only once it is committed. Until then the waiters stay
    // in m_pending, so a repeat meanwhile joins them instead of going out again.
    const StoredMessage reply {
        message.id, false, message.text, message.mediaUrl, message.timestamp, QStringLiteral("sent")};
    store.acceptSendDeferred(tenant, conversation, message.clientMessageId, reply,
        [self = QPointer<SendDesk>(this), key, id = message.id](const auto &accepted, const QString &error) {
            if (self)
                self->answer(key, accepted ? accepted->id : id, error);
        });
}

bool SendDesk::waitForAnswer(const QString &key, QHttpServerResponder &responder)
{
    std::vector<PendingAnswer> &waiters = m_pending[key];
    QTcpSocket *socket = responder.socket();
    waiters.push_back(PendingAnswer {std::move(responder), socket});
    return waiters.size() == 1;
}

std::vector<SendDesk::PendingAnswer> SendDesk::takeWaiters(const QString &key)
{
    auto node = m_pending.extract(key);
    return node.empty() ? std::vector<PendingAnswer> {} : std::move(node.mapped());
}

void SendDesk::answer(const QString &key, const QString &id, const QString &storageError)
{
    std::vector<PendingAnswer> waiters = takeWaiters(key);
    const StorageErrorReply failure = storageErrorReply(m_store().unavailable());
    for (PendingAnswer &waiter : waiters) {
        if (storageError.isEmpty())
            answerIfConnected(waiter.responder, waiter.socket, 200, sendAccepted(id));
        else
            answerIfConnected(
                waiter.responder, waiter.socket, failure.status, HttpFront::errorBody(failure.message, failure.code));
    }
}

// A new reply, or the Retry of a failed one, with the outbox: the answer is the commit's.
void SendDesk::sendThroughOutbox(const SendRequest &send, const std::optional<QString> &known,
    const std::optional<StoredMessage> &stored, QHttpServerResponder &responder)
{
    ConversationStore &store = m_store();
    if (known) {
        // Failed before (the caller checked): "failed" -> "sent" and a new row, in one transaction that only
        // one of several instances retrying it at once gets to make. The others answer the same.
        const bool revived = store.reviveFailedToOutbox(
            send.tenantId, send.conversationId, send.messageId, send.integrationId, stored ? *stored : StoredMessage {});
        if (!store.error().isEmpty())
            return writeStorageError(responder, store);
        if (revived)
            m_relay->wake();
        return HttpFront::writeJson(responder, 200, sendAccepted(*known));
    }
    // A repeat before the first one's commit joins its answer; were it committed separately the unique
    // record would still keep it to one row, this only saves the transaction.
    const QString key = pendingKey(send);
    if (!waitForAnswer(key, responder))
        return;
    const StoredMessage reply {m_upstream->idFor(send.messageId), false, send.text, send.mediaUrl,
        QDateTime::currentDateTimeUtc(), QStringLiteral("sent")};
    store.acceptSendToOutbox(send.tenantId, send.conversationId, send.messageId, send.integrationId, reply,
        [self = QPointer<SendDesk>(this), key, id = reply.id](const auto &accepted, const QString &error) {
            if (self)
                self->answerWhenCommitted(key, accepted, id, error);
        });
}

void SendDesk::answerWhenCommitted(
    const QString &key, const std::optional<ConversationStore::Accepted> &accepted, const QString &id, const QString &error)
{
    if (accepted && accepted->fresh && m_relay)
        m_relay->wake();
    answer(key, accepted ? accepted->id : id, error);
}
