#include "shortcutsdialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

ShortcutsDialog::ShortcutsDialog(const QList<QAction *> &actions, QWidget *parent)
    : QDialog(parent)
    , m_list(new QTreeWidget(this))
{
    setWindowTitle(tr("Keyboard Shortcuts"));
    m_list->setColumnCount(2);
    m_list->setHeaderLabels({tr("Action"), tr("Shortcut")});
    m_list->setRootIsDecorated(false);
    m_list->setAlternatingRowColors(true);
    m_list->setSelectionMode(QAbstractItemView::NoSelection);
    m_list->setAccessibleName(tr("Keyboard shortcuts"));
    m_list->setAccessibleDescription(tr("Each action of the window with the keys that run it"));
    for (const QAction *action : actions) {
        auto *item = new QTreeWidgetItem(m_list, {plainText(action), shortcutText(action)});
        item->setToolTip(0, action->toolTip().toHtmlEscaped());
    }
    m_list->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_list->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(false);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    buttons->button(QDialogButtonBox::Close)->setAccessibleDescription(tr("Closes the list of shortcuts"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_list);
    layout->addWidget(buttons);
    resize(460, 420);
}

QString ShortcutsDialog::plainText(const QAction *action)
{
    QString text;
    const QString raw = action->text();
    for (qsizetype i = 0; i < raw.size(); ++i) {
        if (raw.at(i) == u'&' && i + 1 < raw.size())
            ++i;
        text += raw.at(i);
    }
    return text;
}

QString ShortcutsDialog::shortcutText(const QAction *action)
{
    QStringList keys;
    for (const QKeySequence &sequence : action->shortcuts()) {
        // Shift+Tab arrives as Backtab on some platforms: bound twice, shown once.
        if (sequence.count() > 0 && sequence[0].key() == Qt::Key_Backtab)
            continue;
        keys.append(sequence.toString(QKeySequence::NativeText));
    }
    return keys.join(QStringLiteral(", "));
}
