// Screen-reader access to ConversationView, which paints its rows and so has no child widgets: the
// view is a List whose children are its messages, and a failed reply's painted Retry is a Button.
#pragma once

#include <QAccessible>

class ConversationView;
class QModelIndex;

namespace ConversationAccessibility {
// Idempotent. Must run before the view's first accessibility event: Qt caches the first interface
// it creates for an object, and without the factory that is a childless QAccessibleWidget.
void installFactory();

// Change notifications for assistive technology; no-ops while accessibility is inactive.
void modelChanged(
    ConversationView *view, QAccessibleTableModelChangeEvent::ModelChangeType type, int first = -1, int last = -1);
void rowsChanged(ConversationView *view, int first, int last);
void currentChanged(ConversationView *view, const QModelIndex &current);
} // namespace ConversationAccessibility
