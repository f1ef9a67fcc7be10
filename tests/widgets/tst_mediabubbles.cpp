// Attachments in the conversation view (MessageDelegate, MediaBubble, ThumbnailCache) over a real
// MessageListModel and Outbox: an image reply's box is sized from width/height before anything is
// decoded and does not change when the picture arrives (decoded off the UI thread); a file reply is a
// chip; upload progress repaints only itself and its ✕ cancels; a failed upload offers Retry; a file that
// cannot be decoded is shown as a file; the cache stays within its bytes; a screen reader hears "Image,
// receipt.png, 84 KB" and "Sent by you, Read".
#include "conversationview.h"
#include "mediabubble.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"
#include "outbox.h"
#include "thumbnailcache.h"

#include <QAccessible>
#include <QPainter>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

Attachment picture(const QString &path, int width, int height, qint64 size = 84 * 1000)
{
    return Attachment {QStringLiteral("receipt.png"), QStringLiteral("image/png"), size, width, height, path};
}

Message withAttachment(const QString &id, Direction direction, const Attachment &attachment,
    const QString &text = QString(), MessageStatus status = MessageStatus::Read)
{
    Message m;
    m.id = id;
    m.direction = direction;
    m.text = text;
    m.attachment = attachment;
    m.mediaUrl = QStringLiteral("http://backend.test/api/v1/widget/media/") + id;
    m.timestamp = QDateTime(QDate(2026, 11, 23), QTime(9, 41));
    m.status = direction == Direction::Outbound ? status : MessageStatus::None;
    return m;
}

} // namespace

class TestMediaBubbles : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<MessageListModel> m_model;
    std::unique_ptr<ConversationView> m_view;

    QString writePng(const QString &name, QSize size)
    {
        QImage image(size, QImage::Format_RGB32);
        image.fill(Qt::darkGreen);
        const QString path = m_dir.filePath(name);
        image.save(path);
        return path;
    }
    QRect media(int row) const
    {
        const QModelIndex index = m_model->index(row);
        return m_view->messageDelegate()->mediaRect(m_view->itemOption(index), index);
    }
    ThumbnailCache *thumbnails() const { return m_view->messageDelegate()->thumbnails(); }

