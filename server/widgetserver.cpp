#include "widgetserver.h"

#include "demoseed.h"
#include "engineserver.h"
#include "httpfront.h"
#include "identifiers.h"
#include "sendrequest.h"
#include "serverlog.h"
#include "serveroperations.h"
#include "simulatedupstream.h"
#include "sockethub.h"
#include "tokenregistry.h"
#include "upstream.h"

#include <QDir>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

Q_LOGGING_CATEGORY(lcServer, "agentconsole.server", QtInfoMsg)

namespace {

constexpr int DefaultHistoryLimit = 20;
constexpr int MaxHistoryLimit = 100;

QString isoTime(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

QJsonValue stringOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

QJsonObject messageJson(const StoredMessage &m)
{
    QJsonObject json {
        {QStringLiteral("id"), m.id},
        {QStringLiteral("direction"), m.inbound ? QStringLiteral("inbound") : QStringLiteral("outbound")},
        {QStringLiteral("text"), m.text},
        {QStringLiteral("mediaUrl"), stringOrNull(m.mediaUrl)},
        {QStringLiteral("timestamp"), isoTime(m.timestamp)},
        {QStringLiteral("status"), stringOrNull(m.status)},
    };
    if (!m.error.isEmpty())
        json.insert(QStringLiteral("error"), QJsonObject {{QStringLiteral("message"), m.error}});
    return json;
}

// Path segments, each percent-decoded on its own so an encoded '/' inside an id stays in that id.
QStringList pathSegments(const QUrl &url)
{
    QStringList segments;
    const QString path = url.path(QUrl::FullyEncoded);
    for (const QStringView part : QStringView(path).split(u'/', Qt::SkipEmptyParts))
        segments.append(QUrl::fromPercentEncoding(part.toUtf8()));
    return segments;
}

void writeError(QHttpServerResponder &responder, int status, const QString &message, const QString &code)
{
    HttpFront::writeJson(responder, status, HttpFront::errorBody(message, code));
}

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

} // namespace

namespace {

QLoggingCategory::CategoryFilter previousCategoryFilter = nullptr;

// Qt's own HTTP server debug output prints whole requests, Authorization header and token included.
// It stays off whatever QT_LOGGING_RULES says: the token never reaches a log.
void keepHttpServerDebugOff(QLoggingCategory *category)
{
    if (previousCategoryFilter)
        previousCategoryFilter(category);
    if (qstrncmp(category->categoryName(), "qt.httpserver", 13) == 0)
        category->setEnabled(QtDebugMsg, false);
}

} // namespace

WidgetServer::WidgetServer(QObject *parent)
    : QObject(parent)
    , m_hub(new SocketHub(this))
    , m_http(new HttpFront([this](const QHttpServerRequest &request,
                               QHttpServerResponder &&responder) { handleRequest(request, std::move(responder)); },
          [this](const QHttpServerRequest &request) {
              const bool ok = m_hub->engine()->acceptsUpgrade(request);
              if (!ok)
                  qCWarning(lcServer) << "refused a WebSocket upgrade for" << request.url().path();
              return ok;
          },
          this))
    , m_upstream(new SimulatedUpstream(this))
    , m_demoTimer(new QTimer(this))
    , m_store(std::make_unique<ConversationStore>())
{
    static const bool filtered = [] {
        previousCategoryFilter = QLoggingCategory::installFilter(keepHttpServerDebugOff);
        return true;
    }();
    Q_UNUSED(filtered);
    connect(m_http, &QAbstractHttpServer::newWebSocketConnection, this, [this] {
        while (m_http->hasPendingWebSocketConnections())
            m_hub->engine()->acceptWebSocket(m_http->nextPendingWebSocketConnection());
    });
    // Engine.IO long-polling POSTs may carry the maxPayload of the open packet, whatever the REST body cap.
    m_http->setMaxBodyBytesForPath(QStringLiteral("/socket.io/"), m_hub->engine()->settings().maxPayload);
    m_tokens = new TokenRegistry(this);
    m_hub->setTokenRegistry(m_tokens);
    connect(m_hub, &SocketHub::socketJoined, this, &WidgetServer::socketConnected);
    connect(m_hub, &SocketHub::socketLeft, this, &WidgetServer::socketDisconnected);
    connectUpstream();
    connect(m_demoTimer, &QTimer::timeout, this, &WidgetServer::injectDemoMessages);
    m_operations = std::make_unique<ServerOperations>(
        [this] {
            if (m_shuttingDown)
                return QStringLiteral("shutting down");
            return m_store->isOpen() ? QString() : QStringLiteral("storage unavailable");
        },
        [this] { return m_hub->joinedCount(); }, m_hub->engine());
    m_http->setExchangeObserver([this](const HttpExchange &exchange) { m_operations->observe(exchange); });
    m_operations->metrics().declareRead("widget_server_http_connections", Metrics::Type::Gauge,
        QStringLiteral("Open TCP connections, WebSocket ones included."), [this] {
            return QList<Metrics::Sample> {{{}, double(m_http->openConnections())}};
        });
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
    return m_store->isOpen();
}

QString WidgetServer::storageError() const
{
    return m_store->error();
}

void WidgetServer::setIntegrationId(const QString &id)
{
    m_integrationId = id;
}

SimulatedUpstream *WidgetServer::upstream() const
{
    return qobject_cast<SimulatedUpstream *>(m_upstream);
}

void WidgetServer::setUpstream(Upstream *upstream)
{
    if (!upstream || upstream == m_upstream)
        return;
    // The old upstream drops its pending submissions unanswered when it goes: answer them here.
    auto pending = std::exchange(m_pendingSends, {});
    m_overdueSends.clear(); // their outcomes go with the old upstream
    std::unique_ptr<Upstream> previous(m_upstream);
    m_upstream = upstream;
    m_upstream->setParent(this);
    connectUpstream();
    previous.reset();
    for (auto &[key, waiters] : pending) {
        Q_UNUSED(key);
        for (PendingAnswer &waiter : waiters) {
            answerIfConnected(waiter.responder, waiter.socket, 503,
                HttpFront::errorBody(QStringLiteral("Upstream unavailable"), QStringLiteral("UPSTREAM_UNAVAILABLE")));
        }
    }
}

int WidgetServer::pendingSendCount() const
{
    int count = 0;
    for (const auto &[key, waiters] : m_pendingSends)
        count += int(waiters.size());
    return count;
}

void WidgetServer::connectUpstream()
{
    connect(m_upstream, &Upstream::statusReported, this,
        [this](const QString &tenant, const QString &conversation, const QString &id, const QString &status,
            const QString &error) { emitStatus(tenant, conversation, id, status, error); });
    connect(m_upstream, &Upstream::inboundReceived, this, &WidgetServer::storeInbound);
}

ConversationStore *WidgetServer::store() const
{
    return m_store.get();
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

QString WidgetServer::injectInbound(const QString &tenant, const QString &conversation, const QString &text)
{
    StoredMessage m {ServerIds::messageId(), true, text, {}, QDateTime::currentDateTimeUtc(), {}};
    if (!m_store->addMessage(tenant, conversation, m)) {
        qCWarning(lcServer) << "inbound message for an unknown conversation dropped";
        return {};
    }
    const QJsonObject payload {
        {QStringLiteral("messageId"), m.id},
        {QStringLiteral("text"), m.text},
        {QStringLiteral("mediaUrl"), QJsonValue(QJsonValue::Null)},
        {QStringLiteral("timestamp"), isoTime(m.timestamp)},
    };
    m_hub->emitToRoom(tenant, conversation, QStringLiteral("inbound_message"), payload);
    return m.id;
}

void WidgetServer::emitStatus(const QString &tenant, const QString &conversation, const QString &messageId,
    const QString &status, const QString &error)
{
    m_store->applyStatus(tenant, conversation, messageId, status, error); // a failed reply keeps its reason
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

void WidgetServer::setDemoInboundInterval(int ms)
{
    if (ms > 0)
        m_demoTimer->start(ms);
    else
        m_demoTimer->stop();
}

void WidgetServer::markDemoConversation(const QString &tenant, const QString &conversation)
{
    if (!m_demoConversations.contains(std::pair(tenant, conversation)))
        m_demoConversations.append({tenant, conversation});
}

void WidgetServer::injectDemoMessages()
{
    for (const auto &[tenant, conversation] : std::as_const(m_demoConversations))
        injectInbound(tenant, conversation, randomCustomerMessage());
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

ServerOperations *WidgetServer::operations() const
{
    return m_operations.get();
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
    m_demoTimer->stop();
    m_http->drain();
    // Transports, not sockets: a "41" would tell every console never to reconnect (CONTRACT.md §2), so a
    // restart would leave every agent without live events. Closed transports make them reconnect.
    m_hub->closeTransports(QStringLiteral("server shutting down"));
    QTimer::singleShot(std::max(0, graceMs), this, [this] { finishShutdown(true); });
    // Sessions and connections close in many places (a poll answered, a WebSocket close handshake):
    // checking a cheap condition often is simpler than tracking each.
    m_shutdownPoll = new QTimer(this);
    connect(m_shutdownPoll, &QTimer::timeout, this, [this] {
        if (m_http->openConnections() == 0 && m_hub->engine()->sessions().isEmpty())
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
    return m_sendRequests;
}

QStringList WidgetServer::acceptedMessageIds(const QString &tenant, const QString &conversation) const
{
    return m_store->acceptedMessageIds(tenant, conversation);
}

static QString bearerToken(const QHttpServerRequest &request)
{
    const QByteArray value = HttpFront::header(request, "Authorization");
    if (value.size() < 7 || value.first(7).toLower() != "bearer ")
        return {};
    return QString::fromUtf8(value.mid(7).trimmed());
}

// 401 for a token valid nowhere; a valid token is then checked against each request's tenant (mayAccess).
bool WidgetServer::authorized(const QHttpServerRequest &request) const
{
    return m_tokens->isKnown(bearerToken(request));
}

// A token that does not reach the tenant gets the same 404 as an unknown conversation: another
// tenant's conversations must not be found out by probing.
bool WidgetServer::mayAccess(const QHttpServerRequest &request, const QString &tenant) const
{
    return m_tokens->allows(bearerToken(request), tenant);
}

void WidgetServer::handleRequest(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    if (m_operations->handle(request, responder)) // /healthz, /metrics
        return;
    if (m_hub->engine()->handles(request.url()))
        return m_hub->engine()->handleHttp(request, std::move(responder)); // Engine.IO long-polling
    using Method = QHttpServerRequest::Method;
    const QStringList segments = pathSegments(request.url());
    const bool api
        = segments.size() >= 4 && segments.at(0) == u"api" && segments.at(1) == u"v1" && segments.at(2) == u"widget";
    enum class Route { None, Context, History, Send } route = Route::None;
    Method expected = Method::Get;
    if (api && segments.size() == 5 && segments.at(3) == u"context") {
        route = Route::Context;
    } else if (api && segments.size() == 6 && segments.at(3) == u"conversation" && segments.at(5) == u"history") {
        route = Route::History;
    } else if (api && segments.size() == 4 && segments.at(3) == u"send") {
        route = Route::Send;
        expected = Method::Post;
        ++m_sendRequests;
    }

    if (route == Route::None)
        return writeError(responder, 404, QStringLiteral("Not found"), QStringLiteral("NOT_FOUND"));
    if (request.method() != expected)
        return writeError(responder, 405, QStringLiteral("Method not allowed"), QStringLiteral("METHOD_NOT_ALLOWED"));
    if (!authorized(request))
        return writeError(responder, 401, QStringLiteral("Unauthorized"), QStringLiteral("UNAUTHORIZED"));
    QString claimedTenant = QString::fromUtf8(HttpFront::header(request, "X-Tenant-ID"));
    if (claimedTenant.isEmpty())
        claimedTenant = request.query().queryItemValue(QStringLiteral("tenantId"), QUrl::FullyDecoded);
    if (!claimedTenant.isEmpty() && mayAccess(request, claimedTenant))
        HttpFront::setTenant(responder, claimedTenant); // for the access log: a tenant the token reaches
    // HttpConnection refused a body over the cap before it arrived; this catches what slipped through.
    if (request.body().size() > m_http->maxBodyBytes())
        return writeError(
            responder, 413, QStringLiteral("Request body too large"), QStringLiteral("PAYLOAD_TOO_LARGE"));

    switch (route) {
    case Route::Context:
        return handleContext(request, responder, segments.at(4));
    case Route::History:
        return handleHistory(request, responder, segments.at(4));
    case Route::Send:
        return handleSend(request, responder);
    case Route::None:
        break;
    }
}

// The store logged the SQLite error; the client learns only that it was ours, not theirs.
static void writeStorageError(QHttpServerResponder &responder)
{
    writeError(responder, 500, QStringLiteral("Storage error"), QStringLiteral("STORAGE_ERROR"));
}

static void writeNotFound(QHttpServerResponder &responder)
{
    writeError(responder, 404, QStringLiteral("Conversation not found"), QStringLiteral("NOT_FOUND"));
}

static QString tenantOf(const QHttpServerRequest &request)
{
    const QByteArray header = HttpFront::header(request, "X-Tenant-ID");
    if (!header.isEmpty())
        return QString::fromUtf8(header);
    return request.query().queryItemValue(QStringLiteral("tenantId"), QUrl::FullyDecoded);
}

void WidgetServer::handleContext(
    const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &conversation)
{
    const QString tenant = tenantOf(request);
    if (tenant.isEmpty())
        return writeError(responder, 400, QStringLiteral("tenantId required"), QStringLiteral("MISSING_FIELD"));
    if (!mayAccess(request, tenant))
        return writeNotFound(responder);
    const auto customer = m_store->customer(tenant, conversation);
    if (!customer)
        return m_store->error().isEmpty() ? writeNotFound(responder) : writeStorageError(responder);
    HttpFront::writeJson(responder, 200,
        QJsonObject {
            {QStringLiteral("wa_id"), customer->waId},
            {QStringLiteral("integrationId"), m_integrationId},
            {QStringLiteral("tenantId"), tenant},
            {QStringLiteral("conversationId"), conversation},
            {QStringLiteral("customer"), QJsonObject {{QStringLiteral("name"), customer->name}}},
        });
}

void WidgetServer::handleHistory(
    const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &conversation)
{
    const QString tenant = tenantOf(request);
    if (tenant.isEmpty())
        return writeError(responder, 400, QStringLiteral("tenantId required"), QStringLiteral("MISSING_FIELD"));
    const QUrlQuery query = request.query();
    const auto number = [&query](const QString &key, int fallback, bool *ok) {
        const QString text = query.queryItemValue(key);
        return text.isEmpty() ? fallback : text.toInt(ok);
    };
    bool limitOk = true;
    bool offsetOk = true;
    const int limit = number(QStringLiteral("limit"), DefaultHistoryLimit, &limitOk);
    const int offset = number(QStringLiteral("offset"), 0, &offsetOk);
    if (!limitOk || !offsetOk || limit < 1 || offset < 0) {
        return writeError(responder, 400, QStringLiteral("limit must be a positive integer, offset a non-negative one"),
            QStringLiteral("INVALID_QUERY"));
    }
    if (!mayAccess(request, tenant))
        return writeNotFound(responder);
    if (!m_store->hasConversation(tenant, conversation))
        return m_store->error().isEmpty() ? writeNotFound(responder) : writeStorageError(responder);
    const ConversationStore::Page page
        = m_store->history(tenant, conversation, std::min(limit, MaxHistoryLimit), offset);
    if (!m_store->error().isEmpty())
        return writeStorageError(responder);
    QJsonArray messages;
    for (const StoredMessage &m : page.messages)
        messages.append(messageJson(m));
    HttpFront::writeJson(
        responder, 200, QJsonObject {{QStringLiteral("messages"), messages}, {QStringLiteral("total"), page.total}});
}

void WidgetServer::handleSend(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    const auto parsed = parseSendRequest(request.body(), QString::fromUtf8(HttpFront::header(request, "X-Tenant-ID")));
    if (const auto *error = std::get_if<SendRequestError>(&parsed))
        return writeError(responder, 400, error->message, error->code);
    if (!m_operations->admitSend(request, responder)) // 429 over the token's rate
        return;
    SendRequest send = std::get<SendRequest>(parsed);
    if (!mayAccess(request, send.tenantId))
        return writeNotFound(responder);
    if (!m_store->hasConversation(send.tenantId, send.conversationId))
        return m_store->error().isEmpty() ? writeNotFound(responder) : writeStorageError(responder);
    if (send.messageId.isEmpty())
        send.messageId = ServerIds::messageId(); // the seed's server makes one; CONTRACT.md §4
    emit sendReceived(send.messageId);

    const QString &tenant = send.tenantId;
    const QString &conversation = send.conversationId;
    // Idempotency (CONTRACT.md §1): a repeat is answered from the record and forwarded nowhere,
    // unless the upstream failed the message: then the repeat is the agent's Retry and goes out again.
    // With several instances on one data dir the record is shared, so this holds across instances.
    const std::optional<QString> known = m_store->acceptedId(tenant, conversation, send.messageId);
    const std::optional<StoredMessage> stored = known ? m_store->message(tenant, conversation, *known) : std::nullopt;
    if (!m_store->error().isEmpty())
        return writeStorageError(responder);
    if (known && !(stored && stored->status == u"failed")) {
        m_operations->countDeduplicatedSend();
        return HttpFront::writeJson(responder, 200, sendAccepted(*known));
    }

    // A repeat that arrives while the first request still waits for the upstream (the console's retry
    // after a timeout) waits for the same answer instead of going out twice.
    const QString key = tenant + QChar(0) + conversation + QChar(0) + send.messageId;
    // The same after the first request was answered 503 for want of a confirm: the upstream still holds
    // the reply, so the repeat gets 503 again (the console retries with backoff) and nothing goes out.
    if (m_overdueSends.count(key) > 0) {
        return HttpFront::writeJson(responder, 503,
            HttpFront::errorBody(QStringLiteral("Upstream unavailable: the reply still awaits the upstream's answer"),
                QStringLiteral("UPSTREAM_UNAVAILABLE")));
    }
    std::vector<PendingAnswer> &waiters = m_pendingSends[key];
    QTcpSocket *socket = responder.socket();
    waiters.push_back(PendingAnswer {std::move(responder), socket});
    if (waiters.size() > 1)
        return;
    const OutboundMessage message {tenant, conversation, known ? *known : m_upstream->idFor(send.messageId),
        send.messageId, send.integrationId, send.text, send.mediaUrl, QDateTime::currentDateTimeUtc()};
    // The completion may run inside submit() (the simulation) or later (a broker's confirm); the upstream
    // is our child and drops pending completions when it goes, so `this` outlives every call.
    m_upstream->submit(message, [this, key, message, resend = known.has_value()](const auto &rejection) {
        finishSend(key, message, resend, rejection);
    });
}

void WidgetServer::finishSend(
    const QString &key, const OutboundMessage &message, bool resend, const std::optional<UpstreamRejection> &rejection)
{
    // The final outcome of a reply whose POSTs were answered 503 already: nobody waits, but an acceptance
    // is still recorded (the reply went out), so the console's next retry is answered from the record.
    const bool overdue = m_overdueSends.erase(key) > 0;
    auto node = m_pendingSends.extract(key);
    if (node.empty() && !overdue)
        return; // answered already (setUpstream() replaced the upstream meanwhile)
    std::vector<PendingAnswer> waiters;
    if (!node.empty())
        waiters = std::move(node.mapped());
    if (rejection) {
        for (PendingAnswer &waiter : waiters) {
            answerIfConnected(waiter.responder, waiter.socket, rejection->httpStatus,
                HttpFront::errorBody(rejection->message, rejection->code), rejection->retryAfterSeconds);
        }
        if (!rejection->settled)
            m_overdueSends.insert(key);
        return;
    }
    const QString &tenant = message.tenantId;
    const QString &conversation = message.conversationId;
    QString id = message.id;
    if (resend) {
        // Only from "failed": a "delivered"/"read" that came in while the reply was out again stays.
        m_store->reviveFailed(tenant, conversation, id);
    } else {
        // One transaction on the shared record: when another instance on the same data dir accepted the
        // same messageId meanwhile, its id is the answer here too.
        const StoredMessage reply {
            id, false, message.text, message.mediaUrl, message.timestamp, QStringLiteral("sent")};
        if (const auto accepted = m_store->acceptSend(tenant, conversation, message.clientMessageId, reply))
            id = accepted->id;
    }
    if (!m_store->error().isEmpty()) {
        for (PendingAnswer &waiter : waiters) {
            answerIfConnected(waiter.responder, waiter.socket, 500,
                HttpFront::errorBody(QStringLiteral("Storage error"), QStringLiteral("STORAGE_ERROR")));
        }
        return;
    }
    for (PendingAnswer &waiter : waiters)
        answerIfConnected(waiter.responder, waiter.socket, 200, sendAccepted(id));
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
