#include "conformancefixture.h"

#include "engineserver.h"
#include "enginesession.h"
#include "httpfront.h"
#include "namespacesocket.h"
#include "serverlog.h"
#include "socketioserver.h"
#include "websocketconnection.h"

#include <QHttpServerRequest>
#include <QJsonArray>

namespace {

EngineSettings fixtureSettings()
{
    EngineSettings settings;
    settings.pingInterval = 300;
    settings.pingTimeout = 200;
    settings.maxPayload = 1000000;
    settings.strict = true; // the suites check that malformed packets close the session
    settings.framePacingMs = 1; // the suites read one message per callback
    return settings;
}

} // namespace

ConformanceFixture::ConformanceFixture(QObject *parent)
    : QObject(parent)
    , m_engineIo(new EngineServer(QStringLiteral("/engine.io/"), this))
    , m_socketIoEngine(new EngineServer(QStringLiteral("/socket.io/"), this))
    , m_socketIo(new SocketIoServer(m_socketIoEngine, this))
    , m_http(new HttpFront(
          [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
              if (EngineServer *engine = engineFor(request.url()))
                  return engine->handleHttp(request, std::move(responder));
              HttpFront::writeJson(
                  responder, 404, HttpFront::errorBody(QStringLiteral("Not found"), QStringLiteral("NOT_FOUND")));
          },
          [this](const QUrl &target) {
              const EngineServer *engine = engineFor(target);
              return engine && engine->acceptsUpgrade(target);
          },
          [this](std::unique_ptr<WebSocketConnection> connection) {
              if (EngineServer *engine = engineFor(connection->requestUrl()))
                  engine->acceptWebSocket(std::move(connection));
          },
          this))
{
    m_engineIo->setSettings(fixtureSettings());
    m_socketIoEngine->setSettings(fixtureSettings());
    // engine.io-protocol's fixture: every message, text or binary, goes straight back.
    connect(m_engineIo, &EngineServer::connection, this, [](EngineSession *session) {
        connect(session, &EngineSession::message, session, &EngineSession::send);
        connect(session, &EngineSession::binaryMessage, session, &EngineSession::sendBinary);
    });
    setUpSocketIo();
}

void ConformanceFixture::setUpSocketIo()
{
    // socket.io-protocol's README fixture: both namespaces emit "auth" with the handshake's auth on
    // connect; "/" echoes "message" as "message-back" and answers "message-with-ack" with its arguments.
    const auto emitAuth
        = [](NamespaceSocket *socket) { socket->emitEvent(QStringLiteral("auth"), QJsonArray {socket->auth()}); };
    Namespace *main = m_socketIo->addNamespace(QStringLiteral("/"));
    connect(main, &Namespace::connected, this, [emitAuth](NamespaceSocket *socket) {
        emitAuth(socket);
        socket->on(QStringLiteral("message"), [socket](const NamespaceSocket::Event &event, const auto &) {
            socket->emitEvent(QStringLiteral("message-back"), event.args, event.attachments);
        });
        socket->on(QStringLiteral("message-with-ack"), [](const NamespaceSocket::Event &event, const auto &ack) {
            if (ack)
                ack(event.args, event.attachments);
        });
    });
    Namespace *custom = m_socketIo->addNamespace(QStringLiteral("/custom"));
    connect(custom, &Namespace::connected, this, emitAuth);
}

EngineServer *ConformanceFixture::engineFor(const QUrl &url) const
{
    if (m_engineIo->handles(url))
        return m_engineIo;
    if (m_socketIoEngine->handles(url))
        return m_socketIoEngine;
    return nullptr;
}

bool ConformanceFixture::listen(quint16 port)
{
    m_port = m_http->listen(QHostAddress::LocalHost, port);
    if (m_port == 0) {
        qCWarning(lcServer) << "cannot listen on 127.0.0.1 port" << port;
        return false;
    }
    if (m_http->listen(QHostAddress::LocalHostIPv6, m_port) == 0)
        qCInfo(lcServer) << "no IPv6 loopback; listening on 127.0.0.1 only";
    return true;
}
