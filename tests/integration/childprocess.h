// A child process of the integration tests (widget-server, the upstream simulator, a Node socket.io
// client, the broker): its stdout kept as lines (JSON lines parsed), its stderr as text, killed with its
// whole process group when the test is done with it, so no broker or Erlang VM outlives the test.
// POSIX only (setsid, kill(-pgid)); CMakeLists.txt adds the tests that use it on Linux only.
#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>
#include <QUrl>

#include <csignal>
#include <unistd.h>

class ChildProcess
{
public:
    ChildProcess(const QString &program, const QStringList &arguments, const QProcessEnvironment &environment,
        const QString &workingDirectory = {})
    {
        m_process.setProgram(program);
        m_process.setArguments(arguments);
        m_process.setProcessEnvironment(environment);
        if (!workingDirectory.isEmpty())
            m_process.setWorkingDirectory(workingDirectory);
        // Its own process group: the broker's start script leaves an Erlang VM (and its helpers) behind
        // it, and one kill(-pgid) takes them all.
        m_process.setChildProcessModifier([] { ::setsid(); });
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process, [this] {
            while (m_process.canReadLine()) {
                const QByteArray line = m_process.readLine().trimmed();
                m_lines.append(line);
                const QJsonDocument json = QJsonDocument::fromJson(line);
                if (json.isObject())
                    m_json.append(json.object());
            }
        });
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
            [this] { m_stderr += QString::fromUtf8(m_process.readAllStandardError()); });
        m_process.start();
    }
    ~ChildProcess() { stop(); }
    ChildProcess(const ChildProcess &) = delete;
    ChildProcess &operator=(const ChildProcess &) = delete;

    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        const qint64 pid = m_process.processId();
        if (pid > 0)
            ::kill(-pid_t(pid), SIGTERM);
        if (!m_process.waitForFinished(5000) && pid > 0) {
            ::kill(-pid_t(pid), SIGKILL);
            m_process.waitForFinished(5000);
        }
    }

    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    qint64 pid() const { return m_process.processId(); }
    const QList<QByteArray> &lines() const { return m_lines; }
    const QString &standardError() const { return m_stderr; }
    int stderrCount(const QString &needle) const { return int(m_stderr.count(needle)); }
    // A sanitizer build reports on stderr, the leak check at exit: call it after stop().
    bool hasSanitizerReport() const
    {
        for (const QString &report : {QStringLiteral("ERROR: AddressSanitizer"), QStringLiteral("ERROR: LeakSanitizer"),
                 QStringLiteral("runtime error:")}) {
            if (m_stderr.contains(report))
                return true;
        }
        return false;
    }

    QList<QJsonObject> events(QStringView name) const
    {
        QList<QJsonObject> matching;
        for (const QJsonObject &line : m_json) {
            if (line.value(u"event").toString() == name)
                matching.append(line);
        }
        return matching;
    }
    qsizetype count(QStringView name) const { return events(name).size(); }
    // Events of one kind naming one message id (the upstream simulator's "outbound", "duplicate").
    int count(QStringView name, const QString &messageId) const
    {
        int matching = 0;
        for (const QJsonObject &event : events(name))
            matching += event.value(u"messageId").toString() == messageId ? 1 : 0;
        return matching;
    }

    // widget-server's "listening on <url>" line, once it has come; empty before.
    QUrl listeningUrl() const
    {
        for (const QByteArray &line : m_lines) {
            if (line.startsWith("listening on "))
                return QUrl(QString::fromUtf8(line.mid(13)));
        }
        return QUrl();
    }
    // Waits until widget-server listens and, withBroker, its broker link is up; false if it exits first.
    bool waitUntilServing(bool withBroker, int timeoutMs)
    {
        const auto serving = [&] {
            return !listeningUrl().isEmpty() && (!withBroker || stderrCount(QStringLiteral("AMQP: connected")) > 0);
        };
        return QTest::qWaitFor([&] { return serving() || !isRunning(); }, timeoutMs) && serving() && isRunning();
    }

private:
    QProcess m_process;
    QList<QByteArray> m_lines;
    QList<QJsonObject> m_json;
    QString m_stderr;
};
