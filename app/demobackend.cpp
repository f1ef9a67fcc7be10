#include "demobackend.h"

#include "cannedresponsetable.h"
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
    m_server->cannedResponses()->setForTenant(DemoTenant, cannedResponses());
    return true;
}

// What an agent's team would keep as canned responses: type "/" in a reply to see them.
QList<CannedResponseTable::Entry> DemoBackend::cannedResponses()
{
    return {
        {QStringLiteral("1"), QStringLiteral("hello"),
            tr("Hi {{customer.name}}, thanks for getting in touch! How can I help you today?")},
        {QStringLiteral("2"), QStringLiteral("refund"),
            tr("Hi {{customer.name}}, your refund has been issued. It usually reaches your account within 3 to 5 "
               "business days.")},
        {QStringLiteral("3"), QStringLiteral("tracking"),
            tr("You can follow your parcel with the tracking link in your shipping email. Let me know if it "
               "has not moved in two days.")},
        {QStringLiteral("4"), QStringLiteral("callback"),
            tr("We will call you back on {{customer.phone}} within the next hour.")},
        {QStringLiteral("5"), QStringLiteral("thanks"),
            tr("Thank you for your patience, {{customer.name}}. Is there anything else I can do for you?")},
    };
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
