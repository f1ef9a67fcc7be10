#include "messagedelegate.h"

#include "bubblestyle.h"
#include "mediabubble.h"
#include "messagelistmodel.h"
#include "plaintooltip.h"

#include <QAbstractItemView>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

using namespace BubbleStyle;

struct MessageDelegate::Fonts
{
    explicit Fonts(const QFont &f)
        : base(f)
        , small(smallFont(f))
        , link(f)
        , fm(f)
        , sfm(small)
    {
        link.setUnderline(true);
        const int markH = sfm.height();
        mark = QSize(qRound(markH * StatusMark::designWidth / StatusMark::designHeight), markH);
    }
    static QFont smallFont(const QFont &f)
    {
        QFont s(f);
        if (f.pointSizeF() > 0)
            s.setPointSizeF(f.pointSizeF() * 0.8);
        else
            s.setPixelSize(qMax(8, qRound(f.pixelSize() * 0.8)));
        return s;
    }

    QFont base;
    QFont small;
    QFont link;
    QFontMetrics fm;
    QFontMetrics sfm;
    QSize mark;
};

MessageDelegate::MessageDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
    , m_thumbnails(new ThumbnailCache(this))
{
}

MessageDelegate::~MessageDelegate() = default;

void MessageDelegate::ensureFonts(const QFont &base) const
{
    if (m_fonts && m_fonts->base == base)
        return;
    m_fonts = std::make_unique<Fonts>(base);
    m_metrics.clear();
    m_layouts.clear();
}

std::unique_ptr<QTextLayout> MessageDelegate::layoutText(const QString &text, int width) const
{
    // QTextLayout only breaks lines on U+2028; a message's '\n' must become one. The string is
    // laid out as plain text: "<b>x</b>" stays those eight characters.
    QString plain = text;
    plain.replace(QLatin1Char('\n'), QChar::LineSeparator);
    auto layout = std::make_unique<QTextLayout>(plain, m_fonts->base);
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    // Each message in its own direction, whatever the UI's: Arabic starts at the right even in an
    // English console, English at the left in an Arabic one. Absolute alignment, so the lines sit at
    // the side the text starts from; paint() shifts right-aligned lines into the bubble.
    const bool rtl = text.isRightToLeft();
    option.setTextDirection(rtl ? Qt::RightToLeft : Qt::LeftToRight);
    option.setAlignment(Qt::AlignAbsolute | (rtl ? Qt::AlignRight : Qt::AlignLeft));
    layout->setTextOption(option);
    layout->setCacheEnabled(true);
    layout->beginLayout();
    qreal y = 0;
    for (QTextLine line = layout->createLine(); line.isValid(); line = layout->createLine()) {
        line.setLineWidth(width);
        line.setPosition(QPointF(0, y));
        y += line.height();
    }
    layout->endLayout();
    return layout;
}

const MessageDelegate::TextMetrics &MessageDelegate::textMetrics(
    const QString &id, const QString &text, int width) const
{
    if (!m_metrics.contains(width) && m_metrics.size() >= 3)
        m_metrics.clear(); // a resize in progress: old widths will not come back soon
    TextMetrics &m = m_metrics[width][id];
    if (m.text.isNull() || m.text != text) {
        auto layout = layoutText(text, width);
        m.text = text;
        m.height = int(std::ceil(layout->boundingRect().height()));
        m.width = 0;
        for (int i = 0; i < layout->lineCount(); ++i)
            m.width = qMax(m.width, int(std::ceil(layout->lineAt(i).naturalTextWidth())));
        m.lastLineWidth
            = layout->lineCount() > 0 ? int(std::ceil(layout->lineAt(layout->lineCount() - 1).naturalTextWidth())) : 0;
        m.rightToLeft = layout->textOption().textDirection() == Qt::RightToLeft;
        // A grapheme cluster no line break can split (a letter under hundreds of combining marks) may be
        // wider than the line: the bubble stays within the view and the excess is clipped when painted.
        m.width = qMin(m.width, width);
        m.lastLineWidth = qMin(m.lastLineWidth, width);
        m_layouts.remove({id, width});
    }
    return m;
}

