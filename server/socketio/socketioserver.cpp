#include "socketioserver.h"

#include "engineserver.h"
#include "enginesession.h"
#include "socketioconnection.h"

SocketIoServer::SocketIoServer(EngineServer *engine, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
{
    connect(engine, &EngineServer::connection, this, [this](EngineSession *session) {
        SocketIoConnection::Settings settings;
        settings.findNamespace = [server = QPointer<SocketIoServer>(this)](const QString &name) {
            return server ? server->findNamespace(name) : nullptr;
        };
        settings.connectTimeoutMs = m_connectTimeout;
        settings.closeWhenIdle = m_closeWhenIdle;
        new SocketIoConnection(session, settings); // a child of the session: goes with it
    });
}

Namespace *SocketIoServer::addNamespace(const QString &name)
{
    if (Namespace *existing = m_namespaces.value(name))
        return existing;
    auto *ns = new Namespace(name, this);
    m_namespaces.insert(name, ns);
    return ns;
}

Namespace *SocketIoServer::findNamespace(const QString &name) const
{
    return m_namespaces.value(name);
}

QList<SocketIoConnection *> SocketIoServer::connections() const
{
    QList<SocketIoConnection *> out;
    if (!m_engine)
        return out;
    const QList<EngineSession *> sessions = m_engine->sessions();
    for (EngineSession *session : sessions) {
        if (auto *connection = session->findChild<SocketIoConnection *>(QString(), Qt::FindDirectChildrenOnly))
            out.append(connection);
    }
    return out;
}
