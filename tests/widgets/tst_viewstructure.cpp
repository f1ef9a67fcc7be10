// The structure that keeps ConversationView fast at scale, proven by what did NOT happen (no timings:
// those are agent-console-bench's): a status event measures no other row and lays nothing out when its
// bubble keeps its size, a prepended page does not move what is on screen, added rows are the only ones
// measured.
#include "conversationview.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"

#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <memory>
#include <numeric>

namespace {
constexpr int rowCount = 10000;

Message makeMessage(int i, const QString &prefix = QStringLiteral("m"))
{
    Message m;
    m.id = prefix + QString::number(i);
    m.direction = i % 3 == 0 ? Direction::Inbound : Direction::Outbound;
    // Lengths vary so rows have different heights, a few wrapping over many lines.
    m.text = QStringLiteral("Message %1 ").arg(i) + QStringLiteral("lorem ipsum dolor ").repeated(i % 23);
    m.timestamp = QDateTime(QDate(2026, 11, 23), QTime(8, 0), Qt::UTC).addSecs(60 * i);
    if (m.direction == Direction::Outbound)
        m.status = MessageStatus::Pending;
    return m;
}

QList<int> sorted(QList<int> rows)
{
    std::sort(rows.begin(), rows.end());
    return rows;
}

QList<int> range(int first, int count)
{
    QList<int> rows(count);
    std::iota(rows.begin(), rows.end(), first);
    return rows;
}

// A model that notes every canFetchMore(): QAbstractItemView asks it after each updateGeometries()
// (its fetch-more timer) and on every scroll to the bottom, so a count of 0 proves no relayout ran.
class LayoutProbeModel : public MessageListModel
{
public:
    bool canFetchMore(const QModelIndex &) const override
    {
        ++asked;
        return false;
    }
    mutable int asked = 0;
};

// The region of every paint event of the viewport.
class PaintRecorder : public QObject
{
public:
    explicit PaintRecorder(QWidget *viewport) { viewport->installEventFilter(this); }
    QRegion painted;
    int paints = 0;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint) {
            painted += static_cast<QPaintEvent *>(event)->region();
            ++paints;
        }
        return false;
    }
};
} // namespace

class TestViewStructure : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void statusEventMeasuresNoOtherRow_data();
    void statusEventMeasuresNoOtherRow();
    void sameSizeStatusEventDoesNotRelayout_data();
    void sameSizeStatusEventDoesNotRelayout();
    void sizeChangingStatusEventRelayouts();
    void prependKeepsAnchorRowInPlace_data();
    void prependKeepsAnchorRowInPlace();
    void addingRowsMeasuresOnlyTheNewRows_data();
    void addingRowsMeasuresOnlyTheNewRows();

private:
    enum class Where { Visible, Middle, Oldest };
    // An outbound row in `status`: on screen near the bottom, mid-conversation (off screen), or the oldest.
    int outboundRow(Where where, MessageStatus status) const;
    // Brings `row` to `status` through the status lattice.
    void advanceTo(int row, MessageStatus status);
    // Events, background measuring, repaints and the fetch-more timer: nothing left to run.
    static void settle();

    std::unique_ptr<LayoutProbeModel> m_model;
    std::unique_ptr<ConversationView> m_view;
};

void TestViewStructure::init()
{
    m_model = std::make_unique<LayoutProbeModel>();
    QList<Message> messages;
    for (int i = 0; i < rowCount; ++i)
        messages << makeMessage(i);
    QCOMPARE(m_model->prepend(messages), rowCount);
    m_view = std::make_unique<ConversationView>();
    m_view->setModel(m_model.get());
    m_view->resize(600, 800);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    QTRY_COMPARE(m_view->unmeasuredRowCount(), 0);
    settle();
    QVERIFY(m_view->isAtBottom());
}

void TestViewStructure::cleanup()
{
    m_view.reset();
    m_model.reset();
}

void TestViewStructure::settle()
{
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QCoreApplication::processEvents(); // a zero timer started by the first pass (fetch-more) runs here
}

int TestViewStructure::outboundRow(Where where, MessageStatus status) const
{
    const auto matches
        = [&](int r) { return m_model->at(r).direction == Direction::Outbound && m_model->at(r).status == status; };
    if (where == Where::Visible) {
        for (int r = rowCount - 1; r >= 0 && m_view->visualRect(m_model->index(r)).top() >= 0; --r) {
            if (matches(r) && m_view->visualRect(m_model->index(r)).bottom() < m_view->viewport()->height())
                return r;
        }
        return -1;
    }
    for (int r = where == Where::Oldest ? 0 : rowCount / 2; r < rowCount; ++r) {
        if (matches(r))
            return r;
    }
    return -1;
}

