// The SQLite and PostgreSQL schema of widget-server's conversation store and the steps that bring an older database
// up to date. A database is opened once per ConversationStore; several processes may open one file.
#pragma once

#include <QString>

struct PostgresSettings;

namespace StoreSchema {

// The schema version this build writes. A database of a newer version is refused, not guessed at.
int currentVersion();

// Connects `connection` (a QSqlDatabase connection name) to `path` (":memory:" for a private in-memory
// database), sets the pragmas, and applies the migrations the database lacks, all in one transaction.
// Returns why it failed, empty on success; on failure the connection is left closed.
QString open(const QString &connection, const QString &path);

// The same for a PostgreSQL database (QPSQL), its connection's password empty for ~/.pgpass.
QString openPostgres(const QString &connection, const PostgresSettings &settings);

// The version recorded in the database's schema_version table; 0 when it has none.
int recordedVersion(const QString &connection);

} // namespace StoreSchema
