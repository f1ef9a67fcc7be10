// AccessibilityWalk: walks a widget tree the way a screen reader does, through QAccessible only,
// and lists every focusable control a reader could not announce (no accessible name). Header-only,
// so any test can run it on any window: `QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')))`.
#pragma once

#include <QAccessible>
#include <QSet>
#include <QStringList>
#include <QWidget>

namespace AccessibilityWalk {

struct Options
{
    bool includeHidden = false; // also check controls that are not shown right now
    bool requireDescription = false; // buttons and text fields need a description too
    int maxChildrenPerNode = 200; // a long list is sampled, not read to the end
};

inline QString describe(QAccessibleInterface *iface)
{
    QString what = QString::number(int(iface->role()), 16);
    if (const QObject *object = iface->object()) {
        what = QString::fromLatin1(object->metaObject()->className());
        if (!object->objectName().isEmpty())
            what += QStringLiteral("#") + object->objectName();
    }
    return what;
}

inline bool isControl(QAccessible::Role role)
{
    switch (role) {
    case QAccessible::Button:
    case QAccessible::CheckBox:
    case QAccessible::RadioButton:
    case QAccessible::ComboBox:
    case QAccessible::EditableText:
    case QAccessible::SpinBox:
    case QAccessible::Slider:
    case QAccessible::List:
    case QAccessible::Table:
    case QAccessible::Tree:
    case QAccessible::PageTab:
    case QAccessible::MenuItem:
        return true;
    default:
        return false;
    }
}

inline void walk(QAccessibleInterface *iface, const QString &path, const Options &options,
    QSet<QAccessibleInterface *> &seen, QStringList &problems, int *visited)
{
    if (!iface || !iface->isValid() || seen.contains(iface))
        return;
    seen.insert(iface);
    ++*visited;
    const QAccessible::State state = iface->state();
    if (state.invisible && !options.includeHidden)
        return;
    const QString here = path.isEmpty() ? describe(iface) : path + QStringLiteral(" > ") + describe(iface);
    // Focusable items and pressable buttons are what a keyboard or screen-reader user reaches.
    const bool reachable = state.focusable || (iface->actionInterface() && isControl(iface->role()));
    if (reachable && iface->text(QAccessible::Name).trimmed().isEmpty())
        problems << QStringLiteral("no accessible name: %1").arg(here);
    if (reachable && options.requireDescription && isControl(iface->role()) && iface->role() != QAccessible::MenuItem
        && iface->text(QAccessible::Description).trimmed().isEmpty())
        problems << QStringLiteral("no accessible description: %1").arg(here);
    const int count = qMin(iface->childCount(), options.maxChildrenPerNode);
    for (int i = 0; i < count; ++i)
        walk(iface->child(i), here, options, seen, problems, visited);
}

// Problems found below `root` (root included); empty when every control can be announced.
// `visited`, if given, receives the number of interfaces looked at (so a test can tell an empty walk).
inline QStringList problems(QWidget *root, const Options &options = Options(), int *visited = nullptr)
{
    QStringList found;
    QSet<QAccessibleInterface *> seen;
    int count = 0;
    walk(QAccessible::queryAccessibleInterface(root), QString(), options, seen, found, &count);
    if (visited)
        *visited = count;
    return found;
}

} // namespace AccessibilityWalk
