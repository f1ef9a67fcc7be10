// ConversationView + MessageDelegate: 10,000 rows, and proof of what is NOT re-measured.
#include "conversationview.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"
#include "outbox.h"

#include <QContextMenuEvent>
#include <QImage>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolTip>

#include <memory>

namespace {
constexpr int rowCount = 10000;

Message makeMessage(int i)
{
    Message m;
    m.id = QStringLiteral("m%1").arg(i);
    m.direction = i % 2 ? Direction::Outbound : Direction::Inbound;
    // Lengths vary so rows have different heights, some wrapping over several lines.
    m.text = QStringLiteral("Message %1 ").arg(i) + QString(QStringLiteral("lorem ipsum ")).repeated(i % 17);
    m.timestamp = QDateTime(QDate(2026, 11, 23), QTime(8, 0), Qt::UTC).addSecs(60 * i);
    if (m.direction == Direction::Outbound)
        m.status = i % 4 == 1 ? MessageStatus::Pending : MessageStatus::Sent;
    return m;
}

QSet<int> asSet(const QList<int> &rows)
{
    return QSet<int>(rows.cbegin(), rows.cend());
}
} // namespace

class TestConversationView : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void statusChangeMeasuresNothing();
    void statusChangeOffScreenMeasuresNothing();
    void failureGrowsOnlyThatRowAndShiftsLaterRows();
    void failureWithoutReasonGrowsAndDeliveryShrinks();
    void outboxRepliesAreMeasuredWhenTheirShapeChanges();
    void outboxPictureIsMeasuredWhenItsBoxChanges();
    void widthChangeMeasuresEveryRowOnce();
    void appendAtBottomStaysAtBottom();
    void appendWhenScrolledUpKeepsPosition();
    void prependKeepsAnchorRowInPlace();
    void indexAtAndVisualRectAgree();
    void keyboardMovesCurrent();
    void contextMenuByRightClick();
    void contextMenuByMenuKey();
    void contextMenuByShiftF10();
    void retryButtonClickEmitsRetry();
    void clickOutsideRetryEmitsNothing();
    void retryHoverShowsPointingHand();
    void linkClickEmitsLinkActivated();
    void tooltipShowsServerTextLiterally();
    void nonWebLinksDoNotOpen_data();
    void nonWebLinksDoNotOpen();
    void nearTopEmittedWhenScrolledUp();
    void markupIsShownLiterally();
    void stateTextNamesEveryState_data();
    void stateTextNamesEveryState();
    void accessibleName();

private:
    QModelIndex indexOfRow(int row) const { return m_model->index(row); }
    // A visible outbound row in the given state, near the bottom.
    int visibleOutboundRow(MessageStatus status) const;
    void scrollToRowTop(int row);

    std::unique_ptr<MessageListModel> m_model;
    std::unique_ptr<ConversationView> m_view;
};

void TestConversationView::init()
{
    m_model = std::make_unique<MessageListModel>();
    for (int i = 0; i < rowCount; ++i)
        m_model->append(makeMessage(i));
    m_view = std::make_unique<ConversationView>();
    m_view->setModel(m_model.get());
    m_view->resize(600, 800);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    QTRY_COMPARE(m_view->unmeasuredRowCount(), 0);
    QVERIFY(m_view->isAtBottom());
}

void TestConversationView::cleanup()
{
    m_view.reset();
    m_model.reset();
}

int TestConversationView::visibleOutboundRow(MessageStatus status) const
{
    for (int r = rowCount - 1; r >= 0; --r) {
        const QRect rect = m_view->visualRect(indexOfRow(r));
        if (rect.top() < 0)
            break;
        if (m_model->at(r).direction == Direction::Outbound && m_model->at(r).status == status
            && rect.bottom() < m_view->viewport()->height())
            return r;
    }
    return -1;
}

void TestConversationView::scrollToRowTop(int row)
{
    m_view->scrollTo(indexOfRow(row), QAbstractItemView::PositionAtTop);
    QCOMPARE(m_view->visualRect(indexOfRow(row)).top(), 0);
    QVERIFY(!m_view->isAtBottom());
}

