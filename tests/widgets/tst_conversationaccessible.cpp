// ConversationView as a screen reader sees it: through QAccessible only, never through the widget.
#include "conversationview.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"

#include <QAccessible>
#include <QSignalSpy>
#include <QTest>

#include <memory>

namespace {
Message makeMessage(const QString &id, Direction direction, const QString &text, MessageStatus status,
    const QString &error = QString(), int minute = 0)
{
    Message m;
    m.id = id;
    m.direction = direction;
    m.text = text;
    m.timestamp = QDateTime(QDate(2026, 11, 23), QTime(9, 0), Qt::UTC).addSecs(60 * minute);
    m.status = status;
    m.error = error;
    return m;
}

enum Row { InboundRow, ReadRow, FailedRow, PendingRow, RowCount };
} // namespace

class TestConversationAccessible : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void viewIsAListOfRows();
    void rowNameIsTheRawText();
    void rowDescriptionCarriesDirectionAndState_data();
    void rowDescriptionCarriesDirectionAndState();
    void onlyTheFailedRowHasARetryButton();
    void retryButtonSitsWherePainted();
    void pressingRetryEmitsRetryRequested();
    void retryButtonGoesAwayAfterRetry();
    void descriptionFollowsStatusChange();
    void prependedRowComesFirst();
    void removedRowIsForgotten();
    void currentRowIsFocusedAndSelected();
    void childAtFindsRowAndButton();

private:
    QAccessibleInterface *viewInterface() const { return QAccessible::queryAccessibleInterface(m_view.get()); }
    QAccessibleInterface *row(int r) const { return viewInterface()->child(r); }

    std::unique_ptr<MessageListModel> m_model;
    std::unique_ptr<ConversationView> m_view;
};

void TestConversationAccessible::init()
{
    m_model = std::make_unique<MessageListModel>();
    m_model->append(makeMessage("in0", Direction::Inbound, "Hello <b>x</b> &amp;", MessageStatus::None, {}, 1));
    m_model->append(makeMessage("out1", Direction::Outbound, "Read reply", MessageStatus::Read, {}, 2));
    m_model->append(
        makeMessage("out2", Direction::Outbound, "Failed reply", MessageStatus::Failed, "Upstream unavailable", 3));
    m_model->append(makeMessage("out3", Direction::Outbound, "Pending reply", MessageStatus::Pending, {}, 4));
    m_view = std::make_unique<ConversationView>();
    m_view->setModel(m_model.get());
    m_view->resize(600, 800);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    QTRY_COMPARE(m_view->unmeasuredRowCount(), 0);
}

void TestConversationAccessible::cleanup()
{
    m_view.reset();
    m_model.reset();
}

void TestConversationAccessible::viewIsAListOfRows()
{
    QAccessibleInterface *view = viewInterface();
    QVERIFY(view);
    QCOMPARE(view->role(), QAccessible::List);
    QCOMPARE(view->text(QAccessible::Name), QStringLiteral("Conversation"));
    QCOMPARE(view->childCount(), int(RowCount));
    for (int r = 0; r < RowCount; ++r) {
        QAccessibleInterface *child = view->child(r);
        QVERIFY(child && child->isValid());
        QCOMPARE(child->role(), QAccessible::ListItem);
        QCOMPARE(child->parent(), view);
        QCOMPARE(view->indexOfChild(child), r);
        QCOMPARE(view->child(r), child); // cached, not rebuilt per query
    }
    QCOMPARE(view->child(RowCount), nullptr);
}

void TestConversationAccessible::rowNameIsTheRawText()
{
    // Markup and entities are read out as the characters the customer typed, never interpreted.
    QCOMPARE(row(InboundRow)->text(QAccessible::Name), QStringLiteral("Hello <b>x</b> &amp;"));
    QCOMPARE(row(ReadRow)->text(QAccessible::Name), QStringLiteral("Read reply"));
}

void TestConversationAccessible::rowDescriptionCarriesDirectionAndState_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<QString>("description");
    QTest::newRow("inbound") << int(InboundRow) << QStringLiteral("From customer");
    QTest::newRow("read") << int(ReadRow) << QStringLiteral("Sent by you, Read");
    QTest::newRow("failed") << int(FailedRow) << QStringLiteral("Sent by you, Failed: Upstream unavailable");
    QTest::newRow("pending") << int(PendingRow) << QStringLiteral("Sent by you, Pending");
}

void TestConversationAccessible::rowDescriptionCarriesDirectionAndState()
{
    QFETCH(int, row);
    QFETCH(QString, description);
    QCOMPARE(this->row(row)->text(QAccessible::Description), description);
}

void TestConversationAccessible::onlyTheFailedRowHasARetryButton()
{
    for (int r = 0; r < RowCount; ++r)
        QCOMPARE(row(r)->childCount(), r == FailedRow ? 1 : 0);
    QAccessibleInterface *button = row(FailedRow)->child(0);
    QVERIFY(button && button->isValid());
    QCOMPARE(button->role(), QAccessible::Button);
    QCOMPARE(button->text(QAccessible::Name), QStringLiteral("Retry sending message"));
    QCOMPARE(button->parent(), row(FailedRow));
    QCOMPARE(row(FailedRow)->indexOfChild(button), 0);
    QVERIFY(button->actionInterface());
    QCOMPARE(button->actionInterface()->actionNames(), QStringList {QAccessibleActionInterface::pressAction()});
}

