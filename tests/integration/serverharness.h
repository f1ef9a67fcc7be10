// widget-server processes and consoles for the tests of deploys and scale-out: a server process the test
// stops with SIGTERM (gracefully) or SIGKILL without blocking its event loop, and the console core
// (Conversation) for one conversation, as an agent's console runs it.
#pragma once

#include "conversation.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <csignal>

// One widget-server process: started on a port (0: any), stopped with SIGTERM without blocking this
// event loop, so the in-process console answers the close handshake as a real one would.
class ServerProcess
{
public:
    ServerProcess(quint16 port, const QStringList &extra, QProcessEnvironment env = QProcessEnvironment::systemEnvironment())
    {
        env.remove(QStringLiteral("WIDGET_SERVER_TOKEN"));
        m_process.setProcessEnvironment(env);
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
            [this] { m_errors += m_process.readAllStandardError(); });
        m_process.start(QStringLiteral(WIDGET_SERVER),
            QStringList {QStringLiteral("--port"), QString::number(port), QStringLiteral("--shutdown-timeout"),
                QStringLiteral("5")}
                + extra);
    }
    ~ServerProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    // Waits for "listening on"; with waitForBroker also for the AMQP connection.
    bool waitListening(bool waitForBroker)
    {
        static const QRegularExpression line(QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)\n"));
        QByteArray output;
        const bool up = QTest::qWaitFor(
            [&] {
                output += m_process.readAllStandardOutput();
                if (const auto match = line.match(QString::fromUtf8(output)); match.hasMatch())
                    m_port = quint16(match.captured(1).toUInt());
                return m_process.state() == QProcess::NotRunning
                    || (m_port != 0 && (!waitForBroker || m_errors.contains("AMQP: connected")));
            },
            20000);
        if (!up || m_process.state() == QProcess::NotRunning)
            qWarning().noquote() << "widget-server did not come up:" << output << m_errors.right(2000);
        return up && m_process.state() == QProcess::Running;
    }
    // SIGTERM, then waits for a clean exit.
    bool terminate()
    {
        QSignalSpy finished(&m_process, &QProcess::finished);
        ::kill(pid_t(m_process.processId()), SIGTERM);
        if (!finished.wait(15000))
            return false;
        return m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
    }

    // SIGKILL: no goodbye to anyone, as a crash or an OOM kill.
    bool killNow()
    {
        QSignalSpy finished(&m_process, &QProcess::finished);
        m_process.kill();
        return finished.wait(15000);
    }
    bool isRunning() const { return m_process.state() == QProcess::Running; }

    quint16 port() const { return m_port; }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)); }
    const QByteArray &errors() const { return m_errors; }

private:
    QProcess m_process;
    QByteArray m_errors;
    quint16 m_port = 0;
};

// The console core for one conversation, and every disconnect its socket reported.
class Console
{
public:
    Console(const QUrl &server, const QString &token, const QString &tenant, const QString &conversation)
        : m_conversation(config(server, token, tenant, conversation))
    {
        QObject::connect(&m_conversation, &Conversation::disconnected, &m_conversation,
            [this](const QString &reason, bool willReconnect) {
                if (!willReconnect)
                    m_finalDisconnects.append(reason);
            });
        m_conversation.start();
    }

    bool isConnected() const { return m_conversation.connectionState() == SocketIoClient::State::Connected; }
    // The status of the message with this text, nullopt while the console does not show it.
    std::optional<MessageStatus> statusOf(const QString &text) const
    {
        const MessageListModel *model = m_conversation.model();
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->at(row).text == text)
                return model->at(row).status;
        }
        return std::nullopt;
    }
    // How many rows show this text (a reply the console shows twice would be a duplicate).
    int countOf(const QString &text) const
    {
        int count = 0;
        const MessageListModel *model = m_conversation.model();
        for (int row = 0; row < model->rowCount(); ++row)
            count += model->at(row).text == text ? 1 : 0;
        return count;
    }
    // The id of the reply with this text, empty while the console does not show it.
    QString idOf(const QString &text) const
    {
        const MessageListModel *model = m_conversation.model();
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->at(row).text == text)
                return model->at(row).id;
        }
        return {};
    }
    Conversation &conversation() { return m_conversation; }
    // Disconnects after which the console would not reconnect by itself ("41", CONNECT_ERROR).
    const QStringList &finalDisconnects() const { return m_finalDisconnects; }

private:
    static ConversationConfig config(
        const QUrl &server, const QString &token, const QString &tenant, const QString &conversation)
    {
        ConversationConfig config;
        config.baseUrl = server;
        config.tenant = tenant;
        config.conversation = conversation;
        config.token = token;
        config.pageSize = 100;
        return config;
    }

    Conversation m_conversation;
    QStringList m_finalDisconnects;
};

