#include "conversationpage.h"

#include "composer.h"
#include "connectionbanner.h"
#include "conversation.h"
#include "conversationview.h"
#include "failedrepliesbar.h"
#include "messagelistmodel.h"

#include <QAction>
#include <QClipboard>
#include <QDesktopServices>
#include <QGuiApplication>
#include <QMenu>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QToolButton>
#include <QVBoxLayout>

ConversationPage::ConversationPage(Conversation *conversation, QWidget *parent)
    : QWidget(parent)
    , m_conversation(conversation)
    , m_banner(new ConnectionBanner(this))
    , m_failedBar(new FailedRepliesBar(this))
    , m_view(new ConversationView(this))
    , m_composer(new Composer(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(m_failedBar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_composer);

    m_view->setModel(conversation->model());
    setFocusProxy(m_composer);
    // Tab goes from the history to the reply and its button, then to the bars' buttons above.
    setTabOrder(m_view, m_composer->editor());
    setTabOrder(m_composer->editor(), m_composer->sendButton());

    connect(m_composer, &Composer::sendRequested, conversation, &Conversation::sendReply);
    connect(m_view, &ConversationView::retryRequested, conversation, &Conversation::retry);
    connect(m_view, &ConversationView::nearTop, conversation, &Conversation::loadOlder);
    connect(m_view, &ConversationView::linkActivated, this, [](const QUrl &url) { QDesktopServices::openUrl(url); });
    connect(m_view, &ConversationView::contextMenuRequested, this, &ConversationPage::showContextMenu);

    connect(conversation, &Conversation::opened, this, [this] {
        m_view->scrollToBottom();
        fillViewport();
    });
    connect(conversation, &Conversation::olderLoaded, this, &ConversationPage::fillViewport);
    m_failedBar->setUnsentCount(conversation->unsentCount()); // replies an earlier run left unsent
    connect(conversation, &Conversation::unsentCountChanged, m_failedBar,
        [this](int count) { m_failedBar->setUnsentCount(count); });
    connect(m_failedBar, &FailedRepliesBar::retryAllRequested, conversation, &Conversation::retryAll);
    connect(m_failedBar, &FailedRepliesBar::discardAllRequested, conversation, &Conversation::discardAll);
    // Back from an outage with replies that failed meanwhile: now Retry all is likely to work. The
    // first connection is no return: replies that failed in an earlier session are only "not sent".
    connect(conversation, &Conversation::connected, m_failedBar, [this, reconnect = false]() mutable {
        if (reconnect && m_conversation->unsentCount() > 0)
            m_failedBar->setUnsentCount(m_conversation->unsentCount(), true);
        reconnect = true;
    });
    connect(conversation, &Conversation::notice, this,
        [this](const QString &message) { m_banner->setState(ConnectionBanner::State::Error, message); });
    wireConnection();
}

void ConversationPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Once the view has its size and scroll range: a page coming to the front has neither yet.
    QMetaObject::invokeMethod(this, &ConversationPage::fillViewport, Qt::QueuedConnection);
}

// Older pages load when the agent scrolls near the top; a page too short to scroll cannot get there.
// Only while on screen: a page in the background has no height to fill, and would load everything.
void ConversationPage::fillViewport()
{
    if (isVisible() && m_conversation->hasOlder() && !m_conversation->isLoadingOlder()
        && m_view->verticalScrollBar()->maximum() == 0)
        m_conversation->loadOlder();
}

