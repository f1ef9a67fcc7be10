#include "freedesktopnotifier.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QGuiApplication>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcNotify, "agentconsole.notifications")

static const QString Service = QStringLiteral("org.freedesktop.Notifications");
static const QString Path = QStringLiteral("/org/freedesktop/Notifications");
static const QString Interface = QStringLiteral("org.freedesktop.Notifications");
// A notification server that does not answer within this is treated as absent.
static constexpr int CallTimeoutMs = 5000;

FreedesktopNotifier::FreedesktopNotifier(Notifier *fallback, QObject *parent)
    : FreedesktopNotifier(QDBusConnection::sessionBus(), fallback, parent)
{
}

FreedesktopNotifier::FreedesktopNotifier(const QDBusConnection &bus, Notifier *fallback, QObject *parent)
    : Notifier(parent)
    , m_bus(bus)
    , m_fallback(fallback)
{
    if (m_fallback)
        connect(m_fallback, &Notifier::activated, this, &Notifier::activated);
    if (!m_bus.isConnected()) {
        fallBack(m_bus.lastError().message());
        return;
    }
    m_bus.connect(
        Service, Path, Interface, QStringLiteral("ActionInvoked"), this, SLOT(onActionInvoked(uint, QString)));
    m_bus.connect(
        Service, Path, Interface, QStringLiteral("NotificationClosed"), this, SLOT(onNotificationClosed(uint, uint)));
    queryCapabilities();
}

QString FreedesktopNotifier::bodyFor(const QString &text, bool serverUsesMarkup)
{
    // Cut first, then escape, so the cut never falls inside an entity.
    const QString line = excerpt(text);
    return serverUsesMarkup ? line.toHtmlEscaped() : line;
}

void FreedesktopNotifier::queryCapabilities()
{
    const QDBusMessage call
        = QDBusMessage::createMethodCall(Service, Path, Interface, QStringLiteral("GetCapabilities"));
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call, CallTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher *w) {
        w->deleteLater();
        const QDBusPendingReply<QStringList> reply = *w;
        if (reply.isError())
            return; // Notify will find out too, and say so
        m_markup = reply.value().contains(QStringLiteral("body-markup"));
        m_capabilitiesKnown = true;
    });
}

void FreedesktopNotifier::notify(const QString &conversationId, const QString &title, const QString &body)
{
    if (m_unavailable) {
        if (m_fallback)
            m_fallback->notify(conversationId, title, body);
        return;
    }
    const Content content {title, body};
    const auto inFlight = m_inFlight.find(conversationId);
    if (inFlight != m_inFlight.end()) {
        *inFlight = content; // sent, replacing, once the first call answers with its id
        return;
    }
    send(conversationId, content);
}

void FreedesktopNotifier::send(const QString &conversationId, const Content &content)
{
    QDBusMessage call = QDBusMessage::createMethodCall(Service, Path, Interface, QStringLiteral("Notify"));
    const QVariantMap hints {
        {QStringLiteral("desktop-entry"), QStringLiteral("agent-console")},
        {QStringLiteral("category"), QStringLiteral("im.received")},
    };
    call << QGuiApplication::applicationDisplayName() // app_name
         << m_idOf.value(conversationId, 0u) // replaces_id: 0 asks for a new notification
         << QStringLiteral("agent-console") // app_icon: the installed icon's name
         << excerpt(content.title, 80) // summary: plain text by the specification
         << bodyFor(content.body, m_markup)
         << QStringList {QStringLiteral("default"), tr("Open")} // clicking the notification opens the conversation
         << hints << qint32(-1); // expire_timeout: the server's default
    m_inFlight.insert(conversationId, std::nullopt);
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call, CallTimeoutMs), this);
    connect(
        watcher, &QDBusPendingCallWatcher::finished, this, [this, conversationId, content](QDBusPendingCallWatcher *w) {
            w->deleteLater();
            const QDBusPendingReply<uint> reply = *w;
            const std::optional<Content> next = m_inFlight.take(conversationId);
            if (reply.isError()) {
                fallBack(reply.error().message());
                if (m_fallback)
                    m_fallback->notify(
                        conversationId, next ? next->title : content.title, next ? next->body : content.body);
                return;
            }
            const uint id = reply.value();
            const uint previous = m_idOf.value(conversationId, 0u);
            if (previous != id)
                m_conversationOf.remove(previous);
            m_idOf.insert(conversationId, id);
            m_conversationOf.insert(id, conversationId);
            if (next)
                send(conversationId, *next);
        });
}

void FreedesktopNotifier::onActionInvoked(uint id, const QString &actionKey)
{
    Q_UNUSED(actionKey) // "default" or "Open": both mean open the conversation
    const auto it = m_conversationOf.constFind(id);
    if (it != m_conversationOf.constEnd())
        emit activated(*it);
}

void FreedesktopNotifier::onNotificationClosed(uint id, uint reason)
{
    Q_UNUSED(reason)
    const QString conversation = m_conversationOf.take(id);
    if (!conversation.isEmpty() && m_idOf.value(conversation) == id)
        m_idOf.remove(conversation);
}

void FreedesktopNotifier::fallBack(const QString &why)
{
    if (m_unavailable)
        return;
    m_unavailable = true;
    qCInfo(lcNotify).noquote().nospace() << "no desktop notification server (" << why << "); using the tray icon";
}