void TestViewStructure::advanceTo(int row, MessageStatus status)
{
    const QString id = m_model->at(row).id;
    for (auto [step, event] : {std::pair {MessageStatus::Sent, StatusEvent::ServerSent},
             std::pair {MessageStatus::Delivered, StatusEvent::ServerDelivered}}) {
        if (statusRank(status) >= statusRank(step))
            m_model->applyEvent(id, event);
    }
    settle();
}

void TestViewStructure::statusEventMeasuresNoOtherRow_data()
{
    QTest::addColumn<Where>("where");
    QTest::addColumn<StatusEvent>("event");
    const std::pair<const char *, Where> places[] {
        {"visible", Where::Visible}, {"off screen", Where::Middle}, {"oldest", Where::Oldest}};
    const std::pair<const char *, StatusEvent> events[] {{"sent", StatusEvent::ServerSent},
        {"delivered", StatusEvent::ServerDelivered}, {"read", StatusEvent::ServerRead},
        {"failed", StatusEvent::ServerFailed}};
    for (const auto &[place, where] : places) {
        for (const auto &[name, event] : events)
            QTest::addRow("%s, %s", place, name) << where << event;
    }
}

void TestViewStructure::statusEventMeasuresNoOtherRow()
{
    QFETCH(Where, where);
    QFETCH(StatusEvent, event);
    const int row = outboundRow(where, MessageStatus::Pending);
    QVERIFY(row >= 0);
    MessageDelegate *delegate = m_view->messageDelegate();
    delegate->resetSizeHintCounter();

    QVERIFY(m_model->applyEvent(m_model->at(row).id, event, QStringLiteral("Upstream unavailable")));
    m_view->viewport()->repaint(); // painting must not ask for sizes either
    settle();

    // No other row can have changed size. That row only when its shape did: a failed reply grows an error
    // line and Retry; sent, delivered and read are a mark of the same size.
    QCOMPARE(delegate->sizeHintRowsSinceReset(), event == StatusEvent::ServerFailed ? QList<int> {row} : QList<int> {});
}

void TestViewStructure::sameSizeStatusEventDoesNotRelayout_data()
{
    QTest::addColumn<Where>("where");
    QTest::addColumn<MessageStatus>("from");
    QTest::addColumn<StatusEvent>("event");
    QTest::newRow("visible, pending -> sent") << Where::Visible << MessageStatus::Pending << StatusEvent::ServerSent;
    QTest::newRow("visible, sent -> delivered")
        << Where::Visible << MessageStatus::Sent << StatusEvent::ServerDelivered;
    QTest::newRow("visible, delivered -> read")
        << Where::Visible << MessageStatus::Delivered << StatusEvent::ServerRead;
    QTest::newRow("off screen, pending -> read") << Where::Middle << MessageStatus::Pending << StatusEvent::ServerRead;
    QTest::newRow("oldest, sent -> delivered") << Where::Oldest << MessageStatus::Sent << StatusEvent::ServerDelivered;
}

void TestViewStructure::sameSizeStatusEventDoesNotRelayout()
{
    QFETCH(Where, where);
    QFETCH(MessageStatus, from);
    QFETCH(StatusEvent, event);
    const int row = outboundRow(where, MessageStatus::Pending);
    QVERIFY(row >= 0);
    advanceTo(row, from);
    const QRect rowRect = m_view->visualRect(m_model->index(row));
    QScrollBar *bar = m_view->verticalScrollBar();
    const int value = bar->value();
    QSignalSpy rangeChanged(bar, &QScrollBar::rangeChanged);
    QSignalSpy valueChanged(bar, &QScrollBar::valueChanged);
    PaintRecorder paints(m_view->viewport());
    m_model->asked = 0;

    QVERIFY(m_model->applyEvent(m_model->at(row).id, event));
    settle();

    QCOMPARE(m_model->asked, 0); // updateGeometries() never ran
    QCOMPARE(rangeChanged.count(), 0);
    QCOMPARE(valueChanged.count(), 0);
    QCOMPARE(bar->value(), value);
    QCOMPARE(m_view->visualRect(m_model->index(row)), rowRect);
    // Only the row's own rectangle is repainted, and only when it is on screen.
    if (where == Where::Visible) {
        QVERIFY(paints.paints > 0);
        QCOMPARE(paints.painted.boundingRect(), rowRect);
    } else {
        QCOMPARE(paints.paints, 0);
    }
}

