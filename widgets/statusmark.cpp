#include "statusmark.h"

#include <QPainter>

StatusMark::StatusMark()
{
    // Design box 18 x 12: the ticks lean right like the familiar messenger marks.
    m_tick.moveTo(4.5, 6.5);
    m_tick.lineTo(7.2, 9.2);
    m_tick.lineTo(13.0, 2.8);

    m_doubleTick.moveTo(1.5, 6.5);
    m_doubleTick.lineTo(4.2, 9.2);
    m_doubleTick.lineTo(10.0, 2.8);
    // The second tick's short leg would cross the first one; start it where it emerges.
    m_doubleTick.moveTo(7.3, 8.3);
    m_doubleTick.lineTo(8.2, 9.2);
    m_doubleTick.lineTo(14.0, 2.8);

    m_clock.addEllipse(QPointF(9, 6), 4.6, 4.6);
    m_clock.moveTo(9, 3.4);
    m_clock.lineTo(9, 6.2);
    m_clock.lineTo(11.0, 7.4);

    setColours(QColor(0x8a, 0x96, 0xa0), QColor(0x1a, 0x8c, 0xe8), QColor(0xd3, 0x2f, 0x2f), Qt::white);
}

void StatusMark::setColours(const QColor &tick, const QColor &read, const QColor &failed, const QColor &failedSymbol)
{
    m_greyPen = QPen(tick, 1.4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    m_bluePen = QPen(read, 1.4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    m_exclamationPen = QPen(failedSymbol, 1.6, Qt::SolidLine, Qt::RoundCap);
    m_failed = failed;
}

void StatusMark::paint(QPainter *painter, const QRectF &rect, MessageStatus status) const
{
    if (status == MessageStatus::None)
        return;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const qreal scale = qMin(rect.width() / designWidth, rect.height() / designHeight);
    painter->translate(rect.center() - QPointF(designWidth, designHeight) * scale / 2);
    painter->scale(scale, scale);
    painter->setBrush(Qt::NoBrush);
    switch (status) {
    case MessageStatus::Pending:
        painter->setPen(m_greyPen);
        painter->drawPath(m_clock);
        break;
    case MessageStatus::Sent:
        painter->setPen(m_greyPen);
        painter->drawPath(m_tick);
        break;
    case MessageStatus::Delivered:
        painter->setPen(m_greyPen);
        painter->drawPath(m_doubleTick);
        break;
    case MessageStatus::Read:
        painter->setPen(m_bluePen);
        painter->drawPath(m_doubleTick);
        break;
    case MessageStatus::Failed: {
        painter->setPen(Qt::NoPen);
        painter->setBrush(m_failed);
        painter->drawEllipse(QPointF(9, 6), 5.6, 5.6);
        painter->setPen(m_exclamationPen);
        painter->drawLine(QPointF(9, 3.2), QPointF(9, 6.6));
        painter->drawPoint(QPointF(9, 8.9));
        break;
    }
    case MessageStatus::None:
        break;
    }
    painter->restore();
}
