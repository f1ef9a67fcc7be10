#include "conversationaccessible.h"

#include "conversationview.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"

#include <QAccessibleWidget>
#include <QCoreApplication>
#include <QPointer>

#include <memory>

namespace {

QString rowDescription(const QModelIndex &index)
{
    if (index.data(MessageListModel::DirectionRole).toInt() != int(Direction::Outbound))
        return QCoreApplication::translate("ConversationAccessible", "From customer");
    const QString state = MessageDelegate::stateText(index);
    return state.isEmpty() ? QCoreApplication::translate("ConversationAccessible", "Sent by you")
                           : QCoreApplication::translate("ConversationAccessible", "Sent by you, %1").arg(state);
}

QRect toGlobal(const ConversationView *view, const QRect &viewportRect)
{
    return viewportRect.isNull() ? QRect()
                                 : QRect(view->viewport()->mapToGlobal(viewportRect.topLeft()), viewportRect.size());
}

// One message. Holds a persistent index, so it follows its message when older pages are prepended.
class RowAccessible : public QAccessibleInterface
{
public:
    RowAccessible(ConversationView *view, const QModelIndex &index)
        : m_view(view)
        , m_index(index)
    {
    }
    ~RowAccessible() override
    {
        if (m_retry)
            QAccessible::deleteAccessibleInterface(m_retry);
    }

    ConversationView *view() const { return m_view; }
    QModelIndex index() const { return m_index; }
    // In viewport coordinates; null unless the delegate paints a button on this row: Retry on a failed
    // reply, the cancel of an upload under way. The same geometry function as painting and mouse
    // hit-testing, so the three always agree.
    QRect buttonRect() const
    {
        if (!isValid())
            return QRect();
        const BubbleLayout l = m_view->messageDelegate()->layoutFor(m_view->itemOption(m_index), m_index);
        return l.retry.isNull() ? l.cancel : l.retry;
    }
    bool buttonCancels() const
    {
        return isValid() && m_index.data(MessageListModel::UploadProgressRole).toDouble() >= 0;
    }

    bool isValid() const override { return m_view && m_index.isValid() && m_index.model() == m_view->model(); }
    QObject *object() const override { return nullptr; }
    QAccessibleInterface *parent() const override { return QAccessible::queryAccessibleInterface(m_view); }
    int childCount() const override { return buttonRect().isNull() ? 0 : 1; }
    QAccessibleInterface *child(int i) const override;
    int indexOfChild(const QAccessibleInterface *child) const override
    {
        return m_retry && child == QAccessible::accessibleInterface(m_retry) ? 0 : -1;
    }
    QAccessibleInterface *childAt(int x, int y) const override
    {
        return toGlobal(m_view, buttonRect()).contains(x, y) ? child(0) : nullptr;
    }
    QString text(QAccessible::Text t) const override
    {
        if (!isValid())
            return QString();
        if (t == QAccessible::Name) {
            // Plain text: markup is read out, not obeyed. An attachment is named by what it is
            // ("Image, receipt.png, 84 KB"), so no row is announced as nothing.
            const QString name = MessageDelegate::accessibleName(m_index);
            const QString url = m_index.data(MessageListModel::MediaUrlRole).toString();
            return name.isEmpty() && !url.isEmpty()
                ? QCoreApplication::translate("ConversationAccessible", "Attachment %1").arg(url)
                : name;
        }
        return t == QAccessible::Description ? rowDescription(m_index) : QString();
    }
    void setText(QAccessible::Text, const QString &) override { }
    QRect rect() const override { return isValid() ? toGlobal(m_view, m_view->visualRect(m_index)) : QRect(); }
    QAccessible::Role role() const override { return QAccessible::ListItem; }
    QAccessible::State state() const override
    {
        QAccessible::State s;
        if ((s.invalid = !isValid()))
            return s;
        s.focusable = s.selectable = true;
        // Focused only while the view has keyboard focus, or a reader would announce a row of a
        // conversation the user is not in.
        s.focused = m_view->hasFocus() && m_view->currentIndex() == m_index;
        s.selected = m_view->selectionModel() && m_view->selectionModel()->isSelected(m_index);
        s.offscreen = !m_view->viewport()->rect().intersects(m_view->visualRect(m_index));
        return s;
    }

private:
    QPointer<ConversationView> m_view;
    QPersistentModelIndex m_index;
    mutable QAccessible::Id m_retry = 0;
};

// The painted button of a row: Retry of a failed reply, or the cancel of an upload; pressing it does
// exactly what a click does.
class RetryAccessible : public QAccessibleInterface, public QAccessibleActionInterface
{
public:
    explicit RetryAccessible(const RowAccessible *row)
        : m_row(row)
    {
    }

