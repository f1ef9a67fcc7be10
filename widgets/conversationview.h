// ConversationView: the chat history of one conversation. Unlike QListView it never lays out every
// row: heights are measured once per row and width, visible rows are found by binary search, a
// status change re-measures one row, and the view sticks to the newest message like a messenger.
#pragma once

#include "rowheights.h"

#include <QAbstractItemView>
#include <QElapsedTimer>

class MessageDelegate;
class QTimer;

class ConversationView : public QAbstractItemView
{
    Q_OBJECT

public:
    explicit ConversationView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model) override;
    MessageDelegate *messageDelegate() const { return m_delegate; }

    QModelIndex indexAt(const QPoint &point) const override;
    QRect visualRect(const QModelIndex &index) const override;
    void scrollTo(const QModelIndex &index, ScrollHint hint = EnsureVisible) override;
    void doItemsLayout() override;
    void reset() override;

    // The option the delegate paints `index` with: the same one hit-testing uses.
    QStyleOptionViewItem itemOption(const QModelIndex &index) const;
    bool isAtBottom() const { return m_atBottom; }
    // Rows still waiting for their first measurement at the current width (measured in the
    // background after a resize); 0 once the layout has settled.
    int unmeasuredRowCount() const { return m_heights.unmeasuredCount(); }

signals:
    // The user scrolled within about a screen of the oldest loaded message: load an older page.
    void nearTop();
    void contextMenuRequested(const QModelIndex &index, const QPoint &globalPos);
    void retryRequested(const QString &messageId);
    void linkActivated(const QUrl &url);
    // A click on an attachment (or Enter on its row): open the picture, or the file.
    void mediaActivated(const QModelIndex &index);
    void cancelUploadRequested(const QString &messageId);

protected:
    QModelIndex moveCursor(CursorAction cursorAction, Qt::KeyboardModifiers modifiers) override;
    int horizontalOffset() const override;
    int verticalOffset() const override;
    bool isIndexHidden(const QModelIndex &index) const override;
    void setSelection(const QRect &rect, QItemSelectionModel::SelectionFlags command) override;
    QRegion visualRegionForSelection(const QItemSelection &selection) const override;
    void updateGeometries() override;

    void dataChanged(
        const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles = QList<int>()) override;
    void rowsInserted(const QModelIndex &parent, int start, int end) override;
    void currentChanged(const QModelIndex &current, const QModelIndex &previous) override;
    void verticalScrollbarValueChanged(int value) override;
    void scrollContentsBy(int dx, int dy) override;

    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    enum class Target { None, Retry, Link, Media, Cancel };
    Target targetAt(const QPoint &pos, QModelIndex *index = nullptr) const;

    void onRowsRemoved(const QModelIndex &parent, int start, int end);
    void onThumbnailReady(const QString &messageId);
    void ensureLayout();
    bool measure(int row);
    void measureVisible();
    void measureSomeInBackground();
    void startBackgroundMeasuring();
    int estimatedRowHeight() const;
    // Re-applies the scroll position after heights changed: the bottom, or the anchor row's place.
    void restoreScroll();
    void relayout();
    void rememberAnchor();
    void requestContextMenu(const QModelIndex &index, const QPoint &globalPos, bool fromKeyboard);
    void applyScrollBarStyle();
    static QString defaultDescription(); // while no message is current

    MessageDelegate *m_delegate = nullptr;
    QList<QMetaObject::Connection> m_modelConnections;
    QTimer *m_measureTimer = nullptr;
    RowHeights m_heights;
    int m_layoutWidth = -1; // the viewport width the heights were measured at; -1 before the first layout
    QFont m_layoutFont;
    Qt::LayoutDirection m_layoutDirection = Qt::LeftToRight;
    int m_measureCursor = -1; // next row the background pass looks at, walking towards the oldest
    // Content y of row 0. A short conversation sits at the bottom, next to the composer, as in
    // messengers; a long one keeps a small margin above the oldest message.
    int m_contentTop = 0;

    // Scroll state: at the bottom, or the row under the viewport's top edge and how far into it.
    bool m_atBottom = true;
    int m_anchorRow = 0;
    int m_anchorDelta = 0;
    bool m_applyingScroll = false; // a scroll change made by relayout, not by the user
    bool m_nearTopArmed = true;

    Target m_pressedTarget = Target::None;
    QPersistentModelIndex m_pressedIndex;
    QElapsedTimer m_lastKeyboardMenu;
};
