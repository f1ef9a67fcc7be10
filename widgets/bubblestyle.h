// BubbleStyle: the look of a chat bubble (spacing, colours, labels, shapes) kept apart from the
// delegate's geometry and caching, so tuning the look touches one small file.
#pragma once

#include <QString>

namespace ConsoleColours {
struct Bubble;
}
class QFontMetrics;
class QModelIndex;
class QPainter;
class QRect;
struct BubbleLayout;

namespace BubbleStyle {

inline constexpr int sideMargin = 14; // between the view's edge and a bubble
inline constexpr int rowGap = 3; // above and below each bubble: 6 px between two bubbles
inline constexpr int padH = 10;
inline constexpr int padV = 6;
inline constexpr int radius = 10;
inline constexpr int lineGap = 4;
inline constexpr int footerGap = 6;
inline constexpr int markGap = 3;
inline constexpr int footerDrop = 2;
inline constexpr int retryPadH = 14;
inline constexpr int retryPadV = 4;
// Bubbles never span the whole width, so direction stays readable at a glance.
inline constexpr double maxBubbleFraction = 0.7;

QString timeText(const QModelIndex &index); // hh:mm in local time
QString errorText(const QModelIndex &index);
QString queuedNote();
QString retryText();

void paintBubble(QPainter *painter, const BubbleLayout &layout, const ConsoleColours::Bubble &colours, bool selected);
void paintRetryButton(
    QPainter *painter, const QRect &rect, const QFontMetrics &fm, const ConsoleColours::Bubble &colours);

} // namespace BubbleStyle
