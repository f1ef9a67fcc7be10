// A RabbitMQ node private to one test run: the Debian rabbitmq-server run as the current user, with
// its data, logs, Erlang cookie (HOME) and its own epmd under a temporary directory and every port
// (AMQP, distribution, epmd, CLI) picked free, so neither a system broker nor a parallel run collides
// with it. Stopped with its whole process group when the object goes.
//
// With enableTls() before start(), the node also listens for amqps:// on tlsPort(), with certificates
// made for this run by the openssl CLI: a CA, a server certificate for "localhost" and the IP address
// 127.0.0.2 only (so 127.0.0.1 is a name mismatch), a client certificate the node demands
// (fail_if_no_peer_cert), and a second CA that signed nothing the node shows.
#pragma once

#include "childprocess.h"
#include "freeport.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
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

    // Empty when the openssl CLI is installed; else why not.
    static QString missingTlsReason()
    {
        return openssl().isEmpty() ? QStringLiteral("the openssl command is not installed") : QString();
    }

    // Makes this run's certificates and asks start() for a TLS listener too.
    bool enableTls(QString *why)
    {
        if (!m_dir.isValid() || !QDir(m_dir.path()).mkpath(QStringLiteral("tls"))) {
            *why = QStringLiteral("no temporary directory");
            return false;
        }
        const QString ec = QStringLiteral("ec_paramgen_curve:prime256v1"); // fast to make, and every TLS stack takes it
        const auto ca = [&](const QString &name) {
            return QStringList {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-nodes"),
                QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"), ec,
                QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=") + name,
                QStringLiteral("-keyout"), tlsFile(name + QStringLiteral(".key")), QStringLiteral("-out"),
                tlsFile(name + QStringLiteral(".pem"))};
        };
        // A leaf signed by the CA, with the given subjectAltName.
        const auto leaf = [&](const QString &name, const QString &extensions) {
            QFile file(tlsFile(name + QStringLiteral(".ext")));
            return file.open(QIODevice::WriteOnly) && file.write(extensions.toUtf8()) > 0 && (file.close(), true)
                && openssl({QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-nodes"),
                               QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"), ec,
                               QStringLiteral("-subj"), QStringLiteral("/CN=") + name, QStringLiteral("-keyout"),
                               tlsFile(name + QStringLiteral(".key")), QStringLiteral("-out"),
                               tlsFile(name + QStringLiteral(".csr"))},
                    why)
                && openssl(
                    {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                        tlsFile(name + QStringLiteral(".csr")), QStringLiteral("-CA"), caFile(),
                        QStringLiteral("-CAkey"), tlsFile(QStringLiteral("ca.key")), QStringLiteral("-CAcreateserial"),
                        QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"), file.fileName(),
                        QStringLiteral("-out"), tlsFile(name + QStringLiteral(".pem"))},
                    why);
        };
        m_tls = openssl(ca(QStringLiteral("ca")), why) && openssl(ca(QStringLiteral("otherca")), why)
            && leaf(QStringLiteral("localhost"),
                QStringLiteral("basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost,IP:127.0.0.2\n"))
            && leaf(
                QStringLiteral("client"), QStringLiteral("basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n"));
        return m_tls;
    }

    // This run's certificates: the CA of the node's, another CA, and the client's pair.
    QString caFile() const { return tlsFile(QStringLiteral("ca.pem")); }
    QString otherCaFile() const { return tlsFile(QStringLiteral("otherca.pem")); }
    QString clientCertFile() const { return tlsFile(QStringLiteral("client.pem")); }
    QString clientKeyFile() const { return tlsFile(QStringLiteral("client.key")); }

    // Starts epmd and the node; true once the node accepts AMQP connections (and TLS ones, if enabled).
    bool start(QString *why)
    {
        if (!m_dir.isValid()) {
            *why = QStringLiteral("no temporary directory");
            return false;
        }
        m_port = freeLocalPort();
        if (m_tls) {
            m_tlsPort = freeLocalPort();
            QFile config(m_dir.filePath(QStringLiteral("rabbitmq.conf")));
            // 127.0.0.2 (loopback too) is in the certificate as an IP address; 127.0.0.1 is not.
            const QString text = QStringLiteral("listeners.ssl.1 = 127.0.0.1:%1\n"
                                                "listeners.ssl.2 = 127.0.0.2:%1\n"
                                                "ssl_options.cacertfile = %2\n"
                                                "ssl_options.certfile = %3\n"
                                                "ssl_options.keyfile = %4\n"
                                                "ssl_options.verify = verify_peer\n"
                                                "ssl_options.fail_if_no_peer_cert = true\n")
                                     .arg(m_tlsPort)
                                     .arg(caFile(), tlsFile(QStringLiteral("localhost.pem")),
                                         tlsFile(QStringLiteral("localhost.key")));
            if (!config.open(QIODevice::WriteOnly) || config.write(text.toUtf8()) < 0) {
                *why = QStringLiteral("cannot write %1").arg(config.fileName());
                return false;
            }
        }
        const quint16 distPort = freeLocalPort();
        const quint16 epmdPort = freeLocalPort();
        const quint16 ctlPort = freeLocalPort();
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
        set("RABBITMQ_CONFIG_FILE", m_dir.filePath(QStringLiteral("rabbitmq"))); // .conf: only with TLS
        set("RABBITMQ_ENABLED_PLUGINS_FILE", plugins.fileName()); // no plugins: a faster start
        set("RABBITMQ_CONF_ENV_FILE", m_dir.filePath(QStringLiteral("rabbitmq-env.conf")));

        m_epmd = std::make_unique<ChildProcess>(
            epmd(), QStringList {QStringLiteral("-port"), QString::number(epmdPort)}, m_env, m_dir.path());
        m_server = std::make_unique<ChildProcess>(serverScript(), QStringList {}, m_env, m_dir.path());
        // Booting takes a few seconds: poll the AMQP port until it answers or the node gives up.
        const auto ready = [this] { return accepts(m_port) && (!m_tls || accepts(m_tlsPort)); };
        const bool up = QTest::qWaitFor([&] { return ready() || !m_server->isRunning(); }, 90000) && ready();
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
    quint16 tlsPort() const { return m_tlsPort; }
    QString url(const QString &query = {}) const
    {
        return QStringLiteral("amqp://guest:guest@127.0.0.1:%1/%2").arg(m_port).arg(query);
    }
    // host: "localhost" and "127.0.0.2" match the node's certificate, "127.0.0.1" does not.
    QString tlsUrl(const QString &host, const QString &query = {}) const
    {
        return QStringLiteral("amqps://guest:guest@%1:%2/%3").arg(host).arg(m_tlsPort).arg(query);
    }

    // Runs rabbitmqctl against this node and returns its stdout (a test step: it is quick and bounded).
    QString ctl(const QStringList &arguments, bool *ok)
    {
        QString output;
        for (int attempt = 0; attempt < 3; ++attempt) {
            QProcess process;
            process.setProcessEnvironment(m_env);
            process.setWorkingDirectory(m_dir.path());
            process.start(ctlScript(), QStringList {QStringLiteral("-q")} + arguments);
            const bool finished = process.waitForFinished(60000);
            const bool done = finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
            if (ok)
                *ok = done;
            output = QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
            // The CLI's own distribution port was free when chosen, but anything since (a server on port 0,
            // an outgoing connection) may have taken it: the CLI then never reached the broker. Another port.
            if (done || !output.contains(QLatin1String("nodistribution")))
                break;
            const QString port = QString::number(freeLocalPort());
            m_env.insert(QStringLiteral("RABBITMQ_CTL_DIST_PORT_MIN"), port);
            m_env.insert(QStringLiteral("RABBITMQ_CTL_DIST_PORT_MAX"), port);
        }
        return output;
    }

    bool accepts() const { return accepts(m_port); }
    static bool accepts(quint16 port)
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
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
    static QString openssl() { return QStandardPaths::findExecutable(QStringLiteral("openssl")); }
    QString tlsFile(const QString &name) const { return m_dir.filePath(QStringLiteral("tls/") + name); }
    // Runs the openssl CLI (a test step: quick and bounded); false and *why when it fails.
    bool openssl(const QStringList &arguments, QString *why) const
    {
        QProcess process;
        process.setWorkingDirectory(m_dir.filePath(QStringLiteral("tls")));
        process.start(openssl(), arguments);
        if (process.waitForFinished(30000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0)
            return true;
        *why = QStringLiteral("openssl %1 failed: %2")
                   .arg(arguments.join(u' '), QString::fromUtf8(process.readAllStandardError()));
        return false;
    }

    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
    quint16 m_port = 0;
    bool m_tls = false;
    quint16 m_tlsPort = 0;
    std::unique_ptr<ChildProcess> m_epmd;
    std::unique_ptr<ChildProcess> m_server;
};
