#include "mediajson.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QMimeDatabase>
#include <QUrl>

namespace Wire {

namespace {

// A whole number in [minimum, maximum], else `fallback`: 1e300 or -5 pixels say nothing.
qint64 boundedNumber(std::optional<double> value, qint64 minimum, qint64 maximum, qint64 fallback)
{
    if (!value)
        return fallback;
    const double number = *value;
    return number >= double(minimum) && number <= double(maximum) ? qint64(number) : fallback;
}

std::optional<double> numberOf(const QJsonValue &value)
{
    return value.isDouble() ? std::optional<double>(value.toDouble()) : std::nullopt;
}

// Larger than any camera's picture; also what keeps width * height far from overflowing.
constexpr qint64 MaxSide = 100000;

} // namespace

Attachment attachmentFromFields(const AttachmentFields &fields, const QString &mediaUrl)
{
    Attachment a;
    a.mimeType = fields.mimeType.trimmed().toLower();
    a.fileName = AttachmentRules::safeFileName(fields.fileName.value_or(QString()));
    if (!fields.fileName || fields.fileName->trimmed().isEmpty())
        a.fileName = AttachmentRules::safeFileName(QUrl(mediaUrl).fileName());
    if (a.mimeType.isEmpty()) { // an older backend: the name is all there is to go by
        const QMimeType guess = QMimeDatabase().mimeTypeForFile(a.fileName, QMimeDatabase::MatchExtension);
        a.mimeType = guess.isDefault() ? QString() : guess.name();
    }
    a.size = boundedNumber(fields.size, 0, qint64(1) << 50, -1);
    a.width = int(boundedNumber(fields.width, 1, MaxSide, 0));
    a.height = int(boundedNumber(fields.height, 1, MaxSide, 0));
    if (a.width == 0 || a.height == 0)
        a.width = a.height = 0; // one side alone cannot size a box
    return a;
}

Attachment attachmentFromJson(const QJsonObject &o, const QString &mediaUrl)
{
    const QJsonValue fileName = o.value(u"fileName");
    return attachmentFromFields(
        {o.value(u"mimeType").toString(),
            fileName.isString() ? std::optional<QString>(fileName.toString()) : std::nullopt,
            numberOf(o.value(u"size")), numberOf(o.value(u"width")), numberOf(o.value(u"height"))},
        mediaUrl);
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
