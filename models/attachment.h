// Attachment: the file a message carries (CONTRACT.md §5), a plain value. What the contract lets through
// (types, size) is decided here, once, for the composer's refusal and the outbox's own check alike.
#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>

struct Attachment
{
    QString fileName; // as shown and sent, e.g. receipt.png
    QString mimeType; // e.g. image/png; empty when unknown
    qint64 size = -1; // bytes; -1 when unknown
    int width = 0; // pixels, images only; 0 when unknown
    int height = 0;
    // The outbox's own copy of the file while the reply is unsent (or, for a draft, the file the agent
    // chose); empty for a message whose file is only at the server.
    QString localPath;

    bool isEmpty() const { return fileName.isEmpty() && localPath.isEmpty() && mimeType.isEmpty(); }
    bool isImage() const { return mimeType.startsWith(QLatin1String("image/")); }
    bool hasSize() const { return width > 0 && height > 0; }
    bool operator==(const Attachment &) const = default;
};

Q_DECLARE_METATYPE(Attachment)

namespace AttachmentRules {

// CONTRACT.md §5: the default limit of the upload endpoint, and the types it allows by default.
inline constexpr qint64 MaxBytes = 16 * 1024 * 1024;
const QStringList &allowedTypes();
bool isAllowedType(const QString &mimeType);

// A file the agent chose, described: its name, size and type, the type read from its first bytes (a
// renamed .exe is not an image/png). Width and height are left to the caller, which can decode.
Attachment describe(const QString &path);
// The contract type of the file at `path` when its extension is one of that type's usual few (.pdf,
// .png, .txt, ...) and its bytes say the same (the name is what the desktop goes by to choose a
// program); empty otherwise. A file from a customer is handed to the desktop only then.
QString typeToOpen(const QString &path);
// Why `attachment` cannot be sent, in words for the agent; empty when it can.
QString refusal(const Attachment &attachment);

// "84 KB", "1.2 MB": a file size as the agent reads it, in the current locale.
QString formatSize(qint64 bytes);
// A file name that is safe as the last part of a path on every platform: no separators, no "..", no
// control characters, not empty, at most 120 characters (the extension kept).
QString safeFileName(const QString &name);

} // namespace AttachmentRules