BubbleLayout MessageDelegate::layoutFor(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    ensureFonts(option.font);
    const Fonts &f = *m_fonts;
    BubbleLayout l;
    l.outbound = index.data(MessageListModel::DirectionRole).toInt() == int(Direction::Outbound);
    l.mirrored = option.direction == Qt::RightToLeft;
    const auto status = MessageStatus(index.data(MessageListModel::StatusRole).toInt());
    const bool failed = l.outbound && status == MessageStatus::Failed;
    const bool queued = l.outbound && index.data(MessageListModel::QueuedRole).toBool();
    const QString text = index.data(MessageListModel::TextRole).toString();
    const Attachment attachment = index.data(MessageListModel::AttachmentRole).value<Attachment>();
    // An attachment is shown as itself; a bare mediaUrl (a backend that names nothing) as a link.
    const QString url = attachment.isEmpty() ? index.data(MessageListModel::MediaUrlRole).toString() : QString();

    const int rowWidth = option.rect.width();
    const int maxContent = currentTextWidth(option);

    // Laid out left to right and mirrored at the end for a right-to-left UI: "leading" is the left
    // here. Footer: [Queued]  hh:mm  [mark], at the trailing end of the last line when it fits there.
    const int timeW = f.sfm.horizontalAdvance(timeText(index));
    const int noteW = queued ? f.sfm.horizontalAdvance(queuedNote()) + footerGap : 0;
    const int markW = l.outbound ? f.mark.width() + markGap : 0;
    const int footerW = noteW + timeW + markW;
    const int footerH = f.sfm.height();

    int y = 0;
    int contentW = 0;
    int lastLineRight = -1; // the right end of the line the footer may share
    int footerBottom = 0;
    // Whether the text (or the link) starts at the bubble's leading edge: its direction is the UI's.
    // Otherwise it hugs the trailing edge, and the footer cannot share its last line.
    bool textLeads = true;
    bool linkLeads = true;
    if (!attachment.isEmpty()) {
        // Its size is known before anything is decoded: the row never changes height when the picture arrives.
        l.image = MediaBubble::showsAsImage(attachment);
        const QSize size
            = l.image ? MediaBubble::imageBox(attachment, maxContent) : MediaBubble::chipSize(f.fm, f.sfm, maxContent);
        l.media = QRect(QPoint(0, 0), size);
        if (index.data(MessageListModel::UploadProgressRole).toDouble() >= 0)
            l.cancel = MediaBubble::cancelRect(l.media, false); // mirrored below with the rest
        y = size.height() + (text.isEmpty() ? 0 : lineGap);
        contentW = size.width(); // at the leading edge, like the UI: mirrored with the rest below
    }
    if (!text.isEmpty()) {
        const TextMetrics &tm = textMetrics(index.data(MessageListModel::IdRole).toString(), text, maxContent);
        l.text = QRect(0, y, tm.width, tm.height);
        y += tm.height;
        contentW = qMax(contentW, tm.width);
        textLeads = tm.rightToLeft == l.mirrored;
        lastLineRight = textLeads ? tm.lastLineWidth : -1;
    }
    if (!url.isEmpty()) {
        y += l.text.isEmpty() ? 0 : lineGap;
        // +1: the advance is rounded, and eliding to a width a fraction short would cut the end off.
        const int w = qMin(f.fm.horizontalAdvance(url) + 1, maxContent);
        l.link = QRect(0, y, w, f.fm.height());
        y += l.link.height();
        contentW = qMax(contentW, w);
        linkLeads = !l.mirrored; // a URL reads left to right
        lastLineRight = linkLeads ? w : -1;
    }
    if (failed) {
        y += lineGap;
        const int w = qMin(f.sfm.horizontalAdvance(errorText(index)) + 1, maxContent);
        l.error = QRect(0, y, w, f.sfm.height());
        y += l.error.height() + lineGap * 2;
        l.retry = QRect(0, y, f.fm.horizontalAdvance(retryText()) + 2 * retryPadH, f.fm.height() + 2 * retryPadV);
        y += l.retry.height();
        contentW = std::max({contentW, w, l.retry.width() + footerGap * 2 + footerW});
        footerBottom = y;
    } else if (lastLineRight >= 0 && lastLineRight + footerGap * 2 + footerW <= maxContent) {
        contentW = qMax(contentW, lastLineRight + footerGap * 2 + footerW);
        footerBottom = y + footerDrop;
        y += footerDrop; // the footer sits a little below the text's baseline, as in messengers
    } else {
        y += lineGap / 2;
        y += footerH;
        contentW = qMax(contentW, footerW);
        footerBottom = y;
    }
    if (!textLeads)
        l.text.moveLeft(contentW - l.text.width());
    if (!linkLeads)
        l.link.moveLeft(contentW - l.link.width());

    const QSize bubbleSize(contentW + 2 * padH, y + 2 * padV);
    const int bubbleX
        = l.outbound ? option.rect.right() + 1 - sideMargin - bubbleSize.width() : option.rect.left() + sideMargin;
    l.row = QRect(option.rect.topLeft(), QSize(rowWidth, bubbleSize.height() + 2 * rowGap));
    l.bubble = QRect(QPoint(bubbleX, option.rect.top() + rowGap), bubbleSize);

    const QPoint origin = l.bubble.topLeft() + QPoint(padH, padV);
    for (QRect *r : {&l.media, &l.cancel, &l.text, &l.link, &l.error, &l.retry}) {
        if (!r->isNull())
            r->translate(origin);
    }
    int right = origin.x() + contentW;
    const int footerTop = origin.y() + footerBottom - footerH;
    if (l.outbound) {
        l.status = QRect(
            right - f.mark.width(), footerTop + (footerH - f.mark.height()) / 2 + 1, f.mark.width(), f.mark.height());
        right -= markW;
    }
    l.time = QRect(right - timeW, footerTop, timeW, footerH);
    if (queued)
        l.note = QRect(l.time.left() - noteW, footerTop, noteW - footerGap, footerH);
    if (l.mirrored) {
        const int axis = option.rect.left() + option.rect.right();
        for (QRect *r :
            {&l.bubble, &l.media, &l.cancel, &l.text, &l.link, &l.note, &l.error, &l.retry, &l.time, &l.status}) {
            if (!r->isNull())
                r->moveLeft(axis - r->right());
        }
    }
    return l;
}

