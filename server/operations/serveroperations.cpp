#include "serveroperations.h"

#include "engineserver.h"
#include "enginesession.h"
#include "httpconnection.h"
#include "httpfront.h"

#include <QCryptographicHash>
#include <QHttpServerRequest>
#include <QHttpServerResponder>

namespace {

namespace Names {
constexpr char Requests[] = "widget_server_http_requests_total";
constexpr char SendsAccepted[] = "widget_server_sends_accepted_total";
constexpr char SendsDeduplicated[] = "widget_server_sends_deduplicated_total";
constexpr char SendsRateLimited[] = "widget_server_sends_rate_limited_total";
constexpr char Sockets[] = "widget_server_sockets_connected";
constexpr char Sessions[] = "widget_server_engine_sessions";
constexpr char Uptime[] = "widget_server_uptime_seconds";
constexpr char StartTime[] = "process_start_time_seconds";
} // namespace Names

QString statusClass(int status)
{
    return QString::number(std::clamp(status / 100, 1, 5)) + QStringLiteral("xx");
}

} // namespace

ServerOperations::ServerOperations(
    std::function<Health()> health, std::function<int()> sockets, const EngineServer *engine)
    : m_health(std::move(health))
    , m_sendLimiter(0, 20) // off in-process (demo, tests, benchmarks); widget-server sets --send-rate
{
    using Type = Metrics::Type;
    m_metrics.declare(Names::Requests, Type::Counter,
        QStringLiteral("HTTP requests answered, by method, route and status class (499: the client left)."));
    m_metrics.declare(
        Names::SendsAccepted, Type::Counter, QStringLiteral("POST /send answered 200, deduplicated repeats included."));
    m_metrics.declare(Names::SendsDeduplicated, Type::Counter,
        QStringLiteral("POST /send repeats answered from the idempotency record."));
    m_metrics.declare(Names::SendsRateLimited, Type::Counter,
        QStringLiteral("POST /send refused by the per-token rate limit (429)."));
    m_metrics.declareRead(Names::Sockets, Type::Gauge, QStringLiteral("Socket.IO sockets connected now."), [sockets] {
        return QList<Metrics::Sample> {{{}, double(sockets())}};
    });
    m_metrics.declareRead(
        Names::Sessions, Type::Gauge, QStringLiteral("Open Engine.IO sessions by transport."), [engine] {
            double polling = 0;
            double websocket = 0;
            const QList<EngineSession *> sessions = engine->sessions();
            for (const EngineSession *session : sessions)
                (session->transportName() == u"websocket" ? websocket : polling) += 1;
            return QList<Metrics::Sample> {{{{"transport", QStringLiteral("polling")}}, polling},
                {{{"transport", QStringLiteral("websocket")}}, websocket}};
        });
    m_metrics.declareRead(Names::Uptime, Type::Gauge, QStringLiteral("Seconds since the server started."), [this] {
        return QList<Metrics::Sample> {{{}, double(m_started.msecsTo(QDateTime::currentDateTimeUtc())) / 1000.0}};
    });
    m_metrics.declareRead(Names::StartTime, Type::Gauge,
        QStringLiteral("Start time of the process since the Unix epoch in seconds."), [this] {
            return QList<Metrics::Sample> {{{}, double(m_started.toMSecsSinceEpoch() / 1000)}};
        });
    m_metricsAllowed = {
        QHostAddress::parseSubnet(QStringLiteral("127.0.0.0/8")), QHostAddress::parseSubnet(QStringLiteral("::1/128"))};
}

QString ServerOperations::routeOf(const QString &path)
{
    static const QList<std::pair<QString, QString>> prefixes {
        {QStringLiteral("/api/v1/widget/send"), QStringLiteral("send")},
        {QStringLiteral("/api/v1/widget/context/"), QStringLiteral("context")},
        {QStringLiteral("/api/v1/widget/conversation/"), QStringLiteral("history")},
        {QStringLiteral("/api/v1/widget/upload"), QStringLiteral("upload")},
        {QStringLiteral("/api/v1/widget/media/"), QStringLiteral("media")},
        {QStringLiteral("/socket.io"), QStringLiteral("socket.io")},
        {QStringLiteral("/healthz"), QStringLiteral("healthz")},
        {QStringLiteral("/metrics"), QStringLiteral("metrics")},
    };
    for (const auto &[prefix, route] : prefixes) {
        if (path.startsWith(prefix))
            return route;
    }
    return QStringLiteral("other");
}

