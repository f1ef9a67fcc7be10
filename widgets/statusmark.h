// StatusMark: the delivery marks of an outbound bubble (clock, ticks, failure), painted as vector
// paths so they stay crisp at any device pixel ratio. Paths are built once, pens once per palette.
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

    // From ConsoleColours::Bubble: grey ticks, blue read ticks, the red disc and its "!".
    void setColours(const QColor &tick, const QColor &read, const QColor &failed, const QColor &failedSymbol);
    QColor failedColour() const { return m_failed; }

private:
    QPainterPath m_tick;
    QPainterPath m_doubleTick;
    QPainterPath m_clock;
    QPen m_greyPen;
    QPen m_bluePen;
    QPen m_exclamationPen;
    QColor m_failed;
};
