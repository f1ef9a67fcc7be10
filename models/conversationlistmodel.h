// ConversationListModel: the conversations the agent has open, in the order they were opened, one
// row each with what the sidebar shows: customer name, last message, its time, unread and unsent counts.
#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QHash>
#include <QList>

class ConversationListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Roles {
        IdRole = Qt::UserRole + 1,
        CustomerNameRole, // from the context endpoint; empty until it answered
        PreviewRole, // the last message as one line of plain text
        LastMessageTimeRole,
        UnreadCountRole, // inbound messages that arrived live while the conversation was not on screen
        UnsentCountRole, // failed replies and the ones queued behind them
    };
    Q_ENUM(Roles)

    explicit ConversationListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int rowOf(const QString &id) const { return m_rowById.value(id, -1); }
    QModelIndex indexOf(const QString &id) const;
    bool contains(const QString &id) const { return m_rowById.contains(id); }
    QString idAt(int row) const { return m_rows.at(row).id; }
    QStringList ids() const;

    // Appends a conversation; false (nothing changes) for an empty or known id.
    bool add(const QString &id);
    bool remove(const QString &id);

    // Each setter emits dataChanged with only the roles that changed, and nothing when nothing did.
    bool setCustomerName(const QString &id, const QString &name);
    bool setLastMessage(const QString &id, const QString &text, const QDateTime &time);
    bool setUnreadCount(const QString &id, int count);
    bool setUnsentCount(const QString &id, int count);

    int unreadTotal() const;
    int unsentTotal() const;

    // The one line a message is shown as in a list: line breaks, tabs and runs of white space become
    // one space, other control characters go, and very long text is cut (the view elides it anyway).
    static QString previewOf(const QString &text);

private:
    struct Row
    {
        QString id;
        QString customerName;
        QString preview;
        QDateTime time;
        int unread = 0;
        int unsent = 0;
    };
    QString displayName(const Row &row) const { return row.customerName.isEmpty() ? row.id : row.customerName; }
    QString accessibleText(const Row &row) const;
    void changed(int row, const QList<int> &roles);
    void reindexFrom(int row);

    QList<Row> m_rows;
    QHash<QString, int> m_rowById;
};
