#include "mediafetcher.h"

#include "attachment.h"
#include "widgetapiclient.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QSet>
#include <QStandardPaths>
#include <QUrl>

#include <algorithm>

MediaFetcher::MediaFetcher(WidgetApiClient *api, const QString &cacheDir, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_dir(QDir(cacheDir).absolutePath())
{
    connect(m_api, &WidgetApiClient::mediaFetched, this, [this](quint64 request, const QString &path) {
        const QString url = m_running.take(request);
        if (url.isNull())
            return;
        emit mediaReady(url, path);
        prune();
        startNext();
    });
    connect(m_api, &WidgetApiClient::mediaFetchFailed, this, [this](quint64 request, const Wire::ApiError &error) {
        const QString url = m_running.take(request);
        if (url.isNull())
            return;
        emit mediaFailed(url, error.message);
        startNext();
    });
}

QString MediaFetcher::defaultCacheDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/media");
}

QString MediaFetcher::folderOf(const QString &url) const
{
    // A hash, not the URL: whatever the URL says, the file stays inside the cache.
    return m_dir + u'/'
        + QString::fromLatin1(QCryptographicHash::hash(url.toUtf8(), QCryptographicHash::Sha256).toHex().left(40));
}

QString MediaFetcher::cachedPath(const QString &url) const
{
    QDir folder(folderOf(url));
    const QStringList files = folder.entryList(QDir::Files | QDir::NoDotAndDotDot);
    for (const QString &file : files) {
        if (!file.startsWith(u'.')) // not a QSaveFile's unfinished one
            return folder.filePath(file);
    }
    return QString();
}

void MediaFetcher::fetch(const QString &url, const QString &fileName)
{
    if (const QString path = cachedPath(url); !path.isEmpty()) {
        QFile(path).setFileTime(QDateTime::currentDateTimeUtc(), QFileDevice::FileModificationTime); // recently used
        QMetaObject::invokeMethod(
            this, [this, url, path] { emit mediaReady(url, path); }, Qt::QueuedConnection);
        return;
    }
    const bool known = std::any_of(m_queue.cbegin(), m_queue.cend(), [&](const Wanted &w) { return w.url == url; });
    if (known || std::find(m_running.cbegin(), m_running.cend(), url) != m_running.cend())
        return;
    m_queue.push_back(Wanted {url, fileName});
    startNext();
}

void MediaFetcher::startNext()
{
    while (m_running.size() < MaxParallel && !m_queue.empty()) {
        const Wanted next = m_queue.back(); // the most recent wish: what the agent looks at now
        m_queue.pop_back();
        const QString folder = folderOf(next.url);
        QDir().mkpath(folder);
        const QString name
            = AttachmentRules::safeFileName(next.fileName.isEmpty() ? QUrl(next.url).fileName() : next.fileName);
        const quint64 request = m_api->fetchMedia(QUrl(next.url, QUrl::StrictMode), folder + u'/' + name);
        if (request == 0) {
            const QString url = next.url;
            QMetaObject::invokeMethod(
                this, [this, url] { emit mediaFailed(url, tr("This file is not on the backend's own server.")); },
                Qt::QueuedConnection);
            continue;
        }
        m_running.insert(request, next.url);
    }
}

void MediaFetcher::adopt(const QString &url, const QString &localFile)
{
    const QFileInfo source(localFile);
    if (url.isEmpty() || !source.isFile() || !cachedPath(url).isEmpty())
        return;
    const QString folder = folderOf(url);
    QDir().mkpath(folder);
    const QString target = folder + u'/' + source.fileName();
    if (!QFile::rename(localFile, target)) // another file system: copy instead
        QFile::copy(localFile, target);
    prune();
}

void MediaFetcher::prune()
{
    struct Entry
    {
        QString folder;
        qint64 bytes;
        QDateTime used;
    };
    QList<Entry> entries;
    qint64 total = 0;
    QSet<QString> busy; // being written now
    for (const QString &url : std::as_const(m_running))
        busy.insert(folderOf(url));
    const QStringList folders = QDir(m_dir).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &name : folders) {
        Entry e {m_dir + u'/' + name, 0, {}};
        if (busy.contains(e.folder))
            continue;
        for (QDirIterator it(e.folder, QDir::Files | QDir::Hidden); it.hasNext();) {
            const QFileInfo info = it.nextFileInfo();
            e.bytes += info.size();
            e.used = std::max(e.used, info.lastModified());
        }
        total += e.bytes;
        entries.append(e);
    }
    if (total <= m_limit)
        return;
    std::sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) { return a.used < b.used; });
    for (const Entry &e : std::as_const(entries)) {
        if (total <= m_limit)
            break;
        QDir(e.folder).removeRecursively();
        total -= e.bytes;
    }
}
