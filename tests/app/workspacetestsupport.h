// Shared setup of the app tests that drive a Workspace (and the MainWindow over it) against
// widget-server in-process on 127.0.0.1:0: starting the server, three customers with history on it,
// the connection settings for it, showing a window until it is active, and waiting until the open
// conversations are connected.
#pragma once

#include "conversation.h"
#include "socketioclient.h"
#include "widgetserver.h"
#include "workspace.h"

#include <QDateTime>
#include <QList>
#include <QSignalSpy>
#include <QTest>
#include <QWidget>

#include <memory>

namespace WorkspaceTestSupport {

// widget-server accepting `token`, listening on 127.0.0.1 on a free port; false if it could not listen.
inline bool startServer(std::unique_ptr<WidgetServer> &server, const QString &token)
{
    server = std::make_unique<WidgetServer>();
    server->setToken(token);
    return server->listen(QHostAddress::LocalHost, 0);
}

// The conversations of the window tests, in sidebar order, and their customers' names.
inline const QStringList CustomerIds {QStringLiteral("c-ana"), QStringLiteral("c-bruno"), QStringLiteral("c-carla")};
inline const QStringList CustomerNames {
    QStringLiteral("Ana Souza"), QStringLiteral("Bruno Lima"), QStringLiteral("Carla Dias")};

// Adds CustomerIds with their names to `server`, conversation c with counts[c] messages of history
// from an hour ago on, one a minute, alternately the customer's and the agent's (read) replies;
// `text` is each message's text, %1 its number and %2 the customer's name.
inline void seedCustomers(WidgetServer &server, const QString &tenant, const QList<int> &counts, const QString &text)
{
    const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-3600);
    for (int c = 0; c < CustomerIds.size(); ++c) {
        const QString &id = CustomerIds[c];
        server.addConversation(tenant, id, CustomerNames[c]);
        for (int i = 0; i < counts.value(c); ++i) {
            server.addHistoryMessage(tenant, id,
                StoredMessage {QStringLiteral("%1-%2").arg(id).arg(i), i % 2 == 0, text.arg(i).arg(CustomerNames[c]),
                    QString(), start.addSecs(c * 600 + i * 60), i % 2 ? QStringLiteral("read") : QString()});
        }
    }
}

// What a Workspace needs to talk to `server` as `tenant`.
inline ConversationConfig serverConfig(const WidgetServer &server, const QString &tenant, const QString &token)
{
    ConversationConfig config;
    config.baseUrl = server.baseUrl();
    config.tenant = tenant;
    config.token = token;
    return config;
}

// Resizes (to `size` if valid), shows and activates `window`; false if it never became the active window.
inline bool showActive(QWidget *window, const QSize &size = QSize())
{
    if (size.isValid())
        window->resize(size);
    window->show();
    window->activateWindow();
    return QTest::qWaitForWindowActive(window);
}

// Waits until the socket of each of `ids` (already open in `workspace`) is connected; false if one
// is not open or does not connect within `timeout` ms.
inline bool waitConnected(Workspace &workspace, const QStringList &ids, int timeout = 5000)
{
    for (const QString &id : ids) {
        Conversation *controller = workspace.conversation(id);
        if (!controller)
            return false;
        if (controller->connectionState() != SocketIoClient::State::Connected) {
            QSignalSpy connected(controller, &Conversation::connected);
            if (!connected.wait(timeout))
                return false;
        }
    }
    return true;
}

} // namespace WorkspaceTestSupport
