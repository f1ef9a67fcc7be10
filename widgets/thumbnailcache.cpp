#include "thumbnailcache.h"

#include "imagedecoding.h"

#include <QFileInfo>
#include <QThread>

#include <limits>

ThumbnailCache::ThumbnailCache(QObject *parent)
    : QObject(parent)
{
    // At most two, and one core always left to the UI thread: on a 2-core machine two decoders made
    // scroll frames wait for a core (agent-console-bench --only=images).
    m_pool.setMaxThreadCount(std::clamp(QThread::idealThreadCount() - 1, 1, 2));
    m_pool.setExpiryTimeout(5000);
    setLimitBytes(DefaultLimitBytes);
}

ThumbnailCache::~ThumbnailCache()
{
    // Nothing may post to this object once it is gone.
    m_pool.clear();
    m_pool.waitForDone();
}

void ThumbnailCache::setLimitBytes(qint64 bytes)
{
    m_images.setMaxCost(int(std::clamp<qint64>(bytes / 1024, 1, std::numeric_limits<int>::max())));
}

ThumbnailCache::State ThumbnailCache::state(const QString &key) const
{
    if (m_images.contains(key))
        return State::Ready;
    if (m_errors.contains(key))
        return State::Failed;
    return m_loading.contains(key) || m_boxes.contains(key) ? State::Loading : State::Unknown;
}

QImage ThumbnailCache::thumbnail(
    const QString &key, const Attachment &attachment, const QString &mediaUrl, const QSize &box)
{
    if (const QImage *image = m_images.object(key))
        return *image;
    if (m_errors.contains(key) || m_loading.contains(key) || m_boxes.contains(key))
        return QImage();
    // The outbox's copy first: an unsent reply's picture needs no network.
    if (!attachment.localPath.isEmpty() && QFileInfo::exists(attachment.localPath)) {
        decode(key, attachment.localPath, box);
        return QImage();
    }
    if (mediaUrl.isEmpty() || !m_fetch) {
        fail(key, tr("The picture is not available."));
        return QImage();
    }
    m_boxes.insert(key, box);
    const bool asked = m_waiting.contains(mediaUrl);
    m_waiting[mediaUrl].insert(key);
    if (!asked)
        m_fetch(mediaUrl, attachment.fileName);
    return QImage();
}

void ThumbnailCache::fileReady(const QString &url, const QString &path)
{
    const QSet<QString> keys = m_waiting.take(url);
    for (const QString &key : keys)
        decode(key, path, m_boxes.take(key));
}

void ThumbnailCache::fileFailed(const QString &url, const QString &message)
{
    const QSet<QString> keys = m_waiting.take(url);
    for (const QString &key : keys) {
        m_boxes.remove(key);
        fail(key, message);
    }
}

void ThumbnailCache::decode(const QString &key, const QString &path, const QSize &box)
{
    const quint64 generation = ++m_generation;
    m_loading.insert(key, generation);
    m_pool.start(
        [this, key, path, box, generation] {
            const ImageDecoding::Result result = ImageDecoding::decodeFile(path, box);
            // The destructor waits for this task, so `this` is alive to post to; the event goes with it.
            QMetaObject::invokeMethod(
                this,
                [this, key, path, generation, result] { decoded(key, path, generation, result.image, result.error); },
                Qt::QueuedConnection);
        },
        ++m_priority);
}

void ThumbnailCache::decoded(
    const QString &key, const QString &path, quint64 generation, const QImage &image, const QString &error)
{
    if (m_loading.value(key) != generation)
        return;
    m_loading.remove(key);
    if (image.isNull() && !QFileInfo::exists(path) && !m_movedAway.contains(key)) {
        // The file moved while waiting (an accepted reply's copy goes into the media cache): not a
        // picture that cannot be shown. Asked again, it comes from where it is now; once, so a cache
        // trimming what is fetched for the screen cannot make it go round.
        m_movedAway.insert(key);
        emit ready(key);
        return;
    }
    if (image.isNull())
        return fail(key, error);
    const int cost = int(std::max<qsizetype>(1, image.sizeInBytes() / 1024));
    m_images.insert(key, new QImage(image), cost);
    emit ready(key);
}

void ThumbnailCache::fail(const QString &key, const QString &message)
{
    m_errors.insert(key, message);
    emit ready(key);
}
