#include "bubblestyle.h"

#include "messagedelegate.h"
#include "messagelistmodel.h"
#include "statusmark.h"

#include <QCoreApplication>
#include <QPainter>
#include <QPalette>

namespace BubbleStyle {

static QColor mix(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(
        a.redF() * (1 - t) + b.redF() * t, a.greenF() * (1 - t) + b.greenF() * t, a.blueF() * (1 - t) + b.blueF() * t);
}

QString timeText(const QModelIndex &index)
{
    const QDateTime ts = index.data(MessageListModel::TimestampRole).toDateTime();
    return ts.isValid() ? ts.toLocalTime().toString(QStringLiteral("hh:mm")) : QString();
}

QString errorText(const QModelIndex &index)
{
    const QString error = index.data(MessageListModel::ErrorRole).toString();
    return error.isEmpty() ? QCoreApplication::translate("MessageDelegate", "Not sent") : error;
}

QString queuedNote()
{
    return QCoreApplication::translate("MessageDelegate", "Queued");
}

QString retryText()
{
    return QCoreApplication::translate("MessageDelegate", "Retry");
}

QColor viewBackground(const QPalette &palette)
{
    // A faint wash of the accent over the window colour, so white inbound bubbles stand out.
    return mix(palette.color(QPalette::Window), palette.color(QPalette::Highlight), 0.04);
}

QColor inboundColor(const QPalette &palette)
{
    return palette.color(QPalette::Base);
}

QColor outboundColor(const QPalette &palette)
{
    return mix(palette.color(QPalette::Base), palette.color(QPalette::Highlight), 0.16);
}

QColor secondaryTextColor(const QPalette &palette)
{
    return mix(palette.color(QPalette::Text), palette.color(QPalette::Base), 0.45);
}

void paintBubble(QPainter *painter, const BubbleLayout &l, const QPalette &palette, bool selected)
{
    static const QColor shadow(0, 0, 0, 28);
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(shadow);
    painter->drawRoundedRect(QRectF(l.bubble).translated(0, 1), radius, radius);

    const QColor fill = l.outbound ? outboundColor(palette) : inboundColor(palette);
    painter->setBrush(fill);
    painter->drawRoundedRect(QRectF(l.bubble), radius, radius);
    // The corner next to the sender's side stays square: the bubble "comes from" that side.
    const QRectF corner(l.outbound ? l.bubble.right() + 1 - radius : l.bubble.left(), l.bubble.top(), radius, radius);
    painter->drawRect(corner);

    if (selected) {
        QColor frame = palette.color(QPalette::Highlight);
        frame.setAlpha(170);
        painter->setPen(QPen(frame, 2));
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(QRectF(l.bubble).adjusted(-2, -2, 2, 2), radius + 2, radius + 2);
    }
}

void paintRetryButton(QPainter *painter, const QRect &rect, const QFontMetrics &fm)
{
    static const QPen border(StatusMark::failedColor(), 1.2);
    static const QColor fill(0xfd, 0xec, 0xec);
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(border);
    painter->setBrush(fill);
    const qreal r = rect.height() / 2.0;
    painter->drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), r, r);
    painter->setPen(StatusMark::failedColor());
    painter->drawText(rect, Qt::AlignCenter, fm.elidedText(retryText(), Qt::ElideRight, rect.width()));
}

} // namespace BubbleStyle