QRect MessageDelegate::retryButtonRect(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return layoutFor(option, index).retry;
}

QRect MessageDelegate::linkRect(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return layoutFor(option, index).link;
}

QRect MessageDelegate::bubbleRect(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return layoutFor(option, index).bubble;
}

QRect MessageDelegate::statusRect(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return layoutFor(option, index).status;
}

QRect MessageDelegate::mediaRect(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return layoutFor(option, index).media;
}

void MessageDelegate::paintMedia(QPainter *painter, const BubbleLayout &l, const QStyleOptionViewItem &option,
    const QModelIndex &index, const ConsoleColours::Bubble &c) const
{
    const Attachment attachment = index.data(MessageListModel::AttachmentRole).value<Attachment>();
    const QString id = index.data(MessageListModel::IdRole).toString();
    if (!l.image) {
        MediaBubble::paintChip(painter, l.media, attachment, m_fonts->base, m_fonts->small, c, l.outbound);
    } else {
        const qreal dpr = option.widget ? option.widget->devicePixelRatioF() : painter->device()->devicePixelRatioF();
        const QImage thumbnail = m_thumbnails->thumbnail(
            id, attachment, index.data(MessageListModel::MediaUrlRole).toString(), MediaBubble::decodeBox(dpr));
        if (m_thumbnails->state(id) == ThumbnailCache::State::Failed) // shown as a file, never as nothing
            MediaBubble::paintChip(painter, l.media, attachment, m_fonts->base, m_fonts->small, c, l.outbound,
                tr("Cannot show this picture"));
        else
            MediaBubble::paintImage(painter, l.media, thumbnail, c, l.outbound);
    }
    if (!l.cancel.isNull())
        MediaBubble::paintUpload(
            painter, l.media, l.cancel, index.data(MessageListModel::UploadProgressRole).toDouble(), c);
}

