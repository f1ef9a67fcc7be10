#include "widgetserver.h"

#include "amqpupstream.h"
#include "cannedresponsetable.h"
#include "engineserver.h"
#include "httpfront.h"
#include "identifiers.h"
#include "mediadesk.h"
#include "mediatypes.h"
#include "outboxrelay.h"
#include "restapi.h"
#include "senddesk.h"
#include "serverjson.h"
#include "serverlog.h"
#include "serveroperations.h"
#include "simulatedupstream.h"
#include "sockethub.h"
#include "tokenregistry.h"
#include "upstream.h"
#include "websocketconnection.h"

#include <QDir>
#include <QHttpServerRequest>
#include <QJsonObject>
#include <QTimer>

WidgetServer::WidgetServer(QObject *parent)
    : QObject(parent)
    , m_store(std::make_unique<ConversationStore>())
    , m_hub(new SocketHub(this))
    , m_tokens(new TokenRegistry(this))
    , m_canned(new CannedResponseTable(this))
    , m_sends(new SendDesk([this]() -> ConversationStore & { return *m_store; }, this))
{
    keepQtHttpServerDebugOff();
    m_operations = std::make_unique<ServerOperations>([this] { return health(); },
        [this] { return m_hub->joinedCount(); }, m_hub->engine());
    m_media = std::make_unique<MediaDesk>(m_operations->metrics());
    m_http = new HttpFront([this](const QHttpServerRequest &request,
                               QHttpServerResponder &&responder) { m_rest->handle(request, std::move(responder)); },
        [this](const QUrl &target) { return m_hub->engine()->acceptsUpgrade(target); },
        [this](std::unique_ptr<WebSocketConnection> connection) {
            m_hub->engine()->acceptWebSocket(std::move(connection));
        },
        this);
    m_rest = new RestApi(RestApi::Parts {[this]() -> ConversationStore & { return *m_store; }, m_tokens,
                             m_operations.get(), m_hub->engine(), m_http, m_sends, m_canned, m_media.get()},
        this);
    connect(m_rest, &RestApi::sendReceived, this, &WidgetServer::sendReceived);
    // Engine.IO long-polling POSTs may carry the maxPayload of the open packet, whatever the REST body cap.
    m_http->setMaxBodyBytesForPath(QStringLiteral("/socket.io/"), m_hub->engine()->settings().maxPayload);
    m_hub->setTokenRegistry(m_tokens);
    connect(m_hub, &SocketHub::socketJoined, this, &WidgetServer::socketConnected);
    connect(m_hub, &SocketHub::socketLeft, this, &WidgetServer::socketDisconnected);
    connect(m_sends, &SendDesk::statusReported, this,
        [this](const QString &tenant, const QString &conversation, const QString &id, const QString &status,
            const QString &error) { emitStatus(tenant, conversation, id, status, error); });
    connect(m_sends, &SendDesk::inboundReceived, this, &WidgetServer::storeInbound);
    connect(m_sends, &SendDesk::deduplicated, this, [this] { m_operations->countDeduplicatedSend(); });
    m_http->setExchangeObserver([this](const HttpExchange &exchange) {
        m_operations->observe(exchange);
        if (exchange.status == 413 && exchange.path == MediaDesk::uploadPath())
            m_media->countTooLarge(); // from the head (the desk never saw it) or from the desk
    });
    setMaxUploadBytes(MediaDesk::DefaultMaxUploadBytes);
    // Up to 16 MiB per connection are not read for a caller without a token.
    m_http->setTokenCheckedFromHead(MediaDesk::uploadPath(),
        [tokens = m_tokens](const QByteArray &authorization) { return tokens->isKnown(TokenRegistry::bearer(authorization)); });
    declareStoreMetrics();
    m_operations->metrics().declareRead("widget_server_http_connections", Metrics::Type::Gauge,
        QStringLiteral("Open TCP connections, WebSocket ones included."), [this] {
            return QList<Metrics::Sample> {{{}, double(m_http->openConnections())}};
        });
}

