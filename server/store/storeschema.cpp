#include "storeschema.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

namespace StoreSchema {

namespace {

// Migration N (1-based) turns a version N-1 database into version N. Append new steps, never edit an
// applied one: a database in the field has run it already.
const QList<QStringList> &migrations()
{
    static const QList<QStringList> steps {
        {
            // Version 1: conversations, their messages in timestamp order, and the idempotency records
            // of POST /send (client messageId -> the id the server answered with).
            QStringLiteral("CREATE TABLE conversations ("
                           " id INTEGER PRIMARY KEY,"
                           " tenant TEXT NOT NULL, conversation TEXT NOT NULL,"
                           " customer_name TEXT NOT NULL, wa_id TEXT NOT NULL, created_ms INTEGER NOT NULL,"
                           " UNIQUE (tenant, conversation))"),
            // seq breaks ties between equal timestamps in insertion order.
            QStringLiteral("CREATE TABLE messages ("
                           " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                           " conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,"
                           " message_id TEXT NOT NULL, inbound INTEGER NOT NULL,"
                           " text TEXT NOT NULL, media_url TEXT NOT NULL, ts_ms INTEGER NOT NULL,"
                           " status TEXT NOT NULL, error TEXT NOT NULL,"
                           " UNIQUE (conversation_id, message_id))"),
            // History pages read backwards from the newest message of one conversation (CONTRACT.md §1).
            QStringLiteral("CREATE INDEX messages_by_time ON messages (conversation_id, ts_ms, seq)"),
            // The UNIQUE constraint is what makes idempotency hold across processes sharing the file.
            QStringLiteral("CREATE TABLE accepted_sends ("
                           " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                           " conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,"
                           " client_message_id TEXT NOT NULL, message_id TEXT NOT NULL, accepted_ms INTEGER NOT NULL,"
                           " UNIQUE (conversation_id, client_message_id))"),
        },
    };
    return steps;
}

QString sqlError(const QSqlQuery &q)
{
    const QString text = q.lastError().text().trimmed();
    return text.isEmpty() ? QStringLiteral("the file is not a usable database") : text;
}

// Runs the statements in order; the first failure's message, empty when all succeeded.
QString execAll(QSqlDatabase &db, const QStringList &statements)
{
    QSqlQuery q(db);
    for (const QString &sql : statements) {
        if (!q.exec(sql))
            return sqlError(q);
        q.finish(); // a PRAGMA answers with a row; an unfinished statement would hold a read snapshot
    }
    return {};
}

int versionIn(QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT coalesce(max(version), 0) FROM schema_version")) || !q.next()) {
        *error = sqlError(q);
        return -1;
    }
    return q.value(0).toInt();
}

QString migrate(QSqlDatabase &db)
{
    // IMMEDIATE takes the write lock first, so two processes opening a new file at once run the
    // migrations one after the other instead of failing to upgrade a read lock.
    QString error = execAll(db,
        {QStringLiteral("BEGIN IMMEDIATE"),
            QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version ("
                           " version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL)")});
    if (!error.isEmpty())
        return error;
    const int known = currentVersion();
    const int found = versionIn(db, &error);
    if (found > known) {
        error = QStringLiteral("the database has schema version %1, this widget-server knows only up to %2")
                    .arg(found)
                    .arg(known);
    }
    for (int version = found + 1; error.isEmpty() && found >= 0 && version <= known; ++version) {
        error = execAll(db, migrations().at(version - 1));
        if (!error.isEmpty())
            break;
        QSqlQuery record(db);
        record.prepare(QStringLiteral("INSERT INTO schema_version (version, applied_ms) VALUES (?, ?)"));
        record.addBindValue(version);
        record.addBindValue(QDateTime::currentMSecsSinceEpoch());
        if (!record.exec())
            error = sqlError(record);
    }
    if (!error.isEmpty()) {
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return error;
    }
    return execAll(db, {QStringLiteral("COMMIT")});
}

QString configure(QSqlDatabase &db, bool inMemory)
{
    // busy_timeout first: every later statement may meet another process's lock on a shared file.
    QString error
        = execAll(db, {QStringLiteral("PRAGMA busy_timeout = 5000"), QStringLiteral("PRAGMA foreign_keys = ON")});
    if (!error.isEmpty() || inMemory)
        return error;
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !q.next())
        return sqlError(q);
    if (q.value(0).toString().compare(u"wal", Qt::CaseInsensitive) != 0)
        return QStringLiteral("the database cannot use a write-ahead log (journal mode %1)").arg(q.value(0).toString());
    q.finish();
    // NORMAL, the setting SQLite recommends with WAL: the file is never corrupted, and every commit
    // survives a crash, kill -9 or restart of the process (what a restart's deduplication needs). Only a
    // power cut or kernel crash may take back the commits since the last checkpoint. FULL would close
    // that too, at one fsync per send: 10,000 sends took 55 s instead of 1.1 s on the development VM, and
    // the reply is handed upstream before its record is committed either way, so FULL would not make the
    // two atomic.
    return execAll(db, {QStringLiteral("PRAGMA synchronous = NORMAL")});
}

} // namespace

int currentVersion()
{
    return int(migrations().size());
}

QString open(const QString &connection, const QString &path)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
    if (!db.isValid())
        return QStringLiteral("the Qt SQLite driver (libqt6sql6-sqlite) is missing");
    db.setDatabaseName(path);
    if (!db.open())
        return db.lastError().text();
    QString error = configure(db, path == u":memory:");
    if (error.isEmpty())
        error = migrate(db);
    if (!error.isEmpty())
        db.close();
    return error;
}

int recordedVersion(const QString &connection)
{
    QSqlDatabase db = QSqlDatabase::database(connection, false);
    QString error;
    return std::max(0, versionIn(db, &error));
}

} // namespace StoreSchema
