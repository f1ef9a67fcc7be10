// Attachments end to end: the real window, workspace and conversation against widget-server in-process
// on 127.0.0.1:0. Attach file… (Ctrl+O) opens a dialog that never blocks the window; a file dropped on
// the conversation is attached; an image reply goes pending → read with its upload keyed by its
// messageId, also when the original is deleted at once; a failed upload is Retried under the same
// Idempotency-Key and messageId; a cancelled upload discards the reply; a file chip opens through the
// desktop, a picture in the viewer (fit, zoom, Save as…).
#include "attachmentchip.h"
#include "composer.h"
#include "conversation.h"
#include "conversationpage.h"
#include "conversationview.h"
#include "imageviewer.h"
#include "mainwindow.h"
#include "mediadesk.h"
#include "mediaopener.h"
#include "mediastore.h"
#include "messagedelegate.h"
#include "simulatedupstream.h"
#include "widgetserver.h"
#include "workspace.h"

#include <QBuffer>
#include <QDesktopServices>
#include <QDirIterator>
#include <QFileDialog>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <sys/stat.h>

static const QString Tenant = QStringLiteral("t1");
static const QString ConversationId = QStringLiteral("c1");

// Stands in for the desktop: records the files QDesktopServices is asked to open.
class DesktopStandIn : public QObject
{
    Q_OBJECT
public:
    QList<QUrl> opened;
public slots:
    void open(const QUrl &url) { opened.append(url); }
};

class TestAttachments : public QObject
{
    Q_OBJECT

    std::unique_ptr<WidgetServer> m_server;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<MainWindow> m_window;
    Conversation *m_conversation = nullptr;
    QTemporaryDir m_dir;

