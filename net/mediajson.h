// The media fields of CONTRACT.md §5: the answer of POST /upload, and the optional mimeType, fileName,
// size, width and height next to a message's mediaUrl. Pure functions, like wirejson.h: unknown fields
// are ignored, wrong types and absurd values are dropped, nothing throws.
#pragma once

#include "attachment.h"

#include <QByteArray>
#include <QJsonObject>
#include <QMetaType>

#include <optional>

namespace Wire {

struct UploadResult
{
    QString mediaUrl;
    Attachment attachment; // what the server stored: type, size, name, and an image's pixel size
};

// The media fields as they came, for decoders that read JSON without a QJsonObject (wirejson.cpp).
struct AttachmentFields
{
    QString mimeType; // null unless a string
    std::optional<QString> fileName; // nullopt unless a string
    std::optional<double> size; // nullopt unless a number
    std::optional<double> width;
    std::optional<double> height;
};

// The attachment described next to `mediaUrl` in a message or an upload answer; the file name falls
// back to the last segment of the URL's path.
Attachment attachmentFromFields(const AttachmentFields &fields, const QString &mediaUrl);
Attachment attachmentFromJson(const QJsonObject &object, const QString &mediaUrl);
std::optional<UploadResult> parseUploadReply(const QByteArray &body, QString *error = nullptr);

} // namespace Wire

Q_DECLARE_METATYPE(Wire::UploadResult)
