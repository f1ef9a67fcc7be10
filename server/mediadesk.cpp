#include "mediadesk.h"

#include "conversationstore.h"
#include "httpfront.h"
#include "mediatypes.h"
#include "metrics.h"
#include "multipart.h"
#include "serverlog.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QUrl>
#include <QUrlQuery>
#include <QUuid>

namespace {

namespace Names {
constexpr char Uploads[] = "widget_server_uploads_total";
constexpr char UploadBytes[] = "widget_server_upload_bytes_total";
constexpr char MediaMemory[] = "widget_server_media_memory_bytes";
constexpr char MediaServed[] = "widget_server_media_served_total";
} // namespace Names

// A name safe in a Content-Disposition header and on any disk: no path, no control characters.
QString cleanFileName(const QString &name)
{
    QString clean;
    for (const QChar c : name.left(200)) {
        const bool bad = c.category() == QChar::Other_Control || c.category() == QChar::Other_Format || c == u'/'
            || c == u'\\' || c == u'"';
        clean.append(bad ? QChar(u'_') : c);
    }
    clean = clean.trimmed();
    while (clean.startsWith(u'.'))
        clean.remove(0, 1);
    return clean.isEmpty() ? QStringLiteral("file") : clean;
}

QByteArray contentDisposition(const char *kind, const QString &fileName)
{
    QByteArray ascii;
    for (const QChar c : fileName)
        ascii += c.unicode() >= 0x20 && c.unicode() < 0x7f && c != u'"' && c != u'\\' ? char(c.unicode()) : '_';
    return QByteArray(kind) + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + QUrl::toPercentEncoding(fileName);
}

} // namespace

MediaDesk::MediaDesk(Metrics &metrics)
    : m_metrics(metrics)
    , m_allowed(MediaTypes::defaultAllowed())
{
    using Type = Metrics::Type;
    m_metrics.declare(Names::Uploads, Type::Counter,
        QStringLiteral("POST /upload by result: stored, deduplicated (the same Idempotency-Key again), too_large, "
                       "type_not_allowed, invalid, storage_full, storage_error."));
    m_metrics.declare(
        Names::UploadBytes, Type::Counter, QStringLiteral("Bytes of the uploads stored (repeats not counted)."));
    m_metrics.declare(Names::MediaServed, Type::Counter, QStringLiteral("GET of media by HTTP status."));
    m_metrics.declareRead(Names::MediaMemory, Type::Gauge,
        QStringLiteral("Bytes of media held in memory (without --data-dir; capped)."), [this] {
            return QList<Metrics::Sample> {{{}, double(m_store.memoryBytes())}};
        });
}

void MediaDesk::countTooLarge()
{
    m_metrics.add(Names::Uploads, {{"result", QStringLiteral("too_large")}});
}

QString MediaDesk::originOf(const QHttpServerRequest &request)
{
    const QByteArray proto = HttpFront::header(request, "X-Forwarded-Proto").toLower();
    QByteArray host = HttpFront::header(request, "Host");
    if (host.isEmpty() || host.contains('/') || host.contains('@'))
        host = request.url().authority().toUtf8();
    return QStringLiteral("%1://%2").arg(
        proto == "https" ? QStringLiteral("https") : QStringLiteral("http"), QString::fromUtf8(host));
}