    MessageListModel *model() const { return m_conversation->model(); }
    Message last() const { return model()->rowCount() > 0 ? model()->at(model()->rowCount() - 1) : Message(); }
    ConversationPage *page() const { return m_window->currentPage(); }
    QString writePng(const QString &name, QSize size = QSize(400, 300))
    {
        QImage image(size, QImage::Format_RGB32);
        image.fill(Qt::darkMagenta);
        const QString path = m_dir.filePath(name);
        image.save(path, "PNG");
        return path;
    }
    QByteArray contentOf(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }
    QRect mediaOf(int row)
    {
        const QModelIndex index = model()->index(row);
        ConversationView *view = m_window->view();
        view->scrollTo(index);
        return view->messageDelegate()->mediaRect(view->itemOption(index), index);
    }
    // The agent types `path` into the dialog's file name and presses Enter.
    static void choose(QFileDialog *dialog, const QString &path)
    {
        auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"));
        QVERIFY(name);
        name->setText(path);
        QTest::keyClick(name, Qt::Key_Return);
    }
    // The agent sends `path` (and `caption`) from the composer.
    void send(const QString &path, const QString &caption = {})
    {
        QVERIFY(m_window->composer()->attach(path));
        m_window->composer()->editor()->insertPlainText(caption);
        QTRY_VERIFY(!m_window->composer()->isPreparing()); // the file is copied off the UI thread first
        QTest::keyClick(m_window->composer()->editor(), Qt::Key_Return);
    }
    QStringList staged() const
    {
        QStringList files;
        const QString folder = m_conversation->attachmentStagingFolder();
        for (QDirIterator it(folder, QDir::Files, QDirIterator::Subdirectories); it.hasNext();)
            files.append(it.next());
        return files;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); } // the media cache is a scratch one

    void init()
    {
        m_server = std::make_unique<WidgetServer>();
        m_server->setToken(QStringLiteral("attach-token"));
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
        m_server->addConversation(Tenant, ConversationId, QStringLiteral("Ana"));
        m_server->upstream()->setDelays(0, 100, 200);
        ConversationConfig config;
        config.baseUrl = m_server->baseUrl();
        config.tenant = Tenant;
        config.token = QStringLiteral("attach-token");
        m_workspace = std::make_unique<Workspace>(config);
        m_window = std::make_unique<MainWindow>(m_workspace.get());
        m_window->resize(900, 700);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_workspace->openConversation(ConversationId);
        m_conversation = m_workspace->conversation(ConversationId);
        QSignalSpy connected(m_conversation, &Conversation::connected);
        QVERIFY(connected.wait(5000));
    }
    void cleanup()
    {
        m_window.reset();
        m_workspace.reset();
        m_server.reset();
    }

    // Ctrl+O opens a file dialog without a nested event loop: a customer's message still arrives while
    // it is open. The chosen file lands in the composer.
    void attachFileNeverBlocks()
    {
        const QString path = writePng(QStringLiteral("photo.png"));
        m_window->composer()->editor()->setFocus();
        QTest::keyClick(m_window.get(), Qt::Key_O, Qt::ControlModifier);
        QFileDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = page()->findChild<QFileDialog *>()) && dialog->isVisible());
        m_server->injectInbound(Tenant, ConversationId, QStringLiteral("Are you there?"));
        QTRY_COMPARE(last().text, u"Are you there?");
        choose(dialog, path);
        QCOMPARE(m_window->composer()->attachment().fileName, u"photo.png");
        QVERIFY(m_window->composer()->attachmentChip()->isVisible());
    }

    void aDroppedFileIsAttached()
    {
        const QString path = writePng(QStringLiteral("dropped.png"));
        QMimeData data;
        data.setUrls({QUrl::fromLocalFile(path)});
        const QPoint at = page()->rect().center();
        QDragEnterEvent enter(at, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(page(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(at, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(page(), &drop);
        QVERIFY(drop.isAccepted());
        QCOMPARE(m_window->composer()->attachment().fileName, u"dropped.png");
        QMimeData text;
        text.setText(QStringLiteral("just words"));
        QDragEnterEvent words(at, Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(page(), &words);
        QVERIFY(!words.isAccepted()); // only files and pictures are attachments
    }

    // The file is copied while the caption is written, off the UI thread (Send waits for it, the text
    // stays); sending then only moves the copy into the reply's, so the original may go at once.
    void theFileIsCopiedBeforeItIsSent()
    {
        const QString path = writePng(QStringLiteral("early.png"));
        Composer *composer = m_window->composer();
        QVERIFY(composer->attach(path));
        QVERIFY(composer->isPreparing()); // its answer is posted back to the UI thread
        QVERIFY(!composer->sendButton()->isEnabled());
        QVERIFY(composer->attachmentChip()->details()->text().contains(u"preparing"));
        composer->editor()->insertPlainText(QStringLiteral("early"));
        const int rows = model()->rowCount();
        QTest::keyClick(composer->editor(), Qt::Key_Return);
        QCOMPARE(model()->rowCount(), rows); // not yet, and nothing lost
        QCOMPARE(composer->editor()->toPlainText(), u"early");
        QTRY_VERIFY(!composer->isPreparing());
        QVERIFY(composer->sendButton()->isEnabled());
        const QString copy = composer->attachment().localPath;
        QCOMPARE(staged(), QStringList {copy});
        QCOMPARE(contentOf(copy), contentOf(path));
        QVERIFY(QFile::remove(path));
        const auto inode = [](const QString &file) {
            struct stat st;
            return ::stat(QFile::encodeName(file).constData(), &st) == 0 ? st.st_ino : ino_t(0);
        };
        const ino_t stagedInode = inode(copy);
        QTest::keyClick(composer->editor(), Qt::Key_Return);
        QCOMPARE(last().text, u"early");
        QVERIFY(last().attachment.localPath != copy);
        QCOMPARE(inode(last().attachment.localPath), stagedInode); // moved, not copied again
        QVERIFY(!QFile::exists(copy));
        QCOMPARE(staged(), QStringList());
        QTRY_COMPARE(last().status, MessageStatus::Read);
    }

    // A staged copy goes with its chip: replaced by another file, taken off with ✕ (even while it is
    // still being copied), or with the page.
    void aStagedCopyGoesWithItsChip()
    {
        Composer *composer = m_window->composer();
        QVERIFY(composer->attach(writePng(QStringLiteral("first.png"))));
        QTRY_VERIFY(!composer->isPreparing());
        const QString first = composer->attachment().localPath;
        QVERIFY(composer->attach(writePng(QStringLiteral("second.png"))));
        QVERIFY(!QFile::exists(first));
        QTRY_VERIFY(!composer->isPreparing());
        QCOMPARE(staged(), QStringList {composer->attachment().localPath});
        composer->clearAttachment();
        QCOMPARE(staged(), QStringList());
        QVERIFY(composer->attach(writePng(QStringLiteral("third.png"))));
        composer->clearAttachment(); // while it is copied: the copy is removed when it is done
        QTRY_COMPARE(Composer::copiesInProgress(), 0);
        QTRY_COMPARE(staged(), QStringList());
        QVERIFY(composer->attach(writePng(QStringLiteral("fourth.png"))));
        QTRY_VERIFY(!composer->isPreparing());
        QCOMPARE(staged().size(), 1);
        m_window.reset(); // the page goes, and its copy with it
        QCOMPARE(staged(), QStringList());
    }

    // Pending through upload and send, then read; the upload is stored under the reply's messageId, and
    // deleting the original the moment it was sent loses nothing.
    void anImageReplyGoesOut()
    {
        const QString path = writePng(QStringLiteral("receipt.png"));
        const QByteArray bytes = contentOf(path);
        send(path, QStringLiteral("your receipt"));
        QVERIFY(QFile::remove(path));
        QCOMPARE(last().status, MessageStatus::Pending);
        QCOMPARE(last().attachment.width, 400); // the box is sized before anything is decoded
        QTRY_COMPARE(last().status, MessageStatus::Read);
        const QString id = last().id;
        QCOMPARE(m_server->acceptedMessageIds(Tenant, ConversationId), QStringList {id});
        const auto stored = m_server->store()->message(Tenant, ConversationId, id);
        QCOMPARE(stored->text, u"your receipt");
        const auto media = m_server->mediaDesk()->store().find(Tenant, MediaStore::idFor(Tenant, ConversationId, id));
        QVERIFY(media); // stored under Idempotency-Key = messageId
        QVERIFY(stored->mediaUrl.endsWith(media->id));
        QCOMPARE(*m_server->mediaDesk()->store().bytes(*media), bytes);
        QCOMPARE(last().mediaUrl, stored->mediaUrl);
        QTRY_COMPARE(m_window->view()->messageDelegate()->thumbnails()->state(id), ThumbnailCache::State::Ready);
    }

    // 413 fails the reply at once with the server's words; Retry uploads again under the same key and
    // sends under the same messageId.
    void aFailedUploadIsRetriedUnderTheSameKey()
    {
        m_server->setMaxUploadBytes(100);
        send(writePng(QStringLiteral("big.png")));
        QTRY_COMPARE(last().status, MessageStatus::Failed);
        QVERIFY2(last().error.contains(u"larger than 100 bytes"), qPrintable(last().error));
        const QString id = last().id;
        m_server->setMaxUploadBytes(MediaDesk::DefaultMaxUploadBytes);
        m_conversation->retry(id);
        QCOMPARE(last().status, MessageStatus::Pending);
        QTRY_COMPARE(last().status, MessageStatus::Read);
        QCOMPARE(last().id, id);
        QCOMPARE(m_server->acceptedMessageIds(Tenant, ConversationId), QStringList {id});
        QVERIFY(m_server->mediaDesk()->store().find(Tenant, MediaStore::idFor(Tenant, ConversationId, id)));
    }

    void aCancelledUploadIsDiscarded()
    {
        send(writePng(QStringLiteral("c.png")));
        const QString id = last().id;
        QVERIFY(model()->index(model()->rowCount() - 1).data(MessageListModel::UploadProgressRole).toDouble() >= 0);
        QVERIFY(m_conversation->cancelUpload(id));
        QCOMPARE(model()->rowOf(id), -1);
        QVERIFY(m_conversation->outbox().isEmpty());
        QVERIFY(!QTest::qWaitFor([&] { return m_server->sendRequestCount() > 0; }, 500));
    }

    // A customer's PDF opens through the desktop, from the cache, fetched with the token in a header.
    void aFileOpensThroughTheDesktop()
    {
        const QByteArray pdf = "%PDF-1.4\n% a price list\n%%EOF\n";
        const QString path = m_server->addMedia(
            Tenant, ConversationId, QStringLiteral("prices.pdf"), QStringLiteral("application/pdf"), pdf);
        m_server->addHistoryMessage(Tenant, ConversationId,
            StoredMessage {QStringLiteral("in_pdf"), true, QStringLiteral("our prices"), path,
                QDateTime::currentDateTimeUtc(), {}});
        m_conversation->reconnectNow(); // the history is read again after the reconnect
        QTRY_VERIFY(model()->rowOf(u"in_pdf"_qs) >= 0);
        DesktopStandIn desktop;
        QDesktopServices::setUrlHandler(QStringLiteral("file"), &desktop, "open");
        QTest::mouseClick(
            m_window->view()->viewport(), Qt::LeftButton, {}, mediaOf(model()->rowOf(u"in_pdf"_qs)).center());
        QTRY_COMPARE(desktop.opened.size(), 1);
        QDesktopServices::unsetUrlHandler(QStringLiteral("file"));
        QCOMPARE(QFileInfo(desktop.opened.first().toLocalFile()).fileName(), u"prices.pdf");
        QCOMPARE(contentOf(desktop.opened.first().toLocalFile()), pdf);
    }

    // The desktop picks a program by the file's name, which the customer chose: a file whose name does
    // not say what its bytes are (a launcher named like a document) is not handed to it.
    void aFileWhoseNameLiesIsNotOpened()
    {
        const QByteArray launcher = "[Desktop Entry]\nType=Application\nName=Invoice\nExec=sh -c true\n";
        const QString path = m_server->addMedia(Tenant, ConversationId, QStringLiteral("invoice.pdf.desktop"),
            QStringLiteral("text/plain"), launcher);
        m_server->addHistoryMessage(Tenant, ConversationId,
            StoredMessage {QStringLiteral("in_launcher"), true, QStringLiteral("the invoice"), path,
                QDateTime::currentDateTimeUtc(), {}});
        m_conversation->reconnectNow();
        QTRY_VERIFY(model()->rowOf(u"in_launcher"_qs) >= 0);
        DesktopStandIn desktop;
        QDesktopServices::setUrlHandler(QStringLiteral("file"), &desktop, "open");
        QSignalSpy problem(page()->mediaOpener(), &MediaOpener::problem);
        QTest::mouseClick(
            m_window->view()->viewport(), Qt::LeftButton, {}, mediaOf(model()->rowOf(u"in_launcher"_qs)).center());
        QVERIFY(problem.wait(5000));
        QDesktopServices::unsetUrlHandler(QStringLiteral("file"));
        QVERIFY(desktop.opened.isEmpty());
        QVERIFY2(problem.first().first().toString().contains(u"invoice.pdf.desktop"),
            qPrintable(problem.first().first().toString()));
    }

    // A customer's photo arriving live (inbound_message) has its box before it is fetched, and is
    // fetched with the token in a header and shown.
    void aPhotoArrivesLive()
    {
        QImage photo(640, 480, QImage::Format_RGB32);
        photo.fill(Qt::darkCyan);
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        photo.save(&buffer, "PNG");
        const QString path = m_server->addMedia(
            Tenant, ConversationId, QStringLiteral("jacket.png"), QStringLiteral("image/png"), png);
        const QString id = m_server->injectInbound(Tenant, ConversationId, QStringLiteral("the wrong colour"), path);
        QTRY_COMPARE(last().id, id);
        QCOMPARE(last().attachment.width, 640);
        QCOMPARE(last().attachment.height, 480);
        QCOMPARE(last().attachment.fileName, u"jacket.png");
        QVERIFY(last().mediaUrl.startsWith(m_server->baseUrl().toString()));
        QVERIFY(!last().mediaUrl.contains(u"attach-token"));
        mediaOf(model()->rowCount() - 1); // scrolled into view: its thumbnail is asked for
        QTRY_COMPARE(m_window->view()->messageDelegate()->thumbnails()->state(id), ThumbnailCache::State::Ready);
    }

    // A picture opens in the viewer: fitted, zoomed, at 100 %, and saved as the file it came as.
    void aPictureOpensInTheViewer()
    {
        const QString path = writePng(QStringLiteral("big-photo.png"), QSize(2000, 1500));
        send(path);
        QTRY_COMPARE(last().status, MessageStatus::Read);
        QTest::mouseClick(m_window->view()->viewport(), Qt::LeftButton, {}, mediaOf(model()->rowCount() - 1).center());
        ImageViewer *viewer = nullptr;
        QTRY_VERIFY((viewer = page()->mediaOpener()->lastViewer()));
        QTRY_COMPARE(viewer->pictureSize(), QSize(2000, 1500));
        QVERIFY(viewer->isFitted());
        QVERIFY(viewer->zoom() < 1);
        const double fitted = viewer->zoom();
        viewer->zoomBy(2);
        QCOMPARE(viewer->zoom(), fitted * 2);
        QVERIFY(!viewer->isFitted());
        viewer->actualSize();
        QCOMPARE(viewer->zoom(), 1.0);
        QCOMPARE(viewer->picture()->size(), QSize(2000, 1500));
        for (int i = 0; i < 8; ++i) // as far in as the buttons go: the scaled picture stays bounded
            viewer->zoomBy(2);
        QVERIFY(viewer->zoom() > 1);
        const QSize shown = viewer->picture()->size() * viewer->devicePixelRatioF();
        QVERIFY2(qint64(shown.width()) * shown.height() <= ImageViewer::MaxShownPixels + 4000,
            qPrintable(QStringLiteral("%1 x %2").arg(shown.width()).arg(shown.height())));
        viewer->fitToWindow();
        QCOMPARE(viewer->zoom(), fitted);

        QSignalSpy saved(viewer, &ImageViewer::saved);
        viewer->saveAs();
        QFileDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = viewer->findChild<QFileDialog *>()) && dialog->isVisible());
        const QString target = m_dir.filePath(QStringLiteral("saved.png"));
        choose(dialog, target);
        QTRY_COMPARE(saved.size(), 1);
        QCOMPARE(contentOf(target), contentOf(path));
        viewer->close();
    }

    // A picture opened while its reply is unsent is shown from the outbox's copy, which moves into the
    // media cache once the reply is accepted: Save as… still finds it there.
    void aPictureOpenedWhileUnsentIsSavedAfterItWent()
    {
        m_server->upstream()->setDown(true);
        const QString path = writePng(QStringLiteral("pending-photo.png"), QSize(300, 200));
        send(path);
        QCOMPARE(last().status, MessageStatus::Pending);
        const QString id = last().id;
        QTest::mouseClick(m_window->view()->viewport(), Qt::LeftButton, {}, mediaOf(model()->rowCount() - 1).center());
        ImageViewer *viewer = nullptr;
        QTRY_VERIFY((viewer = page()->mediaOpener()->lastViewer()));
        QTRY_COMPARE(viewer->pictureSize(), QSize(300, 200));
        const QString copy = m_conversation->outbox().find(id)->message.attachment.localPath;
        m_server->upstream()->setDown(false);
        QTRY_VERIFY_WITH_TIMEOUT(m_conversation->outbox().isEmpty(), 20000);
        QVERIFY(!QFile::exists(copy)); // moved into the cache
        QSignalSpy saved(viewer, &ImageViewer::saved);
        viewer->saveAs();
        QFileDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = viewer->findChild<QFileDialog *>()) && dialog->isVisible());
        const QString target = m_dir.filePath(QStringLiteral("saved-after.png"));
        choose(dialog, target);
        QTRY_COMPARE(saved.size(), 1);
        QCOMPARE(contentOf(target), contentOf(path));
        viewer->close();
    }
};

QTEST_MAIN(TestAttachments)
#include "tst_attachments.moc"
