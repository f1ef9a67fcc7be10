// WidgetApiClient: the REST half of CONTRACT.md §1 on one QNetworkAccessManager. Sends are retried
// on a QTimer by RetrySchedule; nothing here ever blocks or spins a nested event loop. Certificate
// errors are never ignored: they fail the request as ApiError code "TLS" and are never retried.
// Uploads (CONTRACT.md §5) are in widgetapiupload.cpp.
#pragma once

#include "mediajson.h"
#include "wirejson.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QUrl>

#include <functional>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;
class Scheduler;

struct ApiConfig
{
    QUrl baseUrl;
    QString tenant;
    QString integrationId;
    QString token;
    int timeoutMs = 15000;
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration(); // CA store for https, set on every request
};

struct OutgoingReply
{
    QString messageId;
    QString conversationId;
    QString text;
    QString mediaUrl;
};

// An attachment to upload for the reply `messageId` (its Idempotency-Key), from attachment.localPath.
struct OutgoingUpload
{
    QString messageId;
    QString conversationId;
    Attachment attachment;
};

class WidgetApiClient : public QObject
{
    Q_OBJECT

public:
    // Replies larger than this are refused rather than read: no legitimate answer comes close.
    static constexpr qint64 MaxReplyBytes = 8 * 1024 * 1024;
    // A media download larger than this is refused: four times the contract's default upload limit.
    static constexpr qint64 MaxMediaBytes = 64 * 1024 * 1024;

    explicit WidgetApiClient(QObject *parent = nullptr);
    // `network` (owned from here on) and `scheduler` (not owned) replace the real ones: a test drives
    // the transport and the retry delays by hand.
    WidgetApiClient(QNetworkAccessManager *network, Scheduler *scheduler, QObject *parent = nullptr);
    ~WidgetApiClient() override;

    void setConfig(const ApiConfig &config);
    const ApiConfig &config() const { return m_config; }

    void fetchContext(const QString &conversationId);
    // Returns the request's number, which its answer carries: the caller knows what each page was for.
    quint64 fetchHistory(const QString &conversationId, int limit, int offset);
    // The tenant's canned responses (CONTRACT.md §6); answered by cannedResponsesLoaded or ...Failed.
    void fetchCannedResponses();
    // Posts a reply, retrying per CONTRACT.md §3 with the same messageId each time.
    void send(const OutgoingReply &reply);
    bool isSending(const QString &messageId) const { return m_sends.contains(messageId); }

    // Uploads an attachment as multipart/form-data, retried like a send, Idempotency-Key = messageId
    // each time (CONTRACT.md §5). cancelUpload() aborts it: nothing is reported for it afterwards.
    void upload(const OutgoingUpload &upload);
    void cancelUpload(const QString &messageId);
    bool isUploading(const QString &messageId) const { return m_uploads.contains(messageId); }

    // Whether `url` is of the backend's own origin (scheme, host, port): only there does a request
    // carry the token.
    bool isOwnOrigin(const QUrl &url) const;
    // GET <url> with the usual headers, streamed into the file `destination` (written whole or not at
    // all). Returns the request's number, 0 (and nothing emitted) for a URL of another origin.
    quint64 fetchMedia(const QUrl &url, const QString &destination);

signals:
    void contextLoaded(const Wire::ConversationContext &context);
    void contextFailed(const Wire::ApiError &error);
    void historyLoaded(quint64 request, const Wire::HistoryPage &page);
    void historyFailed(quint64 request, const Wire::ApiError &error);
    void cannedResponsesLoaded(const QList<CannedResponse> &responses);
    void cannedResponsesFailed(const Wire::ApiError &error);
    void sendAttemptStarted(const QString &messageId, int attempt);
    void sendAccepted(const QString &messageId, const QString &serverMessageId);
    void sendFailed(const QString &messageId, const Wire::ApiError &error);
    void uploadAttemptStarted(const QString &messageId, int attempt);
    void uploadProgress(const QString &messageId, qint64 sent, qint64 total);
    void uploadAccepted(const QString &messageId, const Wire::UploadResult &result);
    void uploadFailed(const QString &messageId, const Wire::ApiError &error);
    void mediaFetched(quint64 request, const QString &path);
    void mediaFetchFailed(quint64 request, const Wire::ApiError &error);

private:
    struct SendJob
    {
        OutgoingReply reply;
        int attempt = 0;
    };
    struct UploadJob
    {
        OutgoingUpload upload;
        int attempt = 0;
        QPointer<QNetworkReply> reply; // the attempt on the wire, for cancelUpload()
    };
    // `failure` is set for a transport error (TLS included), an HTTP error status or a redirect.
    using ReplyHandler = std::function<void(
        int httpStatus, const QByteArray &body, QNetworkReply *reply, const std::optional<Wire::ApiError> &failure)>;

    QNetworkRequest request(const QString &path) const;
    void watch(QNetworkReply *reply, ReplyHandler handler);
    void startAttempt(const QString &messageId);
    void finishAttempt(const QString &messageId, int httpStatus, const QByteArray &body, QNetworkReply *reply,
        const std::optional<Wire::ApiError> &failure);
    // CONTRACT.md §3's automatic retries: the delay before the next attempt, or none (give up).
    std::optional<int> retryDelay(
        int attempt, int httpStatus, QNetworkReply *reply, const Wire::ApiError &failure) const;
    void startUploadAttempt(const QString &messageId);
    void finishUploadAttempt(const QString &messageId, int httpStatus, const QByteArray &body, QNetworkReply *reply,
        const std::optional<Wire::ApiError> &failure);

    QNetworkAccessManager *m_nam;
    Scheduler *m_scheduler;
    ApiConfig m_config;
    quint64 m_lastRequest = 0;
    QHash<QString, SendJob> m_sends;
    QHash<QString, UploadJob> m_uploads;
};
