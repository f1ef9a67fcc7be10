// MediaCache: the folder of downloaded attachments shared by every conversation of the console
// (<cache>/<sha256 of the URL>/<file name>). One object per folder in the process (forFolder), so every
// conversation's fetcher sees the same index and no trim removes what another one is writing.
//
// Only finished files are ever in a URL's folder: a download is written under <cache>/.incoming and
// renamed into place when complete (commit), so cachedPath() can never hand out half a file, whatever the
// platform does with a QSaveFile's temporary. What a crash left there goes at a later start. The index (bytes and last use per URL) is read from disk
// once, when the folder is first opened in the session; after that a trim is a walk over the index,
// never over the disk. The least recently used go first once the total passes the limit; the file just
// committed always stays.
#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>

#include <memory>

class MediaCache
{
public:
    static constexpr qint64 DefaultLimitBytes = 256 * 1024 * 1024;

    // The cache of `dir` in this process, opened (and its index read) on the first call.
    static std::shared_ptr<MediaCache> forFolder(const QString &dir);
    explicit MediaCache(const QString &dir); // use forFolder(); public for make_shared
    MediaCache(const MediaCache &) = delete;
    MediaCache &operator=(const MediaCache &) = delete;

    QString dir() const { return m_dir; }
    void setLimit(qint64 bytes);
    qint64 limit() const { return m_limit; }
    qint64 totalBytes() const { return m_total; }

    // The finished file of `url`, marked as used now; empty when it is not here.
    QString cachedPath(const QString &url);
    // Where a download of `url` named `fileName` is written until it is complete: a fresh folder of its
    // own under .incoming, so two downloads never share a file.
    QString incomingPath(const QString &url, const QString &fileName);
    // Moves the finished `file` (an incomingPath, or any file of ours such as an uploaded reply's copy)
    // into the place of `url` and trims the cache. Returns the file's path in the cache (an earlier
    // copy's, if another download finished first), or empty when it could not be moved.
    QString commit(const QString &url, const QString &file);

private:
    struct Entry
    {
        QString path;
        qint64 bytes = 0;
        QDateTime used;
    };
    QString folderOf(const QString &url) const;
    void loadIndex();
    void trim(const QString &keep);
    void forget(const QString &folder);

    QString m_dir;
    QHash<QString, Entry> m_entries; // URL folder -> its file
    qint64 m_total = 0;
    qint64 m_limit = DefaultLimitBytes;
    quint64 m_incoming = 0;
};
