// Demo data of the reference server: a realistic support chat to seed a conversation with (used by
// widget-server and the console's --demo mode), and the customer lines of the demo inbound generator.
#pragma once

#include <QString>
#include <QStringList>

class WidgetServer;

// Adds the conversation (customer "Maria Schneider") and ~40 history messages over the last hours,
// outbound ones read / delivered / sent and one failed, and marks it for setDemoInboundInterval().
void seedDemoConversation(WidgetServer &server, const QString &tenant, const QString &conversation);
// The demo's other customers ("Ana Souza", "Kenji Tanaka"), each a short chat of its own, added under
// <first>-2, <first>-3. Returns their conversation ids. Not marked for the inbound generator.
QStringList seedMoreDemoConversations(WidgetServer &server, const QString &tenant, const QString &first);
QString randomCustomerMessage();