private slots:
    void init()
    {
        m_model = std::make_unique<MessageListModel>();
        m_view = std::make_unique<ConversationView>();
        m_view->resize(600, 700);
        m_view->setModel(m_model.get());
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    }
    void cleanup()
    {
        m_view.reset();
        m_model.reset();
    }

    // The box comes from width/height (or a fixed placeholder): the row's height is right before the
    // picture is decoded, and stays so when it arrives. The decoding runs off the UI thread.
    void anImageReplyKeepsItsHeightWhenThePictureArrives()
    {
        const QString path = writePng(QStringLiteral("a.png"), QSize(800, 600));
        m_model->append(withAttachment(
            QStringLiteral("m1"), Direction::Outbound, picture(path, 800, 600), QStringLiteral("the receipt")));
        m_model->append(withAttachment(QStringLiteral("m2"), Direction::Outbound, picture(path, 0, 0)));
        QCOMPARE(media(0).size(), QSize(280, 210)); // 800 × 600 fitted into 280 × 280
        QCOMPARE(media(1).size(), QSize(MediaBubble::PlaceholderWidth, MediaBubble::PlaceholderHeight));
        const int before = m_view->visualRect(m_model->index(0)).height();
        QVERIFY(m_view->visualRect(m_model->index(0)).contains(media(0)));

        QCOMPARE(thumbnails()->state(u"m1"_qs), ThumbnailCache::State::Unknown);
        m_view->viewport()->repaint(); // the first paint asks for it, and does not wait for it:
        QCOMPARE(thumbnails()->state(u"m1"_qs), ThumbnailCache::State::Loading); // its answer is posted back
        QTRY_COMPARE(thumbnails()->state(u"m1"_qs), ThumbnailCache::State::Ready);
        const QImage thumbnail = thumbnails()->thumbnail(u"m1"_qs, picture(path, 800, 600), {}, QSize(280, 280));
        QCOMPARE(thumbnail.size(), QSize(280, 210)); // decoded at the size shown, not 800 × 600
        m_view->messageDelegate()->resetSizeHintCounter();
        QCoreApplication::processEvents();
        QCOMPARE(m_view->visualRect(m_model->index(0)).height(), before);
        QCOMPARE(m_view->messageDelegate()->sizeHintCalls(), 0); // a repaint, never a relayout
    }

    void aFileReplyIsAChipAndOpensOnClick()
    {
        const Attachment pdf {QStringLiteral("Invoice.pdf"), QStringLiteral("application/pdf"), 84 * 1000, 0, 0, {}};
        m_model->append(
            withAttachment(QStringLiteral("f1"), Direction::Outbound, pdf, QStringLiteral("for your records")));
        const QRect chip = media(0);
        QCOMPARE(chip.width(), MediaBubble::ChipWidth);
        QVERIFY(chip.height() < 80);
        QSignalSpy activated(m_view.get(), &ConversationView::mediaActivated);
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, chip.center());
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.first().at(0).value<QModelIndex>(), m_model->index(0));
        m_view->setCurrentIndex(m_model->index(0));
        m_view->setFocus();
        QTest::keyClick(m_view.get(), Qt::Key_Return);
        QCOMPARE(activated.size(), 2); // from the keyboard too
        QCOMPARE(thumbnails()->state(u"f1"_qs), ThumbnailCache::State::Unknown); // a file is never decoded
    }

    // Progress shows on the bubble, repaints only itself, and its ✕ cancels the upload, which discards
    // the reply; a failed upload is a failed reply with Retry.
    void uploadProgressCancelAndRetry()
    {
        Outbox outbox(nullptr, QStringLiteral("t"), QStringLiteral("c"));
        m_model->setOutbox(&outbox);
        const QString path = writePng(QStringLiteral("b.png"), QSize(400, 300));
        const QString id = outbox.add(QString(), picture(path, 400, 300, QFileInfo(path).size()))->id;
        QVERIFY(outbox.takeNext());
        outbox.uploadStarted(id);
        outbox.uploadProgress(id, 30, 100);
        const QModelIndex row = m_model->index(0);
        const BubbleLayout l = m_view->messageDelegate()->layoutFor(m_view->itemOption(row), row);
        QVERIFY(!l.cancel.isNull());
        QVERIFY(l.media.contains(l.cancel));
        QCOMPARE(MessageDelegate::stateText(row), u"Uploading, 30 %"_qs);
        m_view->messageDelegate()->resetSizeHintCounter();
        outbox.uploadProgress(id, 60, 100);
        QCOMPARE(m_view->messageDelegate()->sizeHintCalls(), 0);

        QSignalSpy cancel(m_view.get(), &ConversationView::cancelUploadRequested);
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, l.cancel.center());
        QCOMPARE(cancel.size(), 1);
        QCOMPARE(cancel.first().at(0).toString(), id);

        outbox.postFailed(id, QStringLiteral("File too large"));
        const BubbleLayout failed = m_view->messageDelegate()->layoutFor(m_view->itemOption(row), row);
        QVERIFY(failed.cancel.isNull());
        QVERIFY(!failed.retry.isNull());
        QCOMPARE(MessageDelegate::stateText(row), u"Failed: File too large"_qs);
        QSignalSpy retry(m_view.get(), &ConversationView::retryRequested);
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, failed.retry.center());
        QCOMPARE(retry.size(), 1);
        m_model->setOutbox(nullptr);
    }

    // Bytes that only claim to be a picture are shown as a file, never as nothing, never a crash.
    void anUndecodablePictureIsShownAsAFile()
    {
        QFile broken(m_dir.filePath(QStringLiteral("broken.png")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write(
            QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xff\xff\xff\xff\xff\xff\xff", 24) + QByteArray(100, '\0'));
        broken.close();
        m_model->append(withAttachment(QStringLiteral("x1"), Direction::Inbound, picture(broken.fileName(), 640, 480)));
        const int height = m_view->visualRect(m_model->index(0)).height();
        m_view->viewport()->repaint();
        QTRY_COMPARE(thumbnails()->state(u"x1"_qs), ThumbnailCache::State::Failed);
        QVERIFY(!thumbnails()->error(u"x1"_qs).isEmpty());
        m_view->viewport()->repaint(); // paints the file's chip in the box
        QCOMPARE(m_view->visualRect(m_model->index(0)).height(), height);
    }

    void theCacheStaysWithinItsBytes()
    {
        ThumbnailCache cache;
        cache.setLimitBytes(600 * 1024);
        const QString path = writePng(QStringLiteral("c.png"), QSize(300, 300)); // ~350 KiB decoded
        for (int i = 0; i < 6; ++i)
            cache.thumbnail(QString::number(i), picture(path, 300, 300), {}, QSize(300, 300));
        const auto count = [&](ThumbnailCache::State state) {
            int n = 0;
            for (int i = 0; i < 6; ++i)
                n += cache.state(QString::number(i)) == state ? 1 : 0;
            return n;
        };
        QTRY_COMPARE(count(ThumbnailCache::State::Loading), 0);
        QVERIFY2(cache.bytes() <= cache.limitBytes(), qPrintable(QString::number(cache.bytes())));
        QCOMPARE(count(ThumbnailCache::State::Ready), 1);
        QCOMPARE(count(ThumbnailCache::State::Unknown), 5); // evicted: decoded again when shown again
    }

    // A picture only the server has is fetched through the page's fetcher, once for all who wait.
    void aRemotePictureIsFetchedOnce()
    {
        ThumbnailCache cache;
        QStringList asked;
        cache.setFetch([&](const QString &url, const QString &) { asked.append(url); });
        Attachment remote = picture({}, 100, 100);
        cache.thumbnail(u"r1"_qs, remote, u"http://b/m/1"_qs, QSize(100, 100));
        cache.thumbnail(u"r2"_qs, remote, u"http://b/m/1"_qs, QSize(100, 100));
        QCOMPARE(asked, QStringList {u"http://b/m/1"_qs});
        cache.fileReady(u"http://b/m/1"_qs, writePng(QStringLiteral("r.png"), QSize(100, 100)));
        QTRY_COMPARE(cache.state(u"r2"_qs), ThumbnailCache::State::Ready);
        QCOMPARE(cache.state(u"r1"_qs), ThumbnailCache::State::Ready);
        cache.thumbnail(u"r3"_qs, remote, u"http://b/m/2"_qs, QSize(100, 100));
        cache.fileFailed(u"http://b/m/2"_qs, u"404"_qs);
        QCOMPARE(cache.state(u"r3"_qs), ThumbnailCache::State::Failed);
    }

    // An accepted reply's copy moves into the media cache (Outbox::leave → MediaFetcher::adopt): a decode
    // that was still waiting for a thread when it moved is not "cannot show this picture" for the rest of
    // the session; asked again, the picture comes through its mediaUrl.
    void aPictureWhoseFileMovedIsAskedForAgain()
    {
        ThumbnailCache cache;
        QStringList asked;
        cache.setFetch([&](const QString &url, const QString &) { asked.append(url); });
        // Keep the decoding threads busy, so the next decode waits while its file moves.
        const QString big = writePng(QStringLiteral("big.png"), QSize(4000, 3000));
        for (int i = 0; i < 3; ++i)
            cache.thumbnail(u"busy"_qs + QString::number(i), picture(big, 4000, 3000), {}, QSize(200, 150));
        const QString copy = writePng(QStringLiteral("copy.png"), QSize(100, 100));
        const Attachment kept = picture(copy, 100, 100);
        const QString url = u"http://b/m/moved"_qs;
        QSignalSpy ready(&cache, &ThumbnailCache::ready);
        cache.thumbnail(u"sent"_qs, kept, url, QSize(100, 100));
        const QString cached = m_dir.filePath(QStringLiteral("cached.png"));
        QVERIFY(QFile::rename(copy, cached));
        QTRY_VERIFY(ready.contains(QVariantList {u"sent"_qs}));
        QCOMPARE(cache.state(u"sent"_qs), ThumbnailCache::State::Unknown);
        QVERIFY(asked.isEmpty());
        // The repaint asks again with the row as it is: the old path, now gone, and its mediaUrl.
        QVERIFY(cache.thumbnail(u"sent"_qs, kept, url, QSize(100, 100)).isNull());
        QCOMPARE(asked, QStringList {url});
        cache.fileReady(url, cached);
        QTRY_COMPARE(cache.state(u"sent"_qs), ThumbnailCache::State::Ready);
    }

    void aScreenReaderHearsWhatTheAttachmentIs()
    {
        m_model->append(withAttachment(QStringLiteral("m1"), Direction::Outbound, picture({}, 800, 600)));
        m_model->append(withAttachment(QStringLiteral("m2"), Direction::Inbound,
            Attachment {QStringLiteral("Invoice.pdf"), QStringLiteral("application/pdf"), 1200 * 1000, 0, 0, {}},
            QStringLiteral("here it is")));
        QAccessibleInterface *list = QAccessible::queryAccessibleInterface(m_view.get());
        QCOMPARE(list->child(0)->text(QAccessible::Name), u"Image, receipt.png, 84 kB"_qs);
        QCOMPARE(list->child(0)->text(QAccessible::Description), u"Sent by you, Read"_qs);
        QCOMPARE(list->child(1)->text(QAccessible::Name), u"PDF document, Invoice.pdf, 1.2 MB: here it is"_qs);
        QCOMPARE(list->child(1)->text(QAccessible::Description), u"From customer"_qs);
    }
};

QTEST_MAIN(TestMediaBubbles)
#include "tst_mediabubbles.moc"