// Sent, delivered, read: a mark of the same size in the footer. The row keeps the height it was measured
// with and nothing is measured (tst_viewstructure: only that row is repainted).
void TestConversationView::statusChangeMeasuresNothing()
{
    const int row = visibleOutboundRow(MessageStatus::Sent);
    QVERIFY(row > 0);
    const QRect before = m_view->visualRect(indexOfRow(row));
    m_view->messageDelegate()->resetSizeHintCounter();

    QVERIFY(m_model->applyEvent(m_model->at(row).id, StatusEvent::ServerDelivered));
    m_view->viewport()->repaint(); // painting must not ask for sizes either
    QCoreApplication::processEvents();

    QCOMPARE(m_view->messageDelegate()->sizeHintRowsSinceReset(), QList<int> {});
    QCOMPARE(m_view->visualRect(indexOfRow(row)), before);
}

void TestConversationView::statusChangeOffScreenMeasuresNothing()
{
    const int row = 11; // outbound, Sent, far above the viewport
    QCOMPARE(m_model->at(row).status, MessageStatus::Sent);
    m_view->messageDelegate()->resetSizeHintCounter();
    QVERIFY(m_model->applyEvent(m_model->at(row).id, StatusEvent::ServerRead));
    QCoreApplication::processEvents();
    QCOMPARE(m_view->messageDelegate()->sizeHintRowsSinceReset(), QList<int> {});
    QVERIFY(m_view->isAtBottom());
}

void TestConversationView::failureGrowsOnlyThatRowAndShiftsLaterRows()
{
    const int row = 5001; // outbound, Pending
    QCOMPARE(m_model->at(row).status, MessageStatus::Pending);
    scrollToRowTop(row - 2);
    if (QTest::currentTestFailed())
        return;
    const QRect above = m_view->visualRect(indexOfRow(row - 1));
    const QRect before = m_view->visualRect(indexOfRow(row));
    const QRect nextBefore = m_view->visualRect(indexOfRow(row + 1));
    m_view->messageDelegate()->resetSizeHintCounter();

    QVERIFY(m_model->applyEvent(m_model->at(row).id, StatusEvent::PostFailed, QStringLiteral("Upstream unavailable")));

    QCOMPARE(m_view->messageDelegate()->sizeHintRowsSinceReset(), QList<int> {row});
    const QRect after = m_view->visualRect(indexOfRow(row));
    const int growth = after.height() - before.height();
    QVERIFY2(growth > 0, "an error line and a Retry button make the bubble taller");
    QCOMPARE(after.top(), before.top());
    QCOMPARE(m_view->visualRect(indexOfRow(row - 1)), above);
    QCOMPARE(m_view->visualRect(indexOfRow(row + 1)).top(), nextBefore.top() + growth);
    QCOMPARE(m_view->indexAt(QPoint(10, after.bottom())), indexOfRow(row));
    QCOMPARE(m_view->indexAt(QPoint(10, after.bottom() + 1)), indexOfRow(row + 1));
}

// A failure the server gives no reason for changes the status alone, yet adds the error line and Retry:
// the row is measured again, and again when delivery proves the reply arrived.
void TestConversationView::failureWithoutReasonGrowsAndDeliveryShrinks()
{
    const int row = visibleOutboundRow(MessageStatus::Sent);
    QVERIFY(row > 0);
    const QString id = m_model->at(row).id;
    const int height = m_view->visualRect(indexOfRow(row)).height();
    m_view->messageDelegate()->resetSizeHintCounter();

    QVERIFY(m_model->applyEvent(id, StatusEvent::ServerFailed));
    QCOMPARE(m_view->messageDelegate()->sizeHintRowsSinceReset(), QList<int> {row});
    QVERIFY(m_view->visualRect(indexOfRow(row)).height() > height);

    QVERIFY(m_model->applyEvent(id, StatusEvent::ServerDelivered));
    QCOMPARE(m_view->messageDelegate()->sizeHintRowsSinceReset(), (QList<int> {row, row}));
    QCOMPARE(m_view->visualRect(indexOfRow(row)).height(), height);
}

