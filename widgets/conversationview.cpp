#include "conversationview.h"

#include "bubblestyle.h"
#include "conversationaccessible.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"
#include "thumbnailcache.h"

#include <QPaintEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTimer>

#include <algorithm>

namespace {
constexpr int edgeMargin = 8; // above the oldest and below the newest bubble
}

ConversationView::ConversationView(QWidget *parent)
    : QAbstractItemView(parent)
    , m_delegate(new MessageDelegate(this))
    , m_measureTimer(new QTimer(this))
{
    ConversationAccessibility::installFactory(); // before setAccessibleName() caches an interface
    setItemDelegate(m_delegate);
    setSelectionMode(SingleSelection);
    setSelectionBehavior(SelectRows);
    setEditTriggers(NoEditTriggers);
    setVerticalScrollMode(ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Always on: a scrollbar that comes and goes changes the width, which re-measures every row.
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setFrameShape(QFrame::NoFrame);
    applyScrollBarStyle();
    viewport()->setMouseTracking(true); // pointing-hand cursor over Retry and links
    setAccessibleName(tr("Conversation"));
    setAccessibleDescription(defaultDescription());
    m_measureTimer->setInterval(0);
    connect(m_measureTimer, &QTimer::timeout, this, &ConversationView::measureSomeInBackground);
    connect(m_delegate->thumbnails(), &ThumbnailCache::ready, this, &ConversationView::onThumbnailReady);
}

void ConversationView::onThumbnailReady(const QString &messageId)
{
    // The picture arrived in a box of the size it was already given: a repaint, never a relayout.
    const auto *messages = qobject_cast<const MessageListModel *>(model());
    const QModelIndex index = messages ? messages->indexOf(messageId) : QModelIndex();
    const QRect rect = visualRect(index);
    if (rect.intersects(viewport()->rect()))
        viewport()->update(rect);
}

QString ConversationView::defaultDescription()
{
    return tr("Messages of this conversation, oldest first");
}

void ConversationView::applyScrollBarStyle()
{
    // A slim overlay-like scrollbar, as in messengers, instead of the style's arrowed one; its handle
    // is a translucent shade of the text colour, so it shows on light and dark backgrounds alike.
    const QColor handle = m_delegate->colours(palette()).scrollHandle;
    verticalScrollBar()->setStyleSheet(
        QStringLiteral("QScrollBar:vertical { width: 8px; background: transparent; margin: 2px 1px; }"
                       "QScrollBar::handle:vertical { background: rgba(%1, %2, %3, %4); border-radius: 3px;"
                       " min-height: 32px; }"
                       "QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical { height: 0; }"
                       "QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical { background: transparent; }")
            .arg(handle.red())
            .arg(handle.green())
            .arg(handle.blue())
            .arg(handle.alpha()));
}

void ConversationView::changeEvent(QEvent *event)
{
    QAbstractItemView::changeEvent(event);
    switch (event->type()) {
    case QEvent::PaletteChange:
    case QEvent::ApplicationPaletteChange:
    case QEvent::StyleChange:
        m_delegate->invalidateStyle();
        applyScrollBarStyle();
        viewport()->update();
        break;
    case QEvent::FontChange:
    case QEvent::ApplicationFontChange:
        // Every height depends on the font: measure again (ensureLayout notices the new font).
        ensureLayout();
        break;
    case QEvent::LayoutDirectionChange:
        // A message whose own direction differs from the UI's gets its footer on a line of its own,
        // so heights depend on the direction too.
        ensureLayout();
        break;
    default:
        break;
    }
}

void ConversationView::setModel(QAbstractItemModel *newModel)
{
    for (const auto &c : std::as_const(m_modelConnections))
        disconnect(c);
    m_modelConnections.clear();
    QAbstractItemView::setModel(newModel);
    if (newModel) {
        // QAbstractItemView has no virtual for "rows removed" (only "about to be"); heights must go
        // after the model dropped the rows, so offsets and row counts agree.
        m_modelConnections << connect(
            newModel, &QAbstractItemModel::rowsRemoved, this, &ConversationView::onRowsRemoved)
                           << connect(newModel, &QAbstractItemModel::layoutChanged, this, [this] {
                                  m_heights.invalidateAll(); // rows were permuted: no height is known
                                  ensureLayout();
                              });
    }
    m_heights.reset(newModel ? newModel->rowCount(rootIndex()) : 0, estimatedRowHeight());
    m_atBottom = true;
    ensureLayout();
}

void ConversationView::reset()
{
    QAbstractItemView::reset();
    m_heights.reset(model() ? model()->rowCount(rootIndex()) : 0, estimatedRowHeight());
    m_atBottom = true;
    m_nearTopArmed = true;
    ConversationAccessibility::modelChanged(this, QAccessibleTableModelChangeEvent::ModelReset);
    ensureLayout();
}

void ConversationView::doItemsLayout()
{
    ensureLayout();
    QAbstractItemView::doItemsLayout();
}

void ConversationView::ensureLayout()
{
    const int rows = model() ? model()->rowCount(rootIndex()) : 0;
    if (m_heights.count() != rows)
        m_heights.reset(rows, estimatedRowHeight());
    // Measuring at the width of a hidden widget would be wasted: it gets its real size when shown.
    if (!isVisible())
        return;
    const int width = viewport()->width();
    if (width != m_layoutWidth || font() != m_layoutFont || layoutDirection() != m_layoutDirection)
        m_heights.invalidateAll();
    m_heights.setEstimate(estimatedRowHeight());
    m_layoutWidth = width;
    m_layoutFont = font();
    m_layoutDirection = layoutDirection();
    measureVisible();
    if (m_heights.unmeasuredCount() > 0)
        startBackgroundMeasuring();
    relayout();
    viewport()->update();
}

int ConversationView::estimatedRowHeight() const
{
    using namespace BubbleStyle;
    return fontMetrics().height() + footerDrop + 2 * padV + 2 * rowGap;
}

QStyleOptionViewItem ConversationView::itemOption(const QModelIndex &index) const
{
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    option.rect = index.isValid() ? visualRect(index) : QRect(0, 0, viewport()->width(), 0);
    if (selectionModel() && selectionModel()->isSelected(index))
        option.state |= QStyle::State_Selected;
    if (index == currentIndex() && hasFocus())
        option.state |= QStyle::State_HasFocus;
    return option;
}

bool ConversationView::measure(int row)
{
    const QModelIndex index = model()->index(row, 0, rootIndex());
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    option.rect = QRect(0, 0, viewport()->width(), 0); // a height depends on the width only
    return m_heights.setHeight(
        row, itemDelegateForIndex(index)->sizeHint(option, index).height(), MessageDelegate::heightShape(index));
}

void ConversationView::measureVisible()
{
    const int count = m_heights.count();
    if (count == 0 || m_layoutWidth < 0)
        return;
    // One screen beyond each edge, so the first scroll step does not meet estimated rows.
    const int vh = viewport()->height();
    const auto measureRun = [&](int from, int step, qint64 budget) {
        for (int r = from; r >= 0 && r < count && budget > 0; r += step) {
            if (!m_heights.isMeasured(r))
                measure(r);
            budget -= m_heights.height(r);
        }
    };
    if (m_atBottom) {
        measureRun(count - 1, -1, 2 * qint64(vh));
    } else {
        m_anchorRow = std::clamp(m_anchorRow, 0, count - 1);
        measureRun(m_anchorRow, 1, 2 * qint64(vh) + m_anchorDelta);
        measureRun(m_anchorRow - 1, -1, vh);
    }
}

void ConversationView::startBackgroundMeasuring()
{
    m_measureCursor = m_heights.count() - 1;
    if (!m_measureTimer->isActive())
        m_measureTimer->start();
}

void ConversationView::measureSomeInBackground()
{
    // Newest first, in slices of a few milliseconds so the event loop keeps painting and typing.
    QElapsedTimer slice;
    slice.start();
    while (m_heights.unmeasuredCount() > 0 && slice.elapsed() < 8) {
        for (int i = 0; i < 32; ++i) {
            m_measureCursor = m_heights.previousUnmeasured(m_measureCursor);
            if (m_measureCursor < 0) {
                m_measureCursor = m_heights.count() - 1; // rows removed meanwhile: one more sweep
                break;
            }
            measure(m_measureCursor);
        }
    }
    if (m_heights.unmeasuredCount() == 0)
        m_measureTimer->stop();
    relayout();
}

void ConversationView::relayout()
{
    updateGeometries();
}

void ConversationView::updateGeometries()
{
    QScrollBar *bar = verticalScrollBar();
    m_applyingScroll = true;
    bar->setSingleStep(qMax(1, fontMetrics().height())); // three lines per wheel notch
    bar->setPageStep(viewport()->height());
    const qint64 rows = m_heights.total();
    m_contentTop = int(qMax<qint64>(edgeMargin, viewport()->height() - rows - edgeMargin));
    bar->setRange(0, int(qMax<qint64>(0, m_contentTop + rows + edgeMargin - viewport()->height())));
    horizontalScrollBar()->setRange(0, 0);
    m_applyingScroll = false;
    restoreScroll();
    QAbstractItemView::updateGeometries();
}

void ConversationView::restoreScroll()
{
    QScrollBar *bar = verticalScrollBar();
    m_applyingScroll = true;
    if (m_atBottom) {
        bar->setValue(bar->maximum());
    } else if (m_heights.count() > 0) {
        m_anchorRow = std::clamp(m_anchorRow, 0, m_heights.count() - 1);
        bar->setValue(int(m_contentTop + m_heights.offset(m_anchorRow) + m_anchorDelta));
    }
    m_applyingScroll = false;
}

void ConversationView::rememberAnchor()
{
    const QScrollBar *bar = verticalScrollBar();
    m_atBottom = bar->value() >= bar->maximum();
    if (m_heights.count() == 0)
        return;
    const qint64 y = qint64(bar->value()) - m_contentTop;
    m_anchorRow = m_heights.rowAt(y);
    m_anchorDelta = int(y - m_heights.offset(m_anchorRow));
}

void ConversationView::verticalScrollbarValueChanged(int value)
{
    QAbstractItemView::verticalScrollbarValueChanged(value);
    if (m_applyingScroll)
        return;
    rememberAnchor();
    if (m_heights.unmeasuredCount() > 0) {
        measureVisible();
        relayout();
    }
    if (value <= viewport()->height()) {
        if (m_nearTopArmed && verticalScrollBar()->maximum() > 0) {
            m_nearTopArmed = false;
            emit nearTop();
        }
    } else {
        m_nearTopArmed = true;
    }
}

void ConversationView::scrollContentsBy(int dx, int dy)
{
    // A relayout moves the scroll value while the content stays put on screen (prepend, a taller
    // row above): blitting would show a jump, so repaint instead.
    if (m_applyingScroll)
        viewport()->update();
    else
        viewport()->scroll(dx, dy);
}

void ConversationView::rowsInserted(const QModelIndex &parent, int start, int end)
{
    QAbstractItemView::rowsInserted(parent, start, end);
    if (parent != rootIndex())
        return;
    const int n = end - start + 1;
    m_heights.insert(start, n);
    if (!m_atBottom && start <= m_anchorRow)
        m_anchorRow += n; // the row under the viewport's top moved down by n: follow it
    if (m_measureCursor >= start)
        m_measureCursor += n;
    if (start == 0)
        m_nearTopArmed = true;
    if (m_layoutWidth >= 0 && isVisible()) {
        // A page or a new message is measured now; a bulk merge is left to the background pass.
        if (n <= 200) {
            for (int r = start; r <= end; ++r)
                measure(r);
        } else {
            measureVisible();
            startBackgroundMeasuring();
        }
    }
    relayout();
    viewport()->update();
    ConversationAccessibility::modelChanged(this, QAccessibleTableModelChangeEvent::RowsInserted, start, end);
}

void ConversationView::onRowsRemoved(const QModelIndex &parent, int start, int end)
{
    if (parent != rootIndex())
        return;
    const int n = end - start + 1;
    m_heights.remove(start, n);
    if (m_anchorRow > end) {
        m_anchorRow -= n;
    } else if (m_anchorRow >= start) {
        m_anchorRow = start;
        m_anchorDelta = 0;
    }
    relayout();
    viewport()->update();
    ConversationAccessibility::modelChanged(this, QAccessibleTableModelChangeEvent::RowsRemoved, start, end);
}

static bool mayChangeSize(const QList<int> &roles)
{
    if (roles.isEmpty())
        return true;
    // An id, a tooltip or an accessible text never changes how a bubble is laid out; the roles that
    // are painted do (StatusRole too: a failed reply grows an error line and a Retry button).
    static const QList<int> sizeRoles {Qt::DisplayRole, Qt::FontRole, MessageListModel::TextRole,
        MessageListModel::MediaUrlRole, MessageListModel::DirectionRole, MessageListModel::TimestampRole,
        MessageListModel::StatusRole, MessageListModel::ErrorRole, MessageListModel::QueuedRole,
        MessageListModel::AttachmentRole};
    return std::any_of(roles.cbegin(), roles.cend(), [](int role) { return sizeRoles.contains(role); });
}

void ConversationView::dataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles)
{
    bool heightChanged = false;
    if (topLeft.parent() == rootIndex() && m_layoutWidth >= 0 && mayChangeSize(roles)) {
        const bool deliveryOnly = !roles.isEmpty() && std::all_of(roles.cbegin(), roles.cend(), [](int role) {
            return role == MessageListModel::StatusRole || role == MessageListModel::ErrorRole
                || role == MessageListModel::QueuedRole || role == MessageListModel::MediaUrlRole
                || role == MessageListModel::AttachmentRole;
        });
        for (int r = topLeft.row(); r <= bottomRight.row(); ++r) {
            // A row never measured will be measured with its new data anyway. A delivery change that keeps
            // the height's shape (pending, sent, delivered, read; the same media) keeps the height: the row is
            // repainted, below.
            if (!m_heights.isMeasured(r)
                || (deliveryOnly
                    && m_heights.shape(r) == MessageDelegate::heightShape(model()->index(r, 0, rootIndex()))))
                continue;
            if (measure(r))
                heightChanged = true;
        }
    }
    if (heightChanged) {
        relayout();
        viewport()->update();
    }
    // The base repaints just that row's rect (and notifies accessibility); it never asks for sizes.
    QAbstractItemView::dataChanged(topLeft, bottomRight, roles);
    if (topLeft.parent() == rootIndex())
        ConversationAccessibility::rowsChanged(this, topLeft.row(), bottomRight.row());
}

