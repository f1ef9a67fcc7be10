#include "attachmentcopies.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QSaveFile>

#include <algorithm>

Q_DECLARE_LOGGING_CATEGORY(lcOutbox)

namespace {

// A message id names a folder: only what makeMessageId() and servers' ids use gets through.
bool isSafeId(const QString &id)
{
    if (id.isEmpty() || id.size() > 128 || id.startsWith(u'.'))
        return false;
    return std::all_of(id.cbegin(), id.cend(),
        [](QChar c) { return (c.unicode() < 128 && c.isLetterOrNumber()) || c == u'_' || c == u'-' || c == u'.'; });
}

QString tr(const char *text)
{
    return QCoreApplication::translate("AttachmentCopies", text);
}

} // namespace

AttachmentCopies::AttachmentCopies(const QString &root)
    : m_root(QDir(root).absolutePath())
{
}

QString AttachmentCopies::pathFor(const QString &messageId, const QString &fileName) const
{
    if (!isSafeId(messageId))
        return QString();
    return m_root + u'/' + messageId + u'/' + AttachmentRules::safeFileName(fileName);
}

std::optional<Attachment> AttachmentCopies::keep(const QString &messageId, const Attachment &attachment, QString *error)
{
    const auto fail = [&](const QString &why) {
        if (error)
            *error = tr("“%1” could not be kept for sending: %2").arg(attachment.fileName, why);
        qCWarning(lcOutbox).noquote() << "attachment of" << messageId << "not copied:" << why;
        remove(messageId);
        return std::nullopt;
    };
    const QString target = pathFor(messageId, attachment.fileName);
    if (target.isEmpty() || !QDir().mkpath(QFileInfo(target).absolutePath()))
        return fail(tr("the folder %1 cannot be created").arg(QDir::toNativeSeparators(m_root)));
    QFile source(attachment.localPath);
    if (!source.open(QIODevice::ReadOnly))
        return fail(source.errorString());
    QSaveFile copy(target);
    if (!copy.open(QIODevice::WriteOnly))
        return fail(copy.errorString());
    // In pieces, and never more than the contract allows: the file may have grown since it was chosen.
    QByteArray buffer(1 << 20, Qt::Uninitialized);
    qint64 total = 0;
    for (qint64 n; (n = source.read(buffer.data(), buffer.size())) > 0;) {
        total += n;
        if (total > AttachmentRules::MaxBytes)
            return fail(tr("it is larger than %1").arg(AttachmentRules::formatSize(AttachmentRules::MaxBytes)));
        if (copy.write(buffer.constData(), n) != n)
            return fail(copy.errorString());
    }
    if (source.error() != QFileDevice::NoError)
        return fail(source.errorString());
    if (!copy.commit()) // flushed and renamed into place: all of it or nothing
        return fail(copy.errorString());
    Attachment kept = attachment;
    kept.localPath = target;
    kept.size = total;
    return kept;
}

void AttachmentCopies::remove(const QString &messageId)
{
    if (isSafeId(messageId))
        QDir(m_root + u'/' + messageId).removeRecursively();
}

int AttachmentCopies::sweep(const QSet<QString> &keepIds)
{
    int removed = 0;
    const QStringList folders = QDir(m_root).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden);
    for (const QString &folder : folders) {
        if (keepIds.contains(folder))
            continue;
        QDir(m_root + u'/' + folder).removeRecursively();
        ++removed;
    }
    if (removed > 0)
        qCInfo(lcOutbox) << "removed" << removed << "attachment copies of replies never written";
    return removed;
}