// The outbox's replies: on the wire and accepted keep the height; failed and queued (a note in the
// footer) are measured again, and so is a retry that undoes both.
void TestConversationView::outboxRepliesAreMeasuredWhenTheirShapeChanges()
{
    Outbox outbox(nullptr, QStringLiteral("t"), QStringLiteral("c"));
    m_model->setOutbox(&outbox);
    const auto first = outbox.add(QStringLiteral("Your refund is on its way."));
    const auto second = outbox.add(QStringLiteral("Anything else?"));
    QVERIFY(first && second);
    const int firstRow = m_model->rowOf(first->id);
    const int secondRow = m_model->rowOf(second->id);
    MessageDelegate *delegate = m_view->messageDelegate();

    delegate->resetSizeHintCounter();
    QVERIFY(outbox.takeNext());
    outbox.postFailed(first->id, QStringLiteral("Upstream unavailable"));
    QCOMPARE(asSet(delegate->sizeHintRowsSinceReset()), (QSet<int> {firstRow, secondRow}));
    QVERIFY(m_model->at(secondRow).queued);

    delegate->resetSizeHintCounter();
    QVERIFY(outbox.retry(first->id));
    QCOMPARE(asSet(delegate->sizeHintRowsSinceReset()), (QSet<int> {firstRow, secondRow}));

    delegate->resetSizeHintCounter();
    QVERIFY(outbox.takeNext());
    outbox.accepted(first->id, QString());
    QCOMPARE(m_model->at(firstRow).status, MessageStatus::Sent);
    QCOMPARE(delegate->sizeHintRowsSinceReset(), QList<int> {});
    for (int row : {firstRow, secondRow}) {
        const QModelIndex index = indexOfRow(row);
        QCOMPARE(m_view->visualRect(index).height(),
            delegate->sizeHint(m_view->itemOption(index), index).height());
    }
}

// The outbox's changes carry the media roles: the upload's answer with the picture's pixel size turns the
// placeholder into the picture's box, so the row is measured again; the acceptance after it is not.
void TestConversationView::outboxPictureIsMeasuredWhenItsBoxChanges()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("photo.png"));
    QImage picture(8, 6, QImage::Format_RGB32);
    picture.fill(Qt::darkCyan);
    QVERIFY(picture.save(path));
    Outbox outbox(nullptr, QStringLiteral("t"), QStringLiteral("c"));
    m_model->setOutbox(&outbox);
    const auto reply = outbox.add(QString(), AttachmentRules::describe(path));
    QVERIFY(reply);
    QVERIFY(!reply->attachment.hasSize());
    const int row = m_model->rowOf(reply->id);
    MessageDelegate *delegate = m_view->messageDelegate();
    QTRY_COMPARE(m_view->unmeasuredRowCount(), 0);
    const int placeholderHeight = m_view->visualRect(indexOfRow(row)).height();
    QVERIFY(outbox.takeNext());

    Attachment atServer = reply->attachment;
    atServer.width = 40;
    atServer.height = 900;
    delegate->resetSizeHintCounter();
    outbox.uploaded(reply->id, QStringLiteral("https://h.example/media/t/ab/photo.png"), atServer);
    QCOMPARE(delegate->sizeHintRowsSinceReset(), QList<int> {row});
    QVERIFY(m_view->visualRect(indexOfRow(row)).height() > placeholderHeight);

    delegate->resetSizeHintCounter();
    outbox.accepted(reply->id, QString());
    QCOMPARE(m_model->at(row).status, MessageStatus::Sent);
    QCOMPARE(delegate->sizeHintRowsSinceReset(), QList<int> {});
    const QModelIndex index = indexOfRow(row);
    QCOMPARE(m_view->visualRect(index).height(), delegate->sizeHint(m_view->itemOption(index), index).height());
}

void TestConversationView::widthChangeMeasuresEveryRowOnce()
{
    m_view->messageDelegate()->resetSizeHintCounter();
    m_view->resize(500, 800);
    QTRY_COMPARE(m_view->unmeasuredRowCount(), 0);
    const QList<int> rows = m_view->messageDelegate()->sizeHintRowsSinceReset();
    QCOMPARE(rows.size(), rowCount);
    QCOMPARE(asSet(rows).size(), rowCount);
    QVERIFY(m_view->isAtBottom());
}

void TestConversationView::appendAtBottomStaysAtBottom()
{
    Message m = makeMessage(rowCount);
    m.text = QStringLiteral("A new message from the customer");
    QVERIFY(m_model->append(m));
    const QRect last = m_view->visualRect(indexOfRow(rowCount));
    const int viewHeight = m_view->viewport()->height();
    QVERIFY2(last.bottom() < viewHeight && last.bottom() > viewHeight - 20, "the newest row ends at the bottom");
    QCOMPARE(m_view->verticalScrollBar()->value(), m_view->verticalScrollBar()->maximum());
    QVERIFY(m_view->isAtBottom());
}

void TestConversationView::appendWhenScrolledUpKeepsPosition()
{
    scrollToRowTop(5000);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(m_model->append(makeMessage(rowCount)));
    QCOMPARE(m_view->visualRect(indexOfRow(5000)).top(), 0);
    QVERIFY(!m_view->isAtBottom());
}