void ConversationView::currentChanged(const QModelIndex &current, const QModelIndex &previous)
{
    QAbstractItemView::currentChanged(current, previous);
    // Kept for readers that only read the list itself; the rows are its accessible children too.
    setAccessibleDescription(current.isValid() ? MessageDelegate::accessibleText(current) : defaultDescription());
    ConversationAccessibility::currentChanged(this, current);
}

void ConversationView::resizeEvent(QResizeEvent *event)
{
    QAbstractItemView::resizeEvent(event);
    if (viewport()->width() != m_layoutWidth)
        ensureLayout();
    else
        relayout();
}

void ConversationView::showEvent(QShowEvent *event)
{
    QAbstractItemView::showEvent(event);
    ensureLayout();
}

void ConversationView::paintEvent(QPaintEvent *event)
{
    QPainter painter(viewport());
    painter.fillRect(event->rect(), m_delegate->colours(palette()).background);
    if (m_heights.count() == 0)
        return;
    const int top = verticalOffset() + event->rect().top() - m_contentTop;
    const int first = m_heights.rowAt(top);
    const int last = m_heights.rowAt(top + event->rect().height());
    for (int r = first; r <= last; ++r) {
        const QModelIndex index = model()->index(r, 0, rootIndex());
        itemDelegateForIndex(index)->paint(&painter, itemOption(index), index);
    }
}
