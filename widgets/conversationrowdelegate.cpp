#include "conversationrowdelegate.h"

#include "conversationlistmodel.h"

#include <QApplication>
#include <QLocale>
#include <QPainter>

namespace {
constexpr int padding = 10;
constexpr int lineGap = 3;
constexpr int gap = 8;

QString countText(int count)
{
    return count > 99 ? QStringLiteral("99+") : QLocale().toString(count);
}
}

ConversationRowDelegate::ConversationRowDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

const ConversationRowDelegate::Fonts &ConversationRowDelegate::fonts(const QFont &base) const
{
    if (!m_fontsValid || m_fonts.base != base) {
        m_fonts.base = base;
        m_fonts.name = base;
        m_fonts.name.setWeight(QFont::DemiBold);
        m_fonts.small = base;
        m_fonts.small.setPointSizeF(base.pointSizeF() > 0 ? base.pointSizeF() * 0.88 : 9);
        m_fonts.badge = m_fonts.small;
        m_fonts.badge.setWeight(QFont::Bold);
        m_fonts.rowHeight
            = padding + QFontMetrics(m_fonts.name).height() + lineGap + QFontMetrics(base).height() + padding;
        m_fontsValid = true;
    }
    return m_fonts;
}

QString ConversationRowDelegate::timeText(const QDateTime &time, const QDateTime &now)
{
    if (!time.isValid())
        return QString();
    const QDateTime local = time.toLocalTime();
    const QDate day = local.date();
    const QDate today = now.toLocalTime().date();
    const QLocale locale;
    if (day == today)
        return local.toString(QStringLiteral("hh:mm")); // as the bubbles write it
    if (day == today.addDays(-1))
        return tr("Yesterday");
    if (day > today.addDays(-7) && day < today)
        return locale.dayName(day.dayOfWeek(), QLocale::ShortFormat);
    return locale.toString(day, QLocale::ShortFormat);
}

QSize ConversationRowDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    return QSize(200, fonts(option.font).rowHeight);
}

ConversationRowDelegate::Layout ConversationRowDelegate::layoutFor(
    const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const Fonts &f = fonts(option.font);
    const QFontMetrics nameMetrics(f.name);
    const QFontMetrics smallMetrics(f.small);
    const QFontMetrics baseMetrics(f.base);
    const QFontMetrics badgeMetrics(f.badge);
    const QRect area = option.rect.adjusted(padding, padding, -padding, -padding);

    Layout l;
    const int firstHeight = nameMetrics.height();
    const QString time = timeText(index.data(ConversationListModel::LastMessageTimeRole).toDateTime());
    const int timeWidth = time.isEmpty() ? 0 : smallMetrics.horizontalAdvance(time);
    l.time = QRect(area.right() + 1 - timeWidth, area.top(), timeWidth, firstHeight);
    l.name = QRect(area.left(), area.top(), qMax(0, area.width() - timeWidth - (timeWidth ? gap : 0)), firstHeight);

    const int secondTop = area.top() + firstHeight + lineGap;
    const int secondHeight = baseMetrics.height();
    int right = area.right() + 1;
    const int unread = index.data(ConversationListModel::UnreadCountRole).toInt();
    if (unread > 0) {
        const int h = badgeMetrics.height() + 2;
        const int w = qMax(h, badgeMetrics.horizontalAdvance(countText(unread)) + h / 2 + 2);
        l.badge = QRect(right - w, secondTop + (secondHeight - h) / 2, w, h);
        right = l.badge.left() - gap / 2;
    }
    const int unsent = index.data(ConversationListModel::UnsentCountRole).toInt();
    if (unsent > 0) {
        const int h = badgeMetrics.height() + 2;
        const int w = badgeMetrics.horizontalAdvance(QStringLiteral("! ") + countText(unsent)) + h / 2 + 2;
        l.unsent = QRect(right - w, secondTop + (secondHeight - h) / 2, w, h);
        right = l.unsent.left() - gap / 2;
    }
    l.preview = QRect(
        area.left(), secondTop, qMax(0, right - area.left() - (right < area.right() + 1 ? gap / 2 : 0)), secondHeight);

    // Right-to-left: the same layout, mirrored inside the row.
    if (option.direction == Qt::RightToLeft) {
        for (QRect *r : {&l.name, &l.time, &l.preview, &l.badge, &l.unsent}) {
            if (!r->isNull())
                *r = QStyle::visualRect(Qt::RightToLeft, option.rect, *r);
        }
    }
    return l;
}

void ConversationRowDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear(); // the style paints the selection and hover panel only; the text is ours
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);

    const Fonts &f = fonts(option.font);
    const Layout l = layoutFor(option, index);
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = !(option.state & QStyle::State_Enabled) ? QPalette::Disabled
        : (option.state & QStyle::State_Active)                                ? QPalette::Active
                                                                               : QPalette::Inactive;
    const QPalette &palette = option.palette;
    const QColor text = palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    QColor secondary = text;
    if (!selected)
        secondary = palette.color(group, QPalette::PlaceholderText);
    // Rows mirror with the layout; each text keeps its own direction, so a Latin name in an Arabic UI
    // (or the reverse) reads and elides as it should.
    const bool mirrored = option.direction == Qt::RightToLeft;
    const Qt::Alignment leading = (mirrored ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignAbsolute | Qt::AlignVCenter;
    const Qt::Alignment trailing = (mirrored ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignAbsolute | Qt::AlignVCenter;
    const auto drawLine = [painter](const QRect &rect, Qt::Alignment alignment, const QString &text) {
        painter->setLayoutDirection(text.isRightToLeft() ? Qt::RightToLeft : Qt::LeftToRight);
        painter->drawText(rect, int(alignment) | Qt::TextSingleLine, text);
    };
    const int unread = index.data(ConversationListModel::UnreadCountRole).toInt();

    painter->save();
    painter->setFont(f.name);
    painter->setPen(text);
    const QString name = index.data(Qt::DisplayRole).toString();
    drawLine(l.name, leading, QFontMetrics(f.name).elidedText(name, Qt::ElideRight, l.name.width()));

    painter->setFont(f.small);
    painter->setPen(unread > 0 && !selected ? palette.color(group, QPalette::Highlight) : secondary);
    drawLine(l.time, trailing, timeText(index.data(ConversationListModel::LastMessageTimeRole).toDateTime()));

    painter->setFont(f.base);
    painter->setPen(unread > 0 ? text : secondary);
    const QString preview = index.data(ConversationListModel::PreviewRole).toString();
    drawLine(l.preview, leading, QFontMetrics(f.base).elidedText(preview, Qt::ElideRight, l.preview.width()));

    painter->setRenderHint(QPainter::Antialiasing);
    painter->setFont(f.badge);
    if (!l.badge.isEmpty()) {
        // On a selected row the badge swaps its colours, so it never melts into the highlight.
        painter->setPen(Qt::NoPen);
        painter->setBrush(palette.color(group, selected ? QPalette::HighlightedText : QPalette::Highlight));
        const qreal radius = l.badge.height() / 2.0;
        painter->drawRoundedRect(QRectF(l.badge), radius, radius);
        painter->setPen(palette.color(group, selected ? QPalette::Highlight : QPalette::HighlightedText));
        painter->drawText(l.badge, Qt::AlignCenter | Qt::TextSingleLine, countText(unread));
    }
    if (!l.unsent.isEmpty()) {
        const int unsent = index.data(ConversationListModel::UnsentCountRole).toInt();
        painter->setPen(QPen(text, 1));
        painter->setBrush(Qt::NoBrush);
        const qreal radius = l.unsent.height() / 2.0;
        painter->drawRoundedRect(QRectF(l.unsent).adjusted(0.5, 0.5, -0.5, -0.5), radius, radius);
        painter->drawText(l.unsent, Qt::AlignCenter | Qt::TextSingleLine, QStringLiteral("! ") + countText(unsent));
    }
    painter->restore();
}
