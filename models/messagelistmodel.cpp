#include "messagelistmodel.h"

#include <algorithm>

MessageListModel::MessageListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

int MessageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

void MessageListModel::setOutbox(const Outbox *outbox)
{
    if (m_outbox)
        m_outbox->disconnect(this);
    m_outbox = outbox;
    if (!outbox)
        return;
    connect(outbox, &Outbox::added, this, &MessageListModel::onOutboxAdded);
    connect(outbox, &Outbox::changed, this, &MessageListModel::onOutboxChanged);
    connect(outbox, &Outbox::uploadProgressed, this, &MessageListModel::onOutboxUploadProgressed);
    connect(outbox, &Outbox::left, this, &MessageListModel::onOutboxLeft);
    for (const Outbox::Entry &entry : outbox->entries())
        onOutboxAdded(entry.message);
}

const Outbox::Entry *MessageListModel::entryOf(const Message &row) const
{
    return m_outbox && !m_outbox->isEmpty() && row.direction == Direction::Outbound ? m_outbox->find(row.id) : nullptr;
}

Message MessageListModel::at(int row) const
{
    Message m = m_rows[size_t(row)];
    if (const Outbox::Entry *entry = entryOf(m)) {
        m.status = entry->message.status;
        m.error = entry->message.error;
        m.queued = entry->blocked;
        m.mediaUrl = entry->message.mediaUrl;
        m.attachment = entry->message.attachment;
    }
    return m;
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Message &stored = m_rows[size_t(index.row())];
    const bool shownByOutbox = role == StatusRole || role == ErrorRole || role == QueuedRole || role == MediaUrlRole
        || role == AttachmentRole;
    if (role == UploadProgressRole) {
        const Outbox::Entry *entry = entryOf(stored);
        if (!entry || !entry->uploading)
            return -1.0;
        return entry->uploadTotal > 0 ? std::clamp(double(entry->uploadSent) / double(entry->uploadTotal), 0.0, 1.0)
                                      : 0.0;
    }
    const Message &m = shownByOutbox && entryOf(stored) ? at(index.row()) : stored;
    switch (role) {
    case Qt::DisplayRole:
    case TextRole:
        return m.text;
    case Qt::AccessibleTextRole:
        return m.text;
    case IdRole:
        return m.id;
    case DirectionRole:
        return int(m.direction);
    case MediaUrlRole:
        return m.mediaUrl;
    case TimestampRole:
        return m.timestamp;
    case StatusRole:
        return int(m.status);
    case ErrorRole:
        return m.error;
    case QueuedRole:
        return m.queued;
    case AttachmentRole:
        return QVariant::fromValue(m.attachment);
    default:
        return QVariant();
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    return {
        {IdRole, "messageId"}, {DirectionRole, "direction"}, {TextRole, "text"},
        {MediaUrlRole, "mediaUrl"}, {TimestampRole, "timestamp"}, {StatusRole, "status"},
        {ErrorRole, "error"}, {QueuedRole, "queued"}, {AttachmentRole, "attachment"},
        {UploadProgressRole, "uploadProgress"},
    };
}

int MessageListModel::rowOf(const QString &id) const
{
    auto it = m_seqById.constFind(id);
    if (it == m_seqById.cend()) {
        const auto alias = m_aliasToId.constFind(id);
        if (alias == m_aliasToId.cend())
            return -1;
        it = m_seqById.constFind(*alias);
        if (it == m_seqById.cend())
            return -1;
    }
    return rowForSeq(*it);
}

QModelIndex MessageListModel::indexOf(const QString &id) const
{
    const int row = rowOf(id);
    return row < 0 ? QModelIndex() : index(row);
}

bool MessageListModel::append(const Message &message)
{
    if (message.id.isEmpty() || contains(message.id) || m_dismissed.contains(message.id))
        return false;
    const int row = int(m_rows.size());
    beginInsertRows(QModelIndex(), row, row);
    m_rows.push_back(message);
    m_seqById.insert(message.id, m_firstSeq + row);
    endInsertRows();
    track(row, row);
    return true;
}

int MessageListModel::prepend(const QList<Message> &olderPage)
{
    QList<Message> fresh;
    fresh.reserve(olderPage.size());
    QSet<QString> seen;
    for (const Message &m : olderPage) {
        if (!m.id.isEmpty() && !contains(m.id) && !seen.contains(m.id) && !m_dismissed.contains(m.id)) {
            seen.insert(m.id);
            fresh.append(m);
        }
    }
    if (fresh.isEmpty())
        return 0;
    beginInsertRows(QModelIndex(), 0, int(fresh.size()) - 1);
    for (auto it = fresh.crbegin(); it != fresh.crend(); ++it) {
        m_rows.push_front(*it);
        --m_firstSeq;
        m_seqById.insert(it->id, m_firstSeq);
    }
    endInsertRows();
    track(0, int(fresh.size()) - 1);
    return int(fresh.size());
}

int MessageListModel::merge(const QList<Message> &page)
{
    int added = 0;
    for (const Message &m : page) {
        if (m.id.isEmpty() || m_dismissed.contains(m.id))
            continue;
        if (contains(m.id)) {
            if (const auto event = serverEvent(m.status))
                applyEvent(m.id, *event, m.error);
            continue;
        }
        // Insert after the last message not newer than this one; history re-reads usually land at the end.
        int row = int(m_rows.size());
        while (row > 0 && m.timestamp.isValid() && m_rows[size_t(row - 1)].timestamp.isValid()
               && m_rows[size_t(row - 1)].timestamp > m.timestamp)
            --row;
        insertAt(row, m);
        ++added;
    }
    return added;
}

void MessageListModel::insertAt(int row, const Message &message)
{
    beginInsertRows(QModelIndex(), row, row);
    m_rows.insert(m_rows.begin() + row, message);
    reindexFrom(row);
    endInsertRows();
    track(row, row);
}

void MessageListModel::reindexFrom(int row)
{
    for (int r = row; r < int(m_rows.size()); ++r)
        m_seqById.insert(m_rows[size_t(r)].id, m_firstSeq + r);
}

bool MessageListModel::remove(const QString &id)
{
    const int row = rowOf(id);
    if (row < 0)
        return false;
    const QString canonical = at(row).id;
    beginRemoveRows(QModelIndex(), row, row);
    m_seqById.remove(canonical);
    m_aliasToId.removeIf([&](const auto &it) { return it.value() == canonical; });
    m_rows.erase(m_rows.begin() + row);
    reindexFrom(row);
    endRemoveRows();
    m_retriedAt.remove(canonical);
    if (m_unsent.remove(canonical))
        emit unsentCountChanged(unsentCount());
    return true;
}

bool MessageListModel::dismiss(const QString &id)
{
    const int row = rowOf(id);
    if (row < 0 || entryOf(m_rows[size_t(row)]))
        return false;
    const QString canonical = m_rows[size_t(row)].id;
    m_dismissed.insert(canonical);
    for (auto it = m_aliasToId.cbegin(); it != m_aliasToId.cend(); ++it) {
        if (it.value() == canonical)
            m_dismissed.insert(it.key());
    }
    return remove(canonical);
}

bool MessageListModel::applyEvent(const QString &id, StatusEvent event, const QString &error, quint64 stamp)
{
    const int row = rowOf(id);
    if (row < 0 || entryOf(m_rows[size_t(row)]))
        return false;
    Message &m = m_rows[size_t(row)];
    if (stamp != Now && stamp < m_retriedAt.value(m.id, 0))
        return false;
    const auto next = nextStatus(m.status, event);
    if (!next)
        return false;
    QList<int> roles{StatusRole};
    m.status = *next;
    // A failed reply keeps its error until it fails again; any other state has none.
    const QString newError = *next == MessageStatus::Failed ? error : QString();
    if (newError != m.error) {
        m.error = newError;
        roles.append(ErrorRole);
    }
    if (*next != MessageStatus::Pending && m.queued) {
        m.queued = false;
        roles.append(QueuedRole);
    }
    rowChanged(row, roles);
    return true;
}

void MessageListModel::rowChanged(int row, const QList<int> &roles)
{
    const QModelIndex idx = index(row);
    emit dataChanged(idx, idx, roles);
    track(row, row);
}

// The unsent count follows what is shown: only the rows that changed are looked at.
void MessageListModel::track(int first, int last)
{
    const qsizetype before = m_unsent.size();
    for (int row = first; row <= last; ++row) {
        const Message m = at(row);
        if (m.status == MessageStatus::Failed || m.queued)
            m_unsent.insert(m.id);
        else
            m_unsent.remove(m.id);
    }
    if (m_unsent.size() != before)
        emit unsentCountChanged(unsentCount());
}

QStringList MessageListModel::unsentIds() const
{
    QList<int> rows;
    for (const QString &id : m_unsent)
        rows.append(rowOf(id));
    std::sort(rows.begin(), rows.end());
    QStringList ids;
    for (int row : std::as_const(rows))
        ids.append(m_rows[size_t(row)].id);
    return ids;
}

void MessageListModel::onOutboxAdded(const Message &reply)
{
    const int row = rowOf(reply.id);
    if (row < 0)
        append(reply);
    else // a reply the upstream failed, queued again for Retry: the outbox speaks for it now
        rowChanged(row, {StatusRole, ErrorRole, QueuedRole});
}

void MessageListModel::onOutboxChanged(const QString &id)
{
    const int row = rowOf(id);
    if (row >= 0)
        rowChanged(row, {StatusRole, ErrorRole, QueuedRole, MediaUrlRole, AttachmentRole});
}

void MessageListModel::onOutboxUploadProgressed(const QString &id)
{
    // Only the progress bar repaints: nothing here changes a row's size or the unsent count.
    const QModelIndex idx = indexOf(id);
    if (idx.isValid())
        emit dataChanged(idx, idx, {UploadProgressRole});
}

// The reply's state passes from the outbox to this row: the server's word moves it on from here.
void MessageListModel::onOutboxLeft(
    const Message &reply, Outbox::Outcome outcome, const QString &serverId, quint64 retriedAt)
{
    if (outcome == Outbox::Outcome::Discarded) {
        remove(reply.id);
        return;
    }
    if (outcome == Outbox::Outcome::Dismissed) {
        dismiss(reply.id);
        return;
    }
    const int row = rowOf(reply.id);
    if (row < 0)
        return;
    Message &m = m_rows[size_t(row)];
    m.status = reply.status;
    m.error = reply.error;
    m.queued = false;
    // The outbox's copy of the file goes with it: from here on the attachment is the server's (mediaUrl).
    m.mediaUrl = reply.mediaUrl;
    m.attachment = reply.attachment;
    m.attachment.localPath.clear();
    if (retriedAt > 0)
        m_retriedAt.insert(m.id, retriedAt);
    rowChanged(row, {StatusRole, ErrorRole, QueuedRole, MediaUrlRole, AttachmentRole});
    if (!serverId.isEmpty())
        addAlias(reply.id, serverId);
}

void MessageListModel::addAlias(const QString &id, const QString &alias)
{
    const int row = rowOf(id);
    if (alias.isEmpty() || row < 0 || rowOf(alias) == row)
        return;
    const QString canonical = at(row).id;
    const int other = rowOf(alias);
    if (other >= 0) {
        // The reply is on screen twice: a history re-read after an unclear failure brought it back under
        // the server's id before the POST that tells us that id succeeded. Fold that copy into ours.
        // Only an outbound copy: an inbound message is never one of our replies.
        const Message copy = at(other);
        if (copy.direction != Direction::Outbound || m_seqById.value(alias, -1) < 0)
            return;
        remove(alias);
        if (const auto event = serverEvent(copy.status))
            applyEvent(canonical, *event, copy.error);
    }
    m_aliasToId.insert(alias, canonical);
}
