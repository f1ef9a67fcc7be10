// ConversationView: geometry queries, keyboard and mouse. Layout and scrolling are in
// conversationview.cpp.
#include "conversationview.h"

#include "messagedelegate.h"
#include "messagelistmodel.h"

#include <QContextMenuEvent>
#include <QMouseEvent>
#include <QScrollBar>

#include <algorithm>
#include <utility>

QModelIndex ConversationView::indexAt(const QPoint &point) const
{
    const qint64 y = qint64(point.y()) + verticalOffset() - m_contentTop;
    if (!model() || m_heights.count() == 0 || y < 0 || y >= m_heights.total())
        return QModelIndex();
    return model()->index(m_heights.rowAt(y), 0, rootIndex());
}

QRect ConversationView::visualRect(const QModelIndex &index) const
{
    if (!index.isValid() || index.parent() != rootIndex() || index.row() >= m_heights.count())
        return QRect();
    const qint64 top = m_contentTop + m_heights.offset(index.row()) - verticalOffset();
    return QRect(0, int(top), viewport()->width(), m_heights.height(index.row()));
}

void ConversationView::scrollTo(const QModelIndex &index, ScrollHint hint)
{
    if (!index.isValid() || index.parent() != rootIndex() || index.row() >= m_heights.count())
        return;
    const int row = index.row();
    if (!m_heights.isMeasured(row) && m_layoutWidth >= 0) {
        measure(row);
        relayout();
    }
    const qint64 top = m_contentTop + m_heights.offset(row);
    const qint64 height = m_heights.height(row);
    const int viewHeight = viewport()->height();
    const int value = verticalOffset();
    qint64 target = value;
    switch (hint) {
    case EnsureVisible:
        if (top < value || height > viewHeight)
            target = top;
        else if (top + height > value + viewHeight)
            target = top + height - viewHeight;
        break;
    case PositionAtTop:
        target = top;
        break;
    case PositionAtBottom:
        target = top + height - viewHeight;
        break;
    case PositionAtCenter:
        target = top - (viewHeight - height) / 2;
        break;
    }
    // The oldest and newest rows bring their edge margin along: End really reaches the bottom,
    // where the view sticks to new messages again.
    if (row == m_heights.count() - 1 && target >= value)
        target = verticalScrollBar()->maximum();
    else if (row == 0 && target <= value)
        target = 0;
    verticalScrollBar()->setValue(int(std::clamp<qint64>(target, 0, verticalScrollBar()->maximum())));
}

QModelIndex ConversationView::moveCursor(CursorAction cursorAction, Qt::KeyboardModifiers)
{
    const int count = m_heights.count();
    if (!model() || count == 0)
        return QModelIndex();
    const QModelIndex current = currentIndex();
    // With no current row, the keyboard starts at the newest message, where the agent reads.
    int row = current.isValid() ? current.row() : count - 1;
    const int page = qMax(1, viewport()->height());
    switch (cursorAction) {
    case MoveUp:
    case MovePrevious:
        row = current.isValid() ? row - 1 : row;
        break;
    case MoveDown:
    case MoveNext:
        row = current.isValid() ? row + 1 : row;
        break;
    case MovePageUp:
        row = qMin(row - 1, m_heights.rowAt(m_heights.offset(row) - page + m_heights.height(row)));
        break;
    case MovePageDown:
        row = qMax(row + 1, m_heights.rowAt(m_heights.offset(row) + page));
        break;
    case MoveHome:
        row = 0;
        break;
    case MoveEnd:
        row = count - 1;
        break;
    case MoveLeft:
    case MoveRight:
        break;
    }
    return model()->index(std::clamp(row, 0, count - 1), 0, rootIndex());
}

int ConversationView::horizontalOffset() const
{
    return horizontalScrollBar()->value();
}

int ConversationView::verticalOffset() const
{
    return verticalScrollBar()->value();
}

bool ConversationView::isIndexHidden(const QModelIndex &) const
{
    return false;
}

void ConversationView::setSelection(const QRect &rect, QItemSelectionModel::SelectionFlags command)
{
    if (!model() || !selectionModel() || m_heights.count() == 0)
        return;
    const QRect r = rect.normalized();
    const qint64 top = qint64(r.top()) + verticalOffset() - m_contentTop;
    const qint64 bottom = qint64(r.bottom()) + verticalOffset() - m_contentTop;
    if (bottom < 0 || top >= m_heights.total()) {
        selectionModel()->select(QItemSelection(), command);
        return;
    }
    const QModelIndex first = model()->index(m_heights.rowAt(top), 0, rootIndex());
    const QModelIndex last = model()->index(m_heights.rowAt(bottom), 0, rootIndex());
    selectionModel()->select(QItemSelection(first, last), command);
}

