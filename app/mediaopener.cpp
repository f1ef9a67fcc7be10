#include "mediaopener.h"

#include "conversation.h"
#include "imageviewer.h"
#include "mediabubble.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"

#include <QDesktopServices>
#include <QFile>
#include <QFileDialog>
#include <QPointer>
#include <QStandardPaths>
#include <QUrl>

MediaOpener::MediaOpener(Conversation *conversation, QWidget *window)
    : QObject(window)
    , m_conversation(conversation)
    , m_window(window)
{
    connect(conversation, &Conversation::mediaReady, this, [this](const QString &url, const QString &path) {
        if (const auto wanted = m_waiting.constFind(url); wanted != m_waiting.cend()) {
            const Wanted w = *wanted;
            m_waiting.remove(url);
            perform(w, path);
        }
    });
    connect(conversation, &Conversation::mediaFailed, this, [this](const QString &url, const QString &message) {
        if (m_waiting.remove(url) > 0)
            emit problem(tr("The file could not be downloaded: %1").arg(message));
    });
}

void MediaOpener::open(const QModelIndex &index)
{
    const Attachment attachment = index.data(MessageListModel::AttachmentRole).value<Attachment>();
    act(MediaBubble::showsAsImage(attachment) ? Action::View : Action::Open, index);
}

void MediaOpener::saveAs(const QModelIndex &index)
{
    act(Action::Save, index);
}

void MediaOpener::act(Action action, const QModelIndex &index)
{
    const Attachment attachment = index.data(MessageListModel::AttachmentRole).value<Attachment>();
    const QString url = index.data(MessageListModel::MediaUrlRole).toString();
    const QString id = index.data(MessageListModel::IdRole).toString();
    if (attachment.isEmpty())
        return;
    if (!attachment.localPath.isEmpty() && QFile::exists(attachment.localPath))
        return perform(Wanted {action, attachment, id}, attachment.localPath);
    if (const QString cached = m_conversation->cachedMedia(url); !cached.isEmpty())
        return perform(Wanted {action, attachment, id}, cached);
    if (url.isEmpty())
        return emit problem(tr("“%1” is not available.").arg(attachment.fileName));
    if (!m_conversation->isOwnMedia(url)) {
        // Not the backend's: never fetched with the token. A web link may still open in the browser.
        if (action != Action::Save && MessageDelegate::isOpenableLink(url) && QDesktopServices::openUrl(QUrl(url)))
            return;
        return emit problem(tr("“%1” is not on the backend's server and is not opened.").arg(attachment.fileName));
    }
    m_waiting.insert(url, Wanted {action, attachment, id});
    m_conversation->fetchMedia(url, attachment.fileName); // mediaReady or mediaFailed follow
}

QString MediaOpener::locate(const QString &path, const QString &messageId) const
{
    // An unsent reply's copy moves into the media cache once the reply is accepted (its mediaUrl may
    // not even have been known when it was opened).
    if (QFile::exists(path))
        return path;
    const MessageListModel *model = m_conversation->model();
    const int row = model->rowOf(messageId);
    const QString url = row < 0 ? QString() : model->index(row).data(MessageListModel::MediaUrlRole).toString();
    const QString cached = url.isEmpty() ? QString() : m_conversation->cachedMedia(url);
    return cached.isEmpty() ? path : cached;
}

void MediaOpener::perform(const Wanted &wanted, const QString &path)
{
    switch (wanted.action) {
    case Action::View: {
        auto *viewer = new ImageViewer(path, wanted.attachment.fileName, m_window);
        viewer->setLocator([self = QPointer<MediaOpener>(this), path, id = wanted.messageId] {
            return self ? self->locate(path, id) : path;
        });
        viewer->show();
        m_viewer = viewer;
        break;
    }
    case Action::Open:
        // The desktop picks the program by the file's name, which the customer chose.
        if (AttachmentRules::typeToOpen(path).isEmpty())
            emit problem(tr("“%1” is not opened: its name does not match what it contains. Save it with "
                            "Save attachment as… to look at it.")
                             .arg(wanted.attachment.fileName));
        else if (QDesktopServices::openUrl(QUrl::fromLocalFile(path)))
            emit opened(path);
        else
            emit problem(tr("No program on this computer opens “%1”.").arg(wanted.attachment.fileName));
        break;
    case Action::Save: {
        auto *dialog = new QFileDialog(m_window, tr("Save the attachment as"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        dialog->setDirectory(QStandardPaths::writableLocation(QStandardPaths::DownloadLocation));
        dialog->selectFile(wanted.attachment.fileName);
        connect(dialog, &QFileDialog::fileSelected, this, [this, path, id = wanted.messageId](const QString &target) {
            QFile::remove(target); // the dialog asked whether to replace it
            if (!QFile::copy(locate(path, id), target))
                emit problem(tr("The file could not be saved to %1.").arg(target));
        });
        dialog->open(); // never exec(): the console keeps running
        break;
    }
    }
}
