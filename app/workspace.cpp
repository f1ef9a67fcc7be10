#include "workspace.h"

#include "cannedresponses.h"
#include "conversationlistmodel.h"
#include "messagelistmodel.h"
#include "outbox.h"

#include <QSettings>

static const QString OpenKey = QStringLiteral("conversations/open");
static const QString CurrentKey = QStringLiteral("conversations/current");

Workspace::Workspace(const ConversationConfig &base, OutboxStore *store, QObject *parent)
    : QObject(parent)
    , m_base(base)
    , m_store(store)
    , m_model(new ConversationListModel(this))
    , m_canned(new CannedResponses(base, this))
{
}

Workspace::~Workspace() = default;

QStringList Workspace::savedConversations(const QSettings &settings)
{
    QStringList ids;
    for (const QString &id : settings.value(OpenKey).toStringList()) {
        const QString trimmed = id.trimmed();
        if (!trimmed.isEmpty() && !ids.contains(trimmed))
            ids.append(trimmed);
    }
    return ids;
}

QString Workspace::savedCurrent(const QSettings &settings)
{
    return settings.value(CurrentKey).toString();
}

void Workspace::restore(const QStringList &ids, const QString &current)
{
    m_restoring = true;
    for (const QString &id : ids)
        open(id.trimmed());
    for (const QString &id : Outbox::conversationsWithReplies(m_store, m_base.tenant))
        open(id);
    m_restoring = false;
    const QString trimmed = current.trimmed();
    if (isOpen(trimmed))
        setCurrent(trimmed);
    else if (m_current.isEmpty() && m_model->rowCount() > 0)
        setCurrent(m_model->idAt(0));
    save();
}

QStringList Workspace::conversationIds() const
{
    return m_model->ids();
}

Conversation *Workspace::conversation(const QString &conversationId) const
{
    return m_conversations.value(conversationId).conversation;
}

QString Workspace::displayName(const QString &conversationId) const
{
    return m_model->indexOf(conversationId).data(Qt::DisplayRole).toString();
}

int Workspace::unreadCount(const QString &conversationId) const
{
    return m_model->indexOf(conversationId).data(ConversationListModel::UnreadCountRole).toInt();
}

int Workspace::unreadTotal() const
{
    return m_model->unreadTotal();
}

int Workspace::unsentTotal() const
{
    return m_model->unsentTotal();
}

void Workspace::openConversation(const QString &conversationId)
{
    const QString id = conversationId.trimmed();
    if (id.isEmpty())
        return;
    open(id);
    setCurrent(id);
}

bool Workspace::open(const QString &conversationId)
{
    if (conversationId.isEmpty() || isOpen(conversationId))
        return false;
    ConversationConfig config = m_base;
    config.conversation = conversationId;
    auto *conversation = new Conversation(config, m_store, this);
    m_conversations.insert(conversationId, Entry {conversation, {}});
    m_model->add(conversationId);
    watch(conversationId, conversation);
    emit conversationAdded(conversationId, conversation);
    conversation->start();
    if (!m_cannedAsked) { // once per session, with the first conversation
        m_cannedAsked = true;
        m_canned->load();
    }
    save();
    return true;
}

// The conversation's signals come after it has updated its model.
void Workspace::watch(const QString &id, Conversation *conversation)
{
    MessageListModel *messages = conversation->model();
    connect(conversation, &Conversation::customerKnown, this,
        [this, id](const Wire::ConversationContext &context) { m_model->setCustomerName(id, context.customerName); });
    connect(conversation, &Conversation::opened, this, [this, id, messages] {
        QSet<QString> &notNews = m_conversations[id].notNews;
        for (int row = 0; row < messages->rowCount(); ++row)
            notNews.insert(messages->at(row).id);
    });
    connect(messages, &QAbstractItemModel::rowsInserted, this, [this, id] { updateLastMessage(id); });
    connect(messages, &QAbstractItemModel::rowsRemoved, this, [this, id] { updateLastMessage(id); });
    connect(messages, &QAbstractItemModel::modelReset, this, [this, id] { updateLastMessage(id); });
    connect(messages, &QAbstractItemModel::dataChanged, this,
        [this, id, messages](const QModelIndex &, const QModelIndex &bottomRight, const QList<int> &roles) {
            if (bottomRight.row() == messages->rowCount() - 1
                && (roles.isEmpty() || roles.contains(MessageListModel::TextRole)))
                updateLastMessage(id);
        });
    connect(conversation, &Conversation::inboundMessage, this, [this, id](const Message &m) { onLiveInbound(id, m); });
    connect(conversation, &Conversation::unsentCountChanged, this, [this, id](int count) { setUnsent(id, count); });
    // The connection is back: the canned responses may have changed meanwhile, or failed to load before.
    connect(conversation, &Conversation::connected, m_canned, [this, back = false]() mutable {
        if (back || m_canned->list().state == CannedList::State::Failed)
            m_canned->load();
        back = true;
    });
    // Replies an earlier run left unsent are there from the start.
    setUnsent(id, conversation->unsentCount());
    updateLastMessage(id);
}