void TestConversationView::prependKeepsAnchorRowInPlace()
{
    scrollToRowTop(5000);
    if (QTest::currentTestFailed())
        return;
    m_view->verticalScrollBar()->setValue(m_view->verticalScrollBar()->value() + 7); // mid-row
    const QModelIndex anchor = m_view->indexAt(QPoint(20, 300));
    const QString anchorId = anchor.data(MessageListModel::IdRole).toString();
    const int topBefore = m_view->visualRect(anchor).top();

    QList<Message> older;
    for (int i = 0; i < 20; ++i) {
        Message m = makeMessage(i);
        m.id = QStringLiteral("old%1").arg(i);
        older << m;
    }
    QCOMPARE(m_model->prepend(older), 20);

    const QModelIndex moved = m_model->indexOf(anchorId);
    QCOMPARE(moved.row(), anchor.row() + 20);
    QVERIFY(qAbs(m_view->visualRect(moved).top() - topBefore) <= 1);
}

void TestConversationView::indexAtAndVisualRectAgree()
{
    for (int y = 0; y < m_view->viewport()->height(); y += 37) {
        const QPoint p(m_view->viewport()->width() / 2, y);
        const QModelIndex index = m_view->indexAt(p);
        QVERIFY(index.isValid());
        QVERIFY(m_view->visualRect(index).contains(p));
        QCOMPARE(m_view->indexAt(m_view->visualRect(index).center()), index);
    }
    const QRect last = m_view->visualRect(indexOfRow(rowCount - 1));
    const QRect previous = m_view->visualRect(indexOfRow(rowCount - 2));
    QCOMPARE(previous.bottom() + 1, last.top());
}

void TestConversationView::keyboardMovesCurrent()
{
    m_view->setFocus();
    m_view->setCurrentIndex(indexOfRow(rowCount - 5));
    QTest::keyClick(m_view.get(), Qt::Key_Up);
    QCOMPARE(m_view->currentIndex().row(), rowCount - 6);
    QTest::keyClick(m_view.get(), Qt::Key_Down);
    QTest::keyClick(m_view.get(), Qt::Key_Down);
    QCOMPARE(m_view->currentIndex().row(), rowCount - 4);
    QTest::keyClick(m_view.get(), Qt::Key_Home);
    QCOMPARE(m_view->currentIndex().row(), 0);
    QCOMPARE(m_view->verticalScrollBar()->value(), 0); // the very top, margin included
    QTest::keyClick(m_view.get(), Qt::Key_PageDown);
    QVERIFY(m_view->currentIndex().row() > 1);
    QTest::keyClick(m_view.get(), Qt::Key_End);
    QCOMPARE(m_view->currentIndex().row(), rowCount - 1);
    QVERIFY(m_view->isAtBottom());
}

void TestConversationView::contextMenuByRightClick()
{
    QSignalSpy spy(m_view.get(), &ConversationView::contextMenuRequested);
    const QModelIndex index = m_view->indexAt(QPoint(100, 400));
    const QPoint pos = m_view->messageDelegate()->bubbleRect(m_view->itemOption(index), index).center();
    QTest::mouseClick(m_view->viewport(), Qt::RightButton, {}, pos);
    // QTest delivers the mouse events only; the window system follows a right click with this.
    QContextMenuEvent event(QContextMenuEvent::Mouse, pos, m_view->viewport()->mapToGlobal(pos));
    QCoreApplication::sendEvent(m_view->viewport(), &event);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).value<QModelIndex>(), index);
    QCOMPARE(spy.at(0).at(1).toPoint(), m_view->viewport()->mapToGlobal(pos));
}

void TestConversationView::contextMenuByMenuKey()
{
    QSignalSpy spy(m_view.get(), &ConversationView::contextMenuRequested);
    const QModelIndex index = indexOfRow(rowCount - 3);
    m_view->setFocus();
    m_view->setCurrentIndex(index);
    QTest::keyClick(m_view.get(), Qt::Key_Menu);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).value<QModelIndex>(), index);
    const QRect bubble = m_view->messageDelegate()->bubbleRect(m_view->itemOption(index), index);
    QVERIFY(bubble.contains(m_view->viewport()->mapFromGlobal(spy.at(0).at(1).toPoint())));
}

void TestConversationView::contextMenuByShiftF10()
{
    QSignalSpy spy(m_view.get(), &ConversationView::contextMenuRequested);
    const QModelIndex index = indexOfRow(rowCount - 2);
    m_view->setFocus();
    m_view->setCurrentIndex(index);
    QTest::keyClick(m_view.get(), Qt::Key_F10, Qt::ShiftModifier);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).value<QModelIndex>(), index);
}

