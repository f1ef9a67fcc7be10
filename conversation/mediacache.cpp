#include "mediacache.h"

#include "attachment.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QLoggingCategory>

#include <algorithm>
#include <vector>

Q_LOGGING_CATEGORY(lcMediaCache, "agentconsole.mediacache")

namespace {

QString incomingDir(const QString &dir)
{
    return dir + QStringLiteral("/.incoming");
}

} // namespace

std::shared_ptr<MediaCache> MediaCache::forFolder(const QString &dir)
{
    // The UI thread's: every conversation lives there.
    static QHash<QString, std::weak_ptr<MediaCache>> open;
    const QString key = QDir::cleanPath(QDir(dir).absolutePath());
    if (auto cache = open.value(key).lock())
        return cache;
    auto cache = std::make_shared<MediaCache>(key);
    open.insert(key, cache);
    return cache;
}

MediaCache::MediaCache(const QString &dir)
    : m_dir(QDir::cleanPath(QDir(dir).absolutePath()))
{
    // Downloads a crash (or a quit) cut short. One console runs per profile, but a folder written in the
    // last hour is left alone all the same (another process on the same cache, such as a test's).
    const QDateTime stale = QDateTime::currentDateTimeUtc().addSecs(-3600);
    const QFileInfoList incoming = QDir(incomingDir(m_dir)).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QFileInfo &folder : incoming) {
        if (folder.lastModified() < stale)
            QDir(folder.absoluteFilePath()).removeRecursively();
    }
    loadIndex();
}

QString MediaCache::folderOf(const QString &url) const
{
    // A hash, not the URL: whatever the URL says, the file stays inside the cache.
    return QString::fromLatin1(QCryptographicHash::hash(url.toUtf8(), QCryptographicHash::Sha256).toHex().left(40));
}

void MediaCache::loadIndex()
{
    const QStringList folders = QDir(m_dir).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &folder : folders) {
        QDirIterator files(m_dir + u'/' + folder, QDir::Files);
        if (!files.hasNext()) { // nothing finished in it (an older console's unfinished download)
            QDir(m_dir + u'/' + folder).removeRecursively();
            continue;
        }
        const QFileInfo info = files.nextFileInfo();
        m_entries.insert(folder, Entry {info.absoluteFilePath(), info.size(), info.lastModified()});
        m_total += info.size();
    }
}

void MediaCache::setLimit(qint64 bytes)
{
    m_limit = bytes;
    trim(QString());
}

QString MediaCache::cachedPath(const QString &url)
{
    const QString folder = folderOf(url);
    const auto it = m_entries.find(folder);
    if (it == m_entries.end())
        return QString();
    QFile file(it->path);
    if (!file.exists()) { // removed behind our back (the agent cleared the cache)
        forget(folder);
        return QString();
    }
    it->used = QDateTime::currentDateTimeUtc();
    // The next session's index knows it too (a file's time is set through an open file).
    if (file.open(QIODevice::ReadOnly | QIODevice::Append))
        file.setFileTime(it->used, QFileDevice::FileModificationTime);
    return it->path;
}

QString MediaCache::incomingPath(const QString &url, const QString &fileName)
{
    const QString folder = incomingDir(m_dir) + u'/' + folderOf(url) + u'-' + QString::number(++m_incoming);
    QDir().mkpath(folder);
    return folder + u'/' + AttachmentRules::safeFileName(fileName);
}

QString MediaCache::commit(const QString &url, const QString &file)
{
    const QFileInfo source(file);
    const bool fromIncoming = QFileInfo(source.absolutePath()).absolutePath() == incomingDir(m_dir);
    if (const QString there = cachedPath(url); !there.isEmpty()) {
        if (fromIncoming) // another download of it finished first
            QDir(source.absolutePath()).removeRecursively();
        return there;
    }
    // A file from elsewhere (another file system, maybe) goes whole into .incoming first, so a crash in
    // the middle of a copy never leaves part of it where cachedPath() looks.
    const QString staged = fromIncoming ? file : incomingPath(url, source.fileName());
    const QString stagedFolder = QFileInfo(staged).absolutePath();
    const QString folder = folderOf(url);
    const QString target = m_dir + u'/' + folder + u'/' + QFileInfo(staged).fileName();
    const bool moved = (fromIncoming || QFile::rename(file, staged)) && QDir().mkpath(m_dir + u'/' + folder)
        && QFile::rename(staged, target);
    QDir(stagedFolder).removeRecursively();
    if (!moved) {
        qCWarning(lcMediaCache).noquote() << "cannot put" << file << "into the media cache";
        return QString();
    }
    const qint64 bytes = QFileInfo(target).size();
    m_entries.insert(folder, Entry {target, bytes, QDateTime::currentDateTimeUtc()});
    m_total += bytes;
    trim(folder);
    return target;
}

void MediaCache::trim(const QString &keep)
{
    if (m_total <= m_limit)
        return;
    std::vector<std::pair<QDateTime, QString>> byUse;
    byUse.reserve(m_entries.size());
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it)
        byUse.emplace_back(it->used, it.key());
    std::sort(byUse.begin(), byUse.end());
    for (const auto &[used, folder] : byUse) {
        if (m_total <= m_limit)
            break;
        if (folder == keep)
            continue;
        // A file another program holds open may not go (Windows): it stays counted, and tried again.
        if (QDir(m_dir + u'/' + folder).removeRecursively())
            forget(folder);
    }
}

void MediaCache::forget(const QString &folder)
{
    m_total -= m_entries.take(folder).bytes;
}
