// Conversation: the one face of a conversation for the rest of the console. It owns the message model,
// the durable Outbox, the REST and socket clients, and the two halves of the flow: HistorySync (open,
// catch up, older pages) and ReplySender (replies out, statuses in). Windows and the workspace talk
// only to this object: its commands and its signals; none of its parts is reachable from outside.
#pragma once

#include "messagelistmodel.h"
#include "socketioclient.h"
#include "wirejson.h"

#include <QObject>
#include <QSslConfiguration>
#include <QUrl>

#include <functional>

class HistorySync;
class MediaFetcher;
class Outbox;
class OutboxStore;
class ReplySender;
class Scheduler;
class WidgetApiClient;

struct ConversationConfig
{
    QUrl baseUrl;
    QString tenant;
    QString conversation;
    QString integration; // empty: taken from the context endpoint
    QString token;
    int pageSize = 20;
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration(); // CA store for https and wss alike
    QString mediaCacheDir = MediaCacheDefault; // where fetched media files are kept
    static inline const QString MediaCacheDefault = QStringLiteral("<default>");
};

class Conversation : public QObject
{
    Q_OBJECT

public:
    // `store` (not owned; may be null: replies are kept in memory only) must outlive the conversation.
    // Replies an earlier run left unsent come back at once, before start().
    explicit Conversation(const ConversationConfig &config, OutboxStore *store = nullptr, QObject *parent = nullptr);
    // For tests: a WidgetApiClient over a network and scheduler they drive (owned from here on).
    Conversation(const ConversationConfig &config, OutboxStore *store, WidgetApiClient *api, Scheduler *scheduler,
        QObject *parent = nullptr);
    ~Conversation() override;

    const ConversationConfig &config() const { return m_config; }
    MessageListModel *model() const { return m_model; }
    const Outbox &outbox() const { return *m_outbox; }
    QString customerName() const;
    Wire::ConversationContext context() const;

    void start();
    bool isOpen() const;
    // Tries to open now: after a final failure, or without waiting for the next try.
    void reopen();

    // Adds a reply as pending at once and queues it; false (nothing added) for blank text without an
    // attachment, or an attachment that cannot be sent or kept (`error` says why). Allowed before the
    // conversation is open: it leaves, in order, once it is. The attachment's file is copied at once.
    bool sendReply(const QString &text, const Attachment &attachment = {}, QString *error = nullptr);
    // Where a file waiting in the composer is copied (off the UI thread) so that sendReply() only moves it.
    QString attachmentStagingFolder() const;
    void retry(const QString &messageId);
    // Cancels the upload of a reply's attachment; the reply is discarded.
    bool cancelUpload(const QString &messageId);
    // A failed reply can be discarded unless a POST of it is still on its way (it may yet arrive).
    bool canDiscard(const QString &messageId) const;
    void discard(const QString &messageId);
    void retryAll();
    void discardAll();
    // Replies not sent: failed ones and the ones queued behind a failed reply.
    int unsentCount() const;

    // The file of a mediaUrl: mediaReady or mediaFailed follow. Only the backend's own URLs are fetched.
    void fetchMedia(const QString &url, const QString &fileName);
    QString cachedMedia(const QString &url) const;
    // Whether `url` is of the backend's own origin: only such media are fetched (with the token).
    bool isOwnMedia(const QString &url) const;

    void loadOlder();
    bool hasOlder() const;
    bool isLoadingOlder() const;

    SocketIoClient::State connectionState() const;
    void reconnectNow();
    // Source of the jitter of every backoff (socket reconnects, open retries), in [0, 1); tests pin it.
    void setRandomSource(const std::function<double()> &random);

signals:
    void customerKnown(const Wire::ConversationContext &context);
    void opened();
    void openFailed(const QString &message);
    void openRetrying(const QString &message, int delayMs);
    void olderLoaded(int added);
    void notice(const QString &message); // a problem worth a line in the banner, nothing fatal
    void unsentCountChanged(int count);
    void inboundMessage(const Message &message); // a customer message that arrived live
    void mediaReady(const QString &url, const QString &path);
    void mediaFailed(const QString &url, const QString &message);

    // The live connection (CONTRACT.md §2), as SocketIoClient reports it.
    void connectionStateChanged(SocketIoClient::State state);
    void connected(); // after every successful connect; history has been asked to catch up
    void reconnectScheduled(int delayMs, int attempt);
    void disconnected(const QString &reason, bool willReconnect);
    void connectError(const QString &message);

private:
    void onOpened();
    void warnStorage(const QString &problem);

    ConversationConfig m_config;
    MessageListModel *m_model;
    Outbox *m_outbox;
    WidgetApiClient *m_api;
    SocketIoClient *m_socket;
    HistorySync *m_history;
    ReplySender *m_sender;
    MediaFetcher *m_media;
    bool m_storageWarned = false;
};
