// The README's pictures of the whole window (issue 7), made by this test so they cannot drift from the
// code: MainWindow over a Workspace of the demo's three conversations (server/demoseed.h) against
// widget-server in-process on 127.0.0.1:0, rendered offscreen at 1000x700 in the light palette, a dark
// palette, right to left with the Arabic catalogue, with a reply that failed and offers Retry, the
// tools of an agent's day (issue 18): the canned responses offered after "/" and find in the
// conversation, and an image reply and a file reply (issue 17).
// Each waits for the content it shows (history, names, statuses), checks the token is nowhere on
// screen, and saves $AGENT_CONSOLE_ARTIFACTS/screenshots/main-<look>.png (copied to docs/screenshots).
#include "cannedcompletion.h"
#include "cannedresponses.h"
#include "cannedresponsetable.h"
#include "composer.h"
#include "connectionbanner.h"
#include "conversationlistmodel.h"
#include "conversationpage.h"
#include "conversationsidebar.h"
#include "conversationfind.h"
#include "conversationview.h"
#include "demobackend.h"
#include "demoseed.h"
#include "failedrepliesbar.h"
#include "findbar.h"
#include "lookpalettes.h"
#include "mainwindow.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"
#include "simulatedupstream.h"
#include "socketioclient.h"
#include "thumbnailcache.h"
#include "translations.h"
#include "widgetserver.h"
#include "workspace.h"
#include "workspacetestsupport.h"

#include <QAbstractButton>
#include <QAction>
#include <QAccessible>
#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPainter>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

static const QString Tenant = QStringLiteral("demo");
static const QString First = QStringLiteral("conv-demo");
static const QString Token = QStringLiteral("readme-shot-secret-token");

class TestReadmeShots : public QObject
{
    Q_OBJECT

    QPalette m_originalPalette;
    std::unique_ptr<WidgetServer> m_server;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<MainWindow> m_window;
    QStringList m_ids;

    static QString directory()
    {
        return qEnvironmentVariable("AGENT_CONSOLE_ARTIFACTS", QDir::tempPath()) + QStringLiteral("/screenshots");
    }

    // The server with the demo's chats, the window over all three, Maria's on screen, everything loaded.
    void buildScene()
    {
        QVERIFY(WorkspaceTestSupport::startServer(m_server, Token));
        seedDemoConversation(*m_server, Tenant, First);
        m_ids = QStringList {First} + seedMoreDemoConversations(*m_server, Tenant, First);
        QCOMPARE(m_ids.size(), 3);
        m_server->upstream()->setDelays(0, 20, 40);
        m_server->cannedResponses()->setForTenant(Tenant, DemoBackend::cannedResponses());

        m_workspace = std::make_unique<Workspace>(WorkspaceTestSupport::serverConfig(*m_server, Tenant, Token));
        m_window = std::make_unique<MainWindow>(m_workspace.get());
        QVERIFY(WorkspaceTestSupport::showActive(m_window.get(), QSize(1000, 700)));
        m_workspace->restore(m_ids, First);
        for (int c = 0; c < m_ids.size(); ++c) {
            Conversation *controller = m_workspace->conversation(m_ids[c]);
            QTRY_COMPARE_WITH_TIMEOUT(controller->connectionState(), SocketIoClient::State::Connected, 10000);
            QTRY_VERIFY(controller->model()->rowCount() > 5);
            // The customer's name from the context endpoint, not the id.
            QTRY_VERIFY(m_window->sidebar()->model()->index(c, 0).data().toString() != m_ids[c]);
        }
        QCOMPARE(m_window->sidebar()->model()->index(0, 0).data().toString(), u"Maria Schneider");
        // The demo's history holds one reply that failed earlier: not sent, but no "connection is back"
        // on a first connection.
        QTRY_VERIFY(m_window->failedBar()->isVisible());
        QCOMPARE(m_window->failedBar()->text(), FailedRepliesBar::tr("%n replies not sent", nullptr, 1));
        // A live message for Ana while Maria's chat is on screen: her row gets an unread badge.
        QSignalSpy inbound(m_workspace.get(), &Workspace::inboundMessage);
        m_server->injectInbound(Tenant, m_ids[1], QStringLiteral("Could you also check the size of the jacket?"));
        QVERIFY(inbound.wait(5000));
        QTRY_COMPARE(m_workspace->unreadCount(m_ids[1]), 1);
    }

