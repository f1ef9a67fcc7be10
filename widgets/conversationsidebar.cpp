#include "conversationsidebar.h"

#include "conversationlistmodel.h"
#include "conversationrowdelegate.h"

#include <QAction>
#include <QContextMenuEvent>
#include <QMenu>

ConversationSidebar::ConversationSidebar(QWidget *parent)
    : QListView(parent)
    , m_delegate(new ConversationRowDelegate(this))
{
    setItemDelegate(m_delegate);
    setSelectionMode(SingleSelection);
    setSelectionBehavior(SelectRows);
    setEditTriggers(NoEditTriggers);
    setUniformItemSizes(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setTextElideMode(Qt::ElideRight);
    setMouseTracking(true); // hover highlight
    setFrameShape(QFrame::NoFrame);
    setAccessibleName(tr("Open conversations"));
    setAccessibleDescription(tr("Conversations you have open. Select one to show it; its context menu closes it."));
}

void ConversationSidebar::setCurrentConversation(const QString &conversationId)
{
    auto *list = qobject_cast<ConversationListModel *>(model());
    if (!list)
        return;
    const QModelIndex index = list->indexOf(conversationId);
    if (index == currentIndex())
        return;
    m_settingCurrent = true;
    if (index.isValid())
        selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    else
        selectionModel()->clear();
    m_settingCurrent = false;
    if (index.isValid())
        scrollTo(index);
}

QString ConversationSidebar::currentConversation() const
{
    return currentIndex().data(ConversationListModel::IdRole).toString();
}

void ConversationSidebar::currentChanged(const QModelIndex &current, const QModelIndex &previous)
{
    QListView::currentChanged(current, previous);
    if (!m_settingCurrent && current.isValid())
        emit conversationSelected(current.data(ConversationListModel::IdRole).toString());
}

QMenu *ConversationSidebar::createContextMenu(const QModelIndex &index, QWidget *parent)
{
    auto *menu = new QMenu(parent);
    const QString id = index.data(ConversationListModel::IdRole).toString();
    QAction *close = menu->addAction(tr("&Close conversation"), this, [this, id] { emit closeRequested(id); });
    close->setObjectName(QStringLiteral("closeConversationRowAction"));
    return menu;
}

void ConversationSidebar::contextMenuEvent(QContextMenuEvent *event)
{
    event->accept();
    QModelIndex index;
    QPoint globalPos = event->globalPos();
    if (event->reason() == QContextMenuEvent::Keyboard) {
        index = currentIndex();
        const QRect rect = visualRect(index);
        globalPos = viewport()->mapToGlobal(rect.isValid() ? rect.center() : viewport()->rect().center());
    } else {
        index = indexAt(viewport()->mapFromGlobal(event->globalPos()));
    }
    if (!index.isValid())
        return;
    QMenu *menu = createContextMenu(index, this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(globalPos);
}
