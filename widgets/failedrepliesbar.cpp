#include "failedrepliesbar.h"

#include "consolecolours.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QPainter>
#include <QToolButton>

FailedRepliesBar::FailedRepliesBar(QWidget *parent)
    : QWidget(parent)
    , m_showFirst(new QToolButton(this))
    , m_retryAll(new QToolButton(this))
    , m_discardAll(new QToolButton(this))
{
    m_showFirst->setObjectName(QStringLiteral("showFirstUnsent"));
    m_showFirst->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_showFirst->setAccessibleName(tr("Show the first reply not sent")); // until there is a count to say
    m_showFirst->setAccessibleDescription(tr("Scrolls to the first reply not sent and selects it"));
    m_showFirst->setToolTip(tr("Show the first reply not sent"));
    m_retryAll->setText(tr("Retry all"));
    m_retryAll->setAccessibleName(tr("Retry all replies not sent"));
    m_retryAll->setAccessibleDescription(tr("Sends every failed reply again, in order"));
    m_discardAll->setText(tr("Discard all"));
    m_discardAll->setAccessibleName(tr("Discard all replies not sent"));
    m_discardAll->setAccessibleDescription(tr("Removes every failed reply from the conversation"));
    for (QToolButton *b : {m_showFirst, m_retryAll, m_discardAll}) {
        b->setAutoRaise(true);
        b->setCursor(Qt::PointingHandCursor);
    }
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 4, 8, 4);
    layout->addWidget(m_showFirst);
    layout->addStretch(1);
    layout->addWidget(m_retryAll);
    layout->addWidget(m_discardAll);
    setAccessibleName(tr("Failed replies"));
    setAccessibleDescription(tr("Replies that could not be sent"));
    applyColours();
    connect(m_showFirst, &QToolButton::clicked, this, &FailedRepliesBar::showFirstRequested);
    connect(m_retryAll, &QToolButton::clicked, this, &FailedRepliesBar::retryAllRequested);
    connect(m_discardAll, &QToolButton::clicked, this, &FailedRepliesBar::discardAllRequested);
    hide();
}

void FailedRepliesBar::setUnsentCount(int count, bool connectionBack)
{
    m_count = count;
    if (count <= 0) {
        hide();
        return;
    }
    const QString notSent = tr("%n replies not sent", nullptr, count);
    m_showFirst->setText(connectionBack ? tr("Connection is back · %1").arg(notSent) : notSent);
    m_showFirst->setAccessibleName(tr("%1, show the first").arg(m_showFirst->text()));
    show();
}

QString FailedRepliesBar::text() const
{
    return m_showFirst->text();
}

void FailedRepliesBar::applyColours()
{
    const QColor text = ConsoleColours::Tone::fromPalette(ConsoleColours::Tone::Negative, palette()).text;
    for (QWidget *w : {static_cast<QWidget *>(m_showFirst), static_cast<QWidget *>(m_retryAll),
             static_cast<QWidget *>(m_discardAll)}) {
        QPalette p = w->palette();
        p.setColor(QPalette::WindowText, text);
        p.setColor(QPalette::ButtonText, text);
        w->setPalette(p);
    }
    update();
}

void FailedRepliesBar::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        applyColours();
}

void FailedRepliesBar::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const ConsoleColours::Tone tone = ConsoleColours::Tone::fromPalette(ConsoleColours::Tone::Negative, palette());
    painter.fillRect(rect(), tone.background);
    painter.fillRect(QRect(0, height() - 1, width(), 1), tone.rule);
}
