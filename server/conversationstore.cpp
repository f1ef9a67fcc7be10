#include "conversationstore.h"

#include <algorithm>

static int rank(const QString &status)
{
    if (status == u"sent")
        return 1;
    if (status == u"delivered")
        return 2;
    if (status == u"read")
        return 3;
    return 0;
}

static bool statusMayFollow(const QString &from, const QString &to)
{
    if (to == u"failed")
        return from.isEmpty() || from == u"sent";
    if (rank(to) == 0)
        return false; // unknown status names are not stored
    if (from == u"failed")
        return rank(to) >= 2; // delivered/read prove the message arrived after all
    return rank(to) > rank(from);
}

QString ConversationStore::key(const QString &tenant, const QString &conversation)
{
    // '\n' cannot occur in either id as sent over HTTP headers or URL paths we accept.
    return tenant + u'\n' + conversation;
}

ConversationStore::Conversation *ConversationStore::find(const QString &tenant, const QString &conversation)
{
    const auto it = m_conversations.find(key(tenant, conversation));
    return it == m_conversations.end() ? nullptr : &it.value();
}

const ConversationStore::Conversation *ConversationStore::find(const QString &tenant, const QString &conversation) const
{
    const auto it = m_conversations.constFind(key(tenant, conversation));
    return it == m_conversations.cend() ? nullptr : &it.value();
}

void ConversationStore::addConversation(const QString &tenant, const QString &conversation, const QString &customerName)
{
    if (Conversation *c = find(tenant, conversation)) {
        c->customer.name = customerName;
        return;
    }
    Conversation c;
    c.customer.name = customerName;
    // A stable, phone-number-like wa_id derived from the ids, so restarts give the same one.
    const size_t digits = qHash(key(tenant, conversation), 0) % 100000000u;
    c.customer.waId = QStringLiteral("4915%1").arg(qulonglong(digits), 8, 10, QLatin1Char('0'));
    m_conversations.insert(key(tenant, conversation), c);
    m_order.append({tenant, conversation});
}

bool ConversationStore::hasConversation(const QString &tenant, const QString &conversation) const
{
    return find(tenant, conversation) != nullptr;
}

std::optional<ConversationStore::Customer> ConversationStore::customer(
    const QString &tenant, const QString &conversation) const
{
    const Conversation *c = find(tenant, conversation);
    return c ? std::optional(c->customer) : std::nullopt;
}

QList<std::pair<QString, QString>> ConversationStore::conversations() const
{
    return m_order;
}

bool ConversationStore::addMessage(const QString &tenant, const QString &conversation, const StoredMessage &message)
{
    Conversation *c = find(tenant, conversation);
    if (!c || message.id.isEmpty() || c->rowById.contains(message.id))
        return false;
    const auto at = std::upper_bound(c->messages.begin(), c->messages.end(), message.timestamp,
        [](const QDateTime &t, const StoredMessage &m) { return t < m.timestamp; });
    const qsizetype row = at - c->messages.begin();
    c->messages.insert(row, message);
    if (row == c->messages.size() - 1) {
        c->rowById.insert(message.id, row); // the usual case: appended, no other row moved
    } else {
        for (qsizetype i = row; i < c->messages.size(); ++i)
            c->rowById.insert(c->messages.at(i).id, i);
    }
    return true;
}

std::optional<StoredMessage> ConversationStore::message(
    const QString &tenant, const QString &conversation, const QString &id) const
{
    const Conversation *c = find(tenant, conversation);
    if (!c)
        return std::nullopt;
    const auto row = c->rowById.constFind(id);
    return row == c->rowById.cend() ? std::nullopt : std::optional(c->messages.at(*row));
}

int ConversationStore::messageCount(const QString &tenant, const QString &conversation) const
{
    const Conversation *c = find(tenant, conversation);
    return c ? int(c->messages.size()) : 0;
}

ConversationStore::Page ConversationStore::history(
    const QString &tenant, const QString &conversation, int limit, int offset) const
{
    Page page;
    const Conversation *c = find(tenant, conversation);
    if (!c)
        return page;
    const qsizetype total = c->messages.size();
    page.total = int(total);
    const qsizetype end = std::max<qsizetype>(0, total - std::max(0, offset));
    const qsizetype begin = std::max<qsizetype>(0, end - std::max(0, limit));
    page.messages = c->messages.mid(begin, end - begin);
    return page;
}

bool ConversationStore::applyStatus(
    const QString &tenant, const QString &conversation, const QString &id, const QString &status)
{
    Conversation *c = find(tenant, conversation);
    const qsizetype row = c ? c->rowById.value(id, -1) : -1;
    if (row < 0)
        return false;
    StoredMessage &m = c->messages[row];
    if (m.inbound || !statusMayFollow(m.status, status))
        return false;
    m.status = status;
    return true;
}

void ConversationStore::resetStatus(
    const QString &tenant, const QString &conversation, const QString &id, const QString &status)
{
    Conversation *c = find(tenant, conversation);
    const qsizetype row = c ? c->rowById.value(id, -1) : -1;
    if (row >= 0)
        c->messages[row].status = status;
}

std::optional<QString> ConversationStore::acceptedId(
    const QString &tenant, const QString &conversation, const QString &clientMessageId) const
{
    const Conversation *c = find(tenant, conversation);
    if (!c)
        return std::nullopt;
    const auto it = c->acceptedIds.constFind(clientMessageId);
    return it == c->acceptedIds.cend() ? std::nullopt : std::optional(*it);
}

void ConversationStore::recordAccepted(
    const QString &tenant, const QString &conversation, const QString &clientMessageId, const QString &storedId)
{
    Conversation *c = find(tenant, conversation);
    if (!c || c->acceptedIds.contains(clientMessageId))
        return;
    c->acceptedIds.insert(clientMessageId, storedId);
    c->acceptedOrder.append(clientMessageId);
}

QStringList ConversationStore::acceptedMessageIds(const QString &tenant, const QString &conversation) const
{
    const Conversation *c = find(tenant, conversation);
    return c ? c->acceptedOrder : QStringList {};
}