QByteArray ServerOperations::tokenKey(const QHttpServerRequest &request)
{
    const QByteArray value = HttpFront::header(request, "Authorization");
    const QByteArray token = value.size() > 7 ? value.mid(7).trimmed() : QByteArray();
    return QCryptographicHash::hash(token, QCryptographicHash::Sha256).left(16);
}

bool ServerOperations::metricsAllowedFor(const QHostAddress &peer) const
{
    for (const auto &[network, prefix] : m_metricsAllowed) {
        if (peer.isInSubnet(network, prefix))
            return true;
    }
    return false;
}

bool ServerOperations::handle(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    using Method = QHttpServerRequest::Method;
    const QString path = request.url().path();
    const bool health = path == u"/healthz";
    const bool metrics = path == u"/metrics";
    if (!health && !metrics)
        return false;
    if (metrics && !metricsAllowedFor(HttpConnection::normalized(request.remoteAddress()))) {
        HttpFront::writeJson(
            responder, 404, HttpFront::errorBody(QStringLiteral("Not found"), QStringLiteral("NOT_FOUND")));
        return true;
    }
    if (request.method() != Method::Get && request.method() != Method::Head) {
        HttpFront::writeJson(responder, 405,
            HttpFront::errorBody(QStringLiteral("Method not allowed"), QStringLiteral("METHOD_NOT_ALLOWED")));
        return true;
    }
    if (health) {
        // Each part on its own, so whoever watches sees which one is down (database or broker).
        const Health report = m_health ? m_health() : Health {};
        QJsonObject checks;
        for (const Check &check : report.checks) {
            QJsonObject part {{QStringLiteral("status"), check.status}};
            if (!check.detail.isEmpty())
                part.insert(check.status == u"ok" ? QStringLiteral("backend") : QStringLiteral("reason"), check.detail);
            checks.insert(check.name, part);
        }
        QJsonObject body {{QStringLiteral("status"), report.problem.isEmpty() ? QStringLiteral("ok") : QStringLiteral("unavailable")},
            {QStringLiteral("checks"), checks}};
        if (!report.problem.isEmpty())
            body.insert(QStringLiteral("reason"), report.problem);
        HttpFront::writeJson(responder, report.problem.isEmpty() ? 200 : 503, body);
        return true;
    }
    HttpFront::write(responder, 200, m_metrics.render(),
        {{"Content-Type", "text/plain; version=0.0.4; charset=utf-8"}, {"Cache-Control", "no-store"}});
    return true;
}

bool ServerOperations::admitSend(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    const RateLimiter::Decision decision = m_sendLimiter.take(tokenKey(request));
    if (decision.allowed)
        return true;
    m_metrics.add(Names::SendsRateLimited);
    HttpFront::writeJson(responder, 429,
        HttpFront::errorBody(QStringLiteral("Too many messages; retry later"), QStringLiteral("RATE_LIMITED")),
        decision.retryAfterSeconds);
    return false;
}

void ServerOperations::countDeduplicatedSend()
{
    m_metrics.add(Names::SendsDeduplicated);
}

void ServerOperations::observe(const HttpExchange &exchange)
{
    const QString route = routeOf(exchange.path);
    // Labels stay few whatever clients send: unknown methods are "OTHER", paths are routes.
    static const QList<QByteArray> methods {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"};
    const QString method = QString::fromLatin1(methods.contains(exchange.method) ? exchange.method : "OTHER");
    m_metrics.add(Names::Requests, {{"method", method}, {"route", route}, {"status", statusClass(exchange.status)}});
    if (route == u"send" && exchange.method == "POST" && exchange.status == 200)
        m_metrics.add(Names::SendsAccepted);
    if (m_accessLog)
        m_accessLog->write(exchange);
}
