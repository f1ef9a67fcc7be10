#include "widgetapiclient.h"

#include "retryschedule.h"
#include "scheduler.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSaveFile>
#include <QSslError>
#include <QUrlQuery>

#include <memory>

Q_LOGGING_CATEGORY(lcApi, "agentconsole.api")

WidgetApiClient::WidgetApiClient(QObject *parent)
    : WidgetApiClient(new QNetworkAccessManager, Scheduler::system(), parent)
{
}

WidgetApiClient::WidgetApiClient(QNetworkAccessManager *network, Scheduler *scheduler, QObject *parent)
    : QObject(parent)
    , m_nam(network)
    , m_scheduler(scheduler)
{
    m_nam->setParent(this);
    // Redirects are answered as errors: a redirect to another host would carry the token there.
    m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

WidgetApiClient::~WidgetApiClient() = default;

void WidgetApiClient::setConfig(const ApiConfig &config)
{
    m_config = config;
}

QNetworkRequest WidgetApiClient::request(const QString &path) const
{
    QUrl url = m_config.baseUrl;
    url.setPath(url.path().chopped(url.path().endsWith(u'/') ? 1 : 0) + path);
    QNetworkRequest req(url);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    req.setRawHeader("Accept", "application/json");
    req.setRawHeader("Authorization", "Bearer " + m_config.token.toUtf8());
    req.setRawHeader("X-Tenant-ID", m_config.tenant.toUtf8());
    req.setTransferTimeout(m_config.timeoutMs);
    req.setSslConfiguration(m_config.ssl);
    return req;
}

// A failed TLS handshake. Names the host and Qt's reason, so the agent can tell a private CA that
// needs --ca-file from a wrong host name or an expired certificate.
static Wire::ApiError tlsError(QNetworkReply *reply, const QList<QSslError> &sslErrors)
{
    const QString host = reply->url().host();
    QStringList reasons;
    for (const QSslError &error : sslErrors) {
        if (!reasons.contains(error.errorString()))
            reasons.append(error.errorString());
    }
    Wire::ApiError e;
    e.code = QStringLiteral("TLS");
    e.message = reasons.isEmpty()
        ? QCoreApplication::translate("WidgetApiClient", "The secure connection to %1 failed: %2")
              .arg(host, reply->errorString())
        : QCoreApplication::translate("WidgetApiClient", "The certificate of %1 is not trusted: %2")
              .arg(host, reasons.join(QStringLiteral("; ")));
    return e;
}

// An error of the transport itself (no HTTP status): the agent reads Qt's description of it.
// Set on a reply aborted for its size, so the agent reads why rather than a generic cancel.
static constexpr char TooLargeProperty[] = "agentconsole.tooLarge";

static Wire::ApiError transportError(QNetworkReply *reply, const QList<QSslError> &sslErrors)
{
    if (!sslErrors.isEmpty() || reply->error() == QNetworkReply::SslHandshakeFailedError)
        return tlsError(reply, sslErrors);
    Wire::ApiError e;
    if (reply->error() == QNetworkReply::OperationCanceledError) {
        e.code = QStringLiteral("TIMEOUT");
        e.message = QCoreApplication::translate("WidgetApiClient", "The server did not answer in time.");
    } else {
        e.code = QStringLiteral("NETWORK");
        e.message
            = QCoreApplication::translate("WidgetApiClient", "Cannot reach the server: %1").arg(reply->errorString());
    }
    return e;
}

static std::optional<Wire::ApiError> failureOf(
    int httpStatus, const QByteArray &body, QNetworkReply *reply, const QList<QSslError> &sslErrors)
{
    if (reply->property(TooLargeProperty).toBool()) {
        return Wire::ApiError {httpStatus, QStringLiteral("TOO_LARGE"),
            QCoreApplication::translate("WidgetApiClient", "The server's reply is larger than %1 MiB and was not read.")
                .arg(WidgetApiClient::MaxReplyBytes / (1024 * 1024))};
    }
    if (httpStatus == 0)
        return transportError(reply, sslErrors);
    if (httpStatus >= 300 && httpStatus < 400) {
        return Wire::ApiError {httpStatus, QStringLiteral("REDIRECT"),
            QCoreApplication::translate(
                "WidgetApiClient", "The server redirected the request (HTTP %1); redirects are not followed.")
                .arg(httpStatus)};
    }
    if (httpStatus < 200 || httpStatus >= 300)
        return Wire::errorFromReply(httpStatus, body);
    return std::nullopt;
}

static Wire::ApiError badReply(int httpStatus, const QString &why)
{
    return Wire::ApiError{httpStatus, QStringLiteral("BAD_REPLY"), why};
}

void WidgetApiClient::watch(QNetworkReply *reply, ReplyHandler handler)
{
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64 total) {
        if (received > MaxReplyBytes || total > MaxReplyBytes) {
            reply->setProperty(TooLargeProperty, true);
            reply->abort();
        }
    });
    // Only recorded for the message. ignoreSslErrors() is never called, so the handshake fails and the
    // request (token included) is never written to a peer we could not verify.
    auto sslErrors = std::make_shared<QList<QSslError>>();
    connect(
        reply, &QNetworkReply::sslErrors, reply, [sslErrors](const QList<QSslError> &errors) { *sslErrors += errors; });
    connect(reply, &QNetworkReply::finished, this, [reply, sslErrors, handler = std::move(handler)] {
        reply->deleteLater();
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        const int httpStatus = status.isValid() ? status.toInt() : 0;
        // Only what arrived: read(MaxReplyBytes) would allocate the whole 8 MiB for every answer.
        const QByteArray body
            = reply->isOpen() ? reply->read(std::min(reply->bytesAvailable(), MaxReplyBytes)) : QByteArray();
        handler(httpStatus, body, reply, failureOf(httpStatus, body, reply, *sslErrors));
    });
}

