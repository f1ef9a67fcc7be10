// Right-to-left UI: the conversation mirrors (own replies on the left, customer's on the right, Retry
// at the bubble's right, the mark left of the time), clicks and screen-reader rects mirror with it,
// and each message keeps its own direction inside its bubble whatever the UI's direction is.
#include "bubblestyle.h"
#include "composer.h"
#include "connectionbanner.h"
#include "conversationheader.h"
#include "conversationscene.h"
#include "conversationview.h"
#include "failedrepliesbar.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"

#include <QAccessible>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <QVBoxLayout>

#include <memory>

namespace {
const QString arabic = QStringLiteral("مرحبا، طلبي لم يصل بعد");

// Columns in `rect` holding pixels that differ clearly from `background`.
QPair<int, int> inkSpan(const QImage &image, const QRect &rect, const QColor &background)
{
    int first = -1;
    int last = -1;
    for (int x = rect.left(); x <= rect.right(); ++x) {
        for (int y = rect.top(); y <= rect.bottom(); ++y) {
            const QColor c = image.pixelColor(x, y);
            if (qAbs(c.lightness() - background.lightness()) > 60) {
                if (first < 0)
                    first = x;
                last = x;
                break;
            }
        }
    }
    return {first, last};
}
} // namespace

class TestRtl : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void bubblesSwapSides();
    void wholeRowIsTheMirrorImage();
    void directionChangeMeasuresAgain();
    void retryAndMarkSitOnMirroredSides();
    void clickingRetryWorksInRtl();
    void clickingLinkWorksInRtl();
    void accessibleRetryIsWherePainted();
    void messageKeepsItsOwnDirection_data();
    void messageKeepsItsOwnDirection();
    void arabicTextIsPaintedInsideItsBubble();
    void barsAndComposerMirror();
    void thePhoneNumberReadsLeftToRight();

private:
    BubbleLayout layoutOf(const QString &id) const;

    std::unique_ptr<MessageListModel> m_model;
    std::unique_ptr<ConversationView> m_view;
};

void TestRtl::init()
{
    m_model = std::make_unique<MessageListModel>();
    m_model->append(testMessage("in", Direction::Inbound, "Hello, my order has not arrived", MessageStatus::None));
    m_model->append(testMessage("read", Direction::Outbound, "Let me check", MessageStatus::Read));
    m_model->append(testMessage("failed", Direction::Outbound, "Refund issued", MessageStatus::Failed));
    m_model->append(testMessage("arabic-in", Direction::Inbound, arabic, MessageStatus::None));
    m_model->append(testMessage("arabic-out", Direction::Outbound, arabic, MessageStatus::Delivered));
    m_model->append(testMessage("link", Direction::Inbound, QString(), MessageStatus::None,
        QStringLiteral("https://shop.example.com/receipts/88213.pdf")));
    m_view = std::make_unique<ConversationView>();
    m_view->setModel(m_model.get());
    m_view->setLayoutDirection(Qt::RightToLeft);
    m_view->resize(520, 700);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    QTRY_COMPARE(m_view->unmeasuredRowCount(), 0);
}

void TestRtl::cleanup()
{
    m_view.reset();
    m_model.reset();
}

BubbleLayout TestRtl::layoutOf(const QString &id) const
{
    const QModelIndex index = m_model->indexOf(id);
    return m_view->messageDelegate()->layoutFor(m_view->itemOption(index), index);
}

void TestRtl::bubblesSwapSides()
{
    const int width = m_view->viewport()->width();
    for (const char *id : {"read", "failed", "arabic-out"}) {
        const BubbleLayout l = layoutOf(id);
        QVERIFY(l.mirrored);
        QCOMPARE(l.bubble.left(), BubbleStyle::sideMargin); // the agent's own replies: left
    }
    for (const char *id : {"in", "arabic-in", "link"})
        QCOMPARE(layoutOf(id).bubble.right(), width - 1 - BubbleStyle::sideMargin); // the customer: right

    m_view->setLayoutDirection(Qt::LeftToRight);
    QCOMPARE(layoutOf("read").bubble.right(), width - 1 - BubbleStyle::sideMargin);
    QCOMPARE(layoutOf("in").bubble.left(), BubbleStyle::sideMargin);
    QVERIFY(!layoutOf("in").mirrored);
}

