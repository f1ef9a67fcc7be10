// What an operator of widget-server sees and sets: the per-token send rate limit, the access log, the
// metrics registry, and the /healthz and /metrics endpoints. WidgetServer owns one and asks it at the
// top of handleRequest() and of handleSend(); every answered request reaches observe().
#pragma once

#include "accesslog.h"
#include "metrics.h"
#include "ratelimiter.h"

#include <QDateTime>
#include <QHostAddress>
#include <QList>

#include <functional>
#include <memory>

class EngineServer;
class QHttpServerRequest;
class QHttpServerResponder;

class ServerOperations
{
public:
    // What /healthz says about one thing the server needs (the database, the broker).
    struct Check
    {
        QString name; // "database", "broker"
        QString status; // "ok", "unavailable", or "not used" (the in-process upstream has no broker)
        QString detail = {}; // why it is unavailable, or which backend it is
    };
    struct Health
    {
        QString problem; // empty while the server can serve, else the reason /healthz answers 503
        QList<Check> checks;
    };
    // health: asked at each GET /healthz. sockets / engine: read for the live gauges at render time.
    ServerOperations(std::function<Health()> health, std::function<int()> sockets, const EngineServer *engine);

    RateLimiter &sendLimiter() { return m_sendLimiter; }
    Metrics &metrics() { return m_metrics; }
    void setAccessLog(std::unique_ptr<AccessLog> log) { m_accessLog = std::move(log); }
    // Peers allowed to GET /metrics (others get 404); loopback only by default.
    void setMetricsAllowed(const QList<std::pair<QHostAddress, int>> &subnets) { m_metricsAllowed = subnets; }

    // /healthz and /metrics: true when the request was one of them and has been answered.
    bool handle(const QHttpServerRequest &request, QHttpServerResponder &responder);
    // The rate limit of POST /send, keyed by a hash of the bearer token: false when answered 429.
    bool admitSend(const QHttpServerRequest &request, QHttpServerResponder &responder);
    void countDeduplicatedSend();
    void observe(const HttpExchange &exchange); // log line + request counters

    static QString routeOf(const QString &path); // a low-cardinality label: "send", "history", ...
    static QByteArray tokenKey(const QHttpServerRequest &request); // SHA-256 of the bearer token, 16 bytes

private:
    bool metricsAllowedFor(const QHostAddress &peer) const;

    std::function<Health()> m_health;
    Metrics m_metrics;
    RateLimiter m_sendLimiter;
    std::unique_ptr<AccessLog> m_accessLog;
    QList<std::pair<QHostAddress, int>> m_metricsAllowed;
    QDateTime m_started = QDateTime::currentDateTimeUtc();
};