void WidgetServer::setOutbox(int leaseMs)
{
    m_sends->setOutbox();
    m_sends->relay()->setLeaseMs(leaseMs);
}

void WidgetServer::declareStoreMetrics()
{
    Metrics &metrics = m_operations->metrics();
    metrics.declareRead("widget_server_database_seconds_total", Metrics::Type::Counter,
        QStringLiteral("Time spent in database statements and transactions."),
        [this] { return QList<Metrics::Sample> {{{}, m_store->latency().totalSeconds}}; });
    metrics.declareRead("widget_server_database_statements_total", Metrics::Type::Counter,
        QStringLiteral("Database statements and transactions run (the latency is seconds_total over this)."),
        [this] { return QList<Metrics::Sample> {{{}, double(m_store->latency().count)}}; });
    metrics.declareRead("widget_server_database_max_seconds", Metrics::Type::Gauge,
        QStringLiteral("The slowest database statement of this minute and the one before."),
        [this] { return QList<Metrics::Sample> {{{}, m_store->recentMaxLatency()}}; });
    // The outbox, read from the database: every instance on it reports the same rows.
    // Both read the table once per scrape: the rows first, the lag from the same reading.
    metrics.declareRead("widget_server_outbox_rows", Metrics::Type::Gauge,
        QStringLiteral("Accepted replies not yet published (--outbox), all instances together."), [this] {
            m_outboxReading = m_sends->relay() ? m_store->outboxState() : std::nullopt;
            const auto &state = m_outboxReading;
            return state ? QList<Metrics::Sample> {{{}, double(state->rows)}} : QList<Metrics::Sample> {};
        });
    metrics.declareRead("widget_server_outbox_lag_seconds", Metrics::Type::Gauge,
        QStringLiteral("Age of the oldest accepted reply not yet published (--outbox); 0 when none waits."), [this] {
            const auto state = std::exchange(m_outboxReading, std::nullopt);
            if (!state)
                return QList<Metrics::Sample> {};
            const qint64 age = state->rows > 0 ? QDateTime::currentMSecsSinceEpoch() - state->oldestCreatedMs : 0;
            return QList<Metrics::Sample> {{{}, std::max<qint64>(0, age) / 1000.0}};
        });
    metrics.declareRead("widget_server_outbox_published_total", Metrics::Type::Counter,
        QStringLiteral("Outbox rows this instance published and saw confirmed; kind=again for rows published "
                       "before (a repeat the consumer drops by message_id)."),
        [this] {
            const OutboxRelay *relay = m_sends->relay();
            if (!relay)
                return QList<Metrics::Sample> {};
            return QList<Metrics::Sample> {
                {{{"kind", QStringLiteral("first")}}, double(relay->published() - relay->republished())},
                {{{"kind", QStringLiteral("again")}}, double(relay->republished())}};
        });
    metrics.declareRead("widget_server_outbox_refused_total", Metrics::Type::Counter,
        QStringLiteral("Outbox publishes the upstream refused: kind=again (broker away, nack; published again "
                       "later) or kind=failed (refused for good; the reply is marked failed)."),
        [this] {
            const OutboxRelay *relay = m_sends->relay();
            if (!relay)
                return QList<Metrics::Sample> {};
            return QList<Metrics::Sample> {{{{"kind", QStringLiteral("again")}}, double(relay->retried())},
                {{{"kind", QStringLiteral("failed")}}, double(relay->failed())}};
        });
}

