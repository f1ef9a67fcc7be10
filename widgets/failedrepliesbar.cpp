#include "failedrepliesbar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QToolButton>

FailedRepliesBar::FailedRepliesBar(QWidget *parent)
    : QWidget(parent)
    , m_label(new QLabel(this))
    , m_retryAll(new QToolButton(this))
    , m_discardAll(new QToolButton(this))
{
    m_label->setTextFormat(Qt::PlainText);
    QPalette text = m_label->palette();
    text.setColor(QPalette::WindowText, QColor(0xa4, 0x26, 0x2c)); // the red of the failed mark
    m_label->setPalette(text);
    m_retryAll->setText(tr("Retry all"));
    m_retryAll->setAccessibleName(tr("Retry all replies not sent"));
    m_discardAll->setText(tr("Discard all"));
    m_discardAll->setAccessibleName(tr("Discard all replies not sent"));
    for (QToolButton *b : {m_retryAll, m_discardAll}) {
        b->setAutoRaise(true);
        b->setCursor(Qt::PointingHandCursor);
    }
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 4, 8, 4);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_retryAll);
    layout->addWidget(m_discardAll);
    setAccessibleName(tr("Failed replies"));
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
    const QString notSent = count == 1 ? tr("1 reply not sent") : tr("%1 replies not sent").arg(count);
    m_label->setText(connectionBack ? tr("Connection is back · %1").arg(notSent) : notSent);
    show();
}

QString FailedRepliesBar::text() const
{
    return m_label->text();
}

void FailedRepliesBar::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), QColor(0xfd, 0xe7, 0xe9));
    painter.fillRect(QRect(0, height() - 1, width(), 1), QColor(0xa4, 0x26, 0x2c, 40));
}