    // A reply written and sent by keys, and read by the customer: the newest bubble shows its ticks.
    void sendReply(const QString &text)
    {
        MessageListModel *model = m_workspace->currentConversation()->model();
        // QTest types Latin-1 only; other scripts arrive as an input method would commit them.
        m_window->composer()->editor()->insertPlainText(text);
        QTest::keyClick(m_window->composer()->editor(), Qt::Key_Return);
        const int row = model->rowCount() - 1;
        QCOMPARE(model->at(row).text, text);
        QTRY_COMPARE(model->at(row).status, MessageStatus::Read);
    }

    // The newest message in view, and nothing left to lay out.
    void settle()
    {
        QScrollBar *bar = m_window->view()->verticalScrollBar();
        QTRY_VERIFY(bar->maximum() > 0);
        QTRY_COMPARE(bar->value(), bar->maximum());
        QTRY_VERIFY(m_window->banner()->isHidden());
    }

    // No widget, title or accessible text carries the token.
    void verifyNoToken()
    {
        QVERIFY(!m_window->windowTitle().contains(Token));
        const QList<QWidget *> widgets = m_window->findChildren<QWidget *>();
        for (QWidget *w : widgets) {
            QStringList texts {w->windowTitle(), w->toolTip(), w->accessibleName(), w->accessibleDescription()};
            if (auto *label = qobject_cast<QLabel *>(w))
                texts << label->text();
            if (auto *edit = qobject_cast<QLineEdit *>(w))
                texts << edit->text();
            if (auto *edit = qobject_cast<QPlainTextEdit *>(w))
                texts << edit->toPlainText();
            if (auto *button = qobject_cast<QAbstractButton *>(w))
                texts << button->text();
            for (const QString &text : std::as_const(texts))
                QVERIFY2(!text.contains(Token), qPrintable(QString::fromLatin1(w->metaObject()->className())));
        }
        for (const QString &id : std::as_const(m_ids)) {
            const MessageListModel *model = m_workspace->conversation(id)->model();
            for (int row = 0; row < model->rowCount(); ++row)
                QVERIFY(!model->index(row).data(Qt::AccessibleTextRole).toString().contains(Token));
        }
    }

    // Ana's chat on screen, her photo of the wrong jacket decoded and shown.
    void showAna()
    {
        m_workspace->selectNext();
        QCOMPARE(m_workspace->currentId(), m_ids[1]);
        MessageListModel *model = m_workspace->currentConversation()->model();
        int photo = -1;
        for (int row = 0; row < model->rowCount(); ++row) {
            if (!model->at(row).attachment.isEmpty())
                photo = row;
        }
        QVERIFY(photo >= 0);
        ThumbnailCache *thumbnails = m_window->view()->messageDelegate()->thumbnails();
        m_window->view()->scrollTo(model->index(photo));
        QTRY_COMPARE(thumbnails->state(model->at(photo).id), ThumbnailCache::State::Ready);
    }

    // The agent attaches `path` with a caption and sends it; the customer reads it.
    void sendAttachment(const QString &path, const QString &caption)
    {
        MessageListModel *model = m_workspace->currentConversation()->model();
        QVERIFY(m_window->composer()->attach(path));
        m_window->composer()->editor()->insertPlainText(caption);
        QTRY_VERIFY(!m_window->composer()->isPreparing()); // copied off the UI thread first
        QTest::keyClick(m_window->composer()->editor(), Qt::Key_Return);
        const int row = model->rowCount() - 1;
        QCOMPARE(model->at(row).text, caption);
        QTRY_COMPARE_WITH_TIMEOUT(model->at(row).status, MessageStatus::Read, 10000);
        QVERIFY(!model->at(row).mediaUrl.isEmpty());
        if (model->at(row).attachment.isImage()) {
            QTRY_COMPARE(m_window->view()->messageDelegate()->thumbnails()->state(model->at(row).id),
                ThumbnailCache::State::Ready);
        }
    }

