#include "benchserver.h"

#include "widgetserver.h"

#include <QMetaObject>

const QString BenchServer::Tenant = QStringLiteral("bench-tenant");
const QString BenchServer::Token = QStringLiteral("bench-token");

BenchServer::BenchServer()
{
    m_thread.start();
    m_context.moveToThread(&m_thread);
    run([this](WidgetServer &) {});
}

BenchServer::~BenchServer()
{
    QMetaObject::invokeMethod(
        &m_context, [this] { m_server.reset(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void BenchServer::run(const std::function<void(WidgetServer &)> &work)
{
    QMetaObject::invokeMethod(
        &m_context,
        [this, &work] {
            if (!m_server) {
                m_server = std::make_unique<WidgetServer>();
                m_server->setToken(Token);
                m_server->listen(QHostAddress::LocalHost, 0);
                m_baseUrl = m_server->baseUrl();
            }
            work(*m_server);
        },
        Qt::BlockingQueuedConnection);
}

void BenchServer::post(std::function<void(WidgetServer &)> work)
{
    QMetaObject::invokeMethod(&m_context, [this, work = std::move(work)] { work(*m_server); });
}

void BenchServer::addConversation(const QString &id, const QList<Message> &history)
{
    run([&](WidgetServer &server) {
        server.addConversation(Tenant, id, QStringLiteral("Customer %1").arg(id));
        for (const Message &m : history) {
            const bool inbound = m.direction == Direction::Inbound;
            server.addHistoryMessage(Tenant, id,
                StoredMessage {m.id, inbound, m.text, m.mediaUrl, m.timestamp,
                    inbound ? QString() : statusName(m.status), m.error});
        }
    });
}
