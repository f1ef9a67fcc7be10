#include "restapi.h"

#include "cannedresponsetable.h"
#include "conversationstore.h"
#include "engineserver.h"
#include "httpfront.h"
#include "identifiers.h"
#include "mediadesk.h"
#include "senddesk.h"
#include "sendrequest.h"
#include "serverjson.h"
#include "serveroperations.h"
#include "tokenregistry.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QUrlQuery>

namespace {

constexpr int DefaultHistoryLimit = 20;
constexpr int MaxHistoryLimit = 100;

// `origin` makes a mediaUrl stored as a path (the demo's photo) absolute; `media`: its fields (CONTRACT.md §5).
QJsonObject messageJson(const StoredMessage &m, const QString &origin, const QJsonObject &media)
{
    QJsonObject json {
        {QStringLiteral("id"), m.id},
        {QStringLiteral("direction"), m.inbound ? QStringLiteral("inbound") : QStringLiteral("outbound")},
        {QStringLiteral("text"), m.text},
        {QStringLiteral("mediaUrl"), stringOrNull(m.mediaUrl.startsWith(u'/') ? origin + m.mediaUrl : m.mediaUrl)},
        {QStringLiteral("timestamp"), isoTime(m.timestamp)},
        {QStringLiteral("status"), stringOrNull(m.status)},
    };
    for (auto it = media.begin(); it != media.end(); ++it)
        json.insert(it.key(), it.value());
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

} // namespace

RestApi::RestApi(const Parts &parts, QObject *parent)
    : QObject(parent)
    , m_parts(parts)
{
}

static QString bearerToken(const QHttpServerRequest &request)
{
    return TokenRegistry::bearer(HttpFront::header(request, "Authorization"));
}

// 401 for a token valid nowhere; a valid token is then checked against each request's tenant (mayAccess).
bool RestApi::authorized(const QHttpServerRequest &request) const
{
    return m_parts.tokens->isKnown(bearerToken(request));
}

// A token that does not reach the tenant gets the same 404 as an unknown conversation: another
// tenant's conversations must not be found out by probing.
bool RestApi::mayAccess(const QHttpServerRequest &request, const QString &tenant) const
{
    return m_parts.tokens->allows(bearerToken(request), tenant);
}


void RestApi::handle(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    if (m_parts.operations->handle(request, responder)) // /healthz, /metrics
        return;
    if (m_parts.engine->handles(request.url()))
        return m_parts.engine->handleHttp(request, std::move(responder)); // Engine.IO long-polling
    using Method = QHttpServerRequest::Method;
    const QStringList segments = pathSegments(request.url());
    const bool api
        = segments.size() >= 4 && segments.at(0) == u"api" && segments.at(1) == u"v1" && segments.at(2) == u"widget";
    enum class Route { None, Context, History, Send, Canned, Upload, Media } route = Route::None;
    Method expected = Method::Get;
    if (api && segments.size() == 5 && segments.at(3) == u"context") {
        route = Route::Context;
    } else if (api && segments.size() == 6 && segments.at(3) == u"conversation" && segments.at(5) == u"history") {
        route = Route::History;
    } else if (api && segments.size() == 4 && segments.at(3) == u"send") {
        route = Route::Send;
        expected = Method::Post;
        ++m_sendRequests;
    } else if (api && segments.size() == 4 && segments.at(3) == u"canned-responses") {
        route = Route::Canned;
    } else if (api && segments.size() == 4 && segments.at(3) == u"upload") {
        route = Route::Upload;
        expected = Method::Post;
    } else if (api && segments.size() == 5 && segments.at(3) == u"media") {
        route = Route::Media;
    }

    if (route == Route::None)
        return HttpFront::writeError(responder, 404, QStringLiteral("Not found"), QStringLiteral("NOT_FOUND"));
    if (request.method() != expected)
        return HttpFront::writeError(responder, 405, QStringLiteral("Method not allowed"), QStringLiteral("METHOD_NOT_ALLOWED"));
    if (!authorized(request))
        return HttpFront::writeError(responder, 401, QStringLiteral("Unauthorized"), QStringLiteral("UNAUTHORIZED"));
    QString claimedTenant = QString::fromUtf8(HttpFront::header(request, "X-Tenant-ID"));
    if (claimedTenant.isEmpty())
        claimedTenant = request.query().queryItemValue(QStringLiteral("tenantId"), QUrl::FullyDecoded);
    if (!claimedTenant.isEmpty() && mayAccess(request, claimedTenant))
        HttpFront::setTenant(responder, claimedTenant); // for the access log: a tenant the token reaches
    // HttpConnection refused a body over the cap before it arrived; this catches what slipped through.
    const qint64 cap = route == Route::Upload ? m_parts.media->maxUploadBytes() + MediaDesk::MultipartOverheadBytes
                                              : m_parts.http->maxBodyBytes();
    if (request.body().size() > cap && route == Route::Upload)
        return HttpFront::writeError(
            responder, 413, QStringLiteral("Request body too large"), QStringLiteral("MEDIA_TOO_LARGE"));
    if (request.body().size() > cap)
        return HttpFront::writeError(
            responder, 413, QStringLiteral("Request body too large"), QStringLiteral("PAYLOAD_TOO_LARGE"));

    switch (route) {
    case Route::Context:
        return handleContext(request, responder, segments.at(4));
    case Route::History:
        return handleHistory(request, responder, segments.at(4));
    case Route::Send:
        return handleSend(request, responder);
    case Route::Canned:
        return handleCanned(request, responder);
    case Route::Upload:
    case Route::Media:
        return handleMedia(request, responder, route == Route::Media ? segments.at(4) : QString());
    case Route::None:
        break;
    }
}

// The store logged the database error; the client learns only that it was ours, not theirs.
static void writeStorageError(QHttpServerResponder &responder, const ConversationStore &store)
{
    const StorageErrorReply reply = storageErrorReply(store.unavailable());
    HttpFront::writeError(responder, reply.status, reply.message, reply.code);
}

static void writeNotFound(QHttpServerResponder &responder)
{
    HttpFront::writeError(responder, 404, QStringLiteral("Conversation not found"), QStringLiteral("NOT_FOUND"));
}

static QString tenantOf(const QHttpServerRequest &request)
{
    const QByteArray header = HttpFront::header(request, "X-Tenant-ID");
    if (!header.isEmpty())
        return QString::fromUtf8(header);
    return request.query().queryItemValue(QStringLiteral("tenantId"), QUrl::FullyDecoded);
}

void RestApi::handleContext(
    const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &conversation)
{
    ConversationStore &store = m_parts.store();
    const QString tenant = tenantOf(request);
    if (tenant.isEmpty())
        return HttpFront::writeError(responder, 400, QStringLiteral("tenantId required"), QStringLiteral("MISSING_FIELD"));
    if (!mayAccess(request, tenant))
        return writeNotFound(responder);
    const auto customer = store.customer(tenant, conversation);
    if (!customer)
        return store.error().isEmpty() ? writeNotFound(responder) : writeStorageError(responder, store);
    HttpFront::writeJson(responder, 200,
        QJsonObject {
            {QStringLiteral("wa_id"), customer->waId},
            {QStringLiteral("integrationId"), m_integrationId},
            {QStringLiteral("tenantId"), tenant},
            {QStringLiteral("conversationId"), conversation},
            {QStringLiteral("customer"), QJsonObject {{QStringLiteral("name"), customer->name}}},
        });
}

void RestApi::handleHistory(
    const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &conversation)
{
    ConversationStore &store = m_parts.store();
    const QString tenant = tenantOf(request);
    if (tenant.isEmpty())
        return HttpFront::writeError(responder, 400, QStringLiteral("tenantId required"), QStringLiteral("MISSING_FIELD"));
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
        return HttpFront::writeError(responder, 400, QStringLiteral("limit must be a positive integer, offset a non-negative one"),
            QStringLiteral("INVALID_QUERY"));
    }
    if (!mayAccess(request, tenant))
        return writeNotFound(responder);
    if (!store.hasConversation(tenant, conversation))
        return store.error().isEmpty() ? writeNotFound(responder) : writeStorageError(responder, store);
    const ConversationStore::Page page
        = store.history(tenant, conversation, std::min(limit, MaxHistoryLimit), offset);
    if (!store.error().isEmpty())
        return writeStorageError(responder, store);
    QJsonArray messages;
    const QString origin = MediaDesk::originOf(request);
    for (const StoredMessage &m : page.messages)
        messages.append(messageJson(m, origin, m.mediaUrl.isEmpty() ? QJsonObject() : m_parts.media->describe(tenant, m.mediaUrl)));
    HttpFront::writeJson(
        responder, 200, QJsonObject {{QStringLiteral("messages"), messages}, {QStringLiteral("total"), page.total}});
}

