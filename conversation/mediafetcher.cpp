#include "mediafetcher.h"

#include "attachment.h"
#include "mediacache.h"
#include "widgetapiclient.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QUrl>

#include <algorithm>

MediaFetcher::MediaFetcher(WidgetApiClient *api, const QString &cacheDir, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_cache(MediaCache::forFolder(cacheDir))
{
    connect(m_api, &WidgetApiClient::mediaFetched, this, [this](quint64 request, const QString &path) {
        const QString url = m_running.take(request);
        if (url.isNull())
            return;
        m_incoming.remove(request);
        if (const QString cached = m_cache->commit(url, path); !cached.isEmpty())
            emit mediaReady(url, cached);
        else
            emit mediaFailed(url, tr("The download cannot be kept in the cache folder."));
        startNext();
    });
    connect(m_api, &WidgetApiClient::mediaFetchFailed, this, [this](quint64 request, const Wire::ApiError &error) {
        const QString url = m_running.take(request);
        if (url.isNull())
            return;
        QDir(QFileInfo(m_incoming.take(request)).absolutePath()).removeRecursively();
        emit mediaFailed(url, error.message);
        startNext();
    });
}

MediaFetcher::~MediaFetcher() = default;

QString MediaFetcher::defaultCacheDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/media");
}

QString MediaFetcher::cachedPath(const QString &url) const
{
    return m_cache->cachedPath(url);
}

void MediaFetcher::fetch(const QString &url, const QString &fileName)
{
    if (const QString path = cachedPath(url); !path.isEmpty()) {
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
        const QString name = next.fileName.isEmpty() ? QUrl(next.url).fileName() : next.fileName;
        const QString incoming = m_cache->incomingPath(next.url, name);
        const quint64 request = m_api->fetchMedia(QUrl(next.url, QUrl::StrictMode), incoming);
        if (request == 0) {
            QDir(QFileInfo(incoming).absolutePath()).removeRecursively();
            const QString url = next.url;
            QMetaObject::invokeMethod(
                this, [this, url] { emit mediaFailed(url, tr("This file is not on the backend's own server.")); },
                Qt::QueuedConnection);
            continue;
        }
        m_running.insert(request, next.url);
        m_incoming.insert(request, incoming);
    }
}

void MediaFetcher::adopt(const QString &url, const QString &localFile)
{
    if (url.isEmpty() || !QFileInfo(localFile).isFile())
        return;
    m_cache->commit(url, localFile);
}
