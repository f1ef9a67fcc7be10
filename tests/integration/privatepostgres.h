// A PostgreSQL server private to one test executable: Debian's initdb and pg_ctl (postgresql package)
// on a temporary data directory, listening on 127.0.0.1 on a free port and on a socket in that directory,
// so neither a system server nor a parallel run collides with it. initdb refuses to run as root: then
// every command runs as the `postgres` user through runuser, and the directory is handed to that user.
// Trust authentication, no fsync (a test's data need not survive a power cut). Stopped when the object goes.
#pragma once

#include "freeport.h"
#include "postgressettings.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <pwd.h>
#include <unistd.h>

class PrivatePostgres
{
public:
    // Empty when the server binaries and Qt's driver are installed; else why not (the test skips with it).
    static QString missingReason()
    {
        for (const char *tool : {"initdb", "pg_ctl", "postgres"}) {
            if (!QFile::exists(binary(tool)))
                return QStringLiteral("PostgreSQL is not installed (no %1); sh scripts/install-deps.sh installs it")
                    .arg(binary(tool));
        }
        if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
            return QStringLiteral("Qt's PostgreSQL driver is missing (libqt6sql6-psql; sh scripts/install-deps.sh)");
        if (::geteuid() == 0 && !::getpwnam("postgres"))
            return QStringLiteral("running as root without a 'postgres' user to run initdb as");
        return {};
    }

    // initdb and the first start; false with `why` when either fails.
    bool start(QString *why)
    {
        if (!m_dir.isValid()) {
            *why = QStringLiteral("no temporary directory");
            return false;
        }
        if (::geteuid() == 0) {
            const passwd *user = ::getpwnam("postgres");
            if (!user || ::chown(QFile::encodeName(m_dir.path()).constData(), user->pw_uid, user->pw_gid) != 0) {
                *why = QStringLiteral("cannot hand %1 to the postgres user").arg(m_dir.path());
                return false;
            }
        }
        m_port = freeLocalPort();
        if (!run("initdb",
                {QStringLiteral("-D"), dataDir(), QStringLiteral("-U"), QStringLiteral("postgres"),
                    QStringLiteral("-A"), QStringLiteral("trust"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                    QStringLiteral("--locale=C"), QStringLiteral("--no-sync")},
                why))
            return false;
        return resume(why);
    }

    // Stops the server (fast shutdown: the sessions are cut) and starts it again on the same port.
    bool stop(QString *why)
    {
        m_stopped = true;
        return run("pg_ctl",
            {QStringLiteral("-D"), dataDir(), QStringLiteral("-m"), QStringLiteral("fast"), QStringLiteral("-w"),
                QStringLiteral("stop")},
            why);
    }
    bool ensureRunning(QString *why) { return !m_stopped || resume(why); }
    bool resume(QString *why)
    {
        m_stopped = false;
        const QString options
            = QStringLiteral("-p %1 -k %2 -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                             "-c full_page_writes=off -c deadlock_timeout=100ms")
                  .arg(m_port)
                  .arg(m_dir.path());
        return run("pg_ctl",
            {QStringLiteral("-D"), dataDir(), QStringLiteral("-l"), m_dir.filePath(QStringLiteral("server.log")),
                QStringLiteral("-o"), options, QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"),
                QStringLiteral("start")},
            why);
    }

    ~PrivatePostgres()
    {
        if (m_port != 0 && QFile::exists(dataDir() + QStringLiteral("/postmaster.pid")))
            run("pg_ctl",
                {QStringLiteral("-D"), dataDir(), QStringLiteral("-m"), QStringLiteral("immediate"),
                    QStringLiteral("-w"), QStringLiteral("stop")},
                nullptr);
    }

    quint16 port() const { return m_port; }
    PostgresSettings settings(const QString &database) const
    {
        PostgresSettings s;
        s.host = QStringLiteral("127.0.0.1");
        s.port = m_port;
        s.user = QStringLiteral("postgres");
        s.database = database;
        return s;
    }
    QString url(const QString &database) const { return settings(database).redactedUrl(); }

    // Runs statements as the superuser on `database` through a connection of its own; the first
    // failure's message, empty when all succeeded.
    QString exec(const QString &database, const QStringList &statements) const
    {
        const QString name = QStringLiteral("private-postgres-admin");
        QString error;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
            const PostgresSettings s = settings(database);
            db.setHostName(s.host);
            db.setPort(s.port);
            db.setUserName(s.user);
            db.setDatabaseName(s.database);
            if (!db.open()) {
                error = db.lastError().text();
            } else {
                QSqlQuery q(db);
                for (const QString &sql : statements) {
                    if (!q.exec(sql)) {
                        error = q.lastError().text();
                        break;
                    }
                }
            }
        }
        QSqlDatabase::removeDatabase(name);
        return error;
    }

    // `user` must give a password over TCP from now on (pg_hba.conf is read top down; the server rereads
    // it on pg_reload_conf(), asynchronously).
    bool requirePassword(const QString &user) const
    {
        QFile hba(dataDir() + QStringLiteral("/pg_hba.conf"));
        if (!hba.open(QIODevice::ReadOnly))
            return false;
        const QByteArray rest = hba.readAll();
        hba.close();
        if (!hba.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return false;
        hba.write("host all " + user.toUtf8() + " 127.0.0.1/32 scram-sha-256\n" + rest);
        hba.close();
        return exec(QStringLiteral("postgres"), {QStringLiteral("SELECT pg_reload_conf()")}).isEmpty();
    }

private:
    static QString binary(const char *name)
    {
        return QStringLiteral("/usr/lib/postgresql/15/bin/") + QLatin1String(name);
    }
    QString dataDir() const { return m_dir.filePath(QStringLiteral("data")); }
    // A bounded test step: pg_ctl -w returns once the server is up or down (-t 60 at most).
    bool run(const char *tool, const QStringList &arguments, QString *why) const
    {
        QProcess process;
        process.setWorkingDirectory(m_dir.path());
        process.setProcessChannelMode(QProcess::MergedChannels);
        if (::geteuid() == 0)
            process.start(QStringLiteral("runuser"),
                QStringList {QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"), binary(tool)}
                    + arguments);
        else
            process.start(binary(tool), arguments);
        const bool ok
            = process.waitForFinished(90000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
        if (!ok && why) {
            QFile log(m_dir.filePath(QStringLiteral("server.log")));
            log.open(QIODevice::ReadOnly);
            *why = QStringLiteral("%1 failed:\n%2\n%3")
                       .arg(QLatin1String(tool), QString::fromLocal8Bit(process.readAll()),
                           QString::fromLocal8Bit(log.readAll().right(2000)));
        }
        return ok;
    }

    QTemporaryDir m_dir;
    quint16 m_port = 0;
    bool m_stopped = false;
};