void RestApi::handleSend(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    const auto parsed = parseSendRequest(request.body(), QString::fromUtf8(HttpFront::header(request, "X-Tenant-ID")));
    if (const auto *error = std::get_if<SendRequestError>(&parsed))
        return HttpFront::writeError(responder, 400, error->message, error->code);
    if (!m_parts.operations->admitSend(request, responder)) // 429 over the token's rate
        return;
    SendRequest send = std::get<SendRequest>(parsed);
    if (!mayAccess(request, send.tenantId))
        return writeNotFound(responder);
    ConversationStore &store = m_parts.store();
    if (!store.hasConversation(send.tenantId, send.conversationId))
        return store.error().isEmpty() ? writeNotFound(responder) : writeStorageError(responder, store);
    if (send.messageId.isEmpty())
        send.messageId = ServerIds::messageId(); // the seed's server makes one; CONTRACT.md §4
    emit sendReceived(send.messageId);
    m_parts.sends->send(send, responder);
}

// CONTRACT.md §6: the list of the tenant the request names, which the token must reach.
void RestApi::handleCanned(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    const QString tenant = tenantOf(request);
    if (tenant.isEmpty())
        return HttpFront::writeError(
            responder, 400, QStringLiteral("tenantId required"), QStringLiteral("MISSING_FIELD"));
    if (!mayAccess(request, tenant))
        return HttpFront::writeError(responder, 404, QStringLiteral("Not found"), QStringLiteral("NOT_FOUND"));
    QJsonArray list;
    const QList<CannedResponseTable::Entry> entries
        = m_parts.canned ? m_parts.canned->forTenant(tenant) : QList<CannedResponseTable::Entry>();
    for (const CannedResponseTable::Entry &entry : entries) {
        list.append(QJsonObject {{QStringLiteral("id"), entry.id}, {QStringLiteral("shortCode"), entry.shortCode},
            {QStringLiteral("content"), entry.content}});
    }
    HttpFront::writeJson(responder, 200, QJsonObject {{QStringLiteral("cannedResponses"), list}});
}

// An upload (no id) or a GET of one media file; the media desk checks the rest.
void RestApi::handleMedia(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &id)
{
    const QString tenant = tenantOf(request);
    if (tenant.isEmpty())
        return HttpFront::writeError(responder, 400, QStringLiteral("tenantId required"), QStringLiteral("MISSING_FIELD"));
    if (!mayAccess(request, tenant))
        return id.isNull() ? writeNotFound(responder)
                           : HttpFront::writeError(responder, 404, QStringLiteral("Media not found"), QStringLiteral("NOT_FOUND"));
    if (id.isNull())
        return m_parts.media->handleUpload(request, responder, tenant, m_parts.store());
    m_parts.media->handleMedia(responder, tenant, id);
}