void Workspace::onLiveInbound(const QString &id, const Message &message)
{
    const auto entry = m_conversations.find(id);
    if (entry == m_conversations.end() || message.id.isEmpty() || entry->notNews.contains(message.id))
        return;
    entry->notNews.insert(message.id);
    const bool onScreen = id == m_current && m_windowActive;
    if (!onScreen)
        setUnread(id, unreadCount(id) + 1);
    const QString text
        = message.text.isEmpty() && !message.mediaUrl.isEmpty() ? tr("Sent an attachment") : message.text;
    emit inboundMessage(id, displayName(id), text, onScreen);
}

void Workspace::updateLastMessage(const QString &id)
{
    const MessageListModel *messages = conversation(id)->model();
    if (messages->rowCount() == 0) {
        m_model->setLastMessage(id, QString(), QDateTime());
        return;
    }
    const Message m = messages->at(messages->rowCount() - 1);
    QString text = m.text.isEmpty() && !m.mediaUrl.isEmpty() ? tr("Attachment") : m.text;
    if (m.direction == Direction::Outbound)
        text = tr("You: %1").arg(text);
    m_model->setLastMessage(id, text, m.timestamp);
}

void Workspace::setUnread(const QString &id, int count)
{
    if (m_model->setUnreadCount(id, count))
        emit unreadTotalChanged(unreadTotal());
}

void Workspace::setUnsent(const QString &id, int count)
{
    if (m_model->setUnsentCount(id, count))
        emit unsentTotalChanged(unsentTotal());
}

void Workspace::markSeen(const QString &id)
{
    if (!id.isEmpty() && m_windowActive)
        setUnread(id, 0);
}

void Workspace::setWindowActive(bool active)
{
    if (m_windowActive == active)
        return;
    m_windowActive = active;
    markSeen(m_current);
}

void Workspace::setCurrent(const QString &conversationId)
{
    if (!conversationId.isEmpty() && !isOpen(conversationId))
        return;
    if (m_current != conversationId) {
        m_current = conversationId;
        save();
        emit currentChanged(m_current);
    }
    markSeen(m_current);
}

void Workspace::step(int delta)
{
    const int count = m_model->rowCount();
    if (count == 0)
        return;
    const int row = m_model->rowOf(m_current);
    const int next = row < 0 ? 0 : (row + delta + count) % count;
    setCurrent(m_model->idAt(next));
}

void Workspace::selectNext()
{
    step(1);
}

void Workspace::selectPrevious()
{
    step(-1);
}

void Workspace::closeConversation(const QString &conversationId)
{
    const int row = m_model->rowOf(conversationId);
    if (row < 0)
        return;
    if (conversationId == m_current) {
        const int count = m_model->rowCount();
        setCurrent(count > 1 ? m_model->idAt(row + 1 < count ? row + 1 : row - 1) : QString());
    }
    const Entry entry = m_conversations.take(conversationId);
    const int unread = unreadCount(conversationId);
    const int unsent = m_model->indexOf(conversationId).data(ConversationListModel::UnsentCountRole).toInt();
    m_model->remove(conversationId);
    emit conversationRemoved(conversationId);
    // Later, not now: this may run inside one of the conversation's own signals.
    entry.conversation->disconnect(this);
    entry.conversation->model()->disconnect(this);
    entry.conversation->deleteLater();
    if (unread > 0)
        emit unreadTotalChanged(unreadTotal());
    if (unsent > 0)
        emit unsentTotalChanged(unsentTotal());
    save();
}

void Workspace::save()
{
    if (!m_settings || m_restoring)
        return;
    m_settings->setValue(OpenKey, m_model->ids());
    m_settings->setValue(CurrentKey, m_current);
    m_settings->sync();
}
