#include "widgetserver.h"

#include "demoseed.h"
#include "engineserver.h"
#include "httpfront.h"
#include "identifiers.h"
#include "sendrequest.h"
#include "serverlog.h"
#include "simulatedupstream.h"
#include "sockethub.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

Q_LOGGING_CATEGORY(lcServer, "agentconsole.server", QtInfoMsg)

namespace {

// A reply is one chat message: 64 KiB is far above any real one and keeps a hostile client from
// making us parse megabytes of JSON.
constexpr qsizetype MaxBodyBytes = 64 * 1024;
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
    connect(m_hub, &SocketHub::socketJoined, this, &WidgetServer::socketConnected);
    connect(m_hub, &SocketHub::socketLeft, this, &WidgetServer::socketDisconnected);
    connect(m_upstream, &SimulatedUpstream::statusReported, this,
        [this](const QString &tenant, const QString &conversation, const QString &id, const QString &status) {
            emitStatus(tenant, conversation, id, status);
        });
    connect(m_demoTimer, &QTimer::timeout, this, &WidgetServer::injectDemoMessages);
}

WidgetServer::~WidgetServer() = default;

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
    m_token = token;
    m_hub->setToken(token);
}

void WidgetServer::setIntegrationId(const QString &id)
{
    m_integrationId = id;
}

SimulatedUpstream *WidgetServer::upstream() const
{
    return m_upstream;
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
    m_store->applyStatus(tenant, conversation, messageId, status);
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
}

void WidgetServer::setStrictProtocol(bool strict)
{
    m_hub->setStrictProtocol(strict);
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

bool WidgetServer::authorized(const QHttpServerRequest &request) const
{
    const QByteArray value = HttpFront::header(request, "Authorization");
    if (value.size() < 7 || value.first(7).toLower() != "bearer ")
        return false;
    return ServerIds::tokensEqual(m_token, QString::fromUtf8(value.mid(7).trimmed()));
}

void WidgetServer::handleRequest(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
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
    // Qt 6.4 has read the whole body already (PLATFORM.md); the cap still spares the JSON parser.
    if (request.body().size() > MaxBodyBytes)
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
    const auto customer = m_store->customer(tenant, conversation);
    if (!customer)
        return writeError(responder, 404, QStringLiteral("Conversation not found"), QStringLiteral("NOT_FOUND"));
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
    if (!m_store->hasConversation(tenant, conversation))
        return writeError(responder, 404, QStringLiteral("Conversation not found"), QStringLiteral("NOT_FOUND"));
    const ConversationStore::Page page
        = m_store->history(tenant, conversation, std::min(limit, MaxHistoryLimit), offset);
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
    SendRequest send = std::get<SendRequest>(parsed);
    if (!m_store->hasConversation(send.tenantId, send.conversationId))
        return writeError(responder, 404, QStringLiteral("Conversation not found"), QStringLiteral("NOT_FOUND"));
    if (send.messageId.isEmpty())
        send.messageId = ServerIds::messageId(); // the seed's server makes one; CONTRACT.md §4
    emit sendReceived(send.messageId);

    if (const auto failure = m_upstream->takeFailure()) {
        return HttpFront::writeJson(responder, failure->httpStatus,
            HttpFront::errorBody(QStringLiteral("Upstream error (simulated)"), QStringLiteral("UPSTREAM_ERROR")),
            failure->retryAfterSeconds);
    }
    const auto ok = [](const QString &id) {
        return QJsonObject {{QStringLiteral("success"), true}, {QStringLiteral("messageId"), id}};
    };
    const QString &tenant = send.tenantId;
    const QString &conversation = send.conversationId;
    // Idempotency (CONTRACT.md §1): a repeat is answered from the record and forwarded nowhere,
    // unless the upstream failed the message: then the repeat is the agent's Retry and goes out again.
    const std::optional<QString> known = m_store->acceptedId(tenant, conversation, send.messageId);
    const std::optional<StoredMessage> stored = known ? m_store->message(tenant, conversation, *known) : std::nullopt;
    if (known && !(stored && stored->status == u"failed"))
        return HttpFront::writeJson(responder, 200, ok(*known));
    if (m_upstream->isDown())
        return writeError(responder, 503, QStringLiteral("Upstream unavailable"), QStringLiteral("UPSTREAM_DOWN"));

    QString id;
    if (known) {
        id = *known;
        m_store->resetStatus(tenant, conversation, id, QStringLiteral("sent"));
    } else {
        id = m_upstream->idFor(send.messageId);
        m_store->addMessage(tenant, conversation,
            StoredMessage {
                id, false, send.text, send.mediaUrl, QDateTime::currentDateTimeUtc(), QStringLiteral("sent")});
        m_store->recordAccepted(tenant, conversation, send.messageId, id);
    }
    HttpFront::writeJson(responder, 200, ok(id));
    m_upstream->forward(tenant, conversation, id); // status_update "sent" follows the 200
}