ServerOperations::Health WidgetServer::health() const
{
    ServerOperations::Health report;
    const bool databaseUp = m_store->isOpen() && !m_store->unavailable();
    report.checks.append({QStringLiteral("database"), databaseUp ? QStringLiteral("ok") : QStringLiteral("unavailable"),
        databaseUp ? m_store->backendName() : m_store->error()});
    const auto *broker = qobject_cast<const AmqpUpstream *>(m_sends->upstream());
    if (!broker)
        report.checks.append({QStringLiteral("broker"), QStringLiteral("not used")});
    else if (broker->isConnected())
        report.checks.append({QStringLiteral("broker"), QStringLiteral("ok")});
    else
        report.checks.append({QStringLiteral("broker"), QStringLiteral("unavailable"), QStringLiteral("not connected")});
    if (m_shuttingDown)
        report.problem = QStringLiteral("shutting down");
    else if (!databaseUp)
        report.problem = QStringLiteral("storage unavailable");
    else if (broker && !broker->isConnected())
        report.problem = QStringLiteral("broker unavailable");
    return report;
}

WidgetServer::~WidgetServer()
{
    m_http->setExchangeObserver({}); // connections closing after this must not reach m_operations
}

bool WidgetServer::listen(const QHostAddress &address, quint16 port)
{
    const quint16 bound = m_http->listen(address, port);
    if (bound == 0) {
        qCWarning(lcServer) << "cannot listen on" << address.toString() << "port" << port;
        return false;
    }
    m_address = address;
    m_port = bound;
    return true;
}

quint16 WidgetServer::port() const
{
    return m_port;
}

QUrl WidgetServer::baseUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    const bool loopbackOrAny = m_address.isNull() || m_address.isLoopback() || m_address == QHostAddress::Any
        || m_address == QHostAddress::AnyIPv4 || m_address == QHostAddress::AnyIPv6;
    url.setHost(loopbackOrAny ? QStringLiteral("127.0.0.1") : m_address.toString());
    url.setPort(m_port);
    return url;
}

void WidgetServer::setToken(const QString &token)
{
    m_tokens->setAnyTenantToken(token);
}

bool WidgetServer::setDataDir(const QString &dir)
{
    // On failure the closed store stays: requests get STORAGE_ERROR instead of a silently forgetful server.
    m_store = std::make_unique<ConversationStore>(QDir(dir).absoluteFilePath(ConversationStore::fileName()));
    if (OutboxRelay *relay = m_sends->relay())
        relay->forgetInFlight(); // their rows are in the store that went
    if (!m_media->store().open(QDir(dir).absoluteFilePath(QStringLiteral("media"))))
        qCWarning(lcServer).noquote() << "media stay in memory:" << m_media->store().error();
    return m_store->isOpen();
}

bool WidgetServer::setDatabase(const PostgresSettings &settings)
{
    m_store = std::make_unique<ConversationStore>(settings);
    if (OutboxRelay *relay = m_sends->relay())
        relay->forgetInFlight();
    return m_store->isOpen();
}

void WidgetServer::setMaxUploadBytes(qint64 bytes)
{
    m_media->setMaxUploadBytes(bytes);
    // The whole body may carry the file and its multipart framing; more is refused from the head.
    m_http->setMaxBodyBytesForPath(MediaDesk::uploadPath(), bytes + MediaDesk::MultipartOverheadBytes,
        "MEDIA_TOO_LARGE", QStringLiteral("The file is larger than %1 bytes").arg(bytes));
}

void WidgetServer::setMediaTypes(const QStringList &types)
{
    m_media->setAllowedTypes(types);
}

QString WidgetServer::addMedia(const QString &tenant, const QString &conversation, const QString &fileName,
    const QString &mimeType, const QByteArray &bytes)
{
    MediaRecord draft;
    draft.tenant = tenant;
    draft.conversation = conversation;
    draft.fileName = fileName;
    draft.mimeType = mimeType;
    const QSize size = MediaTypes::imageSize(mimeType, bytes);
    draft.width = size.isValid() ? size.width() : 0;
    draft.height = size.isValid() ? size.height() : 0;
    const MediaStore::Result stored = m_media->store().store(draft, fileName, bytes);
    if (stored.outcome != MediaStore::Outcome::Stored && stored.outcome != MediaStore::Outcome::Repeated)
        return {};
    return MediaDesk::mediaPathPrefix() + stored.record.id;
}

