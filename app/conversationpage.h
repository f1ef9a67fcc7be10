// ConversationPage: one conversation on screen: connection banner, failed-replies bar, history and
// composer, wired to its Conversation, with the bubble context menu. The window keeps one
// page per open conversation, so switching keeps the scroll position and the draft.
#pragma once

#include <QWidget>

class Composer;
class ConnectionBanner;
class Conversation;
class ConversationView;
class FailedRepliesBar;
class QMenu;

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
    // The bubble menu for a row, built as the context menu shows it (exposed for tests).
    QMenu *createContextMenu(const QModelIndex &index, QWidget *parent);

    // Keyboard commands on the selected bubble; false when there is none or it does not apply.
    bool retrySelected();
    bool copySelected();
    void focusComposer();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void wireConnection();
    void fillViewport();
    void showContextMenu(const QModelIndex &index, const QPoint &globalPos);

    // What the banner's button does in the banner's current state.
    enum class BannerAction { None, ReconnectNow, Reopen, ReopenNow };
    void setBannerAction(BannerAction action);

    Conversation *m_conversation;
    BannerAction m_bannerAction = BannerAction::None;
    ConnectionBanner *m_banner;
    FailedRepliesBar *m_failedBar;
    ConversationView *m_view;
    Composer *m_composer;
};
