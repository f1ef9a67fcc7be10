// ConversationRowDelegate: paints one row of the conversation sidebar: customer name and last message
// time on the first line, the last message (one line, elided) and the unread badge on the second.
// Palette colours only, so a dark palette gives a dark sidebar; text is always plain.
#pragma once

#include <QDateTime>
#include <QFont>
#include <QStyledItemDelegate>

class ConversationRowDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit ConversationRowDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // "14:05" today, "Yesterday", a weekday within the week, else the short date.
    static QString timeText(const QDateTime &time, const QDateTime &now = QDateTime::currentDateTime());

    // Where the parts of a row go, left to right; painting mirrors them for right-to-left.
    struct Layout
    {
        QRect name;
        QRect time;
        QRect preview;
        QRect badge; // empty without unread messages
        QRect unsent; // empty without unsent replies
    };
    Layout layoutFor(const QStyleOptionViewItem &option, const QModelIndex &index) const;

private:
    struct Fonts
    {
        QFont base;
        QFont name;
        QFont small;
        QFont badge;
        int rowHeight = 0;
    };
    const Fonts &fonts(const QFont &base) const;

    mutable Fonts m_fonts; // derived from the view's font; rebuilt when that changes
    mutable bool m_fontsValid = false;
};
