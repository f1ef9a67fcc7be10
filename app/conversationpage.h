// ConversationPage: one conversation on screen: the header with the customer, connection banner,
// failed-replies bar, find bar, history and composer (with the canned-response completion), wired to its
// Conversation, with the bubble context menu. The window keeps one page per open conversation, so
// switching keeps the scroll position, the draft and the find bar.
#pragma once

#include <QWidget>

class CannedCompletion;
class CannedResponses;
class Composer;
class ConnectionBanner;
class Conversation;
class ConversationFind;
class ConversationHeader;
class ConversationView;
class FailedRepliesBar;
class FindBar;
class MediaOpener;
class QMenu;
struct CannedResponse;

class ConversationPage : public QWidget
{
    Q_OBJECT

public:
    explicit ConversationPage(Conversation *conversation, QWidget *parent = nullptr);

    Conversation *conversation() const { return m_conversation; }
    ConversationView *view() const { return m_view; }
    Composer *composer() const { return m_composer; }
    ConnectionBanner *banner() const { return m_banner; }
    FailedRepliesBar *failedBar() const { return m_failedBar; }
    ConversationHeader *header() const { return m_header; }
    FindBar *findBar() const { return m_findBar; }
    ConversationFind *find() const { return m_find; }
    CannedCompletion *completion() const { return m_completion; } // null until setCannedResponses()
    // The account's canned responses: "/" in the reply offers them (not owned; outlives the page).
    void setCannedResponses(CannedResponses *canned);
    // Puts a canned response in the reply, placeholders filled for this conversation's customer.
    void insertCanned(const CannedResponse &response);
    // The bubble menu for a row, built as the context menu shows it (exposed for tests).
    QMenu *createContextMenu(const QModelIndex &index, QWidget *parent);

    // Keyboard commands on the selected bubble; false when there is none or it does not apply.
    bool retrySelected();
    bool copySelected();
    void focusComposer();
    // Scrolls to the first reply not sent (failed, or queued behind one) and selects it; false if none.
    bool showFirstUnsent();
    // Attach file… (Ctrl+O): a file dialog that never blocks the window; the file goes to the composer.
    void attachFile();
    MediaOpener *mediaOpener() const { return m_media; }

protected:
    void showEvent(QShowEvent *event) override;
    // A file or picture dropped anywhere on the conversation is attached to the reply.
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void wireConnection();
    void wireHeader();
    QString fillPlaceholders(const QString &content) const;
    void wireAttachments();
    void fillViewport();
    void showContextMenu(const QModelIndex &index, const QPoint &globalPos);

    // What the banner's button does in the banner's current state.
    enum class BannerAction { None, ReconnectNow, Reopen, ReopenNow };
    void setBannerAction(BannerAction action);

    Conversation *m_conversation;
    BannerAction m_bannerAction = BannerAction::None;
    ConversationHeader *m_header;
    ConnectionBanner *m_banner;
    FailedRepliesBar *m_failedBar;
    FindBar *m_findBar;
    ConversationView *m_view;
    Composer *m_composer;
    ConversationFind *m_find;
    CannedCompletion *m_completion = nullptr;
    MediaOpener *m_media;
};
