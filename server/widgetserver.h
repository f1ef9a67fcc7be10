// The reference widget backend (CONTRACT.md §1, §2) on one port: the REST routes, Socket.IO over
// WebSocket or long-polling, an in-memory store and a simulated WhatsApp upstream. Runs in-process for the console's
// --demo mode and the tests, and stand-alone as widget-server.
#pragma once

#include "conversationstore.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QUrl>

#include <memory>

class HttpFront;
class QHttpServerRequest;
class QHttpServerResponder;
class QTimer;
class SimulatedUpstream;
class SocketHub;

class WidgetServer : public QObject
{
    Q_OBJECT
public:
    explicit WidgetServer(QObject *parent = nullptr);
    ~WidgetServer() override;

    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0); // port 0 = any
    quint16 port() const;
    QUrl baseUrl() const; // http://127.0.0.1:<port>

    // The one accepted bearer / Socket.IO auth token. While none is set every request is refused.
    void setToken(const QString &token);
    void setIntegrationId(const QString &id); // returned by the context endpoint; "demo-integration"
    SimulatedUpstream *upstream() const;
    ConversationStore *store() const;

    void addConversation(const QString &tenant, const QString &conversation, const QString &customerName);
    void addHistoryMessage(const QString &tenant, const QString &conversation, const StoredMessage &m);
    // Stores a customer message and emits inbound_message to the room. Returns its id (empty when the
    // conversation is unknown).
    QString injectInbound(const QString &tenant, const QString &conversation, const QString &text);
    // Emits status_update to the room whatever the stored status; stores it only when it moves forward.
    void emitStatus(const QString &tenant, const QString &conversation, const QString &messageId, const QString &status,
        const QString &error = {});

    // Demo: a random customer message every ms into every conversation marked as demo (0 = off).
    void setDemoInboundInterval(int ms);
    void markDemoConversation(const QString &tenant, const QString &conversation);

    // Engine.IO settings for sessions opened from now on (engine.io-protocol: announced in the open packet).
    void setPingTiming(int pingIntervalMs, int pingTimeoutMs);
    void setMaxPayload(int bytes);
    // Spec-strict: malformed Engine.IO / Socket.IO packets close the connection, as the official server
    // does. Off (the default), they are dropped and logged.
    void setStrictProtocol(bool strict);

    // Test hooks.
    void setPingsSuspended(bool suspended);
    void dropAllSockets(); // abrupt close: the client must reconnect
    void disconnectAllSockets(); // Socket.IO "41" then close: the client must not reconnect
    int socketCount() const; // sockets that completed the Socket.IO CONNECT
    int sendRequestCount() const; // POST /send requests received, duplicates and rejects included
    // The client messageIds (idempotency keys) of accepted sends, in order, each once.
    QStringList acceptedMessageIds(const QString &tenant, const QString &conversation) const;

signals:
    void sendReceived(const QString &messageId); // each valid POST /send for a known conversation
    void socketConnected();
    void socketDisconnected();

private:
    void handleRequest(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    bool authorized(const QHttpServerRequest &request) const;
    void handleContext(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &conversation);
    void handleHistory(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &conversation);
    void handleSend(const QHttpServerRequest &request, QHttpServerResponder &responder);
    void injectDemoMessages();

    SocketHub *m_hub = nullptr; // before m_http: the front's callbacks use it
    HttpFront *m_http = nullptr;
    SimulatedUpstream *m_upstream = nullptr;
    QTimer *m_demoTimer = nullptr;
    std::unique_ptr<ConversationStore> m_store;
    QHostAddress m_address;
    quint16 m_port = 0;
    QString m_token;
    QString m_integrationId = QStringLiteral("demo-integration");
    int m_sendRequests = 0;
    QList<std::pair<QString, QString>> m_demoConversations;
};
