// OutboxStore: the replies the backend has not accepted yet, kept in SQLite so they survive a
// crash, a kill -9 or a power cut. A reply is written before its first POST and removed once the
// backend accepted it or the agent discarded it; each change is one transaction (WAL journal). The
// files attached to them are kept beside the database (AttachmentCopies), one folder per reply.
#pragma once

#include "attachmentcopies.h"
#include "message.h"

#include <QList>
#include <QString>

#include <memory>

class OutboxStore
{
public:
    OutboxStore();
    ~OutboxStore();
    OutboxStore(const OutboxStore &) = delete;
    OutboxStore &operator=(const OutboxStore &) = delete;

    // Opens (creating if needed) the database at `path`. On failure the store stays closed, every
    // call below fails harmlessly, and `error()` says why in words an agent can act on.
    bool open(const QString &path);
    bool isOpen() const { return !m_connection.isEmpty(); }
    QString error() const { return m_error; }
    QString path() const { return m_path; }
    // The default location: <AppDataLocation>/outbox.sqlite.
    static QString defaultPath();

    bool add(const QString &tenant, const QString &conversation, const Message &reply);
    bool markFailed(const QString &messageId, const QString &error);
    bool markWaiting(const QString &messageId);
    // The attachment is at the server: the send that follows needs only its mediaUrl, also after a crash.
    bool markUploaded(const QString &messageId, const QString &mediaUrl, const Attachment &atServer);
    bool remove(const QString &messageId);
    // Moves these replies, in this order, behind every other one (one transaction): a reply put back
    // into the outbox takes its place before them.
    bool moveToEnd(const QStringList &messageIds);
    // The conversations of `tenant` that have unsent replies, the one with the oldest first.
    QStringList conversations(const QString &tenant) const;
    // The unsent replies of one conversation in the order they were written; failed ones keep
    // their error and state, attachments their copy's path.
    QList<Message> replies(const QString &tenant, const QString &conversation) const;

    // Where the copies of attached files live: <database folder>/attachments; null while closed.
    AttachmentCopies *copies() const { return m_copies.get(); }

private:
    bool exec(const QString &sql, const QVariantList &values);
    void close();

    QString m_connection;
    QString m_error;
    QString m_path;
    std::unique_ptr<AttachmentCopies> m_copies;
};
