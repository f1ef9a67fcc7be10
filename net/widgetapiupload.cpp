// WidgetApiClient: uploads of attachments (CONTRACT.md §5). The rest of the client is in widgetapiclient.cpp.
#include "widgetapiclient.h"

#include "scheduler.h"

#include <QCoreApplication>
#include <QFile>
#include <QHttpMultiPart>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUuid>

Q_DECLARE_LOGGING_CATEGORY(lcApi)

namespace {

// RFC 7578 §4.2: a quoted ASCII name for every parser, and the exact UTF-8 one as filename* (RFC 5987),
// which busboy (multer) and widget-server prefer when present.
QByteArray contentDisposition(const QString &fileName)
{
    QByteArray ascii;
    for (const QChar c : fileName)
        ascii += c.unicode() >= 0x20 && c.unicode() < 0x7f && c != u'"' && c != u'\\' ? char(c.unicode()) : '_';
    return "form-data; name=\"file\"; filename=\"" + ascii + "\"; filename*=UTF-8''"
        + QUrl::toPercentEncoding(fileName);
}

} // namespace

void WidgetApiClient::upload(const OutgoingUpload &upload)
{
    if (m_uploads.contains(upload.messageId))
        return; // already on its way
    m_uploads.insert(upload.messageId, UploadJob {upload, 0, nullptr});
    startUploadAttempt(upload.messageId);
}

void WidgetApiClient::cancelUpload(const QString &messageId)
{
    const auto it = m_uploads.find(messageId);
    if (it == m_uploads.end())
        return;
    const QPointer<QNetworkReply> reply = it->reply;
    m_uploads.erase(it); // first: the abort's "finished" then finds no job and reports nothing
    if (reply)
        reply->abort();
}

void WidgetApiClient::startUploadAttempt(const QString &messageId)
{
    auto it = m_uploads.find(messageId);
    if (it == m_uploads.end())
        return;
    ++it->attempt;
    const OutgoingUpload &u = it->upload;
    auto *file = new QFile(u.attachment.localPath);
    if (!file->open(QIODevice::ReadOnly)) {
        const QString why = file->errorString();
        delete file;
        m_uploads.erase(it);
        emit uploadFailed(messageId,
            Wire::ApiError {0, QStringLiteral("FILE"),
                QCoreApplication::translate("WidgetApiClient", "The attached file cannot be read: %1").arg(why)});
        return;
    }
    auto *multipart = new QHttpMultiPart(QHttpMultiPart::FormDataType);
    // Qt's own boundary is base64 and may hold a '/', which a Content-Type token cannot: strict parsers
    // (Node's media-typer, under express and multer) then do not see multipart at all. Hex is a token.
    multipart->setBoundary("agentconsole-" + QUuid::createUuid().toByteArray(QUuid::Id128));
    QHttpPart part;
    part.setRawHeader("Content-Disposition", contentDisposition(u.attachment.fileName));
    part.setRawHeader("Content-Type", u.attachment.mimeType.toLatin1());
    part.setBodyDevice(file); // streamed from the file: a 16 MiB photo is never held in memory
    file->setParent(multipart);
    multipart->append(part);

    QNetworkRequest req = request(QStringLiteral("/api/v1/widget/upload"));
    QUrl url = req.url();
    url.setQuery(QStringLiteral("conversationId=") + QString::fromLatin1(QUrl::toPercentEncoding(u.conversationId)));
    req.setUrl(url);
    req.setHeader(QNetworkRequest::ContentTypeHeader, "multipart/form-data; boundary=" + multipart->boundary());
    req.setRawHeader("Idempotency-Key", messageId.toUtf8());
    emit uploadAttemptStarted(messageId, it->attempt);
    QNetworkReply *reply = m_nam->post(req, multipart);
    multipart->setParent(reply);
    it->reply = reply;
    connect(reply, &QNetworkReply::uploadProgress, this, [this, messageId, reply](qint64 sent, qint64 total) {
        const auto job = m_uploads.constFind(messageId);
        if (job != m_uploads.cend() && job->reply == reply && total > 0)
            emit uploadProgress(messageId, sent, total);
    });
    watch(reply, [this, messageId](int status, const QByteArray &data, QNetworkReply *r, const auto &failure) {
        finishUploadAttempt(messageId, status, data, r, failure);
    });
}

void WidgetApiClient::finishUploadAttempt(const QString &messageId, int httpStatus, const QByteArray &body,
    QNetworkReply *reply, const std::optional<Wire::ApiError> &failure)
{
    auto it = m_uploads.find(messageId);
    if (it == m_uploads.end() || it->reply != reply)
        return; // cancelled
    it->reply = nullptr;
    if (!failure) {
        QString why;
        const auto result = Wire::parseUploadReply(body, &why);
        m_uploads.erase(it);
        if (result)
            emit uploadAccepted(messageId, *result);
        else // the same key again gets the same answer: a Retry asks once more
            emit uploadFailed(messageId, Wire::ApiError {httpStatus, QStringLiteral("BAD_REPLY"), why});
        return;
    }
    const auto delay = retryDelay(it->attempt, httpStatus, reply, *failure);
    if (!delay) {
        m_uploads.erase(it);
        emit uploadFailed(messageId, *failure);
        return;
    }
    qCInfo(lcApi).nospace() << "upload " << messageId << " attempt " << it->attempt << " failed (" << failure->message
                            << "), retrying in " << *delay << " ms";
    m_scheduler->after(*delay, this, [this, messageId] { startUploadAttempt(messageId); });
}
