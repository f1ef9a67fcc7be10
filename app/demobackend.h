// DemoBackend: widget-server running in-process on a loopback port, so `agent-console --demo`
// shows live conversations with three customers and no setup. The token is random per run and never
// leaves memory.
#pragma once

#include "cannedresponsetable.h"
#include "conversation.h"

#include <QObject>

class WidgetServer;

class DemoBackend : public QObject
{
    Q_OBJECT

public:
    explicit DemoBackend(QObject *parent = nullptr);
    ~DemoBackend() override;

    bool start(QString *error);
    // The first demo conversation; the base configuration for the others too.
    ConversationConfig conversationConfig() const;
    // Every demo conversation, the first (the one with the long history) first.
    QStringList conversations() const { return m_conversations; }
    WidgetServer *server() const { return m_server; }
    // The demo tenant's canned responses (in the language of the console).
    static QList<CannedResponseTable::Entry> cannedResponses();

    void setUpstreamDown(bool down);
    // A customer line arrives live in `conversation` (empty: the first one).
    void customerWrites(const QString &conversation = QString());

private:
    WidgetServer *m_server;
    QString m_token;
    QStringList m_conversations;
};
