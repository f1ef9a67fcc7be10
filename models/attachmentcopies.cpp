#include "attachmentcopies.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QTemporaryDir>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <unistd.h>
#endif

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

namespace {

QString couldNotKeep(const Attachment &attachment, const QString &why)
{
    return QCoreApplication::translate("AttachmentCopies", "“%1” could not be kept for sending: %2")
        .arg(attachment.fileName, why);
}

std::optional<Attachment> noFolder(const Attachment &attachment, const QString &folder, QString *error)
{
    if (error)
        *error = couldNotKeep(attachment,
            QCoreApplication::translate("AttachmentCopies", "the folder %1 cannot be created")
                .arg(QDir::toNativeSeparators(folder)));
    return std::nullopt;
}

// A rename is on disk only once its folder is: a crash right after keep() must not undo it.
void syncFolder(const QString &folder)
{
#ifdef Q_OS_UNIX
    const int fd = ::open(QFile::encodeName(folder).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
#else
    Q_UNUSED(folder);
#endif
}

} // namespace

std::optional<Attachment> AttachmentCopies::copy(const Attachment &attachment, const QString &target, QString *error)
{
    const auto fail = [&](const QString &why) {
        if (error)
            *error = couldNotKeep(attachment, why);
        qCWarning(lcOutbox).noquote() << "attachment" << attachment.fileName << "not copied:" << why;
        return std::nullopt;
    };
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

std::optional<Attachment> AttachmentCopies::stage(
    const Attachment &attachment, const QString &stagingFolder, QString *error)
{
    // A folder of its own: the file keeps its (safe) name, and keep() moves the folder as one.
    QDir().mkpath(stagingFolder);
    QTemporaryDir folder(stagingFolder + QStringLiteral("/XXXXXX"));
    if (!folder.isValid())
        return noFolder(attachment, stagingFolder, error);
    auto staged = copy(attachment, folder.filePath(AttachmentRules::safeFileName(attachment.fileName)), error);
    if (staged)
        folder.setAutoRemove(false);
    return staged;
}

bool AttachmentCopies::isStaged(const Attachment &attachment) const
{
    const QFileInfo file(attachment.localPath);
    return !attachment.localPath.isEmpty() && QFileInfo(file.absolutePath()).absolutePath() == stagingFolder()
        && file.isFile();
}

void AttachmentCopies::unstage(const Attachment &staged)
{
    const QString folder = QFileInfo(staged.localPath).absolutePath();
    if (QFileInfo(folder).absolutePath().endsWith(QLatin1String("/.staging")))
        QDir(folder).removeRecursively();
}

std::optional<Attachment> AttachmentCopies::keep(const QString &messageId, const Attachment &attachment, QString *error)
{
    const QString target = pathFor(messageId, attachment.fileName);
    if (target.isEmpty() || !QDir().mkpath(m_root))
        return noFolder(attachment, m_root, error);
    const QString folder = QFileInfo(target).absolutePath();
    if (isStaged(attachment) && QFileInfo(attachment.localPath).fileName() == QFileInfo(target).fileName()
        && QDir().rename(QFileInfo(attachment.localPath).absolutePath(), folder)) {
        syncFolder(m_root);
        Attachment kept = attachment;
        kept.localPath = target;
        return kept;
    }
    if (!QDir().mkpath(folder))
        return noFolder(attachment, m_root, error);
    auto kept = copy(attachment, target, error);
    if (!kept)
        remove(messageId);
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
