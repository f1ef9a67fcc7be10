#include "notificationcenter.h"

#include "notifier.h"

NotificationCenter::NotificationCenter(Notifier *notifier, QObject *parent)
    : QObject(parent)
{
    setNotifier(notifier);
}

Notifier *NotificationCenter::notifier() const
{
    return m_notifier;
}

void NotificationCenter::setNotifier(Notifier *notifier)
{
    disconnect(m_activation);
    m_notifier = notifier;
    if (notifier)
        m_activation = connect(notifier, &Notifier::activated, this, &NotificationCenter::openRequested);
}

void NotificationCenter::onInbound(
    const QString &conversationId, const QString &customerName, const QString &text, bool onScreen)
{
    if (onScreen || !m_notifier)
        return;
    const QString title = customerName.trimmed().isEmpty() ? tr("Conversation %1").arg(conversationId) : customerName;
    // A message with only an attachment has no text to show.
    const QString body = text.trimmed().isEmpty() ? tr("Sent an attachment") : text;
    m_notifier->notify(conversationId, title, body);
}
