// WidgetApiClient: the REST half of CONTRACT.md §1 on one QNetworkAccessManager. Sends are retried
// on a QTimer by RetrySchedule; nothing here ever blocks or spins a nested event loop. Certificate
// errors are never ignored: they fail the request as ApiError code "TLS" and are never retried.
#pragma once

#include "wirejson.h"

#include <QHash>
#include <QObject>
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

class WidgetApiClient : public QObject
{
    Q_OBJECT

public:
    // Replies larger than this are refused rather than read: no legitimate answer comes close.
    static constexpr qint64 MaxReplyBytes = 8 * 1024 * 1024;

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

private:
    struct SendJob
    {
        OutgoingReply reply;
        int attempt = 0;
    };
    // `failure` is set for a transport error (TLS included), an HTTP error status or a redirect.
    using ReplyHandler = std::function<void(
        int httpStatus, const QByteArray &body, QNetworkReply *reply, const std::optional<Wire::ApiError> &failure)>;

    QNetworkRequest request(const QString &path) const;
    void watch(QNetworkReply *reply, ReplyHandler handler);
    void startAttempt(const QString &messageId);
    void finishAttempt(const QString &messageId, int httpStatus, const QByteArray &body, QNetworkReply *reply,
        const std::optional<Wire::ApiError> &failure);

    QNetworkAccessManager *m_nam;
    Scheduler *m_scheduler;
    ApiConfig m_config;
    quint64 m_lastRequest = 0;
    QHash<QString, SendJob> m_sends;
};
