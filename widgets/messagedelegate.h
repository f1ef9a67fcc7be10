// MessageDelegate: paints one chat bubble per MessageListModel row (attachment, text, link, time,
// delivery mark, error + Retry, upload progress + cancel) from a single geometry function shared by
// paint, sizeHint and hit-testing. Pictures come from a ThumbnailCache, never decoded here.
#pragma once

#include "consolecolours.h"
#include "statusmark.h"
#include "thumbnailcache.h"

#include <QCache>
#include <QFont>
#include <QHash>
#include <QStyledItemDelegate>
#include <QTextLayout>

#include <functional>
#include <memory>

struct BubbleLayout
{
    QRect row; // the whole row, margins included
    QRect bubble;
    QRect media; // the attachment: a picture's box or a file's chip; empty without one
    QRect cancel; // the upload's cancel button, while the attachment is being uploaded
    bool image = false; // `media` shows a picture
    QRect text; // empty when the message has no text
    QRect link; // the mediaUrl line; empty without one
    QRect note; // "Queued"; empty unless queued
    QRect error; // failed replies only
    QRect retry; // failed replies only
    QRect time;
    QRect status; // outbound only
    bool outbound = false;
    // Right-to-left UI: the whole row is the left-to-right layout mirrored (own replies on the left,
    // Retry at the bubble's right); the text inside keeps the direction of its own characters.
    bool mirrored = false;
};

// A stretch of a message's text marked by find in the conversation, in the text's own positions.
struct TextHighlight
{
    int start = 0;
    int length = 0;
    bool current = false; // the match the find bar is on
};

class MessageDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit MessageDelegate(QObject *parent = nullptr);
    ~MessageDelegate() override;

    // The one geometry function: option.rect gives the row's top-left and the view's width,
    // option.direction whether the row is mirrored.
    BubbleLayout layoutFor(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    QRect retryButtonRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    QRect linkRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    QRect bubbleRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    QRect statusRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    QRect mediaRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    ThumbnailCache *thumbnails() const { return m_thumbnails; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    // What of a row's delivery state its height depends on: a failed reply grows an error line (one line,
    // whatever the error) and a Retry button, a queued one a note in the footer, which may then not fit
    // beside the last line; every status is a mark of the same size. And its media: none, a link, a chip
    // or a picture's box (the outbox's changes carry the media roles, mostly unchanged).
    static quint32 heightShape(const QModelIndex &index);
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
        const QModelIndex &index) override;

    // The colours for `palette`, derived once per palette and colour group.
    const ConsoleColours::Bubble &colours(const QPalette &palette) const;
    // Drops the colours derived from the palette (fonts are keyed by the font itself); the view calls
    // it on a palette or style change, in case a palette changed without a new cache key.
    void invalidateStyle();

    // The text exactly as painted: the raw message text, never interpreted as markup.
    static QString displayedText(const QModelIndex &index);
    // "Pending", "Uploading, 40 %", "Sent", "Delivered", "Read", "Failed: <error>", "Queued — …"; empty
    // for inbound.
    static QString stateText(const QModelIndex &index);
    // What the row is called: its text; for an attachment "Image, receipt.png, 84 KB" and its caption.
    static QString accessibleName(const QModelIndex &index);
    // One line for assistive technology: who, what, when and the delivery state.
    static QString accessibleText(const QModelIndex &index);
    // Only web links open on click: a customer-supplied file:, smb: or custom-scheme URL is shown
    // as text and never handed to the desktop.
    static bool isOpenableLink(const QString &url);

    // Where find in the conversation marks a row's text; none by default. Painting only: the marks never
    // change a bubble's size, so the owner of the source repaints the view when they change.
    using HighlightSource = std::function<QList<TextHighlight>(const QModelIndex &index)>;
    void setHighlightSource(HighlightSource source) { m_highlights = std::move(source); }

    // Test instrumentation: which rows sizeHint() was asked for since the last reset.
    int sizeHintCalls() const { return int(m_sizeHintRows.size()); }
    QList<int> sizeHintRowsSinceReset() const { return m_sizeHintRows; }
    void resetSizeHintCounter() { m_sizeHintRows.clear(); }

private:
    struct TextMetrics
    {
        QString text; // what was laid out, to notice an edited message under the same id
        int height = 0;
        int width = 0; // widest line
        int lastLineWidth = 0;
        bool rightToLeft = false; // the text's own direction, from its first strong character
    };
    struct Fonts;

    void ensureFonts(const QFont &base) const;
    int currentTextWidth(const QStyleOptionViewItem &option) const; // the width text wraps at
    const TextMetrics &textMetrics(const QString &id, const QString &text, int width) const;
    std::unique_ptr<QTextLayout> layoutText(const QString &text, int width) const;
    static QList<QTextLayout::FormatRange> findMarks(
        const QList<TextHighlight> &highlights, const ConsoleColours::Bubble &colours);
    void paintMedia(QPainter *painter, const BubbleLayout &l, const QStyleOptionViewItem &option,
        const QModelIndex &index, const ConsoleColours::Bubble &c) const;

    mutable std::unique_ptr<Fonts> m_fonts;
    // Text width -> message id -> metrics: a status change never re-lays out text, a width change
    // does once per row. Only the last few widths are kept, so resizing does not grow memory.
    mutable QHash<int, QHash<QString, TextMetrics>> m_metrics;
    // Laid-out text for painting; bounded, since only the visible rows need one.
    mutable QCache<QPair<QString, int>, QTextLayout> m_layouts {400};
    mutable StatusMark m_marks;
    mutable ConsoleColours::Bubble m_colours;
    mutable qint64 m_coloursKey = -1; // QPalette::cacheKey() of the palette m_colours came from
    mutable int m_coloursGroup = -1;
    mutable QList<int> m_sizeHintRows;
    HighlightSource m_highlights;
    ThumbnailCache *m_thumbnails;
};
