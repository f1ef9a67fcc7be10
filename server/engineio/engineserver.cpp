#include "engineserver.h"

#include "enginesession.h"
#include "httpconnection.h"
#include "identifiers.h"
#include "pollingsessiontransport.h"
#include "serverlog.h"
#include "websocketsessiontransport.h"

#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

QString withoutTrailingSlash(const QString &path)
{
    return path.endsWith(u'/') ? path.chopped(1) : path;
}

} // namespace

EngineServer::EngineServer(const QString &path, QObject *parent)
    : QObject(parent)
    , m_path(withoutTrailingSlash(path))
{
}

EngineServer::~EngineServer()
{
    // Before the clock (a member): a session's destructor cancels its deadline.
    const QList<EngineSession *> sessions = findChildren<EngineSession *>(Qt::FindDirectChildrenOnly);
    qDeleteAll(sessions);
}

void EngineServer::setSettings(const EngineSettings &settings)
{
    m_settings = settings;
    m_settings.pingInterval = std::max(1, settings.pingInterval);
    m_settings.pingTimeout = std::max(1, settings.pingTimeout);
    m_settings.maxPayload = std::max(1, settings.maxPayload);
}

void EngineServer::setPingsSuspended(bool suspended)
{
    m_settings.pingsSuspended = suspended;
    for (EngineSession *session : std::as_const(m_sessions))
        session->setPingsSuspended(suspended);
}

void EngineServer::setHandshakeFilter(std::function<bool(const QUrlQuery &)> filter)
{
    m_handshakeFilter = std::move(filter);
}

void EngineServer::setMaxSessionsPerAddress(int sessions)
{
    m_maxSessionsPerAddress = std::max(0, sessions);
}

bool EngineServer::admits(const QHostAddress &peer) const
{
    return m_maxSessionsPerAddress <= 0 || m_sessionsPerAddress.value(peer) < m_maxSessionsPerAddress;
}

bool EngineServer::handles(const QUrl &url) const
{
    return withoutTrailingSlash(url.path()) == m_path;
}

HttpFront::HeaderList EngineServer::corsHeaders(const QHttpServerRequest &request)
{
    // The web widget runs on the customer's site and polls with credentials: echo its Origin (a
    // wildcard is not allowed together with credentials), as socket.io's cors {origin: true} does.
    const QByteArray origin = HttpFront::header(request, "Origin");
    if (origin.isEmpty())
        return {};
    return {{"Access-Control-Allow-Origin", origin}, {"Access-Control-Allow-Credentials", "true"}, {"Vary", "Origin"}};
}

void EngineServer::writeError(QHttpServerResponder &responder, Error error, const HttpFront::HeaderList &headers)
{
    static const char *const messages[] = {"Transport unknown", "Session ID unknown", "Bad handshake method",
        "Bad request", "Forbidden", "Unsupported protocol version"};
    const QByteArray body = QByteArrayLiteral("{\"code\":") + QByteArray::number(int(error))
        + QByteArrayLiteral(",\"message\":\"") + messages[int(error)] + QByteArrayLiteral("\"}");
    HttpFront::HeaderList all = headers;
    all.emplaceBack("Content-Type", "application/json");
    HttpFront::write(responder, error == Error::Forbidden ? 403 : 400, body, all);
}

