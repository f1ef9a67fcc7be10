#include "attachment.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHash>
#include <QLocale>
#include <QMimeDatabase>

namespace AttachmentRules {

const QStringList &allowedTypes()
{
    static const QStringList types {QStringLiteral("image/jpeg"), QStringLiteral("image/png"),
        QStringLiteral("image/webp"), QStringLiteral("application/pdf"), QStringLiteral("text/plain"),
        QStringLiteral("audio/ogg"), QStringLiteral("audio/mpeg"), QStringLiteral("video/mp4")};
    return types;
}

bool isAllowedType(const QString &mimeType)
{
    return allowedTypes().contains(mimeType);
}

// The contract's name for a type QMimeDatabase knows under another one (audio/x-vorbis+ogg is audio/ogg).
static QString contractType(const QMimeType &type)
{
    for (const QString &allowed : allowedTypes()) {
        if (type.name() == allowed || type.aliases().contains(allowed))
            return allowed;
    }
    for (const QString &allowed : allowedTypes()) {
        if (!allowed.startsWith(QLatin1String("text/")) && type.inherits(allowed))
            return allowed;
    }
    // A log or a .csv goes as text/plain; HTML does not (a page is not a note, and browsers run it).
    if (type.name().startsWith(QLatin1String("text/")) && type.name() != u"text/html")
        return QStringLiteral("text/plain");
    return type.name();
}

Attachment describe(const QString &path)
{
    const QFileInfo info(path);
    Attachment a;
    a.localPath = info.absoluteFilePath();
    a.fileName = safeFileName(info.fileName());
    a.size = info.exists() ? info.size() : -1;
    // By content: the name may lie, and the server checks the bytes too. The name only refines what the
    // bytes cannot tell: a .csv is text, and an MP3 without a tag has no magic number.
    const QMimeDatabase db;
    const QMimeType content = db.mimeTypeForFile(info, QMimeDatabase::MatchContent);
    const QMimeType byName = db.mimeTypeForFile(info, QMimeDatabase::MatchExtension);
    const bool refines = content.isDefault() ? byName.name() == u"audio/mpeg"
                                             : content.name() == u"text/plain" && byName.inherits(content.name());
    a.mimeType = contractType(refines ? byName : content);
    return a;
}

QString typeToOpen(const QString &path)
{
    // The extensions each type may have, and no others: a desktop runs a .vbs or a .py that holds
    // plain text, so "text" is .txt and .log only, never whatever the MIME database calls text.
    static const QHash<QString, QString> typeOfSuffix {{QStringLiteral("jpg"), QStringLiteral("image/jpeg")},
        {QStringLiteral("jpeg"), QStringLiteral("image/jpeg")}, {QStringLiteral("png"), QStringLiteral("image/png")},
        {QStringLiteral("webp"), QStringLiteral("image/webp")}, {QStringLiteral("pdf"), QStringLiteral("application/pdf")},
        {QStringLiteral("txt"), QStringLiteral("text/plain")}, {QStringLiteral("log"), QStringLiteral("text/plain")},
        {QStringLiteral("ogg"), QStringLiteral("audio/ogg")}, {QStringLiteral("oga"), QStringLiteral("audio/ogg")},
        {QStringLiteral("opus"), QStringLiteral("audio/ogg")}, {QStringLiteral("mp3"), QStringLiteral("audio/mpeg")},
        {QStringLiteral("mp4"), QStringLiteral("video/mp4")}, {QStringLiteral("m4v"), QStringLiteral("video/mp4")}};
    const QString byName = typeOfSuffix.value(QFileInfo(path).suffix().toLower());
    if (byName.isEmpty())
        return QString();
    return describe(path).mimeType == byName ? byName : QString();
}

QString refusal(const Attachment &a)
{
    const auto tr = [](const char *text) { return QCoreApplication::translate("AttachmentRules", text); };
    if (a.size < 0)
        return tr("“%1” cannot be read.").arg(a.fileName);
    if (a.size == 0)
        return tr("“%1” is empty.").arg(a.fileName);
    if (a.size > MaxBytes)
        return tr("“%1” is %2; files up to %3 can be sent.").arg(a.fileName, formatSize(a.size), formatSize(MaxBytes));
    if (!isAllowedType(a.mimeType))
        return tr("“%1” cannot be sent: only photos (JPEG, PNG, WebP), PDF, text, audio (OGG, MP3) and MP4 "
                  "videos are allowed.")
            .arg(a.fileName);
    return QString();
}

QString formatSize(qint64 bytes)
{
    // Decimal units, as file managers show them (84 KB, 1.2 MB); never "0 KB" for a small file.
    return QLocale().formattedDataSize(
        std::max<qint64>(bytes, 0), bytes < 1000 * 1000 ? 0 : 1, QLocale::DataSizeSIFormat);
}

QString safeFileName(const QString &name)
{
    QString safe;
    safe.reserve(name.size());
    for (const QChar c : name) {
        const bool bad = c.category() == QChar::Other_Control || c.category() == QChar::Other_Format || c == u'/'
            || c == u'\\' || c == u':' || c == u'*' || c == u'?' || c == u'"' || c == u'<' || c == u'>' || c == u'|';
        safe.append(bad ? QChar(u'_') : c);
    }
    safe = safe.trimmed();
    while (safe.startsWith(u'.'))
        safe.remove(0, 1); // no "..", no hidden file
    if (safe.isEmpty())
        safe = QStringLiteral("file");
    if (safe.size() > 120) {
        const qsizetype dot = safe.lastIndexOf(u'.');
        const QString extension = dot > 0 && safe.size() - dot <= 10 ? safe.mid(dot) : QString();
        safe = safe.left(120 - extension.size()) + extension;
    }
    return safe;
}

} // namespace AttachmentRules
