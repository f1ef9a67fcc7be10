#include "conversationlistmodel.h"

// Enough for any sidebar width; the rest would only be elided.
static constexpr qsizetype MaxPreviewLength = 200;

ConversationListModel::ConversationListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

int ConversationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ConversationListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayName(row);
    case Qt::AccessibleTextRole:
        return accessibleText(row);
    case IdRole:
        return row.id;
    case CustomerNameRole:
        return row.customerName;
    case PreviewRole:
        return row.preview;
    case LastMessageTimeRole:
        return row.time;
    case UnreadCountRole:
        return row.unread;
    case UnsentCountRole:
        return row.unsent;
    default:
        return QVariant();
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    return {
        {Qt::DisplayRole, "display"},
        {IdRole, "conversationId"},
        {CustomerNameRole, "customerName"},
        {PreviewRole, "preview"},
        {LastMessageTimeRole, "lastMessageTime"},
        {UnreadCountRole, "unreadCount"},
        {UnsentCountRole, "unsentCount"},
    };
}

// What a screen reader says for the row: everything the painted row shows, in words.
QString ConversationListModel::accessibleText(const Row &row) const
{
    QString text = displayName(row);
    if (row.unread > 0)
        text += tr(", %n unread", nullptr, row.unread);
    if (row.unsent > 0)
        text += tr(", %n not sent", nullptr, row.unsent);
    if (!row.preview.isEmpty())
        text += tr(", last message: %1").arg(row.preview);
    return text;
}

QModelIndex ConversationListModel::indexOf(const QString &id) const
{
    const int row = rowOf(id);
    return row < 0 ? QModelIndex() : index(row);
}

QStringList ConversationListModel::ids() const
{
    QStringList ids;
    ids.reserve(m_rows.size());
    for (const Row &row : m_rows)
        ids.append(row.id);
    return ids;
}

bool ConversationListModel::add(const QString &id)
{
    if (id.isEmpty() || contains(id))
        return false;
    const int row = int(m_rows.size());
    beginInsertRows(QModelIndex(), row, row);
    m_rows.append(Row {id, {}, {}, {}, 0, 0});
    m_rowById.insert(id, row);
    endInsertRows();
    return true;
}

bool ConversationListModel::remove(const QString &id)
{
    const int row = rowOf(id);
    if (row < 0)
        return false;
    beginRemoveRows(QModelIndex(), row, row);
    m_rows.removeAt(row);
    m_rowById.remove(id);
    reindexFrom(row);
    endRemoveRows();
    return true;
}

void ConversationListModel::reindexFrom(int row)
{
    for (int i = row; i < m_rows.size(); ++i)
        m_rowById.insert(m_rows.at(i).id, i);
}

void ConversationListModel::changed(int row, const QList<int> &roles)
{
    const QModelIndex idx = index(row);
    emit dataChanged(idx, idx, roles);
}

bool ConversationListModel::setCustomerName(const QString &id, const QString &name)
{
    const int row = rowOf(id);
    if (row < 0 || m_rows.at(row).customerName == name)
        return false;
    m_rows[row].customerName = name;
    changed(row, {CustomerNameRole, Qt::DisplayRole, Qt::AccessibleTextRole});
    return true;
}

bool ConversationListModel::setLastMessage(const QString &id, const QString &text, const QDateTime &time)
{
    const int row = rowOf(id);
    if (row < 0)
        return false;
    Row &r = m_rows[row];
    const QString preview = previewOf(text);
    QList<int> roles;
    if (r.preview != preview) {
        r.preview = preview;
        roles << PreviewRole << Qt::AccessibleTextRole;
    }
    if (r.time != time) {
        r.time = time;
        roles << LastMessageTimeRole;
    }
    if (roles.isEmpty())
        return false;
    changed(row, roles);
    return true;
}

bool ConversationListModel::setUnreadCount(const QString &id, int count)
{
    const int row = rowOf(id);
    count = qMax(0, count);
    if (row < 0 || m_rows.at(row).unread == count)
        return false;
    m_rows[row].unread = count;
    changed(row, {UnreadCountRole, Qt::AccessibleTextRole});
    return true;
}

bool ConversationListModel::setUnsentCount(const QString &id, int count)
{
    const int row = rowOf(id);
    count = qMax(0, count);
    if (row < 0 || m_rows.at(row).unsent == count)
        return false;
    m_rows[row].unsent = count;
    changed(row, {UnsentCountRole, Qt::AccessibleTextRole});
    return true;
}

int ConversationListModel::unreadTotal() const
{
    int total = 0;
    for (const Row &row : m_rows)
        total += row.unread;
    return total;
}

int ConversationListModel::unsentTotal() const
{
    int total = 0;
    for (const Row &row : m_rows)
        total += row.unsent;
    return total;
}

QString ConversationListModel::previewOf(const QString &text)
{
    QString line;
    line.reserve(qMin(text.size(), MaxPreviewLength + 1));
    bool pendingSpace = false;
    for (qsizetype i = 0; i < text.size() && line.size() < MaxPreviewLength; ++i) {
        const QChar c = text.at(i);
        if (c.isSpace()) { // includes line and paragraph separators
            pendingSpace = !line.isEmpty();
            continue;
        }
        if (c.category() == QChar::Other_Control)
            continue;
        if (pendingSpace) {
            line += QLatin1Char(' ');
            pendingSpace = false;
        }
        line += c;
    }
    // Never end on half a surrogate pair.
    if (!line.isEmpty() && line.back().isHighSurrogate())
        line.chop(1);
    return line;
}