QRegion ConversationView::visualRegionForSelection(const QItemSelection &selection) const
{
    QRegion region;
    const QRect visible = viewport()->rect();
    for (const QItemSelectionRange &range : selection) {
        if (range.parent() != rootIndex())
            continue;
        const QRect first = visualRect(model()->index(range.top(), 0, rootIndex()));
        const QRect last = visualRect(model()->index(range.bottom(), 0, rootIndex()));
        region += first.united(last).intersected(visible);
    }
    return region;
}

ConversationView::Target ConversationView::targetAt(const QPoint &pos, QModelIndex *indexOut) const
{
    const QModelIndex index = indexAt(pos);
    const auto *delegate = qobject_cast<MessageDelegate *>(itemDelegateForIndex(index));
    if (!index.isValid() || !delegate)
        return Target::None;
    if (indexOut)
        *indexOut = index;
    // The same geometry function that painted the bubble decides what was hit.
    const BubbleLayout layout = delegate->layoutFor(itemOption(index), index);
    if (layout.retry.contains(pos))
        return Target::Retry;
    if (layout.cancel.contains(pos))
        return Target::Cancel;
    if (layout.media.contains(pos))
        return Target::Media;
    if (layout.link.contains(pos)
        && MessageDelegate::isOpenableLink(index.data(MessageListModel::MediaUrlRole).toString()))
        return Target::Link;
    return Target::None;
}

void ConversationView::mousePressEvent(QMouseEvent *event)
{
    m_pressedTarget = Target::None;
    if (event->button() == Qt::LeftButton) {
        QModelIndex index;
        m_pressedTarget = targetAt(event->position().toPoint(), &index);
        m_pressedIndex = index;
        if (m_pressedTarget != Target::None) {
            event->accept(); // a button press, not a selection
            return;
        }
    }
    QAbstractItemView::mousePressEvent(event);
}

void ConversationView::mouseMoveEvent(QMouseEvent *event)
{
    if (targetAt(event->position().toPoint()) != Target::None)
        viewport()->setCursor(Qt::PointingHandCursor);
    else
        viewport()->unsetCursor();
    QAbstractItemView::mouseMoveEvent(event);
}

void ConversationView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_pressedTarget == Target::None) {
        QAbstractItemView::mouseReleaseEvent(event);
        return;
    }
    // A click is press and release on the same button of the same bubble.
    QModelIndex index;
    const Target target = targetAt(event->position().toPoint(), &index);
    const Target pressed = std::exchange(m_pressedTarget, Target::None);
    event->accept();
    if (target != pressed || index != m_pressedIndex)
        return;
    if (target == Target::Retry)
        emit retryRequested(index.data(MessageListModel::IdRole).toString());
    else if (target == Target::Cancel)
        emit cancelUploadRequested(index.data(MessageListModel::IdRole).toString());
    else if (target == Target::Media)
        emit mediaActivated(index);
    else if (target == Target::Link)
        emit linkActivated(QUrl(index.data(MessageListModel::MediaUrlRole).toString(), QUrl::StrictMode));
}

void ConversationView::keyPressEvent(QKeyEvent *event)
{
    const bool menuKey
        = event->key() == Qt::Key_Menu || (event->key() == Qt::Key_F10 && event->modifiers() == Qt::ShiftModifier);
    if (menuKey) {
        requestContextMenu(currentIndex(), QPoint(), true);
        event->accept();
        return;
    }
    const bool enter
        = (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && event->modifiers() == Qt::NoModifier;
    if (enter && currentIndex().isValid()
        && !currentIndex().data(MessageListModel::AttachmentRole).value<Attachment>().isEmpty()) {
        emit mediaActivated(currentIndex()); // what a click on it does, from the keyboard
        event->accept();
        return;
    }
    QAbstractItemView::keyPressEvent(event);
}

void ConversationView::contextMenuEvent(QContextMenuEvent *event)
{
    event->accept();
    if (event->reason() == QContextMenuEvent::Keyboard) {
        requestContextMenu(currentIndex(), QPoint(), true);
        return;
    }
    requestContextMenu(indexAt(viewport()->mapFromGlobal(event->globalPos())), event->globalPos(), false);
}

void ConversationView::requestContextMenu(const QModelIndex &index, const QPoint &globalPos, bool fromKeyboard)
{
    if (!fromKeyboard) {
        emit contextMenuRequested(index, globalPos);
        return;
    }
    // Some platforms deliver both a Menu key press and a keyboard context-menu event for one key
    // stroke (X11: event first, Windows: key first); answer only the first of the pair.
    if (m_lastKeyboardMenu.isValid() && m_lastKeyboardMenu.elapsed() < 300)
        return;
    m_lastKeyboardMenu.start();
    QPoint local = viewport()->rect().center();
    if (index.isValid()) {
        scrollTo(index);
        const QRect bubble = m_delegate->bubbleRect(itemOption(index), index);
        local = QPoint(bubble.left() + qMin(bubble.width() / 2, 24), bubble.bottom() - 4);
    }
    emit contextMenuRequested(index, viewport()->mapToGlobal(local));
}