QString WidgetServer::storageError() const
{
    return m_store->error();
}

void WidgetServer::setIntegrationId(const QString &id)
{
    m_rest->setIntegrationId(id);
}

SimulatedUpstream *WidgetServer::upstream() const
{
    return m_sends->simulatedUpstream();
}

void WidgetServer::setUpstream(Upstream *upstream)
{
    m_sends->setUpstream(upstream);
}

int WidgetServer::pendingSendCount() const
{
    return m_sends->pendingCount();
}

void WidgetServer::addConversation(const QString &tenant, const QString &conversation, const QString &customerName)
{
    m_store->addConversation(tenant, conversation, customerName);
}

void WidgetServer::addHistoryMessage(const QString &tenant, const QString &conversation, const StoredMessage &m)
{
    if (!m_store->addMessage(tenant, conversation, m))
        qCWarning(lcServer) << "history message" << m.id << "not added: unknown conversation or duplicate id";
}

QString WidgetServer::injectInbound(
    const QString &tenant, const QString &conversation, const QString &text, const QString &mediaUrl)
{
    StoredMessage m {ServerIds::messageId(), true, text, mediaUrl, QDateTime::currentDateTimeUtc(), {}};
    if (!m_store->addMessage(tenant, conversation, m)) {
        qCWarning(lcServer) << "inbound message for an unknown conversation dropped";
        return {};
    }
    QJsonObject payload {
        {QStringLiteral("messageId"), m.id},
        {QStringLiteral("text"), m.text},
        {QStringLiteral("mediaUrl"), QJsonValue(QJsonValue::Null)},
        {QStringLiteral("timestamp"), isoTime(m.timestamp)},
    };
    if (!mediaUrl.isEmpty()) {
        // A path of this server's is made absolute as the history does, with the address it listens on.
        payload.insert(
            QStringLiteral("mediaUrl"), mediaUrl.startsWith(u'/') ? baseUrl().toString() + mediaUrl : mediaUrl);
        const QJsonObject fields = m_media->describe(tenant, mediaUrl);
        for (auto it = fields.begin(); it != fields.end(); ++it)
            payload.insert(it.key(), it.value());
    }
    m_hub->emitToRoom(tenant, conversation, QStringLiteral("inbound_message"), payload);
    return m.id;
}

void WidgetServer::emitStatus(const QString &tenant, const QString &conversation, const QString &messageId,
    const QString &status, const QString &error)
{
    // Committed with this turn's other writes (group commit); a failed reply keeps its reason.
    m_store->queueStatus(tenant, conversation, messageId, status, error);
    QJsonObject payload {
        {QStringLiteral("messageId"), messageId},
        {QStringLiteral("status"), status},
        {QStringLiteral("timestamp"), isoTime(QDateTime::currentDateTimeUtc())},
    };
    if (!error.isEmpty()) {
        payload.insert(QStringLiteral("error"),
            QJsonObject {
                {QStringLiteral("message"), error}, {QStringLiteral("code"), QStringLiteral("UPSTREAM_FAILED")}});
    }
    m_hub->emitToRoom(tenant, conversation, QStringLiteral("status_update"), payload);
}

void WidgetServer::setPingTiming(int pingIntervalMs, int pingTimeoutMs)
{
    m_hub->setPingTiming(pingIntervalMs, pingTimeoutMs);
}

void WidgetServer::setMaxPayload(int bytes)
{
    m_hub->setMaxPayload(bytes);
    // A polling POST may carry up to maxPayload, whatever the REST body cap is.
    m_http->setMaxBodyBytesForPath(QStringLiteral("/socket.io/"), bytes);
}

void WidgetServer::setStrictProtocol(bool strict)
{
    m_hub->setStrictProtocol(strict);
}

