// Composer: where the agent writes a reply. Enter sends, Shift+Enter breaks the line; the editor
// grows from one to six lines and takes plain text only. Replies longer than the upstream limit stay in
// the editor (never cut silently) but cannot be sent; a counter shows the length near the limit.
// A file (the paperclip, a paste, a drop) rides along as a chip above the editor, the text its caption;
// what the contract refuses (CONTRACT.md §5: type, size) is refused here, before any upload, saying why.
// With a staging folder (the outbox's), the file is copied there off the UI thread as soon as it is
// attached ("preparing…" on the chip, Send waits for it), so sending only moves the copy.
#pragma once

#include "attachment.h"

#include <QWidget>

class AttachmentChip;
class QLabel;
class QPlainTextEdit;
class QToolButton;

class Composer : public QWidget
{
    Q_OBJECT

public:
    // WhatsApp's limit for a text message body, which the backend enforces too (issue 5).
    static constexpr int maxLength = 4096;
    // The counter appears from here: early enough to shorten, late enough not to distract.
    static constexpr int counterFrom = 3600;
    // A reply's length as the limit counts it: UTF-16 code units of the trimmed text, i.e. QString::size()
    // and JavaScript's String.length, which is what a Node backend measures. An emoji counts 2 (a ZWJ
    // family up to 11), so the console never lets through a reply the backend would refuse.
    static int lengthOf(const QString &text);

    explicit Composer(QWidget *parent = nullptr);
    ~Composer() override; // a pasted picture not sent goes with the composer

    QPlainTextEdit *editor() const { return m_editor; }
    QToolButton *sendButton() const { return m_send; }
    QToolButton *attachButton() const { return m_attach; }
    AttachmentChip *attachmentChip() const { return m_chip; }
    QLabel *attachmentProblem() const { return m_attachProblem; } // why a file was refused; hidden otherwise
    QLabel *counter() const { return m_counter; } // "3,650 / 4,096"; hidden below counterFrom
    QLabel *limitMessage() const { return m_limitMessage; } // why Send is off; hidden within the limit
    bool isOverLimit() const;
    // Sends what is written (trimmed) and the attachment, unless there is neither or the text is too
    // long; returns whether it sent.
    bool send();

    // Attaches the file at `path`, replacing any other; false (and attachmentProblem() says why) when the
    // contract refuses it. The picture's size is read from its header, nothing is decoded here.
    bool attach(const QString &path);
    // Where attached files are copied before they are sent (Conversation::attachmentStagingFolder);
    // without one the file is handed over as it is.
    void setStagingFolder(const QString &folder) { m_stagingFolder = folder; }
    bool isPreparing() const; // the attachment is being copied: Send waits
    static int copiesInProgress(); // of every composer, finished or not wanted any more
    // A picture without a file (a pasted screenshot): written as PNG off the UI thread, then attached.
    void attachImage(const QImage &image);
    Attachment attachment() const;
    void clearAttachment();
    // The reply could not be taken after all (its file could not be kept): back in the composer, with why.
    void restore(const QString &text, const Attachment &attachment, const QString &problem);

signals:
    void sendRequested(const QString &text, const Attachment &attachment);
    void attachRequested(); // the paperclip: the page chooses a file

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void applyLook(); // colours, icon and small fonts from the current palette and font
    void updateHeight();
    void updateSendButton();
    void updateCounter(int length);
    void showProblem(const QString &problem);
    void forgetPasted(); // the file a paste was written to, once it is no longer the attachment
    void stage(const Attachment &file); // copies it into the staging folder off the UI thread
    void forgetStaged(); // the staged copy, once it is no longer the attachment

    QPlainTextEdit *m_editor = nullptr;
    QToolButton *m_send = nullptr;
    QToolButton *m_attach = nullptr;
    AttachmentChip *m_chip = nullptr;
    QLabel *m_attachProblem = nullptr;
    QString m_pasted; // a pasted picture's file, ours to delete
    QString m_stagingFolder;
    Attachment m_staged; // the attachment's copy in the staging folder, ours until a reply takes it
    int m_stageVersion = 0; // a copy finished for an attachment no longer here is removed
    QLabel *m_counter = nullptr;
    QLabel *m_limitMessage = nullptr;
};
