// The reference widget backend (CONTRACT.md §1, §2) on one port: a thin root that wires the parts —
// HttpFront, RestApi (the routes), SendDesk (POST /send and the upstream), SocketHub (Socket.IO rooms),
// ConversationStore, TokenRegistry, ServerOperations — and stops them gracefully. Runs in-process for
// the console's --demo mode and the tests, and stand-alone as widget-server.
#pragma once

#include "conversationstore.h"
#include "serveroperations.h"

#include <QHostAddress>
#include <QObject>
#include <QUrl>

#include <memory>

class CannedResponseTable;
class HttpFront;
class MediaDesk;
class RestApi;
class SendDesk;
class QTimer;
class SimulatedUpstream;
class SocketHub;
class TokenRegistry;
class Upstream;

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
    // The canned responses each tenant gets (CONTRACT.md §6): from --canned-responses, or set in-process.
    CannedResponseTable *cannedResponses() const { return m_canned; }
    // Keeps conversations in <dir>/widget-server.sqlite (both created if missing) instead of a private
    // in-memory database; call before listen(). Several processes may share one dir: idempotency and
    // statuses are decided in the file. False, with storageError() saying why, when it cannot be used.
    bool setDataDir(const QString &dir);
    // Keeps conversations in a PostgreSQL database instead (--database), shared by instances on any
    // host; uploads stay where setDataDir() put them. False, with storageError(), when it cannot connect.
    bool setDatabase(const PostgresSettings &settings);
    QString storageError() const;
    ConversationStore *store() const { return m_store.get(); }
    void setIntegrationId(const QString &id); // returned by the context endpoint; "demo-integration"

    // Uploads (CONTRACT.md §5): kept under <data dir>/media with a data dir, else in memory up to a cap.
    MediaDesk *mediaDesk() const { return m_media.get(); }
    void setMaxUploadBytes(qint64 bytes); // 413 MEDIA_TOO_LARGE above it, answered before the body is read
    void setMediaTypes(const QStringList &types); // 415 MEDIA_TYPE_NOT_ALLOWED for the others
    // Stores a file as if uploaded to the conversation (the demo's photo); returns its mediaUrl as a
    // path (made absolute when answered) or empty when it could not be stored.
    QString addMedia(const QString &tenant, const QString &conversation, const QString &fileName,
        const QString &mimeType, const QByteArray &bytes);

    // The send pipeline and its upstream (the simulated one by default).
    SendDesk *sendDesk() const { return m_sends; }
    SimulatedUpstream *upstream() const; // nullptr once setUpstream() replaced the simulation
    void setUpstream(Upstream *upstream); // takes ownership; see SendDesk::setUpstream()
    // Turns the transactional outbox on (SendDesk::setOutbox(), OutboxRelay) with the relay's lease.
    void setOutbox(int leaseMs = 30000);
    int pendingSendCount() const;

    void addConversation(const QString &tenant, const QString &conversation, const QString &customerName);
    void addHistoryMessage(const QString &tenant, const QString &conversation, const StoredMessage &m);
    // Stores a customer message and emits inbound_message to the room. Returns its id (empty when the
    // conversation is unknown). `mediaUrl`: a path addMedia() returned; the event names the media.
    QString injectInbound(
        const QString &tenant, const QString &conversation, const QString &text, const QString &mediaUrl = {});
    // Emits status_update to the room whatever the stored status; stores it only when it moves forward.
    void emitStatus(const QString &tenant, const QString &conversation, const QString &messageId, const QString &status,
        const QString &error = {});
    // Demo: a random customer message every ms into every conversation marked as demo (0 = off). The
    // generator is DemoCustomers (demoseed.h), where this is defined.
    void setDemoInboundInterval(int ms);

    // Engine.IO settings for sessions opened from now on (engine.io-protocol: announced in the open packet).
    void setPingTiming(int pingIntervalMs, int pingTimeoutMs);
    void setMaxPayload(int bytes); // also caps a session's unsent output at twice this
    // Spec-strict: malformed Engine.IO / Socket.IO packets close the connection, as the official server
    // does. Off (the default), they are dropped and logged.
    void setStrictProtocol(bool strict);

    // Limits, logs, metrics and the graceful stop (widget-server --help names the matching options).
    // In-process the send rate and connection limits are off and no request is logged until set.
    ServerOperations *operations() const { return m_operations.get(); }
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
    ServerOperations::Health health() const; // what /healthz says: the database and the broker
    void declareStoreMetrics(); // database latency and the outbox, on /metrics
    void storeInbound(const QString &tenant, const QString &conversation, const QString &messageId,
        const QString &text, const QString &mediaUrl, const QDateTime &timestamp);

    std::unique_ptr<ConversationStore> m_store;
    std::optional<ConversationStore::OutboxState> m_outboxReading; // of the /metrics scrape in progress
    SocketHub *m_hub = nullptr; // before m_http: the front's callbacks use it
    TokenRegistry *m_tokens = nullptr;
    CannedResponseTable *m_canned = nullptr;
    SendDesk *m_sends = nullptr;
    std::unique_ptr<ServerOperations> m_operations;
    std::unique_ptr<MediaDesk> m_media;
    HttpFront *m_http = nullptr;
    RestApi *m_rest = nullptr;
    QHostAddress m_address;
    quint16 m_port = 0;
    bool m_shuttingDown = false;
    bool m_stopped = false;
    QTimer *m_shutdownPoll = nullptr; // while shutting down: has everything closed?
};