    void save(const QString &name)
    {
        verifyNoToken();
        QVERIFY(QDir().mkpath(directory()));
        const QImage image = m_window->grab().toImage();
        QCOMPARE(image.size(), QSize(1000, 700) * image.devicePixelRatio());
        QVERIFY(image.save(directory() + u'/' + name));
    }

private slots:
    void initTestCase() { m_originalPalette = QApplication::palette(); }
    void init() { installTranslations(*qApp, QLocale(QLocale::English)); }
    void cleanup()
    {
        m_window.reset();
        m_workspace.reset();
        m_server.reset();
        QApplication::setPalette(m_originalPalette);
        installTranslations(*qApp, QLocale(QLocale::English));
    }

    void light()
    {
        QApplication::setPalette(LookPalettes::light());
        buildScene();
        sendReply(QStringLiteral("Thanks for your patience, Maria!"));
        QTest::keyClicks(m_window->composer()->editor(), QStringLiteral("Let me check the tracking for you."));
        settle();
        save(QStringLiteral("main-light.png"));
    }

    void dark()
    {
        QApplication::setPalette(LookPalettes::dark());
        buildScene();
        QCOMPARE(m_window->sidebar()->palette().color(QPalette::Base), LookPalettes::dark().color(QPalette::Base));
        sendReply(QStringLiteral("Thanks for your patience, Maria!"));
        settle();
        save(QStringLiteral("main-dark.png"));
    }

    void rightToLeft()
    {
        installTranslations(*qApp, QLocale(QLocale::Arabic));
        QCOMPARE(QGuiApplication::layoutDirection(), Qt::RightToLeft);
        QApplication::setPalette(LookPalettes::light());
        buildScene();
        QCOMPARE(m_window->layoutDirection(), Qt::RightToLeft);
        // The sidebar sits on the right: its left edge is past the middle of the window.
        QVERIFY(m_window->sidebar()->mapTo(m_window.get(), QPoint(0, 0)).x() > m_window->width() / 2);
        sendReply(QStringLiteral("شكرا لصبرك يا ماريا!"));
        settle();
        save(QStringLiteral("main-rtl.png"));
    }

    void failedReplyWithRetry()
    {
        QApplication::setPalette(LookPalettes::light());
        buildScene();
        m_server->upstream()->setDown(true);
        MessageListModel *model = m_workspace->currentConversation()->model();
        QTest::keyClicks(m_window->composer()->editor(), QStringLiteral("The refund reference is RF-77120."));
        QTest::keyClick(m_window->composer()->editor(), Qt::Key_Return);
        const int row = model->rowCount() - 1;
        QTRY_COMPARE_WITH_TIMEOUT(model->at(row).status, MessageStatus::Failed, 15000);
        QTRY_VERIFY(m_window->failedBar()->isVisible());
        settle();
        // The Retry button of the failed bubble is on screen, inside the view.
        ConversationView *view = m_window->view();
        const QModelIndex failed = model->index(row);
        QStyleOptionViewItem option;
        option.initFrom(view->viewport());
        option.rect = view->visualRect(failed);
        const QRect retry = view->messageDelegate()->retryButtonRect(option, failed);
        QVERIFY(!retry.isEmpty());
        QVERIFY2(view->viewport()->rect().contains(retry), "the Retry button is scrolled into view");
        save(QStringLiteral("main-failed.png"));
        m_server->upstream()->setDown(false);
    }