void ConversationPage::wireConnection()
{
    Conversation *conversation = m_conversation;
    m_banner->setState(ConnectionBanner::State::Connecting);
    connect(conversation, &Conversation::connectionStateChanged, this, [this](SocketIoClient::State state) {
        if (state == SocketIoClient::State::Connecting) {
            m_banner->setState(ConnectionBanner::State::Connecting);
            setBannerAction(BannerAction::None);
        } else if (state == SocketIoClient::State::Connected) {
            m_banner->setState(ConnectionBanner::State::Connected);
            setBannerAction(BannerAction::None);
        }
    });
    connect(conversation, &Conversation::reconnectScheduled, this, [this](int delayMs) {
        m_banner->setReconnecting(delayMs);
        setBannerAction(BannerAction::ReconnectNow);
    });
    connect(conversation, &Conversation::disconnected, this, [this](const QString &reason, bool willReconnect) {
        if (willReconnect)
            return;
        m_banner->setState(ConnectionBanner::State::Disconnected, reason);
        setBannerAction(BannerAction::ReconnectNow);
    });
    // A refused CONNECT (a bad token, say) will be refused again: no button, just the reason.
    connect(conversation, &Conversation::connectError, this, [this](const QString &message) {
        m_banner->setState(ConnectionBanner::State::Disconnected, message);
        setBannerAction(BannerAction::None);
    });
    // The backend cannot be reached or is overloaded: the next try comes by itself, and says when.
    connect(conversation, &Conversation::openRetrying, this, [this](const QString &message, int delayMs) {
        m_banner->setRetrying(message, delayMs);
        setBannerAction(BannerAction::ReopenNow);
    });
    connect(conversation, &Conversation::openFailed, this, [this](const QString &message) {
        m_banner->setState(ConnectionBanner::State::Error, message);
        setBannerAction(BannerAction::Reopen);
    });
    connect(m_banner, &ConnectionBanner::actionTriggered, this, [this] {
        if (m_bannerAction == BannerAction::ReconnectNow)
            m_conversation->reconnectNow();
        else if (m_bannerAction == BannerAction::Reopen || m_bannerAction == BannerAction::ReopenNow)
            m_conversation->reopen();
    });
}

void ConversationPage::setBannerAction(BannerAction action)
{
    m_bannerAction = action;
    switch (action) {
    case BannerAction::None:
        m_banner->setAction(QString());
        break;
    case BannerAction::ReconnectNow:
        m_banner->setAction(tr("Reconnect now"));
        break;
    case BannerAction::Reopen:
        m_banner->setAction(tr("Try again"));
        break;
    case BannerAction::ReopenNow:
        m_banner->setAction(tr("Try now"));
        break;
    }
}

QMenu *ConversationPage::createContextMenu(const QModelIndex &index, QWidget *parent)
{
    auto *menu = new QMenu(parent);
    const QString id = index.data(MessageListModel::IdRole).toString();
    const bool failed = index.data(MessageListModel::StatusRole).toInt() == int(MessageStatus::Failed);
    if (failed) {
        QAction *retry = menu->addAction(tr("&Retry"), m_conversation, [this, id] { m_conversation->retry(id); });
        retry->setObjectName(QStringLiteral("retryAction"));
        QAction *discard = menu->addAction(tr("&Discard"), m_conversation, [this, id] { m_conversation->discard(id); });
        discard->setObjectName(QStringLiteral("discardAction"));
        discard->setEnabled(m_conversation->canDiscard(id));
        menu->addSeparator();
    }
    const QString text = index.data(MessageListModel::TextRole).toString();
    QAction *copy = menu->addAction(tr("&Copy text"), menu, [text] { QGuiApplication::clipboard()->setText(text); });
    copy->setObjectName(QStringLiteral("copyAction"));
    return menu;
}

void ConversationPage::showContextMenu(const QModelIndex &index, const QPoint &globalPos)
{
    if (!index.isValid())
        return;
    QMenu *menu = createContextMenu(index, this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(globalPos);
}

bool ConversationPage::retrySelected()
{
    const QModelIndex index = m_view->currentIndex();
    if (!index.isValid() || index.data(MessageListModel::StatusRole).toInt() != int(MessageStatus::Failed))
        return false;
    m_conversation->retry(index.data(MessageListModel::IdRole).toString());
    return true;
}

bool ConversationPage::copySelected()
{
    const QModelIndex index = m_view->currentIndex();
    if (!index.isValid())
        return false;
    QGuiApplication::clipboard()->setText(index.data(MessageListModel::TextRole).toString());
    return true;
}

void ConversationPage::focusComposer()
{
    m_composer->editor()->setFocus(Qt::ShortcutFocusReason);
}
