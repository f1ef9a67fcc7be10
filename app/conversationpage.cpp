#include "conversationpage.h"

#include "cannedcompletion.h"
#include "cannedresponses.h"
#include "composer.h"
#include "connectionbanner.h"
#include "conversation.h"
#include "conversationfind.h"
#include "conversationheader.h"
#include "conversationview.h"
#include "failedrepliesbar.h"
#include "findbar.h"
#include "mediaopener.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"
#include "phonenumber.h"
#include "replyeditor.h"
#include "thumbnailcache.h"

#include <QAction>
#include <QClipboard>
#include <QDesktopServices>
#include <QDropEvent>
#include <QFileDialog>
#include <QGuiApplication>
#include <QMenu>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QToolButton>
#include <QVBoxLayout>

ConversationPage::ConversationPage(Conversation *conversation, QWidget *parent)
    : QWidget(parent)
    , m_conversation(conversation)
    , m_header(new ConversationHeader(this))
    , m_banner(new ConnectionBanner(this))
    , m_failedBar(new FailedRepliesBar(this))
    , m_findBar(new FindBar(this))
    , m_view(new ConversationView(this))
    , m_composer(new Composer(this))
    , m_find(nullptr)
    , m_media(new MediaOpener(conversation, this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_header);
    layout->addWidget(m_banner);
    layout->addWidget(m_failedBar);
    layout->addWidget(m_findBar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_composer);

    m_view->setModel(conversation->model());
    m_find = new ConversationFind(conversation, m_view, m_findBar, this);
    connect(m_findBar, &FindBar::closeRequested, this, [this] {
        m_find->close();
        focusComposer();
    });
    m_composer->setStagingFolder(conversation->attachmentStagingFolder()); // sending only moves the copy
    setFocusProxy(m_composer);
    // Tab goes from the history to the reply and its button, then to the bars' buttons above.
    setTabOrder(m_view, m_composer->editor());
    setTabOrder(m_composer->editor(), m_composer->sendButton());

    connect(m_composer, &Composer::sendRequested, this, [this](const QString &text, const Attachment &attachment) {
        QString problem;
        if (!m_conversation->sendReply(text, attachment, &problem) && !attachment.isEmpty())
            m_composer->restore(text, attachment, problem); // its file could not be kept: nothing is lost
    });
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
    connect(m_failedBar, &FailedRepliesBar::showFirstRequested, this, &ConversationPage::showFirstUnsent);
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
    wireHeader();
    wireAttachments();
}

void ConversationPage::wireHeader()
{
    const auto showCustomer = [this](const Wire::ConversationContext &context) {
        m_header->setCustomer(
            context.customerName.isEmpty() ? m_conversation->config().conversation : context.customerName,
            context.waId.isEmpty() ? QString() : PhoneNumber::international(context.waId), context.integrationId);
    };
    showCustomer(m_conversation->context());
    connect(m_conversation, &Conversation::customerKnown, m_header, showCustomer);
    connect(m_conversation, &Conversation::connectionStateChanged, m_header, [this](SocketIoClient::State state) {
        using C = ConversationHeader::Connection;
        switch (state) {
        case SocketIoClient::State::Connected:
            m_header->setConnection(C::Connected);
            break;
        case SocketIoClient::State::Connecting:
            m_header->setConnection(C::Connecting);
            break;
        default:
            break;
        }
    });
    connect(m_conversation, &Conversation::reconnectScheduled, m_header,
        [this] { m_header->setConnection(ConversationHeader::Connection::Reconnecting); });
    connect(m_conversation, &Conversation::disconnected, m_header, [this](const QString &, bool willReconnect) {
        m_header->setConnection(
            willReconnect ? ConversationHeader::Connection::Reconnecting : ConversationHeader::Connection::Offline);
    });
    connect(m_conversation, &Conversation::connectError, m_header,
        [this] { m_header->setConnection(ConversationHeader::Connection::Offline); });
}

QString ConversationPage::fillPlaceholders(const QString &content) const
{
    const Wire::ConversationContext context = m_conversation->context();
    return Canned::fill(content,
        Canned::Customer {
            context.customerName, context.waId.isEmpty() ? QString() : PhoneNumber::international(context.waId)});
}

