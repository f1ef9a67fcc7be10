// MessageListModel: the messages of one conversation, oldest first, with an id -> row index so
// a status event costs the same with 10 or 1,000,000 messages (CONTRACT.md §4).
//
// It shows history plus what the Outbox says: a reply the outbox holds has a row here, but its status,
// error, queued flag, mediaUrl, attachment and upload progress are read from the outbox, never copied; when the reply
// leaves the outbox its last state is handed over and the server's word moves it on from there (applyEvent, merge).
#pragma once

#include "message.h"
#include "outbox.h"
#include "statuslattice.h"

#include <QAbstractListModel>
#include <QHash>
#include <QSet>

#include <deque>
#include <limits>

class MessageListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Roles {
        IdRole = Qt::UserRole + 1,
        DirectionRole,
        TextRole,
        MediaUrlRole,
        TimestampRole,
        StatusRole,
        ErrorRole,
        QueuedRole,
        AttachmentRole, // Attachment; an empty one for a text message
        UploadProgressRole, // double in [0, 1] while the attachment's upload is on the wire, else -1
    };
    Q_ENUM(Roles)

    explicit MessageListModel(QObject *parent = nullptr);

    // The outbox whose replies this model shows (not owned; must outlive the model). Its replies get a
    // row at once; later ones as they are written; a discarded one loses its row.
    void setOutbox(const Outbox *outbox);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The message as shown: for a reply in the outbox, with the outbox's status, error and queued flag.
    Message at(int row) const;
    // Row of a message by its id or any alias of it; -1 when unknown. O(1).
    int rowOf(const QString &id) const;
    QModelIndex indexOf(const QString &id) const;
    bool contains(const QString &id) const { return rowOf(id) >= 0; }

    // Appends a new message at the end; ignored (false) when its id is already known.
    bool append(const Message &message);
    // Prepends an older history page (oldest first); known ids are skipped. Returns how many were added.
    int prepend(const QList<Message> &olderPage);
    // Merges a history page re-read from the server: known messages take the server's status by the
    // lattice, unknown ones are inserted in timestamp order. Returns how many were added.
    int merge(const QList<Message> &page);
    bool remove(const QString &id);
    // Removes a message the outbox does not hold (a reply the upstream failed after accepting it) for
    // the rest of this session: history re-reads do not bring it back.
    bool dismiss(const QString &id);

    // Applies a status event to a message the outbox does not hold (the outbox's replies are its own
    // to change); emits dataChanged with only the changed roles, nothing on a no-op. `stamp`: when the
    // word was asked for (a history request): a page older than the agent's last Retry of a reply
    // does not undo it.
    bool applyEvent(const QString &id, StatusEvent event, const QString &error = QString(), quint64 stamp = Now);
    static constexpr quint64 Now = std::numeric_limits<quint64>::max();
    // Makes `alias` (e.g. the id the server assigned) refer to the same message as `id`. A separate
    // outbound row already stored under `alias` is the same reply seen twice: it is folded into `id`'s row.
    void addAlias(const QString &id, const QString &alias);

    // Replies shown as failed or as queued behind a failed one: what the "not sent" bar counts.
    int unsentCount() const { return int(m_unsent.size()); }
    // Rows shown as failed or queued, oldest first.
    QStringList unsentIds() const;

signals:
    void unsentCountChanged(int count);

private:
    const Outbox::Entry *entryOf(const Message &row) const;
    void onOutboxAdded(const Message &reply);
    void onOutboxChanged(const QString &id);
    void onOutboxUploadProgressed(const QString &id);
    void onOutboxLeft(const Message &reply, Outbox::Outcome outcome, const QString &serverId, quint64 retriedAt);
    void rowChanged(int row, const QList<int> &roles);
    void track(int first, int last);
    void insertAt(int row, const Message &message);
    void reindexFrom(int row);
    int rowForSeq(qint64 seq) const { return int(seq - m_firstSeq); }

    std::deque<Message> m_rows;
    // Ids map to a sequence number rather than a row so prepending a page shifts no entry:
    // row = seq - m_firstSeq.
    QHash<QString, qint64> m_seqById;
    QHash<QString, QString> m_aliasToId;
    qint64 m_firstSeq = 0;
    const Outbox *m_outbox = nullptr;
    QSet<QString> m_unsent;
    QSet<QString> m_dismissed;
    QHash<QString, quint64> m_retriedAt; // replies the agent retried, by canonical id
};
