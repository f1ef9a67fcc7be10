// The reference widget backend (CONTRACT.md §1, §2) on one port: the REST routes, Socket.IO over
// WebSocket or long-polling, an in-memory store and a simulated WhatsApp upstream. Runs in-process for the console's
// --demo mode and the tests, and stand-alone as widget-server.
#pragma once

#include "conversationstore.h"

#include <QHostAddress>
#include <QHttpServerResponder>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

class HttpFront;
class ServerOperations;
class QHttpServerRequest;
class QHttpServerResponder;
class QTcpSocket;
class QTimer;
class SimulatedUpstream;
class SocketHub;
class TokenRegistry;
class Upstream;
struct OutboundMessage;
struct UpstreamRejection;

class WidgetServer : public QObject
{
    Q_OBJECT
public:
    explicit WidgetServer(QObject *parent = nullptr);
    ~WidgetServer() override;

    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0); // port 0 = any
    quint16 port() const;
    QUrl baseUrl() const; // http://127.0.0.1:<port>

    // A bearer / Socket.IO auth token valid for every tenant (single-token mode). While neither this nor
    // a tokens file gives a token, every request is refused.
    void setToken(const QString &token);
    // Per-tenant tokens (--tokens-file): a token reaches only its tenant's conversations; a request for
    // another tenant's is answered as if the conversation did not exist (404, CONNECT_ERROR on a socket).
    TokenRegistry *tokenRegistry() const { return m_tokens; }
    // Keeps conversations in <dir>/widget-server.sqlite (both created if missing) instead of a private
    // in-memory database; call before listen(). Several processes may share one dir: idempotency and
    // statuses are decided in the file. False, with storageError() saying why, when it cannot be used.
    bool setDataDir(const QString &dir);
    QString storageError() const;
    void setIntegrationId(const QString &id); // returned by the context endpoint; "demo-integration"
    // The simulated upstream, the default; nullptr once setUpstream() replaced it.
    SimulatedUpstream *upstream() const;
    // Replaces the upstream (takes ownership; the previous one is deleted, its pending sends answered 503).
    void setUpstream(Upstream *upstream);
    int pendingSendCount() const; // POST /send requests waiting for the upstream to accept their reply
    ConversationStore *store() const;

    void addConversation(const QString &tenant, const QString &conversation, const QString &customerName);
    void addHistoryMessage(const QString &tenant, const QString &conversation, const StoredMessage &m);
    // Stores a customer message and emits inbound_message to the room. Returns its id (empty when the
    // conversation is unknown).
    QString injectInbound(const QString &tenant, const QString &conversation, const QString &text);
    // Emits status_update to the room whatever the stored status; stores it only when it moves forward.
    void emitStatus(const QString &tenant, const QString &conversation, const QString &messageId, const QString &status,
        const QString &error = {});

    // Demo: a random customer message every ms into every conversation marked as demo (0 = off).
    void setDemoInboundInterval(int ms);
    void markDemoConversation(const QString &tenant, const QString &conversation);

    // Engine.IO settings for sessions opened from now on (engine.io-protocol: announced in the open packet).
    void setPingTiming(int pingIntervalMs, int pingTimeoutMs);
    void setMaxPayload(int bytes);
    // Spec-strict: malformed Engine.IO / Socket.IO packets close the connection, as the official server
    // does. Off (the default), they are dropped and logged.
    void setStrictProtocol(bool strict);

    // Limits, logs, metrics and the graceful stop (widget-server --help names the matching options).
    // In-process the send rate and connection limits are off and no request is logged until set.
    ServerOperations *operations() const; // rate limit, access log, metrics, /healthz and /metrics
    void setMaxBodyBytes(qint64 bytes); // 413 above it, answered before the body is read
    void setMaxConnectionsPerAddress(int connections); // TCP connections and Engine.IO sessions; 0 = off
    // Stops accepting connections, lets the requests in flight finish, closes every Engine.IO transport
    // (no "41": clients reconnect, to this server's successor), then emits stopped(); what is still open
    // after graceMs is dropped. A second call stops at once.
    void shutdown(int graceMs);
    bool isShuttingDown() const { return m_shuttingDown; }

    // Test hooks.
    void setPingsSuspended(bool suspended);
    void dropAllSockets(); // abrupt close: the client must reconnect
    void disconnectAllSockets(); // Socket.IO "41" then close: the client must not reconnect
    int socketCount() const; // sockets that completed the Socket.IO CONNECT
    int sendRequestCount() const; // POST /send requests received, duplicates and rejects included
    // The client messageIds (idempotency keys) of accepted sends, in order, each once.
    QStringList acceptedMessageIds(const QString &tenant, const QString &conversation) const;

signals:
    void sendReceived(const QString &messageId); // each valid POST /send for a known conversation
    void socketConnected();
    void socketDisconnected();
    void stopped(); // shutdown() finished

private:
    void finishShutdown(bool force);
    void handleRequest(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    bool authorized(const QHttpServerRequest &request) const;
    bool mayAccess(const QHttpServerRequest &request, const QString &tenant) const;
    void handleContext(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &conversation);
    void handleHistory(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &conversation);
    void handleSend(const QHttpServerRequest &request, QHttpServerResponder &responder);
    void connectUpstream();
    void finishSend(const QString &key, const OutboundMessage &message, bool resend,
        const std::optional<UpstreamRejection> &rejection);
    void storeInbound(const QString &tenant, const QString &conversation, const QString &messageId,
        const QString &text, const QString &mediaUrl, const QDateTime &timestamp);
    void injectDemoMessages();

    SocketHub *m_hub = nullptr; // before m_http: the front's callbacks use it
    HttpFront *m_http = nullptr;
    Upstream *m_upstream = nullptr;
    // A POST /send waiting for the upstream's answer (a broker's publisher confirm). The responder keeps
    // a raw pointer to its socket; the QPointer tells whether the client is still there to answer.
    struct PendingAnswer
    {
        QHttpServerResponder responder;
        QPointer<QTcpSocket> socket;
    };
    // Keyed by tenant + conversation + client messageId: a repeat that arrives while the first request
    // still waits joins it instead of going out a second time.
    std::map<QString, std::vector<PendingAnswer>> m_pendingSends;
    // Keys (as above) of replies the upstream still holds after their POSTs were answered 503 (no publisher
    // confirm in time): a repeat is answered 503 again instead of publishing a second copy, and a late
    // acceptance is still recorded, so the repeat after it is answered from the record.
    std::set<QString> m_overdueSends;
    QTimer *m_demoTimer = nullptr;
    std::unique_ptr<ConversationStore> m_store;
    QHostAddress m_address;
    quint16 m_port = 0;
    TokenRegistry *m_tokens = nullptr;
    QString m_integrationId = QStringLiteral("demo-integration");
    int m_sendRequests = 0;
    QList<std::pair<QString, QString>> m_demoConversations;
    std::unique_ptr<ServerOperations> m_operations;
    bool m_shuttingDown = false;
    bool m_stopped = false;
    QTimer *m_shutdownPoll = nullptr; // while shutting down: has everything closed?
};