    // "/" at the start of a reply: the account's canned responses with a preview, the second one chosen.
    void cannedResponses()
    {
        QApplication::setPalette(LookPalettes::light());
        buildScene();
        QTRY_COMPARE(m_workspace->cannedResponses()->list().state, CannedList::State::Ready);
        settle();
        ConversationPage *page = m_window->currentPage();
        page->focusComposer();
        QTest::keyClicks(m_window->composer()->editor(), QStringLiteral("/"));
        QVERIFY(page->completion()->isOpen());
        QCOMPARE(page->completion()->shownCodes(),
            (QStringList {u"hello"_qs, u"refund"_qs, u"tracking"_qs, u"callback"_qs, u"thanks"_qs}));
        QTest::keyClick(m_window->composer()->editor(), Qt::Key_Down);
        QCOMPARE(page->completion()->list()->currentRow(), 1);
        save(QStringLiteral("main-canned.png"));
    }

    // Ctrl+F and a word: the matches marked in the bubbles, the current one in view, "1 of N".
    void findInTheConversation()
    {
        QApplication::setPalette(LookPalettes::light());
        buildScene();
        settle();
        ConversationPage *page = m_window->currentPage();
        m_window->findChild<QAction *>(QStringLiteral("findAction"))->trigger();
        QVERIFY(page->findBar()->isVisible());
        QSignalSpy searched(page->find(), &ConversationFind::searched);
        QTest::keyClicks(page->findBar()->field(), QStringLiteral("refund"));
        QTRY_VERIFY(!page->find()->isSearching() && !searched.isEmpty());
        QVERIFY(page->find()->matchCount() >= 4);
        QCOMPARE(page->findBar()->countText(), QStringLiteral("1 of %1").arg(page->find()->matchCount()));
        save(QStringLiteral("main-find.png"));
    }

    // An image reply: Ana's photo of what arrived, and the agent's answer with a picture of the label.
    void imageReply()
    {
        QApplication::setPalette(LookPalettes::light());
        buildScene();
        showAna();
        QTemporaryDir dir;
        QImage label(640, 400, QImage::Format_RGB32);
        label.fill(QColor(250, 250, 246));
        QPainter painter(&label);
        painter.setPen(QPen(Qt::black, 4));
        painter.drawRect(label.rect().adjusted(12, 12, -12, -12));
        QFont font = painter.font();
        font.setPixelSize(34);
        font.setBold(true);
        painter.setFont(font);
        painter.drawText(QRect(30, 30, 580, 60), Qt::AlignLeft, QStringLiteral("RETURN LABEL"));
        font.setPixelSize(24);
        font.setBold(false);
        painter.setFont(font);
        painter.drawText(QRect(30, 110, 580, 120), Qt::AlignLeft,
            QStringLiteral("Order 48213-DE · 1 jacket, orange, M\nFree of charge · drop off at any post office"));
        for (int x = 40; x < 600; x += 9)
            painter.fillRect(x, 270, (x * 7) % 5 + 2, 90, Qt::black); // a bar code
        painter.end();
        const QString path = dir.filePath(QStringLiteral("return-label.png"));
        QVERIFY(label.save(path));
        sendAttachment(path, QStringLiteral("Here is your free return label — print it or show it at the post office."));
        settle();
        save(QStringLiteral("main-image.png"));
    }

    // A file reply: the invoice as a PDF, sent as a chip with its name, kind and size.
    void fileReply()
    {
        QApplication::setPalette(LookPalettes::light());
        buildScene();
        QTemporaryDir dir;
        QFile pdf(dir.filePath(QStringLiteral("Invoice RF-77120.pdf")));
        QVERIFY(pdf.open(QIODevice::WriteOnly));
        pdf.write("%PDF-1.4\n% refund invoice\n" + QByteArray(84 * 1024, ' ') + "\n%%EOF\n");
        pdf.close();
        sendAttachment(pdf.fileName(), QStringLiteral("The credit note for your refund, for your records."));
        settle();
        save(QStringLiteral("main-file.png"));
    }
};

QTEST_MAIN(TestReadmeShots)
#include "tst_readmeshots.moc"
