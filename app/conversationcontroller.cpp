#include "conversationcontroller.h"

#include "outboxstore.h"
#include "socketioclient.h"
#include "widgetapiclient.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcConversation, "agentconsole.conversation")

static constexpr size_t MaxEarlyEvents = 256;
// After a long outage the newest page may not reach what we have: read back this many pages at most.
static constexpr int MaxResyncPages = 50;

ConversationController::ConversationController(QObject *parent)
    : QObject(parent)
    , m_model(new MessageListModel(this))
    , m_api(new WidgetApiClient(this))
    , m_socket(new SocketIoClient(this))
{
    connect(m_api, &WidgetApiClient::contextLoaded, this, &ConversationController::onContext);
    connect(m_api, &WidgetApiClient::contextFailed, this, [this](const Wire::ApiError &error) {
        emit openFailed(tr("Cannot open the conversation: %1").arg(error.message));
    });
    connect(m_api, &WidgetApiClient::historyLoaded, this, &ConversationController::onHistory);
    connect(m_api, &WidgetApiClient::historyFailed, this, &ConversationController::onHistoryFailed);
    connect(m_api, &WidgetApiClient::sendAccepted, this, &ConversationController::onAccepted);
    connect(m_api, &WidgetApiClient::sendFailed, this, &ConversationController::onSendFailed);
    connect(m_socket, &SocketIoClient::statusUpdate, this, &ConversationController::onStatusUpdate);
    connect(m_socket, &SocketIoClient::inboundMessage, this, [this](const Message &m) { m_model->append(m); });
    // The unsent count follows the model: only the rows that changed are looked at.
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles) {
                if (roles.isEmpty() || roles.contains(MessageListModel::StatusRole)
                    || roles.contains(MessageListModel::QueuedRole))
                    trackUnsent(topLeft.row(), bottomRight.row());
            });
    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { trackUnsent(first, last); });
    connect(m_model, &QAbstractItemModel::rowsAboutToBeRemoved, this, [this](const QModelIndex &, int first, int last) {
        const qsizetype before = m_unsent.size();
        for (int row = first; row <= last; ++row)
            m_unsent.remove(m_model->at(row).id);
        if (m_unsent.size() != before)
            emit unsentCountChanged(unsentCount());
    });
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
    ApiConfig api{config.baseUrl, config.tenant, config.integration, config.token};
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
    if (offset == 0 || offset == m_resyncOffset) {
        onNewestPage(offset, page);
        return;
    }
    m_loadingOlder = false;
    const int added = m_model->prepend(page.messages);
    m_hasOlder = page.messages.size() >= m_config.pageSize && (page.total < 0 || serverKnownCount() < page.total);
    emit olderLoaded(added);
}

// The newest page, on opening and after every reconnect, or a page behind it while a resync reads
// back to the messages already on screen.
void ConversationController::onNewestPage(int offset, const Wire::HistoryPage &page)
{
    int known = 0;
    for (const Message &m : page.messages)
        known += m_model->contains(m.id) ? 1 : 0;
    m_model->merge(page.messages);
    for (const Message &m : page.messages)
        settleIfArrived(m.id);
    m_resyncOffset = -1;

    if (!m_opened) {
        m_opened = true;
        m_hasOlder = page.messages.size() >= m_config.pageSize && (page.total < 0 || page.total > page.messages.size());
        restoreOutbox();
        emit opened();
        if (m_store && !m_store->isOpen())
            storageFailed();
        SocketConfig socket{m_config.baseUrl, m_config.tenant, m_config.conversation, m_config.token};
        socket.ssl = m_config.ssl;
        m_socket->open(socket);
        pump();
        return;
    }
    // A full page of nothing we knew: more arrived while offline than one page holds. Read further
    // back until the pages meet what is on screen, so no message is missing in between.
    const int next = offset + m_config.pageSize;
    if (known == 0 && page.messages.size() >= m_config.pageSize && m_model->rowCount() > page.messages.size()
        && next < MaxResyncPages * m_config.pageSize) {
        m_resyncOffset = next;
        m_api->fetchHistory(m_config.conversation, m_config.pageSize, next);
    }
}

