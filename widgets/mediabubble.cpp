#include "mediabubble.h"

#include "consolecolours.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QFontMetrics>
#include <QPainter>
#include <QPainterPath>

namespace MediaBubble {

namespace {

constexpr int ChipPad = 8;
constexpr int Corner = 6;

QString tr(const char *text)
{
    return QCoreApplication::translate("MediaBubble", text);
}

QColor chipFill(const ConsoleColours::Bubble &c, bool outbound)
{
    return ConsoleColours::mix(outbound ? c.outbound : c.inbound, outbound ? c.outboundText : c.inboundText, 0.08);
}

} // namespace

void paintFileIcon(QPainter *painter, const QRect &r, const QString &extension, const QFont &font, const QColor &ink)
{
    const qreal fold = r.width() * 0.3;
    QPainterPath page;
    page.moveTo(r.left(), r.top());
    page.lineTo(r.right() - fold, r.top());
    page.lineTo(r.right(), r.top() + fold);
    page.lineTo(r.right(), r.bottom());
    page.lineTo(r.left(), r.bottom());
    page.closeSubpath();
    painter->setPen(QPen(ink, 1.5));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(page);
    painter->drawLine(QPointF(r.right() - fold, r.top()), QPointF(r.right() - fold, r.top() + fold));
    painter->drawLine(QPointF(r.right() - fold, r.top() + fold), QPointF(r.right(), r.top() + fold));
    QFont small = font;
    small.setBold(true);
    if (small.pixelSize() > 0)
        small.setPixelSize(std::max(6, r.width() / 4));
    else
        small.setPointSizeF(std::max(5.0, r.width() / 4.0 * 0.75));
    painter->setFont(small);
    painter->drawText(r.adjusted(1, int(fold), -1, 0), Qt::AlignCenter, extension.left(4).toUpper());
}

namespace {

// A placeholder's picture glyph: a frame, a sun and two hills.
void paintPictureGlyph(QPainter *painter, const QPointF &centre, qreal side, const QColor &ink)
{
    const QRectF frame(centre.x() - side / 2, centre.y() - side * 0.4, side, side * 0.8);
    painter->setPen(QPen(ink, 2));
    painter->setBrush(Qt::NoBrush);
    painter->drawRoundedRect(frame, 4, 4);
    painter->setBrush(ink);
    painter->setPen(Qt::NoPen);
    painter->drawEllipse(QPointF(frame.left() + side * 0.28, frame.top() + side * 0.25), side * 0.08, side * 0.08);
    QPainterPath hills;
    hills.moveTo(frame.left() + 3, frame.bottom() - 3);
    hills.lineTo(frame.left() + side * 0.38, frame.top() + side * 0.38);
    hills.lineTo(frame.left() + side * 0.6, frame.top() + side * 0.55);
    hills.lineTo(frame.left() + side * 0.75, frame.top() + side * 0.42);
    hills.lineTo(frame.right() - 3, frame.bottom() - 3);
    hills.closeSubpath();
    painter->drawPath(hills);
}

} // namespace

bool showsAsImage(const Attachment &a)
{
    // Only what the console can decode and the contract lets through; a GIF or SVG link is a file.
    return a.mimeType == u"image/jpeg" || a.mimeType == u"image/png" || a.mimeType == u"image/webp";
}

QSize imageBox(const Attachment &a, int maxWidth)
{
    const int widest = std::max(MinImageSide, std::min(MaxImageSide, maxWidth));
    if (!a.hasSize())
        return QSize(std::min(PlaceholderWidth, widest),
            PlaceholderHeight * std::min(PlaceholderWidth, widest) / PlaceholderWidth);
    QSize box = QSize(a.width, a.height).scaled(QSize(widest, MaxImageSide), Qt::KeepAspectRatio);
    if (a.width <= widest && a.height <= MaxImageSide)
        box = QSize(a.width, a.height); // a small picture is not blown up
    return box.expandedTo(QSize(MinImageSide, MinImageSide)).boundedTo(QSize(widest, MaxImageSide));
}

QSize decodeBox(qreal dpr)
{
    const int side = int(std::ceil(MaxImageSide * std::max<qreal>(1, dpr)));
    return QSize(side, side);
}

QSize chipSize(const QFontMetrics &name, const QFontMetrics &details, int maxWidth)
{
    return QSize(std::min(ChipWidth, maxWidth), name.height() + details.height() + 2 * ChipPad);
}

QRect cancelRect(const QRect &media, bool mirrored)
{
    const int x = mirrored ? media.left() + 6 : media.right() - 6 - CancelSide + 1;
    return QRect(x, media.top() + 6, CancelSide, CancelSide);
}

QString kindText(const Attachment &a)
{
    if (a.isImage())
        return tr("Image");
    if (a.mimeType == u"application/pdf")
        return tr("PDF document");
    if (a.mimeType.startsWith(QLatin1String("audio/")))
        return tr("Audio");
    if (a.mimeType.startsWith(QLatin1String("video/")))
        return tr("Video");
    if (a.mimeType == u"text/plain")
        return tr("Text file");
    return tr("File");
}

QString spokenText(const Attachment &a)
{
    QStringList parts {kindText(a), a.fileName};
    if (a.size >= 0)
        parts << AttachmentRules::formatSize(a.size);
    return parts.join(QLatin1String(", "));
}

void paintImage(
    QPainter *painter, const QRect &box, const QImage &thumbnail, const ConsoleColours::Bubble &c, bool outbound)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setRenderHint(QPainter::SmoothPixmapTransform);
    QPainterPath clip;
    clip.addRoundedRect(QRectF(box), Corner, Corner);
    painter->setClipPath(clip, Qt::IntersectClip);
    painter->fillRect(box, chipFill(c, outbound));
    if (thumbnail.isNull()) {
        const QColor ink
            = ConsoleColours::mix(chipFill(c, outbound), outbound ? c.outboundSecondary : c.inboundSecondary, 0.6);
        paintPictureGlyph(painter, QRectF(box).center(), std::min(box.width(), box.height()) * 0.3, ink);
    } else {
        // Fitted into the box: a photo turned by its EXIF orientation keeps its own shape.
        const QSizeF shown = QSizeF(thumbnail.deviceIndependentSize()).scaled(QSizeF(box.size()), Qt::KeepAspectRatio);
        const QRectF target(
            QPointF(box.left() + (box.width() - shown.width()) / 2, box.top() + (box.height() - shown.height()) / 2),
            shown);
        painter->drawImage(target, thumbnail);
    }
    painter->restore();
}

