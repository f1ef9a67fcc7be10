#include "outboxstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUuid>

Q_LOGGING_CATEGORY(lcOutbox, "agentconsole.outbox")

OutboxStore::OutboxStore() = default;

OutboxStore::~OutboxStore()
{
    close();
}

QString OutboxStore::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/outbox.sqlite");
}

void OutboxStore::close()
{
    if (m_connection.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
    m_connection.clear();
    m_copies.reset();
}

// Opens the connection and prepares the schema; returns why it failed, empty on success.
static QString prepare(const QString &connection, const QString &path)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
    if (!db.isValid())
        return QCoreApplication::translate("OutboxStore", "the SQLite driver is missing");
    db.setDatabaseName(path);
    if (!db.open())
        return db.lastError().text();
    QSqlQuery q(db);
    // WAL: a crash mid-write never loses a committed reply. A new reply is written with
    // synchronous=FULL (add()), durable against power loss too, which is the point of this file; the
    // other changes need not wait for the disk: lost in a power cut, a reply is only sent again (the
    // backend's idempotency makes that safe) or shown waiting instead of failed.
    const QStringList setup{
        QStringLiteral("PRAGMA journal_mode=WAL"),
        QStringLiteral("PRAGMA synchronous=NORMAL"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS replies ("
                       " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                       " tenant TEXT NOT NULL, conversation TEXT NOT NULL,"
                       " message_id TEXT NOT NULL UNIQUE, text TEXT NOT NULL, media_url TEXT NOT NULL,"
                       " created_ms INTEGER NOT NULL, failed INTEGER NOT NULL DEFAULT 0, error TEXT NOT NULL DEFAULT '')"),
        // A corrupt file can open and even pass the statements above; reading proves it is usable.
        QStringLiteral("SELECT count(*) FROM replies"),
    };
    const auto failed = [&] {
        const QString why = q.lastError().text();
        q.finish();
        db.close();
        return why.trimmed().isEmpty() ? QCoreApplication::translate("OutboxStore", "the file is not a usable database")
                                       : why;
    };
    for (const QString &sql : setup) {
        if (!q.exec(sql))
            return failed();
    }
    // The attachment of a reply (issue 17), added to a file an earlier version made.
    QStringList columns;
    if (!q.exec(QStringLiteral("PRAGMA table_info(replies)")))
        return failed();
    while (q.next())
        columns.append(q.value(1).toString());
    const QList<std::pair<QString, QString>> attachmentColumns {{QStringLiteral("file_name"), QStringLiteral("TEXT")},
        {QStringLiteral("mime_type"), QStringLiteral("TEXT")}, {QStringLiteral("size"), QStringLiteral("INTEGER")},
        {QStringLiteral("width"), QStringLiteral("INTEGER")}, {QStringLiteral("height"), QStringLiteral("INTEGER")}};
    for (const auto &[name, type] : attachmentColumns) {
        const QString fallback = type == u"TEXT" ? QStringLiteral("''") : QStringLiteral("0");
        if (!columns.contains(name)
            && !q.exec(QStringLiteral("ALTER TABLE replies ADD COLUMN %1 %2 NOT NULL DEFAULT %3").arg(name, type, fallback)))
            return failed();
    }
    return QString();
}

bool OutboxStore::open(const QString &path)
{
    close();
    const QString connection = QStringLiteral("outbox-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    QString why = QDir().mkpath(QFileInfo(path).absolutePath())
        ? prepare(connection, path)
        : QCoreApplication::translate("OutboxStore", "the folder cannot be created");
    if (!why.isEmpty()) {
        QSqlDatabase::removeDatabase(connection);
        m_error = QCoreApplication::translate("OutboxStore", "Unsent replies cannot be saved to %1: %2.")
                      .arg(QDir::toNativeSeparators(path), why);
        qCWarning(lcOutbox).noquote() << m_error;
        return false;
    }
    m_connection = connection;
    m_path = path;
    m_error.clear();
    m_copies = std::make_unique<AttachmentCopies>(QFileInfo(path).absolutePath() + QStringLiteral("/attachments"));
    // Copies a crash left between the copy and the row go; one console runs per profile, so no other
    // process is writing a reply here now.
    QSet<QString> ids;
    QSqlQuery all(QSqlDatabase::database(m_connection, false));
    if (all.exec(QStringLiteral("SELECT message_id FROM replies"))) {
        while (all.next())
            ids.insert(all.value(0).toString());
        m_copies->sweep(ids);
    }
    return true;
}

bool OutboxStore::exec(const QString &sql, const QVariantList &values)
{
    if (m_connection.isEmpty())
        return false;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    q.prepare(sql);
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec()) {
        m_error
            = QCoreApplication::translate("OutboxStore", "Saving unsent replies failed: %1.").arg(q.lastError().text());
        qCWarning(lcOutbox).noquote() << m_error;
        return false;
    }
    return true;
}

bool OutboxStore::add(const QString &tenant, const QString &conversation, const Message &reply)
{
    // A null QString binds as SQL NULL; the columns are NOT NULL so a lost field is an error, not a row.
    const auto text = [](const QString &s) { return s.isNull() ? QStringLiteral("") : s; };
    // Only a second add of the same id is ignored (a restart re-adding a restored reply); any other
    // constraint violation still fails loudly.
    exec(QStringLiteral("PRAGMA synchronous=FULL"), {});
    const Attachment &a = reply.attachment;
    const bool added = exec(
        QStringLiteral("INSERT INTO replies (tenant, conversation, message_id, text, media_url, created_ms,"
                       " file_name, mime_type, size, width, height)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(message_id) DO NOTHING"),
        {text(tenant), text(conversation), reply.id, text(reply.text), text(reply.mediaUrl),
            reply.timestamp.toMSecsSinceEpoch(), text(a.fileName), text(a.mimeType), a.size, a.width, a.height});
    exec(QStringLiteral("PRAGMA synchronous=NORMAL"), {});
    return added;
}

bool OutboxStore::markUploaded(const QString &messageId, const QString &mediaUrl, const Attachment &atServer)
{
    return exec(QStringLiteral("UPDATE replies SET media_url = ?, mime_type = ?, size = ?, width = ?, height = ?"
                               " WHERE message_id = ?"),
        {mediaUrl, atServer.mimeType.isNull() ? QStringLiteral("") : atServer.mimeType, atServer.size, atServer.width,
            atServer.height, messageId});
}

bool OutboxStore::markFailed(const QString &messageId, const QString &error)
{
    return exec(QStringLiteral("UPDATE replies SET failed = 1, error = ? WHERE message_id = ?"), {error, messageId});
}

bool OutboxStore::markWaiting(const QString &messageId)
{
    return exec(QStringLiteral("UPDATE replies SET failed = 0, error = '' WHERE message_id = ?"), {messageId});
}

bool OutboxStore::remove(const QString &messageId)
{
    return exec(QStringLiteral("DELETE FROM replies WHERE message_id = ?"), {messageId});
}

bool OutboxStore::moveToEnd(const QStringList &messageIds)
{
    if (messageIds.isEmpty())
        return true;
    if (m_connection.isEmpty())
        return false;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction())
        return false;
    for (const QString &id : messageIds) {
        if (!exec(QStringLiteral("UPDATE replies SET seq = (SELECT max(seq) + 1 FROM replies) WHERE message_id = ?"),
                {id})) {
            db.rollback();
            return false;
        }
    }
    return db.commit();
}