void ConversationPage::setCannedResponses(CannedResponses *canned)
{
    if (!m_completion) {
        m_completion = new CannedCompletion(m_composer->editor(), m_composer, this);
        m_completion->setFiller([this](const QString &content) { return fillPlaceholders(content); });
    }
    m_completion->setList(canned->list());
    connect(canned, &CannedResponses::changed, m_completion, &CannedCompletion::setList);
    connect(m_completion, &CannedCompletion::reloadRequested, canned, &CannedResponses::load);
}

void ConversationPage::insertCanned(const CannedResponse &response)
{
    if (m_completion) {
        m_completion->insert(response);
    } else {
        m_composer->editor()->insertPlainText(fillPlaceholders(response.content));
        focusComposer();
    }
}

bool ConversationPage::showFirstUnsent()
{
    const QStringList unsent = m_conversation->model()->unsentIds();
    if (unsent.isEmpty())
        return false;
    const QModelIndex index = m_conversation->model()->indexOf(unsent.first());
    m_view->setFocus(Qt::OtherFocusReason);
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    m_view->scrollTo(index, QAbstractItemView::PositionAtCenter);
    return true;
}

void ConversationPage::wireAttachments()
{
    setAcceptDrops(true);
    setTabOrder(m_composer->attachButton(), m_composer->editor());
    connect(m_composer, &Composer::attachRequested, this, &ConversationPage::attachFile);
    connect(m_view, &ConversationView::mediaActivated, m_media, &MediaOpener::open);
    connect(m_view, &ConversationView::cancelUploadRequested, m_conversation, &Conversation::cancelUpload);
    connect(m_media, &MediaOpener::problem, this,
        [this](const QString &message) { m_banner->setState(ConnectionBanner::State::Error, message); });
    // The pictures of the history come through the conversation's fetcher: the token stays in a header.
    ThumbnailCache *thumbnails = m_view->messageDelegate()->thumbnails();
    thumbnails->setFetch(
        [conversation = QPointer<Conversation>(m_conversation)](const QString &url, const QString &name) {
            if (conversation)
                conversation->fetchMedia(url, name);
        });
    connect(m_conversation, &Conversation::mediaReady, thumbnails, &ThumbnailCache::fileReady);
    connect(m_conversation, &Conversation::mediaFailed, thumbnails, &ThumbnailCache::fileFailed);
}

void ConversationPage::attachFile()
{
    auto *dialog = new QFileDialog(this, tr("Attach file"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setNameFilters({tr("Photos, PDF, text, audio and video (*.jpg *.jpeg *.png *.webp *.pdf *.txt *.ogg *.oga "
                               "*.opus *.mp3 *.mp4)"),
        tr("All files (*)")});
    // open(), never exec(): messages keep arriving while the agent looks for the file.
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
        m_composer->attach(path);
        focusComposer();
    });
    dialog->open();
}

void ConversationPage::dragEnterEvent(QDragEnterEvent *event)
{
    if (ReplyEditor::offersAttachment(event->mimeData()))
        event->acceptProposedAction();
}

void ConversationPage::dragMoveEvent(QDragMoveEvent *event)
{
    if (ReplyEditor::offersAttachment(event->mimeData()))
        event->acceptProposedAction();
}

void ConversationPage::dropEvent(QDropEvent *event)
{
    const QMimeData *data = event->mimeData();
    if (!ReplyEditor::offersAttachment(data))
        return;
    event->acceptProposedAction();
    const QList<QUrl> urls = data->urls();
    for (const QUrl &url : urls) {
        if (url.isLocalFile()) {
            m_composer->attach(url.toLocalFile());
            focusComposer();
            return;
        }
    }
    m_composer->attachImage(qvariant_cast<QImage>(data->imageData()));
    focusComposer();
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
    if (index.data(MessageListModel::UploadProgressRole).toDouble() >= 0) {
        QAction *cancel
            = menu->addAction(tr("Cancel &upload"), m_conversation, [this, id] { m_conversation->cancelUpload(id); });
        cancel->setObjectName(QStringLiteral("cancelUploadAction"));
        menu->addSeparator();
    }
    if (!index.data(MessageListModel::AttachmentRole).value<Attachment>().isEmpty()) {
        const QPersistentModelIndex row(index);
        QAction *open = menu->addAction(tr("&Open attachment"), m_media, [this, row] { m_media->open(row); });
        open->setObjectName(QStringLiteral("openAttachmentAction"));
        QAction *save = menu->addAction(tr("&Save attachment as…"), m_media, [this, row] { m_media->saveAs(row); });
        save->setObjectName(QStringLiteral("saveAttachmentAction"));
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
