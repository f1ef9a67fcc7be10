// ThumbnailCache: the pictures in the bubbles, decoded off the UI thread (ImageDecoding, on a small
// thread pool) at the size they are shown at, and kept in a cache bounded in bytes (64 MiB by default:
// about 200 thumbnails of 280 × 210 at device pixel ratio 2), least recently used out first. A picture
// comes from the outbox's copy of the file, or, when only the server has it, from a fetcher the page
// provides (the conversation's MediaFetcher, token in a header); either way the UI thread never waits.
#pragma once

#include "attachment.h"

#include <QCache>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QSet>
#include <QThreadPool>

#include <functional>

class ThumbnailCache : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 DefaultLimitBytes = 64 * 1024 * 1024;
    enum class State { Unknown, Loading, Ready, Failed };
    // Asks for the file behind a mediaUrl; fileReady() or fileFailed() must follow, later.
    using Fetch = std::function<void(const QString &url, const QString &fileName)>;

    explicit ThumbnailCache(QObject *parent = nullptr);
    ~ThumbnailCache() override;

    void setFetch(Fetch fetch) { m_fetch = std::move(fetch); }
    void setLimitBytes(qint64 bytes);
    qint64 limitBytes() const { return m_images.maxCost() * 1024; }
    qint64 bytes() const { return m_images.totalCost() * 1024; }

    // The picture of message `key` fitted to `box` (device pixels), or a null image while it is not ready:
    // the first call starts decoding the local file, or fetching `mediaUrl` first. Never blocks.
    QImage thumbnail(const QString &key, const Attachment &attachment, const QString &mediaUrl, const QSize &box);
    State state(const QString &key) const;
    QString error(const QString &key) const { return m_errors.value(key); }

    void fileReady(const QString &url, const QString &path);
    void fileFailed(const QString &url, const QString &message);

signals:
    // Its thumbnail is there now, it failed for good, or its file moved away and it should be asked for again.
    void ready(const QString &key);

private:
    void decode(const QString &key, const QString &path, const QSize &box);
    void decoded(const QString &key, const QString &path, quint64 generation, const QImage &image, const QString &error);
    void fail(const QString &key, const QString &message);

    Fetch m_fetch;
    QThreadPool m_pool;
    QCache<QString, QImage> m_images; // cost in KiB
    QHash<QString, quint64> m_loading; // key -> the generation of its decode (a stale result is dropped)
    QHash<QString, QString> m_errors; // keys that cannot be shown, and why
    QSet<QString> m_movedAway; // keys asked for again once because their file had moved
    QHash<QString, QSet<QString>> m_waiting; // url -> keys waiting for its file
    QHash<QString, QSize> m_boxes; // key -> the box it is being decoded for
    quint64 m_generation = 0;
    int m_priority = 0; // the latest request first: what is on screen now
};