void TestConversationView::retryButtonClickEmitsRetry()
{
    const int row = visibleOutboundRow(MessageStatus::Pending);
    QVERIFY(row >= 0);
    const QString id = m_model->at(row).id;
    QVERIFY(m_model->applyEvent(id, StatusEvent::PostFailed, QStringLiteral("Upstream unavailable")));
    const QModelIndex index = m_model->indexOf(id);
    m_view->scrollTo(index);
    const QRect retry = m_view->messageDelegate()->retryButtonRect(m_view->itemOption(index), index);
    QVERIFY(!retry.isEmpty());
    QVERIFY(m_view->messageDelegate()->bubbleRect(m_view->itemOption(index), index).contains(retry));

    QSignalSpy spy(m_view.get(), &ConversationView::retryRequested);
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, retry.center());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), id);
}

void TestConversationView::clickOutsideRetryEmitsNothing()
{
    const int row = visibleOutboundRow(MessageStatus::Pending);
    const QString id = m_model->at(row).id;
    QVERIFY(m_model->applyEvent(id, StatusEvent::PostFailed, QStringLiteral("Upstream unavailable")));
    const QModelIndex index = m_model->indexOf(id);
    const QStyleOptionViewItem option = m_view->itemOption(index);
    const QRect retry = m_view->messageDelegate()->retryButtonRect(option, index);
    const QRect bubble = m_view->messageDelegate()->bubbleRect(option, index);

    QSignalSpy spy(m_view.get(), &ConversationView::retryRequested);
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, bubble.topLeft() + QPoint(4, 4));
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, QPoint(retry.right() + 3, retry.center().y()));
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, QPoint(retry.center().x(), retry.top() - 3));
    // Pressed on the button, released elsewhere: not a click.
    QTest::mousePress(m_view->viewport(), Qt::LeftButton, {}, retry.center());
    QTest::mouseRelease(m_view->viewport(), Qt::LeftButton, {}, bubble.topLeft() + QPoint(4, 4));
    QCOMPARE(spy.count(), 0);
}

void TestConversationView::retryHoverShowsPointingHand()
{
    const int row = visibleOutboundRow(MessageStatus::Pending);
    QVERIFY(m_model->applyEvent(m_model->at(row).id, StatusEvent::PostFailed, QStringLiteral("x")));
    const QModelIndex index = indexOfRow(row);
    const QRect retry = m_view->messageDelegate()->retryButtonRect(m_view->itemOption(index), index);
    QMouseEvent over(QEvent::MouseMove, retry.center(), m_view->viewport()->mapToGlobal(retry.center()), Qt::NoButton,
        Qt::NoButton, Qt::NoModifier);
    QCoreApplication::sendEvent(m_view->viewport(), &over);
    QCOMPARE(m_view->viewport()->cursor().shape(), Qt::PointingHandCursor);
    const QPoint away = m_view->messageDelegate()->bubbleRect(m_view->itemOption(index), index).topLeft();
    QMouseEvent out(
        QEvent::MouseMove, away, m_view->viewport()->mapToGlobal(away), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QCoreApplication::sendEvent(m_view->viewport(), &out);
    QCOMPARE(m_view->viewport()->cursor().shape(), Qt::ArrowCursor);
}

void TestConversationView::linkClickEmitsLinkActivated()
{
    Message m = makeMessage(rowCount);
    m.mediaUrl = QStringLiteral("https://example.com/files/invoice.pdf");
    QVERIFY(m_model->append(m));
    const QModelIndex index = indexOfRow(rowCount);
    const QRect link = m_view->messageDelegate()->linkRect(m_view->itemOption(index), index);
    QVERIFY(!link.isEmpty());
    QSignalSpy spy(m_view.get(), &ConversationView::linkActivated);
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, link.center());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toUrl(), QUrl(m.mediaUrl));
}

void TestConversationView::tooltipShowsServerTextLiterally()
{
    Message m = makeMessage(rowCount);
    m.direction = Direction::Outbound;
    m.status = MessageStatus::Pending;
    QVERIFY(m_model->append(m));
    QVERIFY(m_model->applyEvent(m.id, StatusEvent::PostFailed, QStringLiteral("<b>boom</b><img src=x>")));
    const QModelIndex index = indexOfRow(rowCount);
    const QRect status = m_view->messageDelegate()->statusRect(m_view->itemOption(index), index);
    QVERIFY(!status.isEmpty());
    QHelpEvent help(QEvent::ToolTip, status.center(), m_view->viewport()->mapToGlobal(status.center()));
    QCoreApplication::sendEvent(m_view->viewport(), &help);
    const QString tip = QToolTip::text();
    QVERIFY2(tip.contains(u"&lt;b&gt;boom&lt;/b&gt;&lt;img src=x&gt;"), qPrintable(tip));
    QVERIFY(!tip.contains(u"<b>"));
}