void WidgetApiClient::fetchContext(const QString &conversationId)
{
    QNetworkReply *reply = m_nam->get(
        request(QStringLiteral("/api/v1/widget/context/") + QString::fromLatin1(QUrl::toPercentEncoding(conversationId))));
    watch(reply, [this](int status, const QByteArray &body, QNetworkReply *, const auto &failure) {
        if (failure) {
            emit contextFailed(*failure);
            return;
        }
        QString why;
        if (const auto context = Wire::parseContext(body, &why))
            emit contextLoaded(*context);
        else
            emit contextFailed(badReply(status, why));
    });
}

quint64 WidgetApiClient::fetchHistory(const QString &conversationId, int limit, int offset)
{
    const quint64 id = ++m_lastRequest;
    QNetworkRequest req = request(QStringLiteral("/api/v1/widget/conversation/%1/history")
                                      .arg(QString::fromLatin1(QUrl::toPercentEncoding(conversationId))));
    QUrl url = req.url();
    url.setQuery(QStringLiteral("limit=%1&offset=%2").arg(limit).arg(offset));
    req.setUrl(url);
    watch(m_nam->get(req), [this, id](int status, const QByteArray &body, QNetworkReply *, const auto &failure) {
        if (failure) {
            emit historyFailed(id, *failure);
            return;
        }
        QString why;
        if (const auto page = Wire::parseHistory(body, &why)) {
            if (!why.isEmpty())
                qCWarning(lcApi) << "history:" << why;
            emit historyLoaded(id, *page);
        } else {
            emit historyFailed(id, badReply(status, why));
        }
    });
    return id;
}

void WidgetApiClient::fetchCannedResponses()
{
    watch(m_nam->get(request(QStringLiteral("/api/v1/widget/canned-responses"))),
        [this](int status, const QByteArray &body, QNetworkReply *, const auto &failure) {
            if (failure) {
                emit cannedResponsesFailed(*failure);
                return;
            }
            QString why;
            if (const auto responses = Wire::parseCannedResponses(body, &why)) {
                if (!why.isEmpty())
                    qCWarning(lcApi) << "canned responses:" << why;
                emit cannedResponsesLoaded(*responses);
            } else {
                emit cannedResponsesFailed(badReply(status, why));
            }
        });
}

void WidgetApiClient::send(const OutgoingReply &reply)
{
    if (m_sends.contains(reply.messageId))
        return; // already on its way: a second POST now could only race the first
    m_sends.insert(reply.messageId, SendJob{reply, 0});
    startAttempt(reply.messageId);
}

void WidgetApiClient::startAttempt(const QString &messageId)
{
    auto it = m_sends.find(messageId);
    if (it == m_sends.end())
        return;
    ++it->attempt;
    const OutgoingReply &r = it->reply;
    QJsonObject body{
        {QStringLiteral("messageId"), r.messageId},
        {QStringLiteral("conversationId"), r.conversationId},
        {QStringLiteral("tenantId"), m_config.tenant},
        {QStringLiteral("integrationId"), m_config.integrationId},
        {QStringLiteral("text"), r.text},
        {QStringLiteral("mediaUrl"), r.mediaUrl.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(r.mediaUrl)},
    };
    emit sendAttemptStarted(messageId, it->attempt);
    QNetworkReply *reply = m_nam->post(request(QStringLiteral("/api/v1/widget/send")),
                                       QJsonDocument(body).toJson(QJsonDocument::Compact));
    watch(reply, [this, messageId](int status, const QByteArray &data, QNetworkReply *r, const auto &failure) {
        finishAttempt(messageId, status, data, r, failure);
    });
}

void WidgetApiClient::finishAttempt(const QString &messageId, int httpStatus, const QByteArray &body,
    QNetworkReply *reply, const std::optional<Wire::ApiError> &failure)
{
    auto it = m_sends.find(messageId);
    if (it == m_sends.end())
        return;
    if (!failure) {
        QString why;
        const auto accepted = Wire::parseSendReply(body, &why);
        if (accepted) {
            m_sends.erase(it);
            emit sendAccepted(messageId, accepted->isEmpty() ? messageId : *accepted);
            return;
        }
        // A 2xx we cannot read is not proof of acceptance; the server deduplicates a retry by messageId.
        m_sends.erase(it);
        emit sendFailed(messageId, badReply(httpStatus, why));
        return;
    }
    const auto delay = retryDelay(it->attempt, httpStatus, reply, *failure);
    if (!delay) {
        m_sends.erase(it);
        emit sendFailed(messageId, *failure);
        return;
    }
    qCInfo(lcApi).nospace() << "send " << messageId << " attempt " << it->attempt << " failed (" << failure->message
                            << "), retrying in " << *delay << " ms";
    m_scheduler->after(*delay, this, [this, messageId] { startAttempt(messageId); });
}

