#include "bubblestyle.h"

#include "consolecolours.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"

#include <QCoreApplication>
#include <QPainter>

namespace BubbleStyle {

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

void paintBubble(QPainter *painter, const BubbleLayout &l, const ConsoleColours::Bubble &colours, bool selected)
{
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(colours.shadow);
    painter->drawRoundedRect(QRectF(l.bubble).translated(0, 1), radius, radius);

    painter->setBrush(l.outbound ? colours.outbound : colours.inbound);
    painter->drawRoundedRect(QRectF(l.bubble), radius, radius);
    // The corner next to the sender's side stays square: the bubble "comes from" that side, which
    // right-to-left mirrors.
    const bool fromRight = l.outbound != l.mirrored;
    const QRectF corner(fromRight ? l.bubble.right() + 1 - radius : l.bubble.left(), l.bubble.top(), radius, radius);
    painter->drawRect(corner);

    if (selected) {
        painter->setPen(QPen(colours.selection, 2));
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(QRectF(l.bubble).adjusted(-2, -2, 2, 2), radius + 2, radius + 2);
    }
}

void paintRetryButton(
    QPainter *painter, const QRect &rect, const QFontMetrics &fm, const ConsoleColours::Bubble &colours)
{
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(colours.retryText, 1.2));
    painter->setBrush(colours.retryFill);
    const qreal r = rect.height() / 2.0;
    painter->drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), r, r);
    painter->setPen(colours.retryText);
    painter->drawText(rect, Qt::AlignCenter, fm.elidedText(retryText(), Qt::ElideRight, rect.width()));
}

} // namespace BubbleStyle
