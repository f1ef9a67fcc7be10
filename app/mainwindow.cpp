#include "mainwindow.h"

#include "composer.h"
#include "connectionbanner.h"
#include "conversationcontroller.h"
#include "conversationview.h"
#include "demobackend.h"
#include "failedrepliesbar.h"
#include "messagedelegate.h"
#include "socketioclient.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollBar>
#include <QVBoxLayout>

MainWindow::MainWindow(ConversationController *controller, DemoBackend *demo, QWidget *parent)
    : QMainWindow(parent)
    , m_controller(controller)
    , m_banner(new ConnectionBanner(this))
    , m_failedBar(new FailedRepliesBar(this))
    , m_view(new ConversationView(this))
    , m_composer(new Composer(this))
{
    setWindowTitle(tr("Agent Console"));
    resize(520, 760);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(m_failedBar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_composer);
    setCentralWidget(central);

    m_view->setModel(controller->model());
    setFocusProxy(m_composer);
    m_composer->setFocus();

    connect(m_composer, &Composer::sendRequested, controller, &ConversationController::sendReply);
    connect(m_view, &ConversationView::retryRequested, controller, &ConversationController::retry);
    connect(m_view, &ConversationView::nearTop, controller, &ConversationController::loadOlder);
    connect(m_view, &ConversationView::linkActivated, this, [](const QUrl &url) { QDesktopServices::openUrl(url); });
    connect(m_view, &ConversationView::contextMenuRequested, this, &MainWindow::showContextMenu);

    connect(controller, &ConversationController::opened, this, [this] {
        const QString name = m_controller->customerName();
        setWindowTitle(name.isEmpty() ? tr("Agent Console") : tr("%1 — Agent Console").arg(name));
        m_view->scrollToBottom();
        fillViewport();
    });
    connect(controller, &ConversationController::olderLoaded, this, &MainWindow::fillViewport);
    connect(controller, &ConversationController::unsentCountChanged, m_failedBar,
            [this](int count) { m_failedBar->setUnsentCount(count); });
    connect(m_failedBar, &FailedRepliesBar::retryAllRequested, controller, &ConversationController::retryAll);
    connect(m_failedBar, &FailedRepliesBar::discardAllRequested, controller, &ConversationController::discardAll);
    // Back from an outage with replies that failed meanwhile: now Retry all is likely to work.
    connect(controller->socket(), &SocketIoClient::connected, m_failedBar, [this] {
        if (m_controller->unsentCount() > 0)
            m_failedBar->setUnsentCount(m_controller->unsentCount(), true);
    });
    connect(controller, &ConversationController::notice, this, [this](const QString &message) {
        m_banner->setState(ConnectionBanner::State::Error, message);
    });
    wireConnection();
    buildMenus(demo);
}

// Older pages load when the agent scrolls near the top; a page too short to scroll cannot get there.
void MainWindow::fillViewport()
{
    if (m_controller->hasOlder() && m_view->verticalScrollBar()->maximum() == 0)
        m_controller->loadOlder();
}

void MainWindow::wireConnection()
{
    SocketIoClient *socket = m_controller->socket();
    m_banner->setState(ConnectionBanner::State::Connecting);
    connect(socket, &SocketIoClient::stateChanged, this, [this](SocketIoClient::State state) {
        if (state == SocketIoClient::State::Connecting) {
            m_banner->setState(ConnectionBanner::State::Connecting);
            setBannerAction(BannerAction::None);
        } else if (state == SocketIoClient::State::Connected) {
            m_banner->setState(ConnectionBanner::State::Connected);
            setBannerAction(BannerAction::None);
        }
    });
    connect(socket, &SocketIoClient::reconnectScheduled, this, [this](int delayMs) {
        m_banner->setReconnecting(delayMs);
        setBannerAction(BannerAction::ReconnectNow);
    });
    connect(socket, &SocketIoClient::disconnected, this, [this](const QString &reason, bool willReconnect) {
        if (willReconnect)
            return;
        m_banner->setState(ConnectionBanner::State::Disconnected, reason);
        setBannerAction(BannerAction::ReconnectNow);
    });
    // A refused CONNECT (a bad token, say) will be refused again: no button, just the reason.
    connect(socket, &SocketIoClient::connectError, this, [this](const QString &message) {
        m_banner->setState(ConnectionBanner::State::Disconnected, message);
        setBannerAction(BannerAction::None);
    });
    connect(m_controller, &ConversationController::openFailed, this, [this](const QString &message) {
        m_banner->setState(ConnectionBanner::State::Error, message);
        setBannerAction(BannerAction::Reopen);
    });
    connect(m_banner, &ConnectionBanner::actionTriggered, this, [this] {
        if (m_bannerAction == BannerAction::ReconnectNow)
            m_controller->socket()->reconnectNow();
        else if (m_bannerAction == BannerAction::Reopen)
            m_controller->reopen();
    });
}

void MainWindow::setBannerAction(BannerAction action)
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
    }
}

void MainWindow::buildMenus(DemoBackend *demo)
{
    QMenu *conversation = menuBar()->addMenu(tr("&Conversation"));
    QAction *quit = conversation->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    if (demo) {
        QMenu *demoMenu = menuBar()->addMenu(tr("&Demo"));
        QAction *outage = demoMenu->addAction(tr("Simulate upstream &outage"));
        outage->setObjectName(QStringLiteral("demoOutageAction"));
        outage->setCheckable(true);
        outage->setToolTip(tr("While checked, the backend cannot reach WhatsApp: replies fail and can be retried."));
        connect(outage, &QAction::toggled, demo, &DemoBackend::setUpstreamDown);
        QAction *inbound = demoMenu->addAction(tr("Customer &writes"), demo, &DemoBackend::customerWrites);
        inbound->setShortcut(QKeySequence(tr("Ctrl+Shift+I")));
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Agent Console"), this, [this] {
        QMessageBox::about(this, tr("About Agent Console"),
                           tr("Agent Console %1\nA native console for customer-support agents.")
                               .arg(QStringLiteral(AGENT_CONSOLE_VERSION)));
    });
}

QMenu *MainWindow::createContextMenu(const QModelIndex &index, QWidget *parent)
{
    auto *menu = new QMenu(parent);
    const QString id = index.data(MessageListModel::IdRole).toString();
    const bool failed = index.data(MessageListModel::StatusRole).toInt() == int(MessageStatus::Failed);
    if (failed) {
        QAction *retry = menu->addAction(tr("&Retry"), m_controller, [this, id] { m_controller->retry(id); });
        retry->setObjectName(QStringLiteral("retryAction"));
        QAction *discard = menu->addAction(tr("&Discard"), m_controller, [this, id] { m_controller->discard(id); });
        discard->setObjectName(QStringLiteral("discardAction"));
        discard->setEnabled(m_controller->canDiscard(id));
        menu->addSeparator();
    }
    const QString text = index.data(MessageListModel::TextRole).toString();
    QAction *copy = menu->addAction(tr("&Copy text"), menu, [text] { QGuiApplication::clipboard()->setText(text); });
    copy->setObjectName(QStringLiteral("copyAction"));
    return menu;
}

void MainWindow::showContextMenu(const QModelIndex &index, const QPoint &globalPos)
{
    if (!index.isValid())
        return;
    QMenu *menu = createContextMenu(index, this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(globalPos);
}