void paintChip(QPainter *painter, const QRect &rect, const Attachment &a, const QFont &nameFont,
    const QFont &detailFont, const ConsoleColours::Bubble &c, bool outbound, const QString &note)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(chipFill(c, outbound));
    painter->drawRoundedRect(QRectF(rect), Corner, Corner);
    const QFontMetrics nameFm(nameFont);
    const QFontMetrics detailFm(detailFont);
    const int lines = nameFm.height() + detailFm.height();
    const int top = rect.top() + (rect.height() - lines) / 2;
    const QColor ink = outbound ? c.outboundText : c.inboundText;
    const QColor quiet = outbound ? c.outboundSecondary : c.inboundSecondary;
    const bool rtl = painter->layoutDirection() == Qt::RightToLeft;
    const int iconSide = std::min(lines, rect.height() - 2 * ChipPad);
    QRect icon(rect.left() + ChipPad, rect.top() + (rect.height() - iconSide) / 2, iconSide * 4 / 5, iconSide);
    QRect text(icon.right() + 1 + ChipPad, top, rect.right() - ChipPad - icon.right() - ChipPad, lines);
    if (rtl) {
        icon.moveRight(rect.right() - ChipPad);
        text.moveRight(icon.left() - ChipPad - 1);
    }
    paintFileIcon(painter, icon, QFileInfo(a.fileName).suffix(), detailFont, quiet);
    const Qt::Alignment leading = (rtl ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignAbsolute | Qt::AlignVCenter;
    painter->setFont(nameFont);
    painter->setPen(ink);
    // The name is the sender's text: drawn as the characters it is, elided in the middle (the extension shows).
    painter->drawText(QRect(text.left(), text.top(), text.width(), nameFm.height()), leading,
        nameFm.elidedText(a.fileName, Qt::ElideMiddle, text.width()));
    painter->setFont(detailFont);
    painter->setPen(quiet);
    const QString details = note.isEmpty()
        ? (a.size >= 0 ? tr("%1 · %2").arg(kindText(a), AttachmentRules::formatSize(a.size)) : kindText(a))
        : note;
    painter->drawText(QRect(text.left(), text.top() + nameFm.height(), text.width(), detailFm.height()), leading,
        detailFm.elidedText(details, Qt::ElideRight, text.width()));
    painter->restore();
}

void paintUpload(
    QPainter *painter, const QRect &media, const QRect &cancel, double progress, const ConsoleColours::Bubble &c)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF track(media.left() + 8, media.bottom() - 9, media.width() - 16, 4);
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(0, 0, 0, 90));
    painter->drawRoundedRect(track, 2, 2);
    QRectF done = track;
    done.setWidth(track.width() * std::clamp(progress, 0.0, 1.0));
    if (painter->layoutDirection() == Qt::RightToLeft)
        done.moveRight(track.right());
    painter->setBrush(c.read);
    painter->drawRoundedRect(done, 2, 2);
    painter->setBrush(QColor(0, 0, 0, 140));
    painter->drawEllipse(QRectF(cancel));
    painter->setPen(QPen(Qt::white, 2, Qt::SolidLine, Qt::RoundCap));
    const QRectF x = QRectF(cancel).adjusted(
        cancel.width() * 0.32, cancel.height() * 0.32, -cancel.width() * 0.32, -cancel.height() * 0.32);
    painter->drawLine(x.topLeft(), x.bottomRight());
    painter->drawLine(x.topRight(), x.bottomLeft());
    painter->restore();
}

} // namespace MediaBubble
