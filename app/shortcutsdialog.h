// ShortcutsDialog: Help → Keyboard shortcuts. Lists the window's actions with their shortcuts, read
// from the actions themselves so the list cannot drift from what the keys do.
#pragma once

#include <QDialog>

class QAction;
class QTreeWidget;

class ShortcutsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ShortcutsDialog(const QList<QAction *> &actions, QWidget *parent = nullptr);

    QTreeWidget *list() const { return m_list; }
    // "&Open conversation…" → "Open conversation…" ("&&" stays one "&").
    static QString plainText(const QAction *action);
    // The shortcuts as the platform writes them, "Ctrl+Tab, Ctrl+PgDown"; aliases of Tab left out.
    static QString shortcutText(const QAction *action);

private:
    QTreeWidget *m_list;
};
