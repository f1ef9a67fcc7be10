// Demo data of the reference server: a realistic support chat to seed a conversation with (used by
// widget-server and the console's --demo mode), and the customer lines of the demo inbound generator.
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

class QTimer;
class WidgetServer;

// Adds the conversation (customer "Maria Schneider") and ~40 history messages over the last hours,
// outbound ones read / delivered / sent and one failed, and marks it for the server's DemoCustomers.
void seedDemoConversation(WidgetServer &server, const QString &tenant, const QString &conversation);
// The demo's other customers ("Ana Souza", "Kenji Tanaka"), each a short chat of its own, added under
// <first>-2, <first>-3. Returns their conversation ids. Not marked for the inbound generator.
QStringList seedMoreDemoConversations(WidgetServer &server, const QString &tenant, const QString &first);
QString randomCustomerMessage();

// The demo's customers writing in: a random customer line every interval into each conversation marked
// as demo. One per server, its child; WidgetServer::setDemoInboundInterval() sets its interval. It stops
// when the server shuts down.
class DemoCustomers : public QObject
{
    Q_OBJECT
public:
    static DemoCustomers *of(WidgetServer &server); // created on first use
    void mark(const QString &tenant, const QString &conversation);
    void setInterval(int ms); // 0 = off

private:
    explicit DemoCustomers(WidgetServer *server);

    WidgetServer *m_server; // parent
    QTimer *m_timer;
    QList<std::pair<QString, QString>> m_conversations;
};
