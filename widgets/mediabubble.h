// MediaBubble: how an attachment looks in a bubble, kept apart from MessageDelegate's text layout: the
// box of a picture (its size known before anything is decoded, from the width and height the message
// carries, else a placeholder of fixed size, so the list never jumps), the chip of any other file
// (icon, name, size), the upload's progress and its cancel button, and the words a screen reader says.
#pragma once

#include "attachment.h"

#include <QImage>
#include <QRect>
#include <QSize>
#include <QString>

class QFontMetrics;
class QFont;
class QPainter;
namespace ConsoleColours {
struct Bubble;
}

namespace MediaBubble {

inline constexpr int MaxImageSide = 280; // device-independent pixels
inline constexpr int MinImageSide = 48; // a 1000 × 10 strip still gets a box one can click
inline constexpr int PlaceholderWidth = 240; // a picture whose size nobody said
inline constexpr int PlaceholderHeight = 180;
inline constexpr int ChipWidth = 260;
inline constexpr int CancelSide = 28;

// The box a picture is shown in, at most `maxWidth` wide.
QSize imageBox(const Attachment &attachment, int maxWidth);
// The size thumbnails are decoded at, for a screen of device pixel ratio `dpr`: one size for every row.
QSize decodeBox(qreal dpr);
// A file's chip: two lines (name, then kind and size) beside an icon.
QSize chipSize(const QFontMetrics &name, const QFontMetrics &details, int maxWidth);
// Whether `attachment` is shown as a picture (a box) rather than a chip.
bool showsAsImage(const Attachment &attachment);
// The round ✕ that cancels an upload, at the top trailing corner of `media` (the left one when mirrored).
QRect cancelRect(const QRect &media, bool mirrored);

// "Image", "PDF document", "Audio", "Video", "Text file", "File".
QString kindText(const Attachment &attachment);
// "Image, receipt.png, 84 KB": what a screen reader says of it.
QString spokenText(const Attachment &attachment);

// A page with a folded corner and the file's extension on it.
void paintFileIcon(
    QPainter *painter, const QRect &rect, const QString &extension, const QFont &font, const QColor &ink);
void paintImage(
    QPainter *painter, const QRect &box, const QImage &thumbnail, const ConsoleColours::Bubble &colours, bool outbound);
void paintChip(QPainter *painter, const QRect &rect, const Attachment &attachment, const QFont &nameFont,
    const QFont &detailFont, const ConsoleColours::Bubble &colours, bool outbound, const QString &note = {});
// A bar along the bottom of `media` filled to `progress` (0..1), and the cancel button.
void paintUpload(
    QPainter *painter, const QRect &media, const QRect &cancel, double progress, const ConsoleColours::Bubble &colours);

} // namespace MediaBubble
