// Demo data of the reference server: a realistic support chat to seed a conversation with (used by
// widget-server and the console's --demo mode), and the customer lines of the demo inbound generator.
#pragma once

#include <QString>

class WidgetServer;

// Adds the conversation (customer "Maria Schneider") and ~40 history messages over the last hours,
// outbound ones read / delivered / sent and one failed, and marks it for setDemoInboundInterval().
void seedDemoConversation(WidgetServer &server, const QString &tenant, const QString &conversation);
QString randomCustomerMessage();
