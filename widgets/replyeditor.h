// ReplyEditor: the composer's text field. Pasted or dropped text goes in as plain text; pasted or
// dropped files and pictures are offered as an attachment instead of being inserted as their paths.
#pragma once

#include <QImage>
#include <QPlainTextEdit>
#include <QStringList>

class ReplyEditor : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit ReplyEditor(QWidget *parent = nullptr);

    // Whether `data` carries what this editor attaches rather than inserts: local files or a picture.
    static bool offersAttachment(const QMimeData *data);

signals:
    void filesOffered(const QStringList &paths);
    void imageOffered(const QImage &image); // a picture without a file (a screenshot on the clipboard)

protected:
    bool canInsertFromMimeData(const QMimeData *source) const override;
    void insertFromMimeData(const QMimeData *source) override;
};