quint32 MessageDelegate::heightShape(const QModelIndex &index)
{
    quint32 delivery = 0;
    if (index.data(MessageListModel::DirectionRole).toInt() == int(Direction::Outbound)) {
        const bool failed = MessageStatus(index.data(MessageListModel::StatusRole).toInt()) == MessageStatus::Failed;
        const bool queued = index.data(MessageListModel::QueuedRole).toBool();
        delivery = (failed ? 1 : 0) | (queued ? 2 : 0);
    }
    // As layoutFor() sizes the media: a link by its text, a chip always alike, a picture by its pixel size.
    const Attachment a = index.data(MessageListModel::AttachmentRole).value<Attachment>();
    const bool image = !a.isEmpty() && MediaBubble::showsAsImage(a);
    const size_t media = a.isEmpty() ? qHash(index.data(MessageListModel::MediaUrlRole).toString())
                                     : qHashMulti(1, image, image ? a.width : 0, image ? a.height : 0);
    return (quint32(media) << 2) | delivery;
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    m_sizeHintRows.append(index.row());
    return layoutFor(option, index).row.size();
}

const ConsoleColours::Bubble &MessageDelegate::colours(const QPalette &palette) const
{
    if (palette.cacheKey() != m_coloursKey || int(palette.currentColorGroup()) != m_coloursGroup) {
        m_colours = ConsoleColours::Bubble::fromPalette(palette);
        m_coloursKey = palette.cacheKey();
        m_coloursGroup = int(palette.currentColorGroup());
        m_marks.setColours(m_colours.tick, m_colours.read, m_colours.failed, m_colours.failedSymbol);
    }
    return m_colours;
}

void MessageDelegate::invalidateStyle()
{
    m_coloursKey = -1;
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const BubbleLayout l = layoutFor(option, index);
    const ConsoleColours::Bubble &c = colours(option.palette);
    const auto status = MessageStatus(index.data(MessageListModel::StatusRole).toInt());
    const Qt::Alignment leading = QStyle::visualAlignment(option.direction, Qt::AlignLeft);
    painter->save();
    paintBubble(painter, l, c, option.state & QStyle::State_Selected);
    if (!l.media.isNull())
        paintMedia(painter, l, option, index, c);

    if (!l.text.isNull()) {
        const QString id = index.data(MessageListModel::IdRole).toString();
        const QPair<QString, int> key {id, currentTextWidth(option)};
        QTextLayout *layout = m_layouts.object(key);
        if (!layout) {
            auto fresh = layoutText(displayedText(index), key.second);
            layout = fresh.get();
            m_layouts.insert(key, fresh.release());
        }
        painter->setPen(l.outbound ? c.outboundText : c.inboundText);
        painter->save();
        painter->setClipRect(l.text, Qt::IntersectClip);
        // Right-aligned (right-to-left) lines end at the layout's width: move that end to the text's.
        const bool alignedRight = layout->textOption().alignment() & Qt::AlignRight;
        layout->draw(painter, QPoint(alignedRight ? l.text.right() + 1 - key.second : l.text.left(), l.text.top()),
            m_highlights ? findMarks(m_highlights(index), c) : QList<QTextLayout::FormatRange>());
        painter->restore();
    }
    if (!l.link.isNull()) {
        const QString url = index.data(MessageListModel::MediaUrlRole).toString();
        const bool openable = isOpenableLink(url);
        painter->setFont(openable ? m_fonts->link : m_fonts->base);
        painter->setPen(
            openable ? (l.outbound ? c.outboundLink : c.inboundLink) : (l.outbound ? c.outboundText : c.inboundText));
        painter->setLayoutDirection(Qt::LeftToRight); // a URL's slashes stay where they are in RTL
        painter->drawText(l.link, Qt::AlignLeft | Qt::AlignAbsolute | Qt::AlignVCenter,
            m_fonts->fm.elidedText(url, Qt::ElideMiddle, l.link.width()));
        painter->setLayoutDirection(option.direction);
    }
    painter->setFont(m_fonts->small);
    painter->setPen(l.outbound ? c.outboundSecondary : c.inboundSecondary);
    if (!l.note.isNull())
        painter->drawText(l.note, Qt::AlignCenter, queuedNote());
    painter->drawText(l.time, Qt::AlignCenter, timeText(index));
    if (l.outbound)
        m_marks.paint(painter, l.status, status);
    if (!l.retry.isNull()) {
        painter->setPen(c.errorText);
        painter->drawText(l.error, leading | Qt::AlignVCenter,
            m_fonts->sfm.elidedText(errorText(index), Qt::ElideRight, l.error.width()));
        painter->setFont(m_fonts->base);
        paintRetryButton(painter, l.retry, m_fonts->fm, c);
    }
    painter->restore();
}

