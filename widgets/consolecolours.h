// ConsoleColours: every colour the console paints, derived from the widget's QPalette so the
// console follows the system's light or dark scheme, and nudged until text keeps a contrast of at
// least 4.5:1 (WCAG AA) whatever the palette is.
#pragma once

#include <QColor>

class QPalette;

namespace ConsoleColours {

inline constexpr double textContrast = 4.5; // WCAG AA for body text
inline constexpr double markContrast = 3.0; // WCAG AA for graphical objects (ticks, the failed mark)

// WCAG 2 relative luminance (0 = black, 1 = white) and contrast ratio (1..21).
double luminance(const QColor &colour);
double contrast(const QColor &a, const QColor &b);
QColor mix(const QColor &a, const QColor &b, double t); // t = 0: a, t = 1: b; opaque
// `colour` if it reaches `ratio` against `background`, else the nearest shade towards black or white
// (whichever can get there) that does.
QColor withContrast(const QColor &colour, const QColor &background, double ratio = textContrast);
bool isDark(const QPalette &palette); // a dark colour scheme: light text on dark surfaces

// The look of a message bubble; computed once per palette (see MessageDelegate::colours()).
struct Bubble
{
    QColor background; // behind the bubbles
    QColor shadow;
    QColor inbound; // fills
    QColor outbound;
    QColor inboundText;
    QColor outboundText;
    QColor inboundSecondary; // time, "Queued"
    QColor outboundSecondary;
    QColor inboundLink;
    QColor outboundLink;
    QColor tick; // sent / delivered / pending marks, on the outbound fill
    QColor read; // blue ticks
    QColor failed; // the failed mark's disc
    QColor failedSymbol; // the "!" on it
    QColor errorText; // the reason under a failed reply, on the outbound fill
    QColor retryFill;
    QColor retryText; // also the button's border
    QColor selection;
    QColor scrollHandle;
    QColor findMatch; // find in the conversation: behind every match
    QColor findCurrent; // behind the one the find bar is on
    QColor findText; // the matched text, on either

    static Bubble fromPalette(const QPalette &palette);
};

// A slim bar's two colours (banner, failed replies): a tint of the window and readable text on it.
struct Tone
{
    enum Kind { Neutral, Positive, Warning, Negative };
    QColor background;
    QColor text;
    QColor rule; // the hairline under the bar

    static Tone fromPalette(Kind kind, const QPalette &palette);
};

// Red for "something failed" as text on the window (composer limit message, counters).
QColor failedText(const QPalette &palette);

} // namespace ConsoleColours
