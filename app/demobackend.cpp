#include "demobackend.h"

#include "demoseed.h"
#include "simulatedupstream.h"
#include "widgetserver.h"

#include <QRandomGenerator>

static const QString DemoTenant = QStringLiteral("demo");
static const QString DemoConversation = QStringLiteral("demo");

DemoBackend::DemoBackend(QObject *parent)
    : QObject(parent)
    , m_server(new WidgetServer(this))
{
    QByteArray bytes(16, Qt::Uninitialized);
    QRandomGenerator::system()->generate(bytes.begin(), bytes.end());
    m_token = QString::fromLatin1(bytes.toHex());
}

DemoBackend::~DemoBackend() = default;

bool DemoBackend::start(QString *error)
{
    m_server->setToken(m_token);
    if (!m_server->listen(QHostAddress::LocalHost, 0)) {
        if (error)
            *error = tr("Cannot start the demo backend on a loopback port.");
        return false;
    }
    seedDemoConversation(*m_server, DemoTenant, DemoConversation);
    m_conversations = QStringList{DemoConversation} + seedMoreDemoConversations(*m_server, DemoTenant, DemoConversation);
    m_server->setDemoInboundInterval(30000);
    return true;
}

ConversationConfig DemoBackend::conversationConfig() const
{
    ConversationConfig config;
    config.baseUrl = m_server->baseUrl();
    config.tenant = DemoTenant;
    config.conversation = DemoConversation;
    config.token = m_token;
    return config;
}

void DemoBackend::setUpstreamDown(bool down)
{
    m_server->upstream()->setDown(down);
}

void DemoBackend::customerWrites(const QString &conversation)
{
    m_server->injectInbound(DemoTenant, conversation.isEmpty() ? DemoConversation : conversation, randomCustomerMessage());
}
