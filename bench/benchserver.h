// A widget-server for the figures of the whole console: in-process on 127.0.0.1, on a thread of its
// own, as a remote backend would be, so the console's event loop does none of the server's work.
// The server is created, used and destroyed on that thread; run() hands it work there.
#pragma once

#include "message.h"

#include <QList>
#include <QObject>
#include <QThread>
#include <QUrl>

#include <functional>
#include <memory>

class WidgetServer;

class BenchServer
{
public:
    static const QString Tenant;
    static const QString Token;

    BenchServer();
    ~BenchServer();

    QUrl baseUrl() const { return m_baseUrl; }
    // Runs `work` on the server's thread and waits until it is done.
    void run(const std::function<void(WidgetServer &)> &work);
    // Runs `work` on the server's thread and returns at once.
    void post(std::function<void(WidgetServer &)> work);

    // A conversation with `history` in it, oldest first; outbound messages keep their status.
    void addConversation(const QString &id, const QList<Message> &history = {});

private:
    QThread m_thread;
    QObject m_context; // lives in m_thread: what run() and post() queue their work on
    std::unique_ptr<WidgetServer> m_server;
    QUrl m_baseUrl;
};
