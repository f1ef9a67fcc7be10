#include "connectionbanner.h"

#include "consolecolours.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QTimer>
#include <QToolButton>

#include <QtMath>

namespace {
constexpr int connectedVisibleMs = 2000; // long enough to notice "Connected", then get out of the way

ConsoleColours::Tone toneFor(ConnectionBanner::State state, const QPalette &palette)
{
    using Tone = ConsoleColours::Tone;
    switch (state) {
    case ConnectionBanner::State::Connected:
        return Tone::fromPalette(Tone::Positive, palette);
    case ConnectionBanner::State::Reconnecting:
        return Tone::fromPalette(Tone::Warning, palette);
    case ConnectionBanner::State::Disconnected:
    case ConnectionBanner::State::Error:
        return Tone::fromPalette(Tone::Negative, palette);
    case ConnectionBanner::State::Connecting:
        break;
    }
    return Tone::fromPalette(Tone::Neutral, palette);
}
} // namespace

ConnectionBanner::ConnectionBanner(QWidget *parent)
    : QWidget(parent)
    , m_label(new QLabel(this))
    , m_action(new QToolButton(this))
    , m_countdown(new QTimer(this))
    , m_hideTimer(new QTimer(this))
{
    m_label->setTextFormat(Qt::PlainText); // server messages are shown, never interpreted
    m_label->setWordWrap(true);
    m_action->setVisible(false);
    // Named from the start: a screen reader lists hidden controls too, and one without a name is read
    // out as "button" alone (Orca through AT-SPI). setAction() names it after what it does.
    m_action->setObjectName(QStringLiteral("bannerAction"));
    m_action->setAccessibleName(tr("Reconnect now"));
    m_action->setAccessibleDescription(tr("Tries to connect again now"));
    m_action->setCursor(Qt::PointingHandCursor);
    m_action->setAutoRaise(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 5, 8, 5);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_action);
    setAccessibleName(tr("Connection status"));
    setAccessibleDescription(tr("Whether replies can reach the customer right now"));

    m_countdown->setSingleShot(true);
    m_hideTimer->setObjectName(QStringLiteral("hideTimer"));
    m_hideTimer->setSingleShot(true);
    m_hideTimer->setInterval(connectedVisibleMs);
    connect(m_countdown, &QTimer::timeout, this, &ConnectionBanner::tick);
    connect(m_hideTimer, &QTimer::timeout, this, &QWidget::hide);
    connect(m_action, &QToolButton::clicked, this, &ConnectionBanner::actionTriggered);
    showText();
}

void ConnectionBanner::setState(State state, const QString &detail)
{
    m_state = state;
    m_detail = detail;
    m_countdown->stop();
    m_reconnectAt = QDeadlineTimer(QDeadlineTimer::Forever);
    if (state == State::Connected) {
        m_action->setVisible(false);
        m_hideTimer->start();
    } else {
        m_hideTimer->stop();
    }
    show();
    showText();
}

void ConnectionBanner::setReconnecting(int delayMs)
{
    setState(State::Reconnecting);
    m_reconnectAt = QDeadlineTimer(qMax(0, delayMs));
    tick();
}

void ConnectionBanner::setRetrying(const QString &message, int delayMs)
{
    setState(State::Error, message);
    m_reconnectAt = QDeadlineTimer(qMax(0, delayMs));
    tick();
}

void ConnectionBanner::setAction(const QString &text)
{
    m_action->setText(text);
    if (!text.isEmpty()) // hidden, it keeps the name it had: never an unnamed button
        m_action->setAccessibleName(text);
    m_action->setVisible(!text.isEmpty());
}

void ConnectionBanner::tick()
{
    showText();
    const qint64 left = m_reconnectAt.remainingTime();
    if ((m_state == State::Reconnecting || m_state == State::Error) && !m_reconnectAt.isForever() && left > 0) {
        // Wake at the next whole second left, so the number changes exactly when it should.
        const qint64 toNextSecond = left % 1000 == 0 ? 1000 : left % 1000;
        m_countdown->start(int(toNextSecond));
    }
}

QString ConnectionBanner::text() const
{
    return m_label->text();
}

void ConnectionBanner::showText()
{
    QString text;
    switch (m_state) {
    case State::Connecting:
        text = tr("Connecting…");
        break;
    case State::Connected:
        text = tr("Connected");
        break;
    case State::Reconnecting: {
        const qint64 left = m_reconnectAt.isForever() ? 0 : m_reconnectAt.remainingTime();
        text = left > 0 ? tr("Reconnecting in %1 s…").arg(qCeil(left / 1000.0)) : tr("Reconnecting…");
        break;
    }
    case State::Disconnected:
        text = m_detail.isEmpty() ? tr("Disconnected") : tr("Disconnected: %1").arg(m_detail);
        break;
    case State::Error: {
        text = m_detail.isEmpty() ? tr("Connection error") : m_detail;
        const qint64 left = m_reconnectAt.isForever() ? 0 : m_reconnectAt.remainingTime();
        if (!m_reconnectAt.isForever())
            text = left > 0 ? tr("%1 — trying again in %2 s…").arg(text).arg(qCeil(left / 1000.0))
                            : tr("%1 — trying again…").arg(text);
        break;
    }
    }
    m_label->setText(text);
    applyColours();
}

void ConnectionBanner::applyColours()
{
    const QColor text = toneFor(m_state, palette()).text;
    QPalette labelPalette = m_label->palette();
    labelPalette.setColor(QPalette::WindowText, text);
    m_label->setPalette(labelPalette);
    QPalette actionPalette = m_action->palette();
    actionPalette.setColor(QPalette::ButtonText, text);
    actionPalette.setColor(QPalette::WindowText, text);
    m_action->setPalette(actionPalette);
    update();
}

void ConnectionBanner::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        applyColours();
}

void ConnectionBanner::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const ConsoleColours::Tone tone = toneFor(m_state, palette());
    painter.fillRect(rect(), tone.background);
    painter.fillRect(QRect(0, height() - 1, width(), 1), tone.rule);
}
