// ConversationSidebar: the list of open conversations beside the chat. Selecting a row (mouse or
// arrow keys) asks for that conversation; its context menu closes one. Rows are painted by
// ConversationRowDelegate; screen readers hear each row's name, unread count and last message.
#pragma once

#include <QListView>

class ConversationRowDelegate;
class QMenu;

class ConversationSidebar : public QListView
{
    Q_OBJECT

public:
    explicit ConversationSidebar(QWidget *parent = nullptr);

    // Selects the row of `conversationId` (none for an empty id) without emitting conversationSelected.
    void setCurrentConversation(const QString &conversationId);
    QString currentConversation() const;
    ConversationRowDelegate *rowDelegate() const { return m_delegate; }
    // The row's menu, built as the context menu shows it (exposed for tests).
    QMenu *createContextMenu(const QModelIndex &index, QWidget *parent);

signals:
    void conversationSelected(const QString &conversationId);
    void closeRequested(const QString &conversationId);

protected:
    void currentChanged(const QModelIndex &current, const QModelIndex &previous) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    ConversationRowDelegate *m_delegate;
    bool m_settingCurrent = false;
};
