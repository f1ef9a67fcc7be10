// The send pipeline behind POST /send (CONTRACT.md §1): idempotency on the client's messageId against
// the store's record, repeats that join the request still waiting for the upstream, replies the
// upstream holds after a 503, and the upstream itself (replaceable; its events are passed on).
#pragma once

#include "conversationstore.h"
#include "sendrequest.h"

#include <QHttpServerResponder>
#include <QObject>
#include <QPointer>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <vector>

class OutboxRelay;
class QTcpSocket;
class SimulatedUpstream;
class Upstream;
struct OutboundMessage;
struct UpstreamRejection;

class SendDesk : public QObject
{
    Q_OBJECT
public:
    // store: the server's current store (a data dir may replace it).
    explicit SendDesk(std::function<ConversationStore &()> store, QObject *parent = nullptr);
    ~SendDesk() override;

    Upstream *upstream() const { return m_upstream; }
    SimulatedUpstream *simulatedUpstream() const; // nullptr once setUpstream() replaced the default
    // Replaces the upstream (takes ownership; the previous one is deleted, its pending sends answered 503).
    void setUpstream(Upstream *upstream);
    int pendingCount() const; // POST /send requests waiting for the upstream to accept their reply

    // Transactional outbox (--outbox): a new reply is answered once it and its outbox row are committed,
    // and the relay publishes it from there (OutboxRelay says what that guarantees). Without it, the
    // answer waits for the upstream's acceptance and the record is written after it. Once on, it stays on:
    // rows committed meanwhile need their relay.
    void setOutbox();
    OutboxRelay *relay() const { return m_relay; } // nullptr without the outbox

    // A valid POST /send for a conversation of the store that the token reaches, its messageId set:
    // answered now from the record, or once the upstream has answered.
    void send(const SendRequest &send, QHttpServerResponder &responder);

signals:
    void deduplicated(); // a repeat answered from the record, forwarded nowhere
    // The current upstream's events, whichever upstream that is.
    void statusReported(const QString &tenant, const QString &conversation, const QString &messageId,
        const QString &status, const QString &error);
    void inboundReceived(const QString &tenant, const QString &conversation, const QString &messageId,
        const QString &text, const QString &mediaUrl, const QDateTime &timestamp);

private:
    // A POST /send waiting for the upstream's answer (a broker's publisher confirm), then for its record to
    // be committed. The responder keeps a raw pointer to its socket; the QPointer tells whether the client
    // is still there to answer.
    struct PendingAnswer
    {
        QHttpServerResponder responder;
        QPointer<QTcpSocket> socket;
    };

    void connectUpstream();
    void sendThroughOutbox(const SendRequest &send, const std::optional<QString> &known,
        const std::optional<StoredMessage> &stored, QHttpServerResponder &responder);
    void answerWhenCommitted(const QString &key, const std::optional<ConversationStore::Accepted> &accepted,
        const QString &id, const QString &error);
    void finish(const QString &key, const OutboundMessage &message, bool resend,
        const std::optional<UpstreamRejection> &rejection);
    // Queues the POST's responder under key; true when it is the first (the caller does the work), false
    // when it joins a request already under way.
    bool waitForAnswer(const QString &key, QHttpServerResponder &responder);
    std::vector<PendingAnswer> takeWaiters(const QString &key);
    // 200 with id to every waiter of key, or 500 when the store failed.
    void answer(const QString &key, const QString &id, const QString &storageError);

    std::function<ConversationStore &()> m_store;
    Upstream *m_upstream = nullptr; // child
    OutboxRelay *m_relay = nullptr; // child; its completions guard against it going first
    // Keyed by tenant + conversation + client messageId: a repeat that arrives while the first request
    // still waits joins it instead of going out a second time.
    std::map<QString, std::vector<PendingAnswer>> m_pending;
    // Keys (as above) of replies the upstream still holds after their POSTs were answered 503 (no publisher
    // confirm in time): a repeat is answered 503 again instead of publishing a second copy, and a late
    // acceptance is still recorded, so the repeat after it is answered from the record.
    std::set<QString> m_overdue;
};