void TestRtl::wholeRowIsTheMirrorImage()
{
    // A failed reply's footer sits beside Retry whatever the text's direction, so its row is the
    // exact mirror image of the left-to-right one.
    const BubbleLayout rtl = layoutOf("failed");
    m_view->setLayoutDirection(Qt::LeftToRight);
    const BubbleLayout ltr = layoutOf("failed");
    // Rows above may change height (see directionChangeMeasuresAgain): compare within the row.
    const int axis = m_view->viewport()->width() - 1;
    const int dy = rtl.row.top() - ltr.row.top();
    const auto mirror = [axis, dy](const QRect &r) {
        return r.isNull() ? r : QRect(axis - r.right(), r.top() + dy, r.width(), r.height());
    };
    QCOMPARE(rtl.row.size(), ltr.row.size());
    QCOMPARE(rtl.bubble, mirror(ltr.bubble));
    QCOMPARE(rtl.retry, mirror(ltr.retry));
    QCOMPARE(rtl.error, mirror(ltr.error));
    QCOMPARE(rtl.time, mirror(ltr.time));
    QCOMPARE(rtl.status, mirror(ltr.status));
    // The English text stays at the bubble's left in both.
    QCOMPARE(rtl.text.left() - rtl.bubble.left(), ltr.text.left() - ltr.bubble.left());
}

void TestRtl::directionChangeMeasuresAgain()
{
    // An English message in an Arabic UI gets its footer on a line of its own: a taller row, which
    // the view must measure again when the direction changes.
    for (const Qt::LayoutDirection direction : {Qt::LeftToRight, Qt::RightToLeft, Qt::LeftToRight}) {
        m_view->setLayoutDirection(direction);
        QTRY_COMPARE(m_view->unmeasuredRowCount(), 0);
        for (const char *id : {"in", "read", "arabic-in", "link"}) {
            const QModelIndex index = m_model->indexOf(id);
            QCOMPARE(m_view->visualRect(index).height(), layoutOf(id).row.height());
        }
    }
}

void TestRtl::retryAndMarkSitOnMirroredSides()
{
    const BubbleLayout l = layoutOf("failed");
    QVERIFY(!l.retry.isEmpty());
    QVERIFY(l.bubble.contains(l.retry));
    QCOMPARE(l.retry.right(), l.bubble.right() - BubbleStyle::padH); // leading side of an RTL bubble
    QVERIFY(l.status.right() < l.time.left()); // the mark reads after the time: left of it
    QVERIFY(l.time.right() < l.retry.left());
    const BubbleLayout read = layoutOf("read");
    QVERIFY(read.status.right() < read.time.left());
    QCOMPARE(read.status.left(), read.bubble.left() + BubbleStyle::padH);
}

void TestRtl::clickingRetryWorksInRtl()
{
    QSignalSpy retry(m_view.get(), &ConversationView::retryRequested);
    const BubbleLayout l = layoutOf("failed");
    // Where Retry would be in a left-to-right UI there is nothing to press now.
    const QPoint ltrSpot(m_view->viewport()->width() - 1 - l.retry.center().x(), l.retry.center().y());
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, ltrSpot);
    QCOMPARE(retry.count(), 0);
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, l.retry.center());
    QCOMPARE(retry.count(), 1);
    QCOMPARE(retry.at(0).at(0).toString(), QStringLiteral("failed"));
}

void TestRtl::clickingLinkWorksInRtl()
{
    QSignalSpy link(m_view.get(), &ConversationView::linkActivated);
    const BubbleLayout l = layoutOf("link");
    QVERIFY(!l.link.isEmpty());
    QVERIFY(l.bubble.contains(l.link));
    QCOMPARE(l.link.left(), l.bubble.left() + BubbleStyle::padH); // a URL reads left to right
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, l.link.center());
    QCOMPARE(link.count(), 1);
    QCOMPARE(link.at(0).at(0).toUrl(), QUrl(QStringLiteral("https://shop.example.com/receipts/88213.pdf")));
}

void TestRtl::accessibleRetryIsWherePainted()
{
    QAccessibleInterface *view = QAccessible::queryAccessibleInterface(m_view.get());
    QAccessibleInterface *row = view->child(m_model->indexOf("failed").row());
    QVERIFY(row && row->childCount() == 1);
    const QRect painted = layoutOf("failed").retry;
    QCOMPARE(row->child(0)->rect(), QRect(m_view->viewport()->mapToGlobal(painted.topLeft()), painted.size()));
    const QPoint c = row->child(0)->rect().center();
    QCOMPARE(row->childAt(c.x(), c.y()), row->child(0));
}

void TestRtl::messageKeepsItsOwnDirection_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("rtlUi");
    QTest::addColumn<bool>("textAtRight");
    QTest::newRow("Arabic in English UI") << "arabic-in" << false << true;
    QTest::newRow("Arabic reply in English UI") << "arabic-out" << false << true;
    QTest::newRow("Arabic in Arabic UI") << "arabic-in" << true << true;
    QTest::newRow("English in Arabic UI") << "in" << true << false;
    QTest::newRow("English reply in Arabic UI") << "read" << true << false;
    QTest::newRow("English in English UI") << "in" << false << false;
}

