// AttachmentChip: the file about to be sent, in the composer: a thumbnail of a picture (decoded off the
// UI thread) or a file icon, its name and size, and ✕ to take it off. The agent's caption goes in the
// editor as usual.
#pragma once

#include "attachment.h"

#include <QWidget>

class QLabel;
class QToolButton;
class ThumbnailCache;

class AttachmentChip : public QWidget
{
    Q_OBJECT

public:
    explicit AttachmentChip(QWidget *parent = nullptr);

    // An empty one hides the chip. `preparing`: its file is still being copied for sending.
    void setAttachment(const Attachment &attachment, bool preparing = false);
    const Attachment &attachment() const { return m_attachment; }
    bool isPreparing() const { return m_preparing; }
    QLabel *details() const { return m_details; }
    QToolButton *removeButton() const { return m_remove; }
    QLabel *preview() const { return m_preview; }
    QLabel *title() const { return m_title; }

signals:
    void removeRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void showPreview();

    Attachment m_attachment;
    bool m_preparing = false;
    ThumbnailCache *m_thumbnails;
    QLabel *m_preview;
    QLabel *m_title;
    QLabel *m_details;
    QToolButton *m_remove;
    int m_version = 0; // a thumbnail decoded for an earlier attachment is not shown
};
