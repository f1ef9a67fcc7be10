// MediaFetcher: the files behind the mediaUrls of one conversation, fetched from the backend with the
// token in the Authorization header (never in the URL, CONTRACT.md §5) into the disk cache all
// conversations share (MediaCache), each URL once, a few at a time, the most recently asked for first
// (what is on screen now). The cache is bounded: the least recently used files go once it holds more
// than its limit.
#pragma once

#include <QHash>
#include <QObject>
#include <QString>

#include <deque>
#include <memory>

class MediaCache;

class WidgetApiClient;

class MediaFetcher : public QObject
{
    Q_OBJECT

public:
    static constexpr int MaxParallel = 4;

    MediaFetcher(WidgetApiClient *api, const QString &cacheDir, QObject *parent = nullptr);
    ~MediaFetcher() override;
    // The default location: <CacheLocation>/media.
    static QString defaultCacheDir();
    MediaCache &cache() const { return *m_cache; } // shared with every fetcher of the same folder

    // The cached file of `url`, complete; empty when it is not here.
    QString cachedPath(const QString &url) const;
    // Fetches `url` (named `fileName` on disk) unless it is cached or on its way; mediaReady or mediaFailed
    // follow, also for a cached one (queued, so the caller sees the answer after it returns).
    void fetch(const QString &url, const QString &fileName);
    // A file of ours that is at the server under `url` now (an uploaded attachment): moved into the
    // cache as if fetched, so the reply's image needs no download.
    void adopt(const QString &url, const QString &localFile);

signals:
    void mediaReady(const QString &url, const QString &path);
    void mediaFailed(const QString &url, const QString &message);

private:
    struct Wanted
    {
        QString url;
        QString fileName;
    };
    void startNext();

    WidgetApiClient *m_api;
    std::shared_ptr<MediaCache> m_cache;
    std::deque<Wanted> m_queue;
    QHash<quint64, QString> m_running; // request -> url
    QHash<quint64, QString> m_incoming; // request -> where it is written until complete
};
