// socketio-server.js (or another of the Node servers here) in a child process, for the interop tests: commands go in as
// JSON lines on stdin, the JSON lines it prints are kept in order so a test can wait for (or prove the absence of) what
// the server observed.
#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

// QVERIFY and QTRY_* in a helper return from the helper only; this stops the calling test as well.
#define REQUIRE(step)                                                                                                  \
    do {                                                                                                               \
        step;                                                                                                          \
        if (QTest::currentTestFailed())                                                                                \
            return;                                                                                                    \
    } while (false)

// The environment socketio-server.js runs with: this process's, the accepted token, and KEY=VALUE extras.
inline QProcessEnvironment nodeEnvironment(const QString &token, const QStringList &extra)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("TOKEN"), token);
    for (const QString &assignment : extra)
        environment.insert(assignment.section(u'=', 0, 0), assignment.section(u'=', 1));
    return environment;
}

class NodeServer
{
public:
    explicit NodeServer(const QProcessEnvironment &env, const QString &script = QStringLiteral("socketio-server.js"))
    {
        m_process.setProgram(QStandardPaths::findExecutable(QStringLiteral("node")));
        m_process.setArguments({QStringLiteral(INTEROP_DIR "/") + script});
        m_process.setWorkingDirectory(QStringLiteral(INTEROP_DIR));
        m_process.setProcessEnvironment(env);
        // The server's stderr (uncaught exceptions, socket.io DEBUG output) lands in the test log.
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process, [this] { readLines(); });
        m_process.start();
    }
    ~NodeServer()
    {
        m_process.kill();
        m_process.waitForFinished(5000); // reaps the child: kill() only sends the signal
    }
    NodeServer(const NodeServer &) = delete;
    NodeServer &operator=(const NodeServer &) = delete;

    int port() const { return m_port; }
    bool hasExited() const { return m_process.state() == QProcess::NotRunning; }
    QList<QJsonObject> events(QStringView name) const
    {
        QList<QJsonObject> matching;
        for (const QJsonObject &event : m_events) {
            if (event.value(u"event").toString() == name)
                matching.append(event);
        }
        return matching;
    }
    qsizetype count(QStringView name) const { return events(name).size(); }

    void command(const QJsonObject &command)
    {
        m_process.write(QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n');
    }

    // Test steps (call through REQUIRE): the port line has arrived; a command has run to its end (the
    // server acknowledges each with a "done" line, so later steps are ordered after it).
    void waitUntilListening() const
    {
        QTRY_VERIFY_WITH_TIMEOUT(port() > 0 || hasExited(), 15000);
        QVERIFY2(port() > 0, "the Node server exited before listening; its stderr is above");
    }
    void run(const QJsonObject &command)
    {
        const qsizetype before = count(u"done");
        this->command(command);
        QTRY_COMPARE_WITH_TIMEOUT(count(u"done"), before + 1, 10000);
    }

private:
    void readLines()
    {
        while (m_process.canReadLine()) {
            const QJsonObject line = QJsonDocument::fromJson(m_process.readLine()).object();
            if (line.contains(u"port"))
                m_port = line.value(u"port").toInt();
            else
                m_events.append(line);
        }
    }

    QProcess m_process;
    int m_port = 0;
    QList<QJsonObject> m_events;
};
