// ConversationController: one conversation's flow. Loads context and history, keeps the socket open,
// and drives every reply through the Outbox so replies leave in the order they were written. With an
// OutboxStore, unsent replies are on disk before their first POST and come back after a crash.
#pragma once

#include "messagelistmodel.h"
#include "outbox.h"
#include "wirejson.h"

#include <QObject>
#include <QSet>
#include <QSslConfiguration>
#include <QUrl>

#include <deque>

class OutboxStore;
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

    // Where unsent replies are kept; not owned, must outlive the controller. Null: memory only.
    void setOutboxStore(OutboxStore *store) { m_store = store; }

    void start(const ConversationConfig &config);
    // After openFailed: tries to open the same conversation again.
    void reopen();
    // Adds a reply as pending at once and queues it; false (nothing added) for blank text.
    bool sendReply(const QString &text);
    void retry(const QString &messageId);
    // A failed reply can be discarded unless a POST of it is still on its way (it may yet arrive).
    bool canDiscard(const QString &messageId) const;
    void discard(const QString &messageId);
    // Replies not sent: failed ones (their POST failed, or the upstream failed them later) and the
    // ones queued behind a failed reply.
    int unsentCount() const { return int(m_unsent.size()); }
    void retryAll(); // oldest first, so they leave in the order they were written
    void discardAll(); // every failed or queued reply, none in flight
    void loadOlder();
    bool hasOlder() const { return m_hasOlder; }
    bool isLoadingOlder() const { return m_loadingOlder; }
    const Outbox &outbox() const { return m_outbox; }

signals:
    void opened();
    void openFailed(const QString &message);
    void olderLoaded(int added);
    void notice(const QString &message); // a problem worth a line in the banner, nothing fatal
    void unsentCountChanged(int count);

private:
    void onContext(const Wire::ConversationContext &context);
    void onHistory(int offset, const Wire::HistoryPage &page);
    void onNewestPage(int offset, const Wire::HistoryPage &page);
    void onHistoryFailed(int offset, const Wire::ApiError &error);
    void onAccepted(const QString &messageId, const QString &serverId);
    void onSendFailed(const QString &messageId, const Wire::ApiError &error);
    void onStatusUpdate(const Wire::StatusUpdate &update);
    void restoreOutbox();
    void pump();
    void refreshQueued();
    void settleIfArrived(const QString &messageId);
    void leaveOutbox(const QString &messageId);
    void storageFailed();
    int serverKnownCount() const;
    void trackUnsent(int first, int last);

    ConversationConfig m_config;
    Wire::ConversationContext m_context;
    MessageListModel *m_model;
    WidgetApiClient *m_api;
    SocketIoClient *m_socket;
    OutboxStore *m_store = nullptr;
    Outbox m_outbox;
    // Status events for ids not known yet: a receipt under the upstream's id can overtake the POST
    // answer that tells us that id (CONTRACT.md §1). Replayed when the alias arrives; bounded.
    std::deque<Wire::StatusUpdate> m_earlyEvents;
    QSet<QString> m_unsent;
    bool m_opened = false;
    bool m_loadingOlder = false;
    bool m_hasOlder = true;
    bool m_storageWarned = false;
    int m_resyncOffset = -1; // offset of the resync page under way beyond the newest one; -1: none
};
