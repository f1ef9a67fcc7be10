#include "consolesession.h"

#include "consolelink.h"
#include "demobackend.h"
#include "mainwindow.h"
#include "notificationcenter.h"
#include "notifier.h"
#include "settingsdialog.h"
#include "signinflow.h"
#include "systemnotifier.h"
#include "tokenstore.h"
#include "trayicon.h"
#include "workspace.h"

#include <QAction>
#include <QApplication>
#include <QFileOpenEvent>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>

#include <utility>

ConsoleSession::ConsoleSession(
    const Options &options, DemoBackend *demo, OutboxStore *outbox, Notifier *notifier, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_demo(demo)
    , m_outbox(outbox)
    , m_ssl(sslConfiguration(options.caCertificates))
    // One file for the account (AppSettings) and the open conversations, whatever the application name.
    , m_settings(std::make_unique<QSettings>(
          QSettings::NativeFormat, QSettings::UserScope, QStringLiteral("agent-console"), QStringLiteral("agent-console")))
    , m_tokens(new TokenStore(this))
    , m_signIn(new SignInFlow(m_tokens, this))
    , m_tray(new TrayIcon(nullptr, this))
    , m_notifications(new NotificationCenter(
          notifier ? notifier : createSystemNotifier(m_tray->systemTrayIcon(), m_tray), this))
{
    m_signIn->setSslConfiguration(m_ssl);
    connect(m_tray, &TrayIcon::quitRequested, qApp, &QCoreApplication::quit);
    connect(m_notifications, &NotificationCenter::openRequested, this, [this](const QString &conversationId) {
        if (!m_workspace)
            return;
        m_workspace->openConversation(conversationId);
        m_tray->showWindow();
    });
    // Said once: without a keychain the token lasts for this session only. Before the first window
    // the sign-in dialog says it.
    connect(m_tokens, &TokenStore::keychainUnavailable, this, [this](const QString &why) {
        if (m_window)
            m_window->statusBar()->showMessage(why, 15000);
    });
    connect(m_signIn, &SignInFlow::ready, this,
        [this](const AppSettings &account, const QString &token, const QString &signedInWith) {
            m_account = account;
            m_token = token;
            QStringList open = m_options.conversations.isEmpty() ? Workspace::savedConversations(*m_settings)
                                                                 : m_options.conversations;
            if (!signedInWith.isEmpty() && !open.contains(signedInWith))
                open.prepend(signedInWith);
            openConsole(open, signedInWith.isEmpty() ? Workspace::savedCurrent(*m_settings) : signedInWith);
        });
    connect(m_signIn, &SignInFlow::cancelled, this, [this] {
        if (!m_window)
            QCoreApplication::quit();
    });
    qApp->installEventFilter(this);
}

bool ConsoleSession::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::FileOpen) {
        const QUrl url = static_cast<QFileOpenEvent *>(event)->url();
        if (ConsoleLinks::looksLikeLink(url.toString())) {
            activate({}, {url.toString()});
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

ConsoleSession::~ConsoleSession()
{
    closeConsole();
}

void ConsoleSession::start()
{
    m_pendingLinks.clear();
    m_pendingLinksOffered = 0;
    keepUntilSignedIn(m_options.links);
    m_tray->show();
    if (m_demo) {
        openConsole(m_demo->conversations(), QString());
    } else if (m_options.apiUrl.isValid()) {
        // --api-url and --tenant with --token-file or AGENT_CONSOLE_TOKEN: this run only, nothing stored.
        m_account = AppSettings {m_options.apiUrl, m_options.tenant, m_options.integration};
        m_token = m_options.token;
        openConsole(m_options.conversations.isEmpty() ? Workspace::savedConversations(*m_settings)
                                                      : m_options.conversations,
            Workspace::savedCurrent(*m_settings));
    } else {
        const QStringList saved = Workspace::savedConversations(*m_settings);
        m_signIn->start(m_options.conversations.isEmpty() ? saved.value(0) : m_options.conversations.first());
    }
}

void ConsoleSession::openConsole(const QStringList &conversations, const QString &current)
{
    closeConsole();
    ConversationConfig config;
    if (m_demo) {
        config = m_demo->conversationConfig();
    } else {
        config.baseUrl = m_account.apiUrl;
        config.tenant = m_account.tenant;
        config.integration = m_account.integration;
        config.token = m_token;
        config.ssl = m_ssl;
    }
    m_workspace = std::make_unique<Workspace>(config, m_demo ? nullptr : m_outbox);
    m_window = std::make_unique<MainWindow>(m_workspace.get(), m_demo);
    // The demo's conversations exist for one run: they are not remembered as the agent's open list.
    if (!m_demo)
        m_workspace->setSettings(m_settings.get());
    m_tray->setWindow(m_window.get());
    connect(m_workspace.get(), &Workspace::inboundMessage, m_notifications, &NotificationCenter::onInbound);
    connect(m_workspace.get(), &Workspace::unreadTotalChanged, m_tray, &TrayIcon::setUnreadCount);
    connect(m_workspace.get(), &Workspace::unsentTotalChanged, m_tray, &TrayIcon::setUnsentCount);
    // A stored account (not the demo, not one given on the command line) can be changed in Settings.
    if (!m_demo && !m_options.apiUrl.isValid()) {
        m_window->settingsAction()->setVisible(true);
        connect(m_window.get(), &MainWindow::settingsRequested, this, &ConsoleSession::showSettings);
    }
    m_workspace->restore(conversations, current);
    m_window->show();
    openLinks(std::exchange(m_pendingLinks, {}), std::exchange(m_pendingLinksOffered, 0));
    emit consoleOpened();
}

void ConsoleSession::keepUntilSignedIn(const QStringList &links)
{
    // However long the sign-in takes and whatever other programs hand over meanwhile, what waits stays
    // as small as what a burst may open.
    m_pendingLinksOffered += links.size();
    m_pendingLinks += links.mid(0, std::max<qsizetype>(0, MaxLinksAtOnce - m_pendingLinks.size()));
}

QString ConsoleSession::openLinks(const QStringList &links, qsizetype offered)
{
    if (links.isEmpty())
        return QString();
    if (!m_workspace) { // signing in: the links wait for the account
        keepUntilSignedIn(links);
        return QString();
    }
    offered = std::max(offered, links.size());
    const QUrl server = m_demo ? m_demo->conversationConfig().baseUrl : m_account.apiUrl;
    const QString tenant = m_demo ? m_demo->conversationConfig().tenant : m_account.tenant;
    QStringList refusals;
    // Another program may name any number of links; each opens a conversation that reopens at every
    // start, so a burst opens the first few only and says so.
    if (offered > MaxLinksAtOnce)
        refusals << tr("Only the first %1 of %2 links were opened.").arg(MaxLinksAtOnce).arg(offered);
    for (const QString &text : links.mid(0, MaxLinksAtOnce)) {
        const auto parsed = ConsoleLinks::parse(text);
        if (const auto *why = std::get_if<QString>(&parsed)) {
            refusals << tr("Cannot open the link: %1").arg(*why);
            continue;
        }
        const ConsoleLink &link = std::get<ConsoleLink>(parsed);
        if (const QString refused = ConsoleLinks::refusal(link, server, tenant); !refused.isEmpty())
            refusals << refused;
        else
            m_workspace->openConversation(link.conversation);
    }
    if (!refusals.isEmpty() && m_window) {
        // Said where the agent looks, and never acted on: the account stays as it is.
        auto *box = new QMessageBox(
            QMessageBox::Warning, tr("Link not opened"), refusals.join(u'\n'), QMessageBox::Ok, m_window.get());
        box->setObjectName(QStringLiteral("linkRefusedMessage"));
        box->setTextFormat(Qt::PlainText); // the link's words, whatever they look like
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
    return refusals.join(u'\n');
}

void ConsoleSession::closeConsole()
{
    m_window.reset();
    m_workspace.reset();
    m_tray->setUnreadCount(0);
    m_tray->setUnsentCount(0);
}

QString ConsoleSession::activate(const QStringList &conversations, const QStringList &links)
{
    if (m_workspace) {
        for (const QString &id : conversations)
            m_workspace->openConversation(id);
    } else if (!conversations.isEmpty()) {
        m_options.conversations = conversations; // opened once the agent has signed in
    }
    m_tray->showWindow();
    return openLinks(links);
}

void ConsoleSession::showSettings()
{
    if (!m_window || !m_workspace)
        return;
    auto *dialog = new SettingsDialog(m_tokens, m_window.get());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setSslConfiguration(m_ssl);
    dialog->setCurrent(m_account, m_token, m_workspace->currentId());
    connect(dialog, &SettingsDialog::settingsChanged, this, [this](const AppSettings &changed, const QString &token) {
        changed.save();
        m_tokens->write(changed.tokenKey(), token);
        m_account = changed;
        m_token = token;
        const QStringList open = m_workspace->conversationIds();
        const QString current = m_workspace->currentId();
        // Not from inside the dialog's signal: the dialog is a child of the window being replaced.
        QTimer::singleShot(0, this, [this, open, current] { openConsole(open, current); });
    });
    connect(dialog, &SettingsDialog::signedOut, this, [this] {
        m_token.clear();
        const QString current = m_workspace->currentId();
        QTimer::singleShot(0, this, [this, current] {
            closeConsole();
            m_signIn->signInAgain(current, tr("You signed out. Sign in to continue."));
        });
    });
    dialog->open();
}