QStringList OutboxStore::conversations(const QString &tenant) const
{
    QStringList out;
    if (m_connection.isEmpty())
        return out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT conversation FROM replies WHERE tenant = ? GROUP BY conversation ORDER BY min(seq)"));
    q.addBindValue(tenant);
    if (!q.exec())
        return out;
    while (q.next())
        out.append(q.value(0).toString());
    return out;
}

QList<Message> OutboxStore::replies(const QString &tenant, const QString &conversation) const
{
    QList<Message> out;
    if (m_connection.isEmpty())
        return out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT message_id, text, media_url, created_ms, failed, error,"
                             " file_name, mime_type, size, width, height FROM replies"
                             " WHERE tenant = ? AND conversation = ? ORDER BY seq"));
    q.addBindValue(tenant);
    q.addBindValue(conversation);
    if (!q.exec())
        return out;
    while (q.next()) {
        Message m;
        m.id = q.value(0).toString();
        m.direction = Direction::Outbound;
        m.text = q.value(1).toString();
        m.mediaUrl = q.value(2).toString();
        m.timestamp = QDateTime::fromMSecsSinceEpoch(q.value(3).toLongLong(), Qt::UTC);
        m.status = q.value(4).toBool() ? MessageStatus::Failed : MessageStatus::Pending;
        m.error = q.value(5).toString();
        if (const QString fileName = q.value(6).toString(); !fileName.isEmpty()) {
            m.attachment = Attachment {fileName, q.value(7).toString(), q.value(8).toLongLong(), q.value(9).toInt(),
                q.value(10).toInt(), m_copies ? m_copies->pathFor(m.id, fileName) : QString()};
        }
        out.append(m);
    }
    return out;
}
