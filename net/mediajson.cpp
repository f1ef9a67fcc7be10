#include "mediajson.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QMimeDatabase>
#include <QUrl>

namespace Wire {

namespace {

// A whole number in [minimum, maximum], else `fallback`: 1e300 or -5 pixels say nothing.
qint64 boundedNumber(const QJsonValue &value, qint64 minimum, qint64 maximum, qint64 fallback)
{
    if (!value.isDouble())
        return fallback;
    const double number = value.toDouble();
    return number >= double(minimum) && number <= double(maximum) ? qint64(number) : fallback;
}

// Larger than any camera's picture; also what keeps width * height far from overflowing.
constexpr qint64 MaxSide = 100000;

} // namespace

Attachment attachmentFromJson(const QJsonObject &o, const QString &mediaUrl)
{
    Attachment a;
    a.mimeType = o.value(u"mimeType").toString().trimmed().toLower();
    a.fileName = AttachmentRules::safeFileName(o.value(u"fileName").toString());
    if (!o.value(u"fileName").isString() || o.value(u"fileName").toString().trimmed().isEmpty())
        a.fileName = AttachmentRules::safeFileName(QUrl(mediaUrl).fileName());
    if (a.mimeType.isEmpty()) { // an older backend: the name is all there is to go by
        const QMimeType guess = QMimeDatabase().mimeTypeForFile(a.fileName, QMimeDatabase::MatchExtension);
        a.mimeType = guess.isDefault() ? QString() : guess.name();
    }
    a.size = boundedNumber(o.value(u"size"), 0, qint64(1) << 50, -1);
    a.width = int(boundedNumber(o.value(u"width"), 1, MaxSide, 0));
    a.height = int(boundedNumber(o.value(u"height"), 1, MaxSide, 0));
    if (a.width == 0 || a.height == 0)
        a.width = a.height = 0; // one side alone cannot size a box
    return a;
}

std::optional<UploadResult> parseUploadReply(const QByteArray &body, QString *error)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QString url = doc.object().value(u"mediaUrl").toString();
    const QUrl parsed(url, QUrl::StrictMode);
    if (!doc.isObject() || !parsed.isValid() || parsed.isRelative() || parsed.host().isEmpty()) {
        if (error)
            *error = QCoreApplication::translate("Wire", "The server's upload answer has no usable mediaUrl.");
        return std::nullopt;
    }
    return UploadResult {url, attachmentFromJson(doc.object(), url)};
}

} // namespace Wire
