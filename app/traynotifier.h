// TrayNotifier: notifications as balloon messages of the tray icon (QSystemTrayIcon::showMessage), for
// platforms without org.freedesktop.Notifications and as FreedesktopNotifier's fallback. A balloon has
// no id, so clicking one opens the conversation of the latest.
#pragma once

#include "notifier.h"

#include <QPointer>

class QSystemTrayIcon;

class TrayNotifier : public Notifier
{
    Q_OBJECT

public:
    explicit TrayNotifier(QSystemTrayIcon *tray, QObject *parent = nullptr);

    void notify(const QString &conversationId, const QString &title, const QString &body) override;

private:
    QPointer<QSystemTrayIcon> m_tray;
    QString m_lastConversation;
};
