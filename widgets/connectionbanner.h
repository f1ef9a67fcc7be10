// ConnectionBanner: a slim bar above the conversation telling the agent whether replies can reach
// the customer right now (connecting, reconnecting with a countdown, disconnected, error).
#pragma once

#include <QDeadlineTimer>
#include <QWidget>

class QLabel;
class QTimer;
class QToolButton;

class ConnectionBanner : public QWidget
{
    Q_OBJECT

public:
    enum class State { Connecting, Connected, Reconnecting, Disconnected, Error };
    Q_ENUM(State)

    explicit ConnectionBanner(QWidget *parent = nullptr);

    // `detail`: the reason for Disconnected, the whole message for Error.
    void setState(State state, const QString &detail = QString());
    // Reconnecting, counting down the seconds until the next attempt.
    void setReconnecting(int delayMs);
    // Error with `message`, counting down the seconds until the next try comes by itself.
    void setRetrying(const QString &message, int delayMs);
    // An action offered beside the text (e.g. "Retry now"); an empty text removes it.
    void setAction(const QString &text);

    State state() const { return m_state; }
    QToolButton *actionButton() const { return m_action; }
    QString text() const;

signals:
    void actionTriggered();

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void showText();
    void applyColours();
    void tick();

    QLabel *m_label = nullptr;
    QToolButton *m_action = nullptr;
    QTimer *m_countdown = nullptr;
    QTimer *m_hideTimer = nullptr;
    QDeadlineTimer m_reconnectAt {QDeadlineTimer::Forever};
    State m_state = State::Connecting;
    QString m_detail;
};
