// Notifier: shows one desktop notification per conversation and reports when the agent clicks it.
// Abstract so NotificationCenter can be tested with a recording notifier, and so each platform gets
// its own: FreedesktopNotifier on Linux desktops, TrayNotifier (QSystemTrayIcon balloons) elsewhere.
#pragma once

#include <QObject>
#include <QString>

class Notifier : public QObject
{
    Q_OBJECT

public:
    // A notification body is at most this long: a notification is a hint to look, not the message.
    static constexpr int MaxBodyChars = 200;

    using QObject::QObject;

    // A later notification of the same conversation replaces the earlier one. `title` and `body`
    // are plain text; each notifier escapes them for its target.
    virtual void notify(const QString &conversationId, const QString &title, const QString &body) = 0;

    // `text` on one line and cut at MaxBodyChars (on a character boundary) with an ellipsis.
    static QString excerpt(const QString &text, int maxChars = MaxBodyChars);

signals:
    // The agent clicked the notification of this conversation.
    void activated(const QString &conversationId);
};
