#include "conversationcontroller.h"

#include "socketioclient.h"
#include "widgetapiclient.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcConversation, "agentconsole.conversation")

ConversationController::ConversationController(QObject *parent)
    : QObject(parent)
    , m_model(new MessageListModel(this))
    , m_api(new WidgetApiClient(this))
    , m_socket(new SocketIoClient(this))
{
    connect(m_api, &WidgetApiClient::contextLoaded, this, &ConversationController::onContext);
    connect(m_api, &WidgetApiClient::contextFailed, this, [this](const Wire::ApiError &error) {
        emit openFailed(QStringLiteral("Cannot open the conversation: %1").arg(error.message));
    });
    connect(m_api, &WidgetApiClient::historyLoaded, this, &ConversationController::onHistory);
    connect(m_api, &WidgetApiClient::historyFailed, this, &ConversationController::onHistoryFailed);
    connect(m_api, &WidgetApiClient::sendAccepted, this, &ConversationController::onAccepted);
    connect(m_api, &WidgetApiClient::sendFailed, this, &ConversationController::onSendFailed);
    connect(m_socket, &SocketIoClient::statusUpdate, this, &ConversationController::onStatusUpdate);
    connect(m_socket, &SocketIoClient::inboundMessage, this, [this](const Message &m) { m_model->append(m); });
    // Events missed while the socket was down are recovered from the newest history page (CONTRACT.md §2).
    connect(m_socket, &SocketIoClient::connected, this, [this] {
        if (m_opened)
            m_api->fetchHistory(m_config.conversation, m_config.pageSize, 0);
    });
}

ConversationController::~ConversationController() = default;

void ConversationController::start(const ConversationConfig &config)
{
    m_config = config;
    ApiConfig api {config.baseUrl, config.tenant, config.integration, config.token};
    api.ssl = config.ssl;
    m_api->setConfig(api);
    m_api->fetchContext(config.conversation);
}

void ConversationController::reopen()
{
    if (!m_opened)
        start(m_config);
}

void ConversationController::onContext(const Wire::ConversationContext &context)
{
    m_context = context;
    if (m_config.integration.isEmpty() && !context.integrationId.isEmpty()) {
        m_config.integration = context.integrationId;
        ApiConfig api = m_api->config();
        api.integrationId = context.integrationId;
        m_api->setConfig(api);
    }
    m_api->fetchHistory(m_config.conversation, m_config.pageSize, 0);
}

void ConversationController::onHistory(int offset, const Wire::HistoryPage &page)
{
    if (offset == 0) {
        m_model->merge(page.messages);
        for (const Message &m : page.messages)
            settleIfArrived(m.id);
        if (!m_opened) {
            m_opened = true;
            m_hasOlder = page.messages.size() >= m_config.pageSize
                && (page.total < 0 || page.total > page.messages.size());
            emit opened();
            SocketConfig socket {m_config.baseUrl, m_config.tenant, m_config.conversation, m_config.token};
            socket.ssl = m_config.ssl;
            m_socket->open(socket);
        }
        return;
    }
    m_loadingOlder = false;
    const int added = m_model->prepend(page.messages);
    m_hasOlder = page.messages.size() >= m_config.pageSize && (page.total < 0 || serverKnownCount() < page.total);
    emit olderLoaded(added);
}

void ConversationController::onHistoryFailed(int offset, const Wire::ApiError &error)
{
    if (offset == 0 && !m_opened) {
        emit openFailed(QStringLiteral("Cannot load the conversation: %1").arg(error.message));
        return;
    }
    if (offset > 0)
        m_loadingOlder = false;
    emit notice(QStringLiteral("Could not load messages: %1").arg(error.message));
}

// Offsets count back from the newest message the server has; replies still in the outbox are not there.
int ConversationController::serverKnownCount() const
{
    return m_model->rowCount() - int(m_outbox.size());
}

void ConversationController::loadOlder()
{
    if (!m_opened || m_loadingOlder || !m_hasOlder)
        return;
    m_loadingOlder = true;
    m_api->fetchHistory(m_config.conversation, m_config.pageSize, serverKnownCount());
}

bool ConversationController::sendReply(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return false;
    Message m;
    m.id = makeMessageId();
    m.direction = Direction::Outbound;
    m.text = trimmed;
    m.timestamp = QDateTime::currentDateTimeUtc();
    m.status = MessageStatus::Pending;
    m_model->append(m);
    m_outbox.enqueue(m.id);
    refreshQueued();
    pump();
    return true;
}

void ConversationController::pump()
{
    while (const auto next = m_outbox.takeNextToSend()) {
        const int row = m_model->rowOf(*next);
        if (row < 0) { // discarded meanwhile
            m_outbox.accepted(*next);
            continue;
        }
        const Message &m = m_model->at(row);
        m_api->send(OutgoingReply{m.id, m_config.conversation, m.text, m.mediaUrl});
        break;
    }
    refreshQueued();
}

// A reply waiting behind a failed one says so, rather than sitting as "pending" with no end.
void ConversationController::refreshQueued()
{
    const auto &entries = m_outbox.entries();
    const bool blocked = !entries.isEmpty() && entries.first().state == Outbox::State::Failed;
    for (qsizetype i = 1; i < entries.size(); ++i)
        m_model->setQueued(entries[i].id, blocked);
}

void ConversationController::onAccepted(const QString &messageId, const QString &serverId)
{
    m_model->addAlias(messageId, serverId);
    m_model->applyEvent(messageId, StatusEvent::PostAccepted);
    m_outbox.accepted(messageId);
    pump();
}

void ConversationController::onSendFailed(const QString &messageId, const Wire::ApiError &error)
{
    qCInfo(lcConversation) << "reply" << messageId << "failed:" << error.message;
    m_model->applyEvent(messageId, StatusEvent::PostFailed, error.message);
    m_outbox.failed(messageId);
    refreshQueued();
}

void ConversationController::onStatusUpdate(const Wire::StatusUpdate &update)
{
    if (const auto event = serverEvent(update.status))
        m_model->applyEvent(update.messageId, *event, update.error);
    settleIfArrived(update.messageId);
}

// A delivery receipt for a reply the outbox still holds (its POST answer was lost) proves it arrived.
void ConversationController::settleIfArrived(const QString &messageId)
{
    const int row = m_model->rowOf(messageId);
    if (row < 0)
        return;
    const Message &m = m_model->at(row);
    if (statusRank(m.status) <= 0 || !m_outbox.contains(m.id) || m_api->isSending(m.id))
        return;
    m_outbox.accepted(m.id);
    pump();
}

void ConversationController::retry(const QString &messageId)
{
    const int row = m_model->rowOf(messageId);
    if (row < 0 || m_model->at(row).status != MessageStatus::Failed)
        return;
    const QString id = m_model->at(row).id;
    m_model->applyEvent(id, StatusEvent::RetryRequested);
    // A reply the upstream failed after acceptance is no longer in the outbox: it queues again.
    if (!m_outbox.retry(id))
        m_outbox.enqueue(id);
    pump();
}

void ConversationController::discard(const QString &messageId)
{
    const int row = m_model->rowOf(messageId);
    if (row < 0 || m_model->at(row).status != MessageStatus::Failed)
        return;
    const QString id = m_model->at(row).id;
    m_outbox.discard(id);
    m_model->remove(id);
    pump();
}
