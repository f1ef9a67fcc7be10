// NotificationCenter: decides when an inbound customer message becomes a desktop notification (only
// when the agent cannot see it: another conversation on screen, or the window not active) and turns a
// click on one into a request to open that conversation.
#pragma once

#include <QObject>
#include <QPointer>

class Notifier;

class NotificationCenter : public QObject
{
    Q_OBJECT

public:
    // The notifier is not owned; it may be replaced (e.g. tests) and may be null (notifications off).
    explicit NotificationCenter(Notifier *notifier, QObject *parent = nullptr);

    void setNotifier(Notifier *notifier);
    Notifier *notifier() const;

public slots:
    // `onScreen`: the conversation is the one shown and the window is active.
    void onInbound(const QString &conversationId, const QString &customerName, const QString &text, bool onScreen);

signals:
    void openRequested(const QString &conversationId);

private:
    QPointer<Notifier> m_notifier;
    QMetaObject::Connection m_activation;
};
