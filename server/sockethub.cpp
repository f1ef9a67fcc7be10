#include "sockethub.h"

#include "serverlog.h"
#include "socketsession.h"

#include <QUrlQuery>
#include <QWebSocket>

SocketHub::SocketHub(QObject *parent)
    : QObject(parent)
{
}

SocketHub::~SocketHub()
{
    // Sessions are children and go with us; their closed() must not call back into a dying hub.
    for (SocketSession *session : std::as_const(m_sessions))
        session->disconnect(this);
}

QString SocketHub::roomKey(const QString &tenant, const QString &conversation)
{
    return tenant + u'\n' + conversation;
}

void SocketHub::setToken(const QString &token)
{
    m_token = token;
}

void SocketHub::setPingTiming(int pingIntervalMs, int pingTimeoutMs)
{
    m_pingInterval = std::max(1, pingIntervalMs);
    m_pingTimeout = std::max(1, pingTimeoutMs);
}

void SocketHub::setPingsSuspended(bool suspended)
{
    m_pingsSuspended = suspended;
    for (SocketSession *session : std::as_const(m_sessions))
        session->setPingsSuspended(suspended);
}

bool SocketHub::isSocketUrl(const QUrl &url)
{
    const QUrlQuery query(url);
    return (url.path() == u"/socket.io/" || url.path() == u"/socket.io")
        && query.queryItemValue(QStringLiteral("EIO")) == u"4"
        && query.queryItemValue(QStringLiteral("transport")) == u"websocket"
        && !query.queryItemValue(QStringLiteral("tenantId")).isEmpty()
        && !query.queryItemValue(QStringLiteral("conversationId")).isEmpty();
}

void SocketHub::accept(std::unique_ptr<QWebSocket> socket)
{
    if (!socket)
        return;
    // The upgrade request was checked already; PLATFORM.md's advice to check again is cheap.
    const QUrl url = socket->requestUrl();
    if (!isSocketUrl(url)) {
        qCWarning(lcServer) << "refused a WebSocket for" << url.path() << "with an unsupported query";
        QWebSocket *rejected = socket.release();
        rejected->setParent(this);
        connect(rejected, &QWebSocket::disconnected, rejected, &QObject::deleteLater);
        rejected->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("unsupported URL"));
        return;
    }
    const QUrlQuery query(url);
    const QString tenant = query.queryItemValue(QStringLiteral("tenantId"), QUrl::FullyDecoded);
    const QString conversation = query.queryItemValue(QStringLiteral("conversationId"), QUrl::FullyDecoded);

    SocketSession::Settings settings;
    settings.token = m_token;
    settings.pingInterval = m_pingInterval;
    settings.pingTimeout = m_pingTimeout;
    settings.pingsSuspended = m_pingsSuspended;
    auto *session = new SocketSession(std::move(socket), tenant, conversation, settings, this);
    m_sessions.append(session);
    connect(session, &SocketSession::joined, this, [this, session] {
        m_rooms.insert(roomKey(session->tenant(), session->conversation()), session);
        emit socketJoined();
    });
    connect(session, &SocketSession::closed, this, [this, session] { onClosed(session); });
}

void SocketHub::onClosed(SocketSession *session)
{
    m_sessions.removeOne(session);
    if (m_rooms.remove(roomKey(session->tenant(), session->conversation()), session) > 0)
        emit socketLeft();
}

void SocketHub::emitToRoom(const QString &tenant, const QString &conversation, const QString &frame)
{
    const QList<SocketSession *> members = m_rooms.values(roomKey(tenant, conversation));
    for (SocketSession *session : members)
        session->sendFrame(frame);
}

void SocketHub::dropAll()
{
    const QList<SocketSession *> sessions = m_sessions; // abort() may close synchronously
    for (SocketSession *session : sessions)
        session->abort();
}

void SocketHub::disconnectAll()
{
    const QList<SocketSession *> sessions = m_sessions;
    for (SocketSession *session : sessions)
        session->disconnectFromServer();
}

int SocketHub::joinedCount() const
{
    return int(m_rooms.size());
}
