// ConversationController: one conversation's flow. Loads context and history, keeps the socket open,
// and drives every reply through the Outbox so replies leave in the order they were written.
#pragma once

#include "messagelistmodel.h"
#include "outbox.h"
#include "wirejson.h"

#include <QObject>
#include <QSslConfiguration>
#include <QUrl>

class WidgetApiClient;
class SocketIoClient;

struct ConversationConfig
{
    QUrl baseUrl;
    QString tenant;
    QString conversation;
    QString integration; // empty: taken from the context endpoint
    QString token;
    int pageSize = 20;
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration(); // CA store for https and wss alike
};

class ConversationController : public QObject
{
    Q_OBJECT

public:
    explicit ConversationController(QObject *parent = nullptr);
    ~ConversationController() override;

    MessageListModel *model() const { return m_model; }
    WidgetApiClient *api() const { return m_api; }
    SocketIoClient *socket() const { return m_socket; }
    const ConversationConfig &config() const { return m_config; }
    QString customerName() const { return m_context.customerName; }

    void start(const ConversationConfig &config);
    // After openFailed: tries to open the same conversation again.
    void reopen();
    // Adds a reply as pending at once and queues it; false (nothing added) for blank text.
    bool sendReply(const QString &text);
    void retry(const QString &messageId);
    void discard(const QString &messageId);
    void loadOlder();
    bool hasOlder() const { return m_hasOlder; }
    bool isLoadingOlder() const { return m_loadingOlder; }
    const Outbox &outbox() const { return m_outbox; }

signals:
    void opened();
    void openFailed(const QString &message);
    void olderLoaded(int added);
    void notice(const QString &message); // a problem worth a line in the banner, nothing fatal

private:
    void onContext(const Wire::ConversationContext &context);
    void onHistory(int offset, const Wire::HistoryPage &page);
    void onHistoryFailed(int offset, const Wire::ApiError &error);
    void onAccepted(const QString &messageId, const QString &serverId);
    void onSendFailed(const QString &messageId, const Wire::ApiError &error);
    void onStatusUpdate(const Wire::StatusUpdate &update);
    void pump();
    void refreshQueued();
    void settleIfArrived(const QString &messageId);
    int serverKnownCount() const;

    ConversationConfig m_config;
    Wire::ConversationContext m_context;
    MessageListModel *m_model;
    WidgetApiClient *m_api;
    SocketIoClient *m_socket;
    Outbox m_outbox;
    bool m_opened = false;
    bool m_loadingOlder = false;
    bool m_hasOlder = true;
};