std::optional<int> WidgetApiClient::retryDelay(
    int attempt, int httpStatus, QNetworkReply *reply, const Wire::ApiError &failure) const
{
    RetrySchedule::AttemptFailure failed {httpStatus, std::nullopt, failure.code == u"TLS"};
    if (reply->hasRawHeader("Retry-After"))
        failed.retryAfterMs
            = RetrySchedule::parseRetryAfter(reply->rawHeader("Retry-After"), QDateTime::currentDateTimeUtc());
    return RetrySchedule::delayAfterFailedAttempt(attempt, failed);
}

bool WidgetApiClient::isOwnOrigin(const QUrl &url) const
{
    const QUrl &base = m_config.baseUrl;
    const int defaultPort = url.scheme() == u"https" ? 443 : 80;
    return url.isValid() && (url.scheme() == u"http" || url.scheme() == u"https") && url.scheme() == base.scheme()
        && url.host().compare(base.host(), Qt::CaseInsensitive) == 0
        && url.port(defaultPort) == base.port(base.scheme() == u"https" ? 443 : 80) && url.userInfo().isEmpty();
}

quint64 WidgetApiClient::fetchMedia(const QUrl &url, const QString &destination)
{
    // The token goes with the request: only to the backend itself, never to a host a message names.
    if (!isOwnOrigin(url))
        return 0;
    const quint64 id = ++m_lastRequest;
    QNetworkRequest req(url);
    req.setRawHeader("Accept", "*/*");
    req.setRawHeader("Authorization", "Bearer " + m_config.token.toUtf8());
    req.setRawHeader("X-Tenant-ID", m_config.tenant.toUtf8());
    req.setTransferTimeout(m_config.timeoutMs);
    req.setSslConfiguration(m_config.ssl);
    QNetworkReply *reply = m_nam->get(req);
    auto file = std::make_shared<QSaveFile>(destination);
    auto errorBody = std::make_shared<QByteArray>();
    auto sslErrors = std::make_shared<QList<QSslError>>();
    const auto statusOf = [reply] { return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(); };
    // Written as it arrives, so a large file never sits in memory; an error answer is kept for its message.
    connect(reply, &QNetworkReply::readyRead, reply, [reply, file, errorBody, statusOf] {
        const QByteArray chunk = reply->readAll();
        if (statusOf() < 200 || statusOf() >= 300) {
            *errorBody += chunk.left(std::max<qsizetype>(0, 64 * 1024 - errorBody->size()));
            return;
        }
        if (file->size() + chunk.size() > MaxMediaBytes) {
            reply->setProperty(TooLargeProperty, true);
            reply->abort();
        } else if ((!file->isOpen() && !file->open(QIODevice::WriteOnly)) || file->write(chunk) != chunk.size()) {
            reply->setProperty("agentconsole.saveFailed", true);
            reply->abort();
        }
    });
    connect(
        reply, &QNetworkReply::sslErrors, reply, [sslErrors](const QList<QSslError> &errors) { *sslErrors += errors; });
    connect(reply, &QNetworkReply::finished, this, [this, id, reply, file, errorBody, sslErrors, statusOf] {
        reply->deleteLater();
        const QByteArray rest = reply->isOpen() ? reply->readAll() : QByteArray();
        const int status = statusOf();
        auto failure = failureOf(status, *errorBody + rest, reply, *sslErrors);
        if (reply->property(TooLargeProperty).toBool()) {
            failure = Wire::ApiError {status, QStringLiteral("TOO_LARGE"),
                QCoreApplication::translate("WidgetApiClient", "The file is larger than %1 MiB and was not downloaded.")
                    .arg(MaxMediaBytes / (1024 * 1024))};
        } else if (reply->property("agentconsole.saveFailed").toBool()
            || (!failure && !file->isOpen() && !file->open(QIODevice::WriteOnly))) { // or an empty file
            failure = Wire::ApiError {0, QStringLiteral("FILE"),
                QCoreApplication::translate("WidgetApiClient", "The download cannot be saved: %1").arg(file->errorString())};
        } else if (!failure && (file->write(rest) != rest.size() || !file->commit())) {
            failure = Wire::ApiError {0, QStringLiteral("FILE"),
                QCoreApplication::translate("WidgetApiClient", "The download cannot be saved: %1").arg(file->errorString())};
        }
        if (failure) {
            file->cancelWriting();
            emit mediaFetchFailed(id, *failure);
        } else {
            emit mediaFetched(id, file->fileName());
        }
    });
    return id;
}