void ConversationController::onHistoryFailed(int offset, const Wire::ApiError &error)
{
    if (offset == 0 && !m_opened) {
        emit openFailed(tr("Cannot load the conversation: %1").arg(error.message));
        return;
    }
    if (offset == m_resyncOffset)
        m_resyncOffset = -1;
    else if (offset > 0)
        m_loadingOlder = false;
    emit notice(tr("Could not load messages: %1").arg(error.message));
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

// Replies left unsent by the last run come back where they were written, with their own ids. One
// the server has already (its POST got through just before the crash) is done with.
void ConversationController::restoreOutbox()
{
    if (!m_store)
        return;
    const QList<Message> saved = m_store->replies(m_config.tenant, m_config.conversation);
    for (const Message &reply : saved) {
        if (m_model->contains(reply.id)) {
            m_store->remove(reply.id);
            continue;
        }
        m_model->merge({reply});
        m_outbox.enqueue(reply.id);
        if (reply.status == MessageStatus::Failed)
            m_outbox.failed(reply.id);
    }
    if (!saved.isEmpty())
        qCInfo(lcConversation) << "restored" << m_outbox.size() << "unsent replies";
    refreshQueued();
}

void ConversationController::storageFailed()
{
    if (m_storageWarned)
        return;
    m_storageWarned = true;
    emit notice(tr("%1 Replies are kept in memory only until they are sent.").arg(m_store->error()));
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
    // On disk before anything else happens to it: from here on a crash cannot lose it.
    if (m_store && !m_store->add(m_config.tenant, m_config.conversation, m))
        storageFailed();
    m_model->append(m);
    m_outbox.enqueue(m.id);
    refreshQueued();
    pump();
    return true;
}

void ConversationController::pump()
{
    // Nothing leaves before the conversation is open: the integration id may still be unknown.
    if (!m_opened)
        return;
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

void ConversationController::leaveOutbox(const QString &messageId)
{
    m_outbox.accepted(messageId);
    if (m_store)
        m_store->remove(messageId);
    pump();
}

void ConversationController::onAccepted(const QString &messageId, const QString &serverId)
{
    m_model->addAlias(messageId, serverId);
    m_model->applyEvent(messageId, StatusEvent::PostAccepted);
    // Receipts that arrived under the server's id before this answer apply now.
    for (auto it = m_earlyEvents.begin(); it != m_earlyEvents.end();) {
        if (it->messageId == serverId || it->messageId == messageId) {
            const Wire::StatusUpdate update = *it;
            it = m_earlyEvents.erase(it);
            if (const auto event = serverEvent(update.status))
                m_model->applyEvent(messageId, *event, update.error);
        } else {
            ++it;
        }
    }
    leaveOutbox(messageId);
}

void ConversationController::onSendFailed(const QString &messageId, const Wire::ApiError &error)
{
    qCInfo(lcConversation) << "reply" << messageId << "failed:" << error.message;
    m_model->applyEvent(messageId, StatusEvent::PostFailed, error.message);
    const int row = m_model->rowOf(messageId);
    // A receipt already proved it arrived (delivered/read came while the POST was retrying): it is
    // no longer ours to send, and it must not hold up the replies behind it.
    if (row >= 0 && statusRank(m_model->at(row).status) > 0) {
        leaveOutbox(messageId);
        return;
    }
    m_outbox.failed(messageId);
    if (m_store && !m_store->markFailed(messageId, error.message))
        storageFailed();
    refreshQueued();
}

void ConversationController::onStatusUpdate(const Wire::StatusUpdate &update)
{
    if (!m_model->contains(update.messageId)) {
        m_earlyEvents.push_back(update);
        if (m_earlyEvents.size() > MaxEarlyEvents)
            m_earlyEvents.pop_front();
        return;
    }
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
    leaveOutbox(m.id);
}

void ConversationController::retry(const QString &messageId)
{
    const int row = m_model->rowOf(messageId);
    if (row < 0 || m_model->at(row).status != MessageStatus::Failed)
        return;
    const Message reply = m_model->at(row);
    m_model->applyEvent(reply.id, StatusEvent::RetryRequested);
    // A reply the upstream failed after acceptance is no longer in the outbox: it queues again.
    if (m_outbox.retry(reply.id)) {
        if (m_store && !m_store->markWaiting(reply.id))
            storageFailed();
    } else {
        m_outbox.enqueue(reply.id);
        if (m_store && !m_store->add(m_config.tenant, m_config.conversation, reply))
            storageFailed();
    }
    pump();
}

bool ConversationController::canDiscard(const QString &messageId) const
{
    const int row = m_model->rowOf(messageId);
    return row >= 0 && m_model->at(row).status == MessageStatus::Failed && !m_api->isSending(m_model->at(row).id);
}

void ConversationController::discard(const QString &messageId)
{
    if (!canDiscard(messageId))
        return;
    const QString id = m_model->at(m_model->rowOf(messageId)).id;
    m_outbox.discard(id);
    if (m_store)
        m_store->remove(id);
    m_model->remove(id);
    pump();
}

void ConversationController::trackUnsent(int first, int last)
{
    const qsizetype before = m_unsent.size();
    for (int row = first; row <= last; ++row) {
        const Message &m = m_model->at(row);
        if (m.status == MessageStatus::Failed || m.queued)
            m_unsent.insert(m.id);
        else
            m_unsent.remove(m.id);
    }
    if (m_unsent.size() != before)
        emit unsentCountChanged(unsentCount());
}

void ConversationController::retryAll()
{
    QList<int> rows;
    for (const QString &id : std::as_const(m_unsent)) {
        const int row = m_model->rowOf(id);
        if (m_model->at(row).status == MessageStatus::Failed)
            rows.append(row);
    }
    std::sort(rows.begin(), rows.end());
    QStringList ids;
    for (int row : rows)
        ids.append(m_model->at(row).id);
    for (const QString &id : ids)
        retry(id);
}

void ConversationController::discardAll()
{
    // The queued ones first: discarding a failed head would let the next one go out at once.
    const QSet<QString> unsent = m_unsent;
    for (const QString &id : unsent) {
        const int row = m_model->rowOf(id);
        if (row >= 0 && m_model->at(row).queued && m_outbox.discard(id)) {
            if (m_store)
                m_store->remove(id);
            m_model->remove(id);
        }
    }
    for (const QString &id : unsent)
        discard(id);
}
