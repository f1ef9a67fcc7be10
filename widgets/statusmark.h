// StatusMark: the delivery marks of an outbound bubble (clock, ticks, failure), painted as vector
// paths so they stay crisp at any device pixel ratio. Paths and pens are built once.
#pragma once

#include "message.h"

#include <QColor>
#include <QPainterPath>
#include <QPen>

class QPainter;

class StatusMark
{
public:
    StatusMark();

    // Width / height of the design box; callers scale a rect of this aspect.
    static constexpr qreal designWidth = 18;
    static constexpr qreal designHeight = 12;

    void paint(QPainter *painter, const QRectF &rect, MessageStatus status) const;

    static QColor readColor() { return QColor(0x1a, 0x8c, 0xe8); }
    static QColor tickColor() { return QColor(0x8a, 0x96, 0xa0); }
    static QColor failedColor() { return QColor(0xd3, 0x2f, 0x2f); }

private:
    QPainterPath m_tick;
    QPainterPath m_doubleTick;
    QPainterPath m_clock;
    QPen m_greyPen;
    QPen m_bluePen;
    QPen m_exclamationPen;
};
