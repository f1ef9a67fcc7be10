// The Engine.IO v4 endpoint at one path (e.g. /socket.io/): opens sessions over HTTP long-polling or
// WebSocket, routes each later request to its session by sid, hands WebSockets with a sid to their
// session as upgrade probes, and answers CORS for browser widgets.
#pragma once

#include "httpfront.h"
#include "sessionclock.h"
#include "sessiontransport.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QUrlQuery>

#include <functional>
#include <memory>

class EngineSession;
class QHttpServerRequest;
class WebSocketConnection;

class EngineServer : public QObject
{
    Q_OBJECT
public:
    explicit EngineServer(const QString &path, QObject *parent = nullptr);
    ~EngineServer() override;

    // For sessions opened from now on (pings may be suspended for all of them at any time).
    void setSettings(const EngineSettings &settings);
    const EngineSettings &settings() const { return m_settings; }
    void setPingsSuspended(bool suspended);
    // Says whether a handshake may open a session (engine.io's allowRequest); false answers 403 / closes
    // the WebSocket before the open packet.
    void setHandshakeFilter(std::function<bool(const QUrlQuery &)> filter);
    // Open sessions one peer address may hold (0 = no limit): a handshake over it is answered 429
    // (polling) or closed with 1008 (WebSocket).
    void setMaxSessionsPerAddress(int sessions);

    bool handles(const QUrl &url) const; // the path is ours
    void handleHttp(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    // Whether a WebSocket upgrade to this target (path and query) is one to answer (HttpFront's filter).
    bool acceptsUpgrade(const QUrl &target) const;
    void acceptWebSocket(std::unique_ptr<WebSocketConnection> connection);

    QList<EngineSession *> sessions() const { return m_sessions.values(); }

signals:
    void connection(EngineSession *session); // emitted after the open packet was queued

private:
    // engine.io's error codes, answered as {"code":N,"message":".."} with HTTP 400 (403 for Forbidden).
    enum class Error { UnknownTransport = 0, UnknownSid, BadHandshakeMethod, BadRequest, Forbidden, BadVersion };
    static void writeError(QHttpServerResponder &responder, Error error, const HttpFront::HeaderList &headers);
    static HttpFront::HeaderList corsHeaders(const QHttpServerRequest &request);
    void open(SessionTransport *transport, const QUrlQuery &query, const QHostAddress &peer);
    void refuseWebSocket(std::unique_ptr<WebSocketConnection> connection, const QString &reason);
    bool admits(const QHostAddress &peer) const; // under the per-address session limit

    QString m_path;
    EngineSettings m_settings;
    std::function<bool(const QUrlQuery &)> m_handshakeFilter;
    SessionClock m_clock; // the heartbeats of every session
    QHash<QString, EngineSession *> m_sessions; // children; removed when they close
    int m_maxSessionsPerAddress = 0;
    QHash<QHostAddress, int> m_sessionsPerAddress;
};
