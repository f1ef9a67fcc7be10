// DemoBackend: widget-server running in-process on a loopback port, so `agent-console --demo`
// shows a live conversation with no setup. The token is random per run and never leaves memory.
#pragma once

#include "conversationcontroller.h"

#include <QObject>

class WidgetServer;

class DemoBackend : public QObject
{
    Q_OBJECT

public:
    explicit DemoBackend(QObject *parent = nullptr);
    ~DemoBackend() override;

    bool start(QString *error);
    ConversationConfig conversationConfig() const;
    WidgetServer *server() const { return m_server; }

    void setUpstreamDown(bool down);
    void customerWrites();

private:
    WidgetServer *m_server;
    QString m_token;
};
