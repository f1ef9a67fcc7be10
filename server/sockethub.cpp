#include "sockethub.h"

#include "engineserver.h"
#include "enginesession.h"
#include "identifiers.h"
#include "namespacesocket.h"
#include "serverlog.h"
#include "socketioconnection.h"
#include "socketioserver.h"

#include <QJsonArray>

SocketHub::SocketHub(QObject *parent)
    : QObject(parent)
    , m_engine(new EngineServer(QStringLiteral("/socket.io/"), this))
    , m_io(new SocketIoServer(m_engine, this))
{
    m_engine->setHandshakeFilter(&SocketHub::hasRoomQuery);
    // The console never joins a second namespace or re-CONNECTs on a connection (CONTRACT.md §2).
    m_io->setCloseWhenIdle(true);
    Namespace *main = m_io->addNamespace(QStringLiteral("/"));
    main->setAdmission([this](const Namespace::Handshake &handshake) {
        const QJsonValue token = handshake.auth.value(u"token");
        if (token.isString() && ServerIds::tokensEqual(m_token, token.toString()))
            return QString();
        return QStringLiteral("Invalid token");
    });
    // CONTRACT.md §2: a CONNECT_ERROR is final for the console, so its connection has no further use.
    main->setCloseOnRefusal(true);
    connect(main, &Namespace::connected, this, &SocketHub::join);
}

QString SocketHub::roomKey(const QString &tenant, const QString &conversation)
{
    return tenant + u'\n' + conversation;
}

bool SocketHub::hasRoomQuery(const QUrlQuery &query)
{
    return !query.queryItemValue(QStringLiteral("tenantId")).isEmpty()
        && !query.queryItemValue(QStringLiteral("conversationId")).isEmpty();
}

void SocketHub::join(NamespaceSocket *socket)
{
    const QUrlQuery query = socket->query();
    const QString key = roomKey(query.queryItemValue(QStringLiteral("tenantId"), QUrl::FullyDecoded),
        query.queryItemValue(QStringLiteral("conversationId"), QUrl::FullyDecoded));
    m_rooms.insert(key, socket);
    // A round trip for widgets that want to check the link: answers with what it was sent.
    socket->on(QStringLiteral("echo"), [](const NamespaceSocket::Event &event, const NamespaceSocket::Reply &ack) {
        if (ack)
            ack(event.args, event.attachments);
    });
    connect(socket, &NamespaceSocket::disconnected, this, [this, key, socket] {
        if (m_rooms.remove(key, socket) > 0)
            emit socketLeft();
    });
    emit socketJoined();
}

void SocketHub::setToken(const QString &token)
{
    m_token = token;
}

void SocketHub::setPingTiming(int pingIntervalMs, int pingTimeoutMs)
{
    EngineSettings settings = m_engine->settings();
    settings.pingInterval = pingIntervalMs;
    settings.pingTimeout = pingTimeoutMs;
    m_engine->setSettings(settings);
}

void SocketHub::setMaxPayload(int bytes)
{
    EngineSettings settings = m_engine->settings();
    settings.maxPayload = bytes;
    m_engine->setSettings(settings);
}

void SocketHub::setStrictProtocol(bool strict)
{
    EngineSettings settings = m_engine->settings();
    settings.strict = strict;
    m_engine->setSettings(settings);
}

void SocketHub::setPingsSuspended(bool suspended)
{
    m_engine->setPingsSuspended(suspended);
}

void SocketHub::emitToRoom(
    const QString &tenant, const QString &conversation, const QString &event, const QJsonObject &payload)
{
    const QList<NamespaceSocket *> members = m_rooms.values(roomKey(tenant, conversation));
    for (NamespaceSocket *socket : members)
        socket->emitEvent(event, QJsonArray {payload});
}

void SocketHub::dropAll()
{
    const QList<EngineSession *> sessions = m_engine->sessions(); // abort() may close synchronously
    for (EngineSession *session : sessions)
        session->abort();
}

void SocketHub::disconnectAll()
{
    const QList<SocketIoConnection *> connections = m_io->connections();
    for (SocketIoConnection *connection : connections) {
        const QList<NamespaceSocket *> sockets = connection->sockets();
        for (NamespaceSocket *socket : sockets)
            socket->disconnectFromServer(true);
        connection->close(QStringLiteral("server disconnect")); // also those that joined nothing yet
    }
}

int SocketHub::joinedCount() const
{
    return int(m_rooms.size());
}
