// The REST side of the reference server (CONTRACT.md §1) behind HttpFront: /healthz and /metrics (through
// ServerOperations), Engine.IO long-polling (handed to the EngineServer), and the widget routes —
// context, history, send, upload and media — with their auth: a token valid nowhere gets 401, one that
// does not reach the tenant the same 404 as an unknown conversation — and the tenant's canned responses
// (§6). Sends go on to the SendDesk, uploads and media to the MediaDesk.
#pragma once

#include <QObject>
#include <QString>

#include <functional>

class CannedResponseTable;
class ConversationStore;
class EngineServer;
class HttpFront;
class MediaDesk;
class QHttpServerRequest;
class QHttpServerResponder;
class SendDesk;
class ServerOperations;
class TokenRegistry;

class RestApi : public QObject
{
    Q_OBJECT
public:
    struct Parts
    {
        std::function<ConversationStore &()> store; // the server's current store
        TokenRegistry *tokens = nullptr;
        ServerOperations *operations = nullptr;
        EngineServer *engine = nullptr;
        HttpFront *http = nullptr;
        SendDesk *sends = nullptr;
        CannedResponseTable *canned = nullptr;
        MediaDesk *media = nullptr;
    };
    explicit RestApi(const Parts &parts, QObject *parent = nullptr);

    void setIntegrationId(const QString &id) { m_integrationId = id; } // the context endpoint's answer
    int sendRequestCount() const { return m_sendRequests; } // duplicates and rejects included

    // HttpFront's handler: every request that is not a WebSocket upgrade.
    void handle(const QHttpServerRequest &request, QHttpServerResponder &&responder);

signals:
    void sendReceived(const QString &messageId); // each valid POST /send for a known conversation

private:
    bool authorized(const QHttpServerRequest &request) const;
    bool mayAccess(const QHttpServerRequest &request, const QString &tenant) const;
    void handleContext(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &conversation);
    void handleHistory(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &conversation);
    void handleSend(const QHttpServerRequest &request, QHttpServerResponder &responder);
    void handleCanned(const QHttpServerRequest &request, QHttpServerResponder &responder);
    void handleMedia(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &id);

    Parts m_parts;
    QString m_integrationId = QStringLiteral("demo-integration");
    int m_sendRequests = 0;
};
