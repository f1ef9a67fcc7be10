// What the widget tests build around one conversation: a message with a fixed time (and a reason
// when it failed), and the window an agent sees — connection banner, failed replies, history,
// composer — laid out as in the main window, without it.
#pragma once

#include "composer.h"
#include "connectionbanner.h"
#include "conversationview.h"
#include "failedrepliesbar.h"
#include "messagelistmodel.h"

#include <QVBoxLayout>
#include <QWidget>

// A message sent or received at 09:41 on 23 November 2026; `failure` is its error when it failed.
inline Message testMessage(const QString &id, Direction direction, const QString &text, MessageStatus status,
    const QString &url = QString(), const QString &failure = QStringLiteral("Upstream unavailable"))
{
    Message m;
    m.id = id;
    m.direction = direction;
    m.text = text;
    m.mediaUrl = url;
    m.timestamp = QDateTime(QDate(2026, 11, 23), QTime(9, 41));
    m.status = status;
    if (status == MessageStatus::Failed)
        m.error = failure;
    return m;
}

// The conversation widgets in one window, edge to edge; the window is not resized or shown.
struct ConversationScene
{
    MessageListModel model;
    QWidget window;
    ConnectionBanner *banner = nullptr;
    FailedRepliesBar *bar = nullptr;
    ConversationView *view = nullptr;
    Composer *composer = nullptr;

    ConversationScene()
    {
        banner = new ConnectionBanner(&window);
        bar = new FailedRepliesBar(&window);
        view = new ConversationView(&window);
        view->setModel(&model);
        composer = new Composer(&window);
        auto *layout = new QVBoxLayout(&window);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(0);
        layout->addWidget(banner);
        layout->addWidget(bar);
        layout->addWidget(view, 1);
        layout->addWidget(composer);
    }
};
