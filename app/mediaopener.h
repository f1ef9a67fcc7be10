// MediaOpener: what a click on an attachment does. A picture opens in an ImageViewer; any other file is
// downloaded to the cache (with the token in a header, by the conversation's MediaFetcher) and handed to
// the desktop (QDesktopServices) to open; Save as… copies the file where the agent says. An unsent
// reply's file is the outbox's own copy, at hand at once. A mediaUrl of another origin is never fetched
// with the token: a web link opens in the browser, anything else is refused with a reason.
#pragma once

#include "attachment.h"
#include "imageviewer.h"

#include <QHash>
#include <QObject>
#include <QPointer>

class Conversation;
class QModelIndex;
class QWidget;

class MediaOpener : public QObject
{
    Q_OBJECT

public:
    MediaOpener(Conversation *conversation, QWidget *window);

    void open(const QModelIndex &index);
    void saveAs(const QModelIndex &index);
    ImageViewer *lastViewer() const { return m_viewer; } // for tests

signals:
    void problem(const QString &message);
    void opened(const QString &path); // a file handed to the desktop

private:
    enum class Action { View, Open, Save };
    struct Wanted
    {
        Action action;
        Attachment attachment;
        QString messageId; // its file is looked up again through the message if its path went
    };
    QString locate(const QString &path, const QString &messageId) const; // path while it exists, else the cache's
    void act(Action action, const QModelIndex &index);
    void perform(const Wanted &wanted, const QString &path);

    Conversation *m_conversation;
    QWidget *m_window;
    QHash<QString, Wanted> m_waiting; // mediaUrl -> what to do once the file is here
    QPointer<ImageViewer> m_viewer;
};
