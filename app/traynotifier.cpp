#include "traynotifier.h"

#include <QSystemTrayIcon>

TrayNotifier::TrayNotifier(QSystemTrayIcon *tray, QObject *parent)
    : Notifier(parent)
    , m_tray(tray)
{
    if (m_tray) {
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            if (!m_lastConversation.isEmpty())
                emit activated(m_lastConversation);
        });
    }
}

void TrayNotifier::notify(const QString &conversationId, const QString &title, const QString &body)
{
    if (!m_tray)
        return;
    m_lastConversation = conversationId;
    // showMessage() takes plain text on every platform.
    m_tray->showMessage(excerpt(title, 80), excerpt(body), m_tray->icon(), 10000);
}
