// FreedesktopNotifier: desktop notifications through org.freedesktop.Notifications on the session bus
// (the Desktop Notifications Specification 1.2), asynchronously. One notification per conversation: a
// later message replaces it (replaces_id), so a burst of messages shows one notification. Clicking it
// ("default" action) emits activated(). When no notification server answers, notifications go to the
// fallback notifier (the tray icon's balloons) from then on.
#pragma once

#include "notifier.h"

#include <QDBusConnection>
#include <QHash>
#include <QPointer>

#include <optional>

class FreedesktopNotifier : public Notifier
{
    Q_OBJECT

public:
    // `bus` is the session bus unless a test passes its own; `fallback` may be null.
    explicit FreedesktopNotifier(Notifier *fallback = nullptr, QObject *parent = nullptr);
    FreedesktopNotifier(const QDBusConnection &bus, Notifier *fallback, QObject *parent = nullptr);

    void notify(const QString &conversationId, const QString &title, const QString &body) override;

    // True once the server failed to answer: notifications go to the fallback.
    bool usesFallback() const { return m_unavailable; }
    // Whether the server answered GetCapabilities yet, and whether it renders body markup.
    bool capabilitiesKnown() const { return m_capabilitiesKnown; }
    bool serverUsesMarkup() const { return m_markup; }
    // The server's id of the conversation's notification on screen; 0 when there is none.
    uint notificationId(const QString &conversationId) const { return m_idOf.value(conversationId, 0u); }
    // The body as sent: one line, cut, and escaped when the server interprets markup (body-markup).
    static QString bodyFor(const QString &text, bool serverUsesMarkup);

private slots:
    void onActionInvoked(uint id, const QString &actionKey);
    void onNotificationClosed(uint id, uint reason);

private:
    struct Content
    {
        QString title;
        QString body;
    };
    void send(const QString &conversationId, const Content &content);
    void queryCapabilities();
    void fallBack(const QString &why);

    QDBusConnection m_bus;
    QPointer<Notifier> m_fallback;
    bool m_unavailable = false;
    bool m_markup = true; // until the server's capabilities say otherwise: escaping is the safe side
    bool m_capabilitiesKnown = false;
    QHash<QString, uint> m_idOf; // conversation → id of its notification on screen
    QHash<uint, QString> m_conversationOf;
    // Conversations whose Notify call is still unanswered, with the newest content that arrived since:
    // sent when the id is known, so it replaces rather than adds a second notification.
    QHash<QString, std::optional<Content>> m_inFlight;
};