// Marks in logical positions: QTextLayout places them right in either direction and across line breaks.
QList<QTextLayout::FormatRange> MessageDelegate::findMarks(
    const QList<TextHighlight> &highlights, const ConsoleColours::Bubble &colours)
{
    QList<QTextLayout::FormatRange> ranges;
    for (const TextHighlight &h : highlights) {
        QTextLayout::FormatRange range;
        range.start = h.start;
        range.length = h.length;
        range.format.setBackground(h.current ? colours.findCurrent : colours.findMatch);
        range.format.setForeground(colours.findText);
        ranges.append(range);
    }
    return ranges;
}

int MessageDelegate::currentTextWidth(const QStyleOptionViewItem &option) const
{
    return qMax(80, int(option.rect.width() * maxBubbleFraction) - 2 * padH);
}

bool MessageDelegate::helpEvent(
    QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() != QEvent::ToolTip || !index.isValid())
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    const BubbleLayout l = layoutFor(option, index);
    const QPoint pos = event->pos();
    QString tip;
    QRect area;
    if (l.outbound && l.status.adjusted(-3, -3, 3, 3).contains(pos)) {
        tip = stateText(index);
        area = l.status;
    } else if (l.retry.contains(pos)) {
        tip = tr("Retry sending message");
        area = l.retry;
    } else if (l.cancel.contains(pos)) {
        tip = tr("Cancel the upload (the reply is not sent)");
        area = l.cancel;
    } else if (l.media.contains(pos)) {
        tip = MediaBubble::spokenText(index.data(MessageListModel::AttachmentRole).value<Attachment>());
        area = l.media;
    } else if (l.link.contains(pos)) {
        tip = index.data(MessageListModel::MediaUrlRole).toString();
        area = l.link;
    } else if (l.time.contains(pos) || l.note.contains(pos)) {
        const QString state = stateText(index);
        tip = QLocale().toString(
            index.data(MessageListModel::TimestampRole).toDateTime().toLocalTime(), QLocale::LongFormat);
        if (!state.isEmpty())
            tip += QLatin1Char('\n') + state;
        area = l.time.united(l.status);
    }
    if (tip.isEmpty()) {
        QToolTip::hideText();
        return true;
    }
    // The error and the link come from the server or the customer.
    QToolTip::showText(event->globalPos(), plainToolTip(tip), view->viewport(), area);
    return true;
}