void TestConversationAccessible::retryButtonSitsWherePainted()
{
    const QModelIndex index = m_model->index(FailedRow);
    const QRect painted = m_view->messageDelegate()->retryButtonRect(m_view->itemOption(index), index);
    QVERIFY(!painted.isEmpty());
    const QRect button = row(FailedRow)->child(0)->rect();
    QCOMPARE(button, QRect(m_view->viewport()->mapToGlobal(painted.topLeft()), painted.size()));
    QVERIFY(row(FailedRow)->rect().contains(button));
}

void TestConversationAccessible::pressingRetryEmitsRetryRequested()
{
    QSignalSpy spy(m_view.get(), &ConversationView::retryRequested);
    QAccessibleActionInterface *action = row(FailedRow)->child(0)->actionInterface();
    action->doAction(QStringLiteral("no such action"));
    QCOMPARE(spy.count(), 0);
    action->doAction(QAccessibleActionInterface::pressAction());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("out2"));
}

void TestConversationAccessible::retryButtonGoesAwayAfterRetry()
{
    QAccessibleInterface *button = row(FailedRow)->child(0);
    QVERIFY(m_model->applyEvent("out2", StatusEvent::RetryRequested));
    QCOMPARE(row(FailedRow)->childCount(), 0);
    QCOMPARE(row(FailedRow)->child(0), nullptr);
    // A reader still holding the old button cannot send the reply twice.
    QVERIFY(!button->isValid());
    QSignalSpy spy(m_view.get(), &ConversationView::retryRequested);
    button->actionInterface()->doAction(QAccessibleActionInterface::pressAction());
    QCOMPARE(spy.count(), 0);
}

void TestConversationAccessible::descriptionFollowsStatusChange()
{
    QAccessibleInterface *pending = row(PendingRow);
    QVERIFY(m_model->applyEvent("out3", StatusEvent::PostAccepted));
    QCOMPARE(pending->text(QAccessible::Description), QStringLiteral("Sent by you, Sent"));
    QVERIFY(m_model->applyEvent("out3", StatusEvent::ServerFailed, "Window closed"));
    QCOMPARE(pending->text(QAccessible::Description), QStringLiteral("Sent by you, Failed: Window closed"));
    QCOMPARE(pending->childCount(), 1);
    QCOMPARE(row(PendingRow), pending);
}

void TestConversationAccessible::prependedRowComesFirst()
{
    QAccessibleInterface *formerFirst = row(0);
    QCOMPARE(m_model->prepend({makeMessage("old0", Direction::Inbound, "Oldest", MessageStatus::None, {}, -2),
                 makeMessage("old1", Direction::Outbound, "Older", MessageStatus::Delivered, {}, -1)}),
        2);
    QAccessibleInterface *view = viewInterface();
    QCOMPARE(view->childCount(), int(RowCount) + 2);
    QCOMPARE(view->child(0)->text(QAccessible::Name), QStringLiteral("Oldest"));
    QCOMPARE(view->child(1)->text(QAccessible::Description), QStringLiteral("Sent by you, Delivered"));
    // The interface a reader already holds follows its message to its new row.
    QVERIFY(formerFirst->isValid());
    QCOMPARE(view->indexOfChild(formerFirst), 2);
    QCOMPARE(view->child(2), formerFirst);
    QCOMPARE(formerFirst->text(QAccessible::Name), QStringLiteral("Hello <b>x</b> &amp;"));
}

void TestConversationAccessible::removedRowIsForgotten()
{
    const QAccessible::Id id = QAccessible::uniqueId(row(PendingRow));
    const QAccessible::Id kept = QAccessible::uniqueId(row(ReadRow));
    QVERIFY(m_model->remove("out3"));
    QCOMPARE(QAccessible::accessibleInterface(id), nullptr);
    QCOMPARE(QAccessible::accessibleInterface(kept), row(ReadRow));
    QCOMPARE(viewInterface()->childCount(), int(RowCount) - 1);
}

void TestConversationAccessible::currentRowIsFocusedAndSelected()
{
    m_view->activateWindow();
    m_view->setFocus();
    QVERIFY(QTest::qWaitForWindowActive(m_view.get()));
    QTRY_VERIFY(m_view->hasFocus());
    m_view->setCurrentIndex(m_model->index(ReadRow));
    const QAccessible::State current = row(ReadRow)->state();
    QVERIFY(current.focused);
    QVERIFY(current.selected);
    QVERIFY(current.focusable);
    const QAccessible::State other = row(FailedRow)->state();
    QVERIFY(!other.focused);
    QVERIFY(!other.selected);
    QCOMPARE(viewInterface()->focusChild(), row(ReadRow));

    m_view->clearFocus();
    QVERIFY(!row(ReadRow)->state().focused); // no focused row in a conversation the user left
    QCOMPARE(viewInterface()->focusChild(), nullptr);
}

void TestConversationAccessible::childAtFindsRowAndButton()
{
    QAccessibleInterface *view = viewInterface();
    const QPoint readCenter = row(ReadRow)->rect().center();
    QCOMPARE(view->childAt(readCenter.x(), readCenter.y()), row(ReadRow));
    QAccessibleInterface *button = row(FailedRow)->child(0);
    const QPoint retryCenter = button->rect().center();
    QCOMPARE(view->childAt(retryCenter.x(), retryCenter.y()), row(FailedRow));
    QCOMPARE(row(FailedRow)->childAt(retryCenter.x(), retryCenter.y()), button);
    const QPoint bubbleCorner = row(FailedRow)->rect().topLeft();
    QCOMPARE(row(FailedRow)->childAt(bubbleCorner.x(), bubbleCorner.y()), nullptr);
}

QTEST_MAIN(TestConversationAccessible)
#include "tst_conversationaccessible.moc"
