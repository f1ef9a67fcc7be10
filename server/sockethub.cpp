#include "sockethub.h"

#include "engineserver.h"
#include "enginesession.h"
#include "namespacesocket.h"
#include "serverlog.h"
#include "socketioconnection.h"
#include "socketioserver.h"
#include "tokenregistry.h"

#include <QJsonArray>
#include <QPointer>

SocketHub::SocketHub(QObject *parent)
    : QObject(parent)
    , m_engine(new EngineServer(QStringLiteral("/socket.io/"), this))
    , m_io(new SocketIoServer(m_engine, this))
{
    m_engine->setHandshakeFilter(&SocketHub::hasRoomQuery);
    // The console never joins a second namespace or re-CONNECTs on a connection (CONTRACT.md §2).
    m_io->setCloseWhenIdle(true);
    Namespace *main = m_io->addNamespace(QStringLiteral("/"));
    main->setAdmission(
        [this](const Namespace::Handshake &handshake) { return admit(handshake.auth, handshake.query); });
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

// Empty to admit; else the CONNECT_ERROR message. The room comes from the same query (join()), so a
// socket admitted here can only ever join a room of the tenant its token reaches.
QString SocketHub::admit(const QJsonObject &auth, const QUrlQuery &query) const
{
    const QJsonValue token = auth.value(u"token");
    if (!m_tokens || !token.isString() || !m_tokens->isKnown(token.toString()))
        return QStringLiteral("Invalid token");
    // The same answer whether the other tenant exists or not.
    if (!m_tokens->allows(token.toString(), query.queryItemValue(QStringLiteral("tenantId"), QUrl::FullyDecoded)))
        return QStringLiteral("Not authorized for this tenant");
    return {};
}

void SocketHub::dropRevoked()
{
    QList<QPointer<NamespaceSocket>> sockets; // disconnecting edits m_rooms and may delete sockets
    for (NamespaceSocket *socket : std::as_const(m_rooms))
        sockets.append(socket);
    for (const QPointer<NamespaceSocket> &socket : std::as_const(sockets)) {
        if (socket && !admit(socket->auth(), socket->query()).isEmpty())
            socket->disconnectFromServer(true);
    }
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

void SocketHub::setTokenRegistry(TokenRegistry *tokens)
{
    if (m_tokens)
        disconnect(m_tokens, nullptr, this, nullptr);
    m_tokens = tokens;
    if (m_tokens)
        connect(m_tokens, &TokenRegistry::changed, this, &SocketHub::dropRevoked);
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
    settings.maxUnsentBytes = 2 * qint64(bytes); // room for two of the largest messages
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
    if (members.isEmpty())
        return;
    // Encoded once: every member gets the same frame (every room socket is on the "/" namespace).
    const OutgoingPacket packet = NamespaceSocket::encodeEvent(QStringLiteral("/"), event, QJsonArray {payload});
    for (NamespaceSocket *socket : members)
        socket->emitEncoded(packet);
}

void SocketHub::dropAll()
{
    const QList<EngineSession *> sessions = m_engine->sessions(); // abort() may close synchronously
    for (EngineSession *session : sessions)
        session->abort();
}

void SocketHub::closeTransports(const QString &reason)
{
    const QList<EngineSession *> sessions = m_engine->sessions(); // close() may finish synchronously
    for (EngineSession *session : sessions)
        session->close(reason);
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
