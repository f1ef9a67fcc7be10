// Where a PostgreSQL conversation store lives (--database postgresql://user@host:port/dbname). The
// password never comes from the URL (argv is visible to every local user, and URLs end up in logs): it is
// WIDGET_SERVER_DB_PASSWORD, or else libpq reads ~/.pgpass (PGPASSFILE) by itself.
#pragma once

#include <QString>

#include <variant>

struct PostgresSettings
{
    QString host; // empty: libpq's default (the local socket)
    int port = 5432;
    QString user; // empty: libpq's default (the login name)
    QString database;
    QString password; // empty: ~/.pgpass, or none

    // A URL with a password in it, or without a database name, is refused (the reason never echoes it).
    static std::variant<PostgresSettings, QString> fromUrl(const QString &url);
    static bool isPostgresUrl(const QString &text);
    QString redactedUrl() const; // for logs and errors: never the password
};