    bool isValid() const override { return m_row->childCount() == 1; }
    QObject *object() const override { return nullptr; }
    QAccessibleInterface *parent() const override { return const_cast<RowAccessible *>(m_row); }
    int childCount() const override { return 0; }
    QAccessibleInterface *child(int) const override { return nullptr; }
    int indexOfChild(const QAccessibleInterface *) const override { return -1; }
    QAccessibleInterface *childAt(int, int) const override { return nullptr; }
    QString text(QAccessible::Text t) const override
    {
        const bool cancels = m_row->buttonCancels();
        if (t == QAccessible::Name)
            return cancels ? QCoreApplication::translate("ConversationAccessible", "Cancel upload")
                           : QCoreApplication::translate("ConversationAccessible", "Retry sending message");
        if (t == QAccessible::Description)
            return cancels
                ? QCoreApplication::translate("ConversationAccessible", "Stops the upload; the reply is not sent")
                : QCoreApplication::translate("ConversationAccessible", "Sends this failed reply again");
        return QString();
    }
    void setText(QAccessible::Text, const QString &) override { }
    QRect rect() const override { return toGlobal(m_row->view(), m_row->buttonRect()); }
    QAccessible::Role role() const override { return QAccessible::Button; }
    QAccessible::State state() const override
    {
        QAccessible::State s;
        s.invalid = !isValid();
        return s;
    }
    void *interface_cast(QAccessible::InterfaceType type) override
    {
        return type == QAccessible::ActionInterface ? static_cast<QAccessibleActionInterface *>(this) : nullptr;
    }

    QStringList actionNames() const override { return {pressAction()}; }
    void doAction(const QString &name) override
    {
        if (name != pressAction() || !isValid())
            return;
        const QString id = m_row->index().data(MessageListModel::IdRole).toString();
        if (m_row->buttonCancels())
            emit m_row->view()->cancelUploadRequested(id);
        else
            emit m_row->view()->retryRequested(id);
    }
    QStringList keyBindingsForAction(const QString &) const override { return {}; }

private:
    const RowAccessible *m_row; // owns this interface, so outlives it
};

QAccessibleInterface *RowAccessible::child(int i) const
{
    if (i != 0 || childCount() != 1)
        return nullptr;
    if (!m_retry)
        m_retry = QAccessible::registerAccessibleInterface(new RetryAccessible(this));
    return QAccessible::accessibleInterface(m_retry);
}

class ViewAccessible : public QAccessibleWidget
{
public:
    explicit ViewAccessible(ConversationView *view)
        : QAccessibleWidget(view, QAccessible::List)
    {
    }
    ~ViewAccessible() override { forget(All); }

