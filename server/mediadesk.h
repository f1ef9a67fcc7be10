// The media routes of the reference server (CONTRACT.md §5) behind RestApi, which has checked the token
// and that it reaches the tenant: POST /api/v1/widget/upload (multipart, limits, the type read from the
// bytes, idempotent on Idempotency-Key) and GET /api/v1/widget/media/<id> (only the tenant's own, with
// nosniff, and as an attachment unless an image). Also describes a stored message's media for history.
#pragma once

#include "mediastore.h"

#include <QJsonObject>
#include <QStringList>

class ConversationStore;
class Metrics;
class QHttpServerRequest;
class QHttpServerResponder;

class MediaDesk
{
public:
    static constexpr qint64 DefaultMaxUploadBytes = 16 * 1024 * 1024;
    // What the body may carry besides the file: part headers, boundaries, other small fields.
    static constexpr qint64 MultipartOverheadBytes = 64 * 1024;
    static QString uploadPath() { return QStringLiteral("/api/v1/widget/upload"); }
    static QString mediaPathPrefix() { return QStringLiteral("/api/v1/widget/media/"); }

    explicit MediaDesk(Metrics &metrics);

    MediaStore &store() { return m_store; }
    void setMaxUploadBytes(qint64 bytes) { m_maxUploadBytes = bytes; }
    qint64 maxUploadBytes() const { return m_maxUploadBytes; }
    void setAllowedTypes(const QStringList &types) { m_allowed = types; }
    const QStringList &allowedTypes() const { return m_allowed; }
    void countTooLarge(); // a 413 of the upload path, from the request head or from the desk

    void handleUpload(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &tenant,
        ConversationStore &conversations);
    void handleMedia(QHttpServerResponder &responder, const QString &tenant, const QString &id);
    // mimeType, fileName, size, width, height of the media a stored message names (one of ours, of this
    // tenant); empty for any other URL.
    QJsonObject describe(const QString &tenant, const QString &mediaUrl) const;
    // http(s)://host[:port] the client reached us by, for absolute mediaUrls.
    static QString originOf(const QHttpServerRequest &request);

private:
    Metrics &m_metrics;
    MediaStore m_store;
    qint64 m_maxUploadBytes = DefaultMaxUploadBytes;
    QStringList m_allowed;
};
