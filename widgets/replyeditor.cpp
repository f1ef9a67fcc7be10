#include "replyeditor.h"

#include <QMimeData>
#include <QUrl>

ReplyEditor::ReplyEditor(QWidget *parent)
    : QPlainTextEdit(parent)
{
}

static QStringList localFiles(const QMimeData *data)
{
    QStringList paths;
    if (!data->hasUrls())
        return paths;
    const QList<QUrl> urls = data->urls();
    for (const QUrl &url : urls) {
        if (url.isLocalFile())
            paths.append(url.toLocalFile());
    }
    return paths;
}

bool ReplyEditor::offersAttachment(const QMimeData *data)
{
    return data && (!localFiles(data).isEmpty() || data->hasImage());
}

bool ReplyEditor::canInsertFromMimeData(const QMimeData *source) const
{
    return offersAttachment(source) || QPlainTextEdit::canInsertFromMimeData(source);
}

void ReplyEditor::insertFromMimeData(const QMimeData *source)
{
    if (const QStringList files = localFiles(source); !files.isEmpty())
        return emit filesOffered(files);
    // A picture copied from a browser or a screenshot tool often comes with text (its URL or alt text):
    // the picture is what the agent meant to send.
    if (source->hasImage())
        return emit imageOffered(qvariant_cast<QImage>(source->imageData()));
    QPlainTextEdit::insertFromMimeData(source);
}