// The control for the test above: the same observation does see a relayout when there is one.
void TestViewStructure::sizeChangingStatusEventRelayouts()
{
    const int row = outboundRow(Where::Visible, MessageStatus::Pending);
    QVERIFY(row >= 0);
    const int heightBefore = m_view->visualRect(m_model->index(row)).height();
    QSignalSpy rangeChanged(m_view->verticalScrollBar(), &QScrollBar::rangeChanged);
    m_model->asked = 0;

    QVERIFY(m_model->applyEvent(m_model->at(row).id, StatusEvent::ServerFailed, QStringLiteral("Not on WhatsApp")));
    settle();

    QVERIFY(m_view->visualRect(m_model->index(row)).height() > heightBefore); // error line + Retry
    QVERIFY(m_model->asked > 0);
    QCOMPARE(rangeChanged.count(), 1);
    QVERIFY(m_view->isAtBottom());
}

void TestViewStructure::prependKeepsAnchorRowInPlace_data()
{
    QTest::addColumn<int>("pageSize");
    QTest::newRow("one message") << 1;
    QTest::newRow("a history page") << 20;
    QTest::newRow("a large merge, measured in the background") << 1500;
}

void TestViewStructure::prependKeepsAnchorRowInPlace()
{
    QFETCH(int, pageSize);
    m_view->scrollTo(m_model->index(rowCount / 2), QAbstractItemView::PositionAtTop);
    m_view->verticalScrollBar()->setValue(m_view->verticalScrollBar()->value() + 13); // mid-row
    settle();
    QVERIFY(!m_view->isAtBottom());
    const QModelIndex anchor = m_view->indexAt(QPoint(m_view->viewport()->width() / 2, 300));
    const QString anchorId = anchor.data(MessageListModel::IdRole).toString();
    const QRect before = m_view->visualRect(anchor);
    const QImage pixels = m_view->viewport()->grab(before).toImage();

    QList<Message> older;
    for (int i = 0; i < pageSize; ++i)
        older << makeMessage(i, QStringLiteral("old"));
    QCOMPARE(m_model->prepend(older), pageSize);
    const QModelIndex moved = m_model->indexOf(anchorId);
    QCOMPARE(moved.row(), anchor.row() + pageSize);
    QCOMPARE(m_view->visualRect(moved), before);

    // And once every new row has its real height instead of the estimate.
    QTRY_COMPARE(m_view->unmeasuredRowCount(), 0);
    settle();
    QCOMPARE(m_view->visualRect(moved), before);
    QCOMPARE(m_view->indexAt(before.center()), moved);
    QCOMPARE(m_view->viewport()->grab(before).toImage(), pixels); // on screen, not just in the geometry
}

void TestViewStructure::addingRowsMeasuresOnlyTheNewRows_data()
{
    QTest::addColumn<bool>("appendOneByOne");
    QTest::addColumn<int>("count");
    QTest::newRow("1,000 appended one by one") << true << 1000;
    QTest::newRow("a page of 50 prepended") << false << 50;
    QTest::newRow("5,000 prepended at once") << false << 5000;
}

void TestViewStructure::addingRowsMeasuresOnlyTheNewRows()
{
    QFETCH(bool, appendOneByOne);
    QFETCH(int, count);
    MessageDelegate *delegate = m_view->messageDelegate();
    delegate->resetSizeHintCounter();

    if (appendOneByOne) {
        for (int i = 0; i < count; ++i)
            QVERIFY(m_model->append(makeMessage(rowCount + i)));
    } else {
        QList<Message> older;
        for (int i = 0; i < count; ++i)
            older << makeMessage(i, QStringLiteral("old"));
        QCOMPARE(m_model->prepend(older), count);
    }
    QTRY_COMPARE(m_view->unmeasuredRowCount(), 0);
    settle();

    // Each new row measured once, and no row that was there before.
    const int first = appendOneByOne ? rowCount : 0;
    QCOMPARE(sorted(delegate->sizeHintRowsSinceReset()), range(first, count));
}

QTEST_MAIN(TestViewStructure)
#include "tst_viewstructure.moc"