    int childCount() const override { return view()->model() ? view()->model()->rowCount(view()->rootIndex()) : 0; }
    QAccessibleInterface *child(int i) const override
    {
        followModel();
        const QModelIndex index = view()->model() ? view()->model()->index(i, 0, view()->rootIndex()) : QModelIndex();
        if (!index.isValid())
            return nullptr;
        // Keyed by message id rather than row: a prepended page moves rows, not messages.
        const QString key = index.data(MessageListModel::IdRole).toString();
        if (const QAccessible::Id id = m_rows.value(key)) {
            auto *row = static_cast<RowAccessible *>(QAccessible::accessibleInterface(id));
            if (row && row->index() == index)
                return row;
            QAccessible::deleteAccessibleInterface(id);
        }
        auto *row = new RowAccessible(view(), index);
        m_rows.insert(key, QAccessible::registerAccessibleInterface(row));
        return row;
    }
    int indexOfChild(const QAccessibleInterface *child) const override
    {
        const auto *row = dynamic_cast<const RowAccessible *>(child);
        return row && row->isValid() && row->view() == view() ? row->index().row() : -1;
    }
    QAccessibleInterface *childAt(int x, int y) const override
    {
        const QPoint pos = view()->viewport()->mapFromGlobal(QPoint(x, y));
        const QModelIndex index = view()->viewport()->rect().contains(pos) ? view()->indexAt(pos) : QModelIndex();
        return index.isValid() ? child(index.row()) : nullptr;
    }
    QAccessibleInterface *focusChild() const override
    {
        const QModelIndex current = view()->currentIndex();
        return view()->hasFocus() && current.isValid() ? child(current.row()) : nullptr;
    }

private:
    ConversationView *view() const { return static_cast<ConversationView *>(widget()); }

    enum Which { All, Removed };
    void forget(Which which) const
    {
        for (auto it = m_rows.begin(); it != m_rows.end();) {
            const auto *row = static_cast<const RowAccessible *>(QAccessible::accessibleInterface(it.value()));
            if (row && which == Removed && row->index().isValid()) {
                ++it;
                continue;
            }
            QAccessible::deleteAccessibleInterface(it.value());
            it = m_rows.erase(it);
        }
    }
    // Drops rows of removed messages (and all of them on reset or a new model), watching the model
    // itself so that this works whether or not accessibility events are being sent.
    void followModel() const
    {
        QAbstractItemModel *model = view()->model();
        if (m_model == model && m_watch)
            return;
        forget(All);
        m_model = model;
        m_watch = std::make_unique<QObject>();
        if (!model)
            return;
        const auto dropRemoved = [this] { forget(Removed); };
        QObject::connect(model, &QAbstractItemModel::rowsRemoved, m_watch.get(), dropRemoved);
        QObject::connect(model, &QAbstractItemModel::modelReset, m_watch.get(), dropRemoved);
    }

    mutable QHash<QString, QAccessible::Id> m_rows; // message id -> its RowAccessible
    mutable QPointer<QAbstractItemModel> m_model;
    mutable std::unique_ptr<QObject> m_watch; // context of the model connections; dies with us
};

QAccessibleInterface *factory(const QString &className, QObject *object)
{
    if (className == QLatin1String("ConversationView") && object && object->isWidgetType())
        return new ViewAccessible(static_cast<ConversationView *>(object));
    return nullptr;
}

} // namespace

void ConversationAccessibility::installFactory()
{
    static const bool installed = [] {
        QAccessible::installFactory(factory);
        return true;
    }();
    Q_UNUSED(installed);
}

void ConversationAccessibility::modelChanged(
    ConversationView *view, QAccessibleTableModelChangeEvent::ModelChangeType type, int first, int last)
{
    if (!QAccessible::isActive())
        return;
    QAccessibleTableModelChangeEvent event(view, type);
    event.setFirstRow(first);
    event.setLastRow(last);
    QAccessible::updateAccessibility(&event);
}

void ConversationAccessibility::rowsChanged(ConversationView *view, int first, int last)
{
    // A bulk change is announced by the view's own DataChanged event; a per-row event is for the
    // single status update ("Read", "Failed: …") a reader should speak.
    constexpr int maxRowEvents = 16;
    if (!QAccessible::isActive() || last - first >= maxRowEvents)
        return;
    for (int row = first; row <= last; ++row) {
        QAccessibleEvent event(view, QAccessible::DescriptionChanged);
        event.setChild(row);
        QAccessible::updateAccessibility(&event);
    }
}

void ConversationAccessibility::currentChanged(ConversationView *view, const QModelIndex &current)
{
    if (!QAccessible::isActive() || !current.isValid() || !view->hasFocus())
        return;
    QAccessibleEvent event(view, QAccessible::Focus);
    event.setChild(current.row());
    QAccessible::updateAccessibility(&event);
}