void EngineServer::handleHttp(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    using Method = QHttpServerRequest::Method;
    HttpFront::HeaderList cors = corsHeaders(request);
    if (request.method() == Method::Options) {
        // CORS preflight of the widget's POST (it sends Content-Type text/plain plus its own headers).
        cors.emplaceBack("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        const QByteArray asked = HttpFront::header(request, "Access-Control-Request-Headers");
        if (!asked.isEmpty())
            cors.emplaceBack("Access-Control-Allow-Headers", asked);
        cors.emplaceBack("Access-Control-Max-Age", "600");
        HttpFront::write(responder, 204, {}, cors);
        return;
    }
    const QUrlQuery query(request.url());
    if (query.queryItemValue(QStringLiteral("EIO")) != u"4")
        return writeError(responder, Error::BadVersion, cors);
    if (query.queryItemValue(QStringLiteral("transport")) != u"polling")
        return writeError(responder, Error::UnknownTransport, cors);

    const QString sid = query.queryItemValue(QStringLiteral("sid"));
    if (sid.isEmpty()) {
        if (request.method() != Method::Get)
            return writeError(responder, Error::BadHandshakeMethod, cors);
        if (m_handshakeFilter && !m_handshakeFilter(query))
            return writeError(responder, Error::Forbidden, cors);
        const QHostAddress peer = HttpConnection::normalized(request.remoteAddress());
        if (!admits(peer)) {
            cors.emplaceBack("Content-Type", "application/json");
            cors.emplaceBack("Retry-After", "1");
            const QJsonObject error = HttpFront::errorBody(
                QStringLiteral("Too many connections from your address"), QStringLiteral("TOO_MANY_CONNECTIONS"));
            return HttpFront::write(responder, 429, QJsonDocument(error).toJson(QJsonDocument::Compact), cors);
        }
        auto *transport = new PollingSessionTransport(m_settings.maxPayload);
        open(transport, query, peer);
        transport->onPoll(std::move(responder), cors); // answered with the open packet
        return;
    }
    EngineSession *session = m_sessions.value(sid);
    if (session)
        session->closeIfOverdue();
    if (!session || !(session->isOpen() || session->isDraining()))
        return writeError(responder, Error::UnknownSid, cors);
    PollingSessionTransport *polling = session->polling();
    if (!polling) // upgraded: polling requests for this sid are refused, the session goes on
        return writeError(responder, Error::BadRequest, cors);
    if (request.method() == Method::Get)
        polling->onPoll(std::move(responder), cors);
    else if (request.method() == Method::Post)
        polling->onData(request.body(), std::move(responder), cors);
    else
        writeError(responder, Error::BadRequest, cors);
}

bool EngineServer::acceptsUpgrade(const QUrl &url) const
{
    const QUrlQuery query(url);
    if (!handles(url) || query.queryItemValue(QStringLiteral("EIO")) != u"4"
        || query.queryItemValue(QStringLiteral("transport")) != u"websocket")
        return false;
    // A sid names a session to upgrade; whether that can happen is decided on the open socket.
    return query.hasQueryItem(QStringLiteral("sid")) || !m_handshakeFilter || m_handshakeFilter(query);
}

void EngineServer::acceptWebSocket(std::unique_ptr<WebSocketConnection> connection)
{
    if (!connection || !connection->isOpen())
        return;
    const QUrlQuery query(connection->requestUrl());
    const QString sid = query.queryItemValue(QStringLiteral("sid"));
    EngineSession *session = sid.isEmpty() ? nullptr : m_sessions.value(sid);
    if (session)
        session->closeIfOverdue();
    // Like engine.io, close a probe for an unknown, upgraded or already upgrading session.
    const bool valid = sid.isEmpty() ? acceptsUpgrade(connection->requestUrl()) : session && session->canUpgrade();
    if (!valid) {
        qCInfo(lcServer) << "closing a WebSocket for" << connection->requestUrl().path() << "that cannot be served";
        return refuseWebSocket(std::move(connection), QStringLiteral("unsupported URL or session"));
    }
    const QHostAddress peer = connection->peerAddress();
    if (!session && !admits(peer)) {
        qCInfo(lcServer) << "closing a WebSocket: too many sessions from one address";
        return refuseWebSocket(std::move(connection), QStringLiteral("too many connections"));
    }
    auto *transport = new WebSocketSessionTransport(std::move(connection), m_settings.maxPayload, m_settings.framePacingMs);
    if (session)
        session->beginUpgrade(transport);
    else
        open(transport, query, peer);
}

// After its handshake: closed with 1008, and gone once closed.
void EngineServer::refuseWebSocket(std::unique_ptr<WebSocketConnection> connection, const QString &reason)
{
    auto *transport = new WebSocketSessionTransport(std::move(connection), m_settings.maxPayload, 0, this);
    connect(transport, &SessionTransport::closed, transport, &QObject::deleteLater);
    transport->closeWithCode(WebSocketConnection::ClosePolicyViolated, reason);
}

void EngineServer::open(SessionTransport *transport, const QUrlQuery &query, const QHostAddress &peer)
{
    auto *session = new EngineSession(ServerIds::sessionId(), m_settings, query, transport, &m_clock, this);
    m_sessions.insert(session->id(), session);
    ++m_sessionsPerAddress[peer];
    connect(session, &EngineSession::closed, this, [this, id = session->id(), peer] {
        m_sessions.remove(id);
        if (--m_sessionsPerAddress[peer] <= 0)
            m_sessionsPerAddress.remove(peer);
    });
    session->open();
    emit connection(session);
}