void TestConversationView::nonWebLinksDoNotOpen_data()
{
    QTest::addColumn<QString>("url");
    QTest::newRow("file") << QStringLiteral("file:///etc/passwd");
    QTest::newRow("smb") << QStringLiteral("smb://server/share/x.exe");
    QTest::newRow("custom scheme") << QStringLiteral("vscode://open?x=1");
    QTest::newRow("javascript") << QStringLiteral("javascript:alert(1)");
    QTest::newRow("no host") << QStringLiteral("https:///path");
}

void TestConversationView::nonWebLinksDoNotOpen()
{
    QFETCH(QString, url);
    Message m = makeMessage(rowCount);
    m.mediaUrl = url;
    QVERIFY(m_model->append(m));
    const QModelIndex index = indexOfRow(rowCount);
    const QRect link = m_view->messageDelegate()->linkRect(m_view->itemOption(index), index);
    QVERIFY(!link.isEmpty()); // still shown, as text
    QSignalSpy spy(m_view.get(), &ConversationView::linkActivated);
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, link.center());
    QCOMPARE(spy.count(), 0);
}

void TestConversationView::nearTopEmittedWhenScrolledUp()
{
    QSignalSpy spy(m_view.get(), &ConversationView::nearTop);
    scrollToRowTop(5000);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(spy.count(), 0);
    m_view->verticalScrollBar()->setValue(m_view->viewport()->height() / 2);
    QCOMPARE(spy.count(), 1);
    m_view->verticalScrollBar()->setValue(10); // still near the top: no second request
    QCOMPARE(spy.count(), 1);
}

void TestConversationView::markupIsShownLiterally()
{
    Message m = makeMessage(rowCount);
    m.direction = Direction::Inbound;
    m.status = MessageStatus::None;
    m.text = QStringLiteral("<b>x</b>");
    QVERIFY(m_model->append(m));
    const QModelIndex index = indexOfRow(rowCount);
    QCOMPARE(MessageDelegate::displayedText(index), QStringLiteral("<b>x</b>"));
    // Laid out as eight characters, not as one bold "x".
    const QRect text = m_view->messageDelegate()->layoutFor(m_view->itemOption(index), index).text;
    QVERIFY(qAbs(text.width() - m_view->fontMetrics().horizontalAdvance(m.text)) <= 2);
}

void TestConversationView::stateTextNamesEveryState_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("queued");
    QTest::addColumn<QString>("expected");
    QTest::newRow("pending") << int(MessageStatus::Pending) << false << "Pending";
    QTest::newRow("queued") << int(MessageStatus::Pending) << true << "Queued — waiting for an earlier reply";
    QTest::newRow("sent") << int(MessageStatus::Sent) << false << "Sent";
    QTest::newRow("delivered") << int(MessageStatus::Delivered) << false << "Delivered";
    QTest::newRow("read") << int(MessageStatus::Read) << false << "Read";
    QTest::newRow("failed") << int(MessageStatus::Failed) << false << "Failed: Upstream unavailable";
}

void TestConversationView::stateTextNamesEveryState()
{
    QFETCH(int, status);
    QFETCH(bool, queued);
    QFETCH(QString, expected);
    MessageListModel model;
    Message m = makeMessage(1);
    m.status = MessageStatus(status);
    m.queued = queued;
    m.error = m.status == MessageStatus::Failed ? QStringLiteral("Upstream unavailable") : QString();
    model.append(m);
    QCOMPARE(MessageDelegate::stateText(model.index(0)), expected);
    QVERIFY(MessageDelegate::accessibleText(model.index(0)).endsWith(expected));
}

void TestConversationView::accessibleName()
{
    QCOMPARE(m_view->accessibleName(), QStringLiteral("Conversation"));
    m_view->setCurrentIndex(indexOfRow(rowCount - 1));
    QVERIFY(m_view->accessibleDescription().contains(m_model->at(rowCount - 1).text));
}

QTEST_MAIN(TestConversationView)
#include "tst_conversationview.moc"
