// A RabbitMQ node private to one test run: the Debian rabbitmq-server run as the current user, with
// its data, logs, Erlang cookie (HOME) and its own epmd under a temporary directory and every port
// (AMQP, distribution, epmd, CLI) picked free, so neither a system broker nor a parallel run collides
// with it. Stopped with its whole process group when the object goes.
#pragma once

#include "childprocess.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

class PrivateBroker
{
public:
    // Empty when the broker's scripts are installed; else why not (the test skips with it).
    static QString missingReason()
    {
        if (!QFile::exists(serverScript()) || !QFile::exists(ctlScript()))
            return QStringLiteral("rabbitmq-server is not installed (no %1); sh scripts/install-deps.sh installs it")
                .arg(serverScript());
        if (epmd().isEmpty())
            return QStringLiteral("epmd (erlang-base) not found");
        return {};
    }

    // Starts epmd and the node; true once the node accepts AMQP connections.
    bool start(QString *why)
    {
        if (!m_dir.isValid()) {
            *why = QStringLiteral("no temporary directory");
            return false;
        }
        m_port = freePort();
        const quint16 distPort = freePort();
        const quint16 epmdPort = freePort();
        const quint16 ctlPort = freePort();
        QDir(m_dir.path()).mkpath(QStringLiteral("home"));
        QFile plugins(m_dir.filePath(QStringLiteral("enabled_plugins")));
        if (!plugins.open(QIODevice::WriteOnly) || plugins.write("[].\n") < 0) {
            *why = QStringLiteral("cannot write %1").arg(plugins.fileName());
            return false;
        }
        plugins.close();
        QFile(m_dir.filePath(QStringLiteral("rabbitmq-env.conf"))).open(QIODevice::WriteOnly);

        m_env = QProcessEnvironment::systemEnvironment();
        const auto set = [this](const char *name, const QString &value) { m_env.insert(QLatin1String(name), value); };
        set("HOME", m_dir.filePath(QStringLiteral("home"))); // the Erlang cookie lands here
        set("ERL_EPMD_PORT", QString::number(epmdPort));
        set("RABBITMQ_NODENAME", QStringLiteral("wstest-%1@localhost").arg(QCoreApplication::applicationPid()));
        set("RABBITMQ_NODE_IP_ADDRESS", QStringLiteral("127.0.0.1"));
        set("RABBITMQ_NODE_PORT", QString::number(m_port));
        set("RABBITMQ_DIST_PORT", QString::number(distPort));
        set("RABBITMQ_CTL_DIST_PORT_MIN", QString::number(ctlPort));
        set("RABBITMQ_CTL_DIST_PORT_MAX", QString::number(ctlPort));
        set("RABBITMQ_MNESIA_BASE", m_dir.filePath(QStringLiteral("mnesia")));
        set("RABBITMQ_LOG_BASE", m_dir.filePath(QStringLiteral("log")));
        set("RABBITMQ_CONFIG_FILE", m_dir.filePath(QStringLiteral("rabbitmq"))); // none: the defaults
        set("RABBITMQ_ENABLED_PLUGINS_FILE", plugins.fileName()); // no plugins: a faster start
        set("RABBITMQ_CONF_ENV_FILE", m_dir.filePath(QStringLiteral("rabbitmq-env.conf")));

        m_epmd = std::make_unique<ChildProcess>(
            epmd(), QStringList {QStringLiteral("-port"), QString::number(epmdPort)}, m_env, m_dir.path());
        m_server = std::make_unique<ChildProcess>(serverScript(), QStringList {}, m_env, m_dir.path());
        // Booting takes a few seconds: poll the AMQP port until it answers or the node gives up.
        const bool up = QTest::qWaitFor([this] { return accepts() || !m_server->isRunning(); }, 90000) && accepts();
        if (!up)
            *why = QStringLiteral("rabbitmq-server did not start:\n%1").arg(m_server->standardError().right(2000));
        return up;
    }

    ~PrivateBroker()
    {
        if (m_server && m_server->isRunning())
            ctl({QStringLiteral("shutdown")}, nullptr);
        m_server.reset();
        m_epmd.reset();
    }

    quint16 port() const { return m_port; }
    QString url(const QString &query = {}) const
    {
        return QStringLiteral("amqp://guest:guest@127.0.0.1:%1/%2").arg(m_port).arg(query);
    }

    // Runs rabbitmqctl against this node and returns its stdout (a test step: it is quick and bounded).
    QString ctl(const QStringList &arguments, bool *ok)
    {
        QProcess process;
        process.setProcessEnvironment(m_env);
        process.setWorkingDirectory(m_dir.path());
        process.start(ctlScript(), QStringList {QStringLiteral("-q")} + arguments);
        const bool finished = process.waitForFinished(60000);
        if (ok)
            *ok = finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
        return QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
    }

    bool accepts() const
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        return socket.waitForConnected(250);
    }

private:
    static QString serverScript() { return QStringLiteral("/usr/lib/rabbitmq/bin/rabbitmq-server"); }
    static QString ctlScript() { return QStringLiteral("/usr/lib/rabbitmq/bin/rabbitmqctl"); }
    static QString epmd()
    {
        const QString onPath = QStandardPaths::findExecutable(QStringLiteral("epmd"));
        return onPath.isEmpty()
            ? QStandardPaths::findExecutable(QStringLiteral("epmd"), {QStringLiteral("/usr/lib/erlang/bin")})
            : onPath;
    }
    static quint16 freePort()
    {
        QTcpServer server;
        server.listen(QHostAddress::LocalHost, 0);
        return server.serverPort();
    }

    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
    quint16 m_port = 0;
    std::unique_ptr<ChildProcess> m_epmd;
    std::unique_ptr<ChildProcess> m_server;
};