void WidgetServer::setMaxBodyBytes(qint64 bytes)
{
    m_http->setMaxBodyBytes(bytes);
}

void WidgetServer::setMaxConnectionsPerAddress(int connections)
{
    m_http->setMaxConnectionsPerAddress(connections);
    m_hub->engine()->setMaxSessionsPerAddress(connections);
}

void WidgetServer::shutdown(int graceMs)
{
    if (m_shuttingDown)
        return finishShutdown(true);
    m_shuttingDown = true; // /healthz answers 503 on connections still open
    qCInfo(lcServer) << "shutting down: no new connections; up to" << graceMs << "ms for requests in flight";
    m_http->drain();
    // Transports, not sockets: a "41" would tell every console never to reconnect (CONTRACT.md §2), so a
    // restart would leave every agent without live events. Closed transports make them reconnect.
    m_hub->closeTransports(QStringLiteral("server shutting down"));
    if (OutboxRelay *relay = m_sends->relay())
        relay->stopClaiming(); // publishes in flight may still see their confirms within the grace period
    QTimer::singleShot(std::max(0, graceMs), this, [this] { finishShutdown(true); });
    // Sessions and connections close in many places (a poll answered, a WebSocket close handshake):
    // checking a cheap condition often is simpler than tracking each.
    m_shutdownPoll = new QTimer(this);
    connect(m_shutdownPoll, &QTimer::timeout, this, [this] {
        if (m_http->openConnections() == 0 && m_hub->engine()->sessions().isEmpty()
            && (!m_sends->relay() || m_sends->relay()->inFlight() == 0))
            finishShutdown(false);
    });
    m_shutdownPoll->start(20);
}

void WidgetServer::finishShutdown(bool force)
{
    if (m_stopped)
        return;
    m_stopped = true;
    if (force) {
        qCWarning(lcServer) << "grace period over:" << m_http->openConnections() << "connections dropped";
        m_hub->dropAll();
        m_http->abortAll();
    }
    if (m_shutdownPoll)
        m_shutdownPoll->stop();
    // What is still unconfirmed goes back to the table for the other instances now, not after the lease.
    if (OutboxRelay *relay = m_sends->relay())
        relay->releaseInFlight();
    qCInfo(lcServer) << "stopped";
    emit stopped();
}

void WidgetServer::setPingsSuspended(bool suspended)
{
    m_hub->setPingsSuspended(suspended);
}

void WidgetServer::dropAllSockets()
{
    m_hub->dropAll();
}

void WidgetServer::disconnectAllSockets()
{
    m_hub->disconnectAll();
}

int WidgetServer::socketCount() const
{
    return m_hub->joinedCount();
}

int WidgetServer::sendRequestCount() const
{
    return m_rest->sendRequestCount();
}

QStringList WidgetServer::acceptedMessageIds(const QString &tenant, const QString &conversation) const
{
    return m_store->acceptedMessageIds(tenant, conversation);
}

void WidgetServer::storeInbound(const QString &tenant, const QString &conversation, const QString &messageId,
    const QString &text, const QString &mediaUrl, const QDateTime &timestamp)
{
    // Every instance consumes the same event: the first one stores it (a shared data dir refuses the
    // repeats by id), and each one emits it to the sockets connected to it.
    if (!m_store->hasConversation(tenant, conversation)) {
        qCWarning(lcServer) << "inbound message from the upstream for an unknown conversation dropped";
        return;
    }
    m_store->addMessage(tenant, conversation, StoredMessage {messageId, true, text, mediaUrl, timestamp, {}});
    const QJsonObject payload {
        {QStringLiteral("messageId"), messageId},
        {QStringLiteral("text"), text},
        {QStringLiteral("mediaUrl"), stringOrNull(mediaUrl)},
        {QStringLiteral("timestamp"), isoTime(timestamp)},
    };
    m_hub->emitToRoom(tenant, conversation, QStringLiteral("inbound_message"), payload);
}