void TestRtl::messageKeepsItsOwnDirection()
{
    QFETCH(QString, id);
    QFETCH(bool, rtlUi);
    QFETCH(bool, textAtRight);
    m_view->setLayoutDirection(rtlUi ? Qt::RightToLeft : Qt::LeftToRight);
    const BubbleLayout l = layoutOf(id);
    if (textAtRight)
        QCOMPARE(l.text.right(), l.bubble.right() - BubbleStyle::padH);
    else
        QCOMPARE(l.text.left(), l.bubble.left() + BubbleStyle::padH);
    QVERIFY(l.bubble.contains(l.text));
    QVERIFY(!l.time.intersects(l.text)); // the footer never covers the text's start
    QVERIFY(l.bubble.contains(l.time));
}

void TestRtl::arabicTextIsPaintedInsideItsBubble()
{
    for (const Qt::LayoutDirection direction : {Qt::LeftToRight, Qt::RightToLeft}) {
        m_view->setLayoutDirection(direction);
        const BubbleLayout l = layoutOf("arabic-in");
        const QImage image = m_view->viewport()->grab().toImage();
        const QColor fill = image.pixelColor(l.bubble.left() + 4, l.bubble.center().y());
        const auto [first, last] = inkSpan(image, l.text, fill);
        QVERIFY2(first >= 0, "the Arabic text is drawn");
        // Right-aligned within its rect, and all of it there: the first letter is not clipped away.
        QVERIFY2(
            qAbs(last - l.text.right()) <= 3, qPrintable(QStringLiteral("%1 vs %2").arg(last).arg(l.text.right())));
        QVERIFY2(first - l.text.left() <= 4, qPrintable(QStringLiteral("%1 vs %2").arg(first).arg(l.text.left())));
    }
}

void TestRtl::barsAndComposerMirror()
{
    QWidget window;
    window.setLayoutDirection(Qt::RightToLeft);
    auto *composer = new Composer(&window);
    auto *banner = new ConnectionBanner(&window);
    banner->setState(ConnectionBanner::State::Disconnected);
    banner->setAction(QStringLiteral("Reconnect now"));
    auto *bar = new FailedRepliesBar(&window);
    bar->setUnsentCount(3);
    auto *layout = new QVBoxLayout(&window);
    layout->addWidget(banner);
    layout->addWidget(bar);
    layout->addWidget(composer);
    window.resize(500, 200);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(composer->sendButton()->geometry().right() < composer->editor()->geometry().left());
    // The send arrow points the way the text reads.
    const QImage rtlArrow = composer->sendButton()->icon().pixmap(QSize(24, 24), 1.0).toImage();
    Composer ltrComposer;
    const QImage ltrArrow = ltrComposer.sendButton()->icon().pixmap(QSize(24, 24), 1.0).toImage();
    const auto differing = [](const QImage &a, const QImage &b) {
        int n = 0;
        for (int y = 0; y < a.height(); ++y) {
            for (int x = 0; x < a.width(); ++x)
                n += qAbs(a.pixelColor(x, y).alpha() - b.pixelColor(x, y).alpha()) > 60 ? 1 : 0;
        }
        return n;
    };
    QCOMPARE(rtlArrow.size(), ltrArrow.size());
    QVERIFY(differing(rtlArrow, ltrArrow) > 40);
    QVERIFY2(differing(rtlArrow, ltrArrow.mirrored(true, false)) < 8,
        qPrintable(QString::number(differing(rtlArrow, ltrArrow.mirrored(true, false)))));
    auto *action = banner->findChild<QToolButton *>();
    QVERIFY(action->geometry().right() < banner->findChild<QLabel *>()->geometry().left());
    QVERIFY(bar->discardAllButton()->geometry().right() < bar->retryAllButton()->geometry().left());
    QVERIFY(bar->retryAllButton()->geometry().right() < bar->showFirstButton()->geometry().left());
}

// "+49 155 4591568" in an Arabic window: the header mirrors, the number itself is drawn as in a
// left-to-right one (not "4591568 155 49+").
void TestRtl::thePhoneNumberReadsLeftToRight()
{
    const auto render = [](Qt::LayoutDirection direction) {
        QGuiApplication::setLayoutDirection(direction); // as the Arabic catalogue sets it
        QWidget window;
        auto *header = new ConversationHeader(&window);
        header->setCustomer(QStringLiteral("Ana Souza"), QStringLiteral("+49 155 4591568"), QStringLiteral("demo"));
        (new QVBoxLayout(&window))->addWidget(header);
        window.resize(600, 60);
        window.show();
        if (!QTest::qWaitForWindowExposed(&window))
            return QImage();
        return header->phoneButton()->grab().toImage();
    };
    const QImage rtl = render(Qt::RightToLeft);
    const QImage ltr = render(Qt::LeftToRight);
    QVERIFY(!rtl.isNull());
    QCOMPARE(QGuiApplication::layoutDirection(), Qt::LeftToRight);
    QCOMPARE(rtl.size(), ltr.size());
    QVERIFY(rtl == ltr);
}

QTEST_MAIN(TestRtl)
#include "tst_rtl.moc"