void MediaDesk::handleUpload(const QHttpServerRequest &request, QHttpServerResponder &responder, const QString &tenant,
    ConversationStore &conversations)
{
    const auto refuse = [&](int status, const char *result, const QString &message, const QString &code) {
        if (status != 413) // every 413 of this path is counted as it is answered (countTooLarge)
            m_metrics.add(Names::Uploads, {{"result", QString::fromLatin1(result)}});
        HttpFront::writeError(responder, status, message, code);
    };
    const QString conversation
        = request.query().queryItemValue(QStringLiteral("conversationId"), QUrl::FullyDecoded).trimmed();
    if (conversation.isEmpty())
        return refuse(400, "invalid", QStringLiteral("conversationId required"), QStringLiteral("MISSING_FIELD"));
    if (!conversations.hasConversation(tenant, conversation)) {
        const bool storage = !conversations.error().isEmpty();
        return refuse(storage ? 500 : 404, storage ? "storage_error" : "invalid",
            storage ? QStringLiteral("Storage error") : QStringLiteral("Conversation not found"),
            storage ? QStringLiteral("STORAGE_ERROR") : QStringLiteral("NOT_FOUND"));
    }
    QString why;
    const auto parts
        = Multipart::parse(request.body(), Multipart::boundaryOf(HttpFront::header(request, "Content-Type")), &why);
    if (!parts)
        return refuse(400, "invalid", QStringLiteral("Body must be multipart/form-data: %1").arg(why),
            QStringLiteral("INVALID_BODY"));
    const auto file
        = std::find_if(parts->cbegin(), parts->cend(), [](const Multipart::Part &p) { return p.name == "file"; });
    if (file == parts->cend() || file->data.isEmpty())
        return refuse(400, "invalid", QStringLiteral("file required"), QStringLiteral("MISSING_FIELD"));
    if (file->data.size() > m_maxUploadBytes) {
        return refuse(413, "too_large", QStringLiteral("The file is larger than %1 bytes").arg(m_maxUploadBytes),
            QStringLiteral("MEDIA_TOO_LARGE"));
    }
    // The type the client names must be allowed, and the bytes must be of it; without a name (or the
    // generic one) the bytes alone decide.
    QString type = QString::fromLatin1(file->contentType);
    if (type.isEmpty() || type == u"application/octet-stream")
        type = MediaTypes::sniff(file->data);
    if (!m_allowed.contains(type)) {
        return refuse(415, "type_not_allowed",
            QStringLiteral("%1 is not allowed; allowed: %2")
                .arg(type.isEmpty() ? QStringLiteral("This file type") : type, m_allowed.join(QStringLiteral(", "))),
            QStringLiteral("MEDIA_TYPE_NOT_ALLOWED"));
    }
    if (!MediaTypes::matches(type, file->data)) {
        return refuse(415, "type_not_allowed", QStringLiteral("The file's content is not %1").arg(type),
            QStringLiteral("MEDIA_TYPE_NOT_ALLOWED"));
    }
    MediaRecord draft;
    draft.tenant = tenant;
    draft.conversation = conversation;
    draft.fileName = cleanFileName(file->fileName);
    draft.mimeType = type;
    if (MediaTypes::isImage(type)) {
        const QSize size = MediaTypes::imageSize(type, file->data);
        draft.width = size.isValid() ? size.width() : 0;
        draft.height = size.isValid() ? size.height() : 0;
    }
    QString key = QString::fromUtf8(HttpFront::header(request, "Idempotency-Key")).left(200);
    if (key.isEmpty()) // not idempotent then, but still stored and answered
        key = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const MediaStore::Result stored = m_store.store(draft, key, file->data);
    switch (stored.outcome) {
    case MediaStore::Outcome::Full:
        return refuse(507, "storage_full", QStringLiteral("No room for more media in memory"),
            QStringLiteral("MEDIA_STORAGE_FULL"));
    case MediaStore::Outcome::Failed:
        return refuse(500, "storage_error", QStringLiteral("Storage error"), QStringLiteral("STORAGE_ERROR"));
    case MediaStore::Outcome::Stored:
        m_metrics.add(Names::Uploads, {{"result", QStringLiteral("stored")}});
        m_metrics.add(Names::UploadBytes, {}, double(stored.record.size));
        break;
    case MediaStore::Outcome::Repeated:
        m_metrics.add(Names::Uploads, {{"result", QStringLiteral("deduplicated")}});
        break;
    }
    const MediaRecord &r = stored.record;
    QJsonObject answer {{QStringLiteral("mediaUrl"), originOf(request) + mediaPathPrefix() + r.id},
        {QStringLiteral("mimeType"), r.mimeType}, {QStringLiteral("size"), double(r.size)},
        {QStringLiteral("fileName"), r.fileName}};
    if (r.width > 0 && r.height > 0) {
        answer.insert(QStringLiteral("width"), r.width);
        answer.insert(QStringLiteral("height"), r.height);
    }
    HttpFront::writeJson(responder, 200, answer);
}

void MediaDesk::handleMedia(QHttpServerResponder &responder, const QString &tenant, const QString &id)
{
    // Whatever the URL said, only a well-formed id of this tenant's is looked up: nothing else reaches a
    // path, and another tenant's media is as unknown as a missing one.
    const auto record = m_store.find(tenant, id);
    const auto bytes = record ? m_store.bytes(*record) : std::nullopt;
    if (!bytes) {
        m_metrics.add(Names::MediaServed, {{"status", QStringLiteral("404")}});
        return HttpFront::writeError(responder, 404, QStringLiteral("Media not found"), QStringLiteral("NOT_FOUND"));
    }
    m_metrics.add(Names::MediaServed, {{"status", QStringLiteral("200")}});
    HttpFront::HeaderList headers {{"Content-Type", record->mimeType.toLatin1()}, {"X-Content-Type-Options", "nosniff"},
        {"Cache-Control", "private, max-age=31536000, immutable"},
        {"Content-Security-Policy", "default-src 'none'; sandbox"}};
    headers.append({"Content-Disposition",
        contentDisposition(MediaTypes::isImage(record->mimeType) ? "inline" : "attachment", record->fileName)});
    HttpFront::write(responder, 200, *bytes, headers);
}

QJsonObject MediaDesk::describe(const QString &tenant, const QString &mediaUrl) const
{
    const QString path = mediaUrl.startsWith(u'/') ? mediaUrl : QUrl(mediaUrl).path();
    if (!path.startsWith(mediaPathPrefix()))
        return {};
    const auto record = m_store.find(tenant, path.mid(mediaPathPrefix().size()));
    if (!record)
        return {};
    QJsonObject fields {{QStringLiteral("mimeType"), record->mimeType}, {QStringLiteral("fileName"), record->fileName},
        {QStringLiteral("size"), double(record->size)}};
    if (record->width > 0 && record->height > 0) {
        fields.insert(QStringLiteral("width"), record->width);
        fields.insert(QStringLiteral("height"), record->height);
    }
    return fields;
}
