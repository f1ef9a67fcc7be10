#include "consolecolours.h"

#include <QPalette>

#include <cmath>

namespace ConsoleColours {

namespace {
// Hues the palette does not provide. Each has a shade for light schemes and one for dark schemes;
// the light ones are the colours the console always had.
struct Accent
{
    QColor light;
    QColor dark;
    QColor pick(bool darkScheme) const { return darkScheme ? dark : light; }
};
const Accent readBlue {QColor(0x1a, 0x8c, 0xe8), QColor(0x5a, 0xb8, 0xff)};
const Accent failedRed {QColor(0xd3, 0x2f, 0x2f), QColor(0xff, 0x6b, 0x6b)};
const Accent positive {QColor(0x2e, 0x7d, 0x32), QColor(0x66, 0xbb, 0x6a)};
const Accent warning {QColor(0xf2, 0xb6, 0x00), QColor(0xf2, 0xb6, 0x00)};
const Accent negative {QColor(0xd3, 0x2f, 0x2f), QColor(0xef, 0x53, 0x50)};
const Accent positiveText {QColor(0x1e, 0x6b, 0x2a), QColor(0x9c, 0xe0, 0xa0)};
const Accent warningText {QColor(0x6b, 0x52, 0x00), QColor(0xf5, 0xd0, 0x6a)};
const Accent negativeText {QColor(0xa4, 0x26, 0x2c), QColor(0xff, 0x9a, 0x9a)};

double channel(double c)
{
    return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}
} // namespace

double luminance(const QColor &colour)
{
    const QColor c = colour.toRgb();
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor mix(const QColor &a, const QColor &b, double t)
{
    const QColor x = a.toRgb();
    const QColor y = b.toRgb();
    return QColor::fromRgbF(float(x.redF() * (1 - t) + y.redF() * t), float(x.greenF() * (1 - t) + y.greenF() * t),
        float(x.blueF() * (1 - t) + y.blueF() * t));
}

QColor withContrast(const QColor &colour, const QColor &background, double ratio)
{
    if (contrast(colour, background) >= ratio)
        return colour;
    // Towards white on a dark background, black on a light one; if that end cannot reach the ratio
    // (a mid-grey background), the other one.
    const QColor white(Qt::white);
    const QColor black(Qt::black);
    const bool darkBackground = contrast(white, background) >= contrast(black, background);
    const QColor target = darkBackground ? white : black;
    // Binary search for the least change: keeps as much of the hue as the ratio allows.
    double lo = 0;
    double hi = 1;
    for (int i = 0; i < 12; ++i) {
        const double mid = (lo + hi) / 2;
        if (contrast(mix(colour, target, mid), background) >= ratio)
            hi = mid;
        else
            lo = mid;
    }
    return mix(colour, target, hi);
}

bool isDark(const QPalette &palette)
{
    return luminance(palette.color(QPalette::Window)) < luminance(palette.color(QPalette::WindowText));
}

Bubble Bubble::fromPalette(const QPalette &palette)
{
    const bool dark = isDark(palette);
    const QColor window = palette.color(QPalette::Window);
    const QColor base = palette.color(QPalette::Base);
    const QColor highlight = palette.color(QPalette::Highlight);
    const QColor text = palette.color(QPalette::Text);
    Bubble b;
    // A faint wash of the accent over the window, so inbound bubbles stand out from it.
    b.background = mix(window, highlight, 0.04);
    b.inbound = base;
    if (contrast(b.inbound, b.background) < 1.08) {
        // Base and Window alike (some dark themes): lift the bubble off the background.
        b.inbound = mix(base, palette.color(QPalette::AlternateBase), 0.5);
        if (contrast(b.inbound, b.background) < 1.08)
            b.inbound = mix(base, text, dark ? 0.08 : 0.04);
    }
    b.outbound = mix(base, highlight, dark ? 0.32 : 0.16);
    b.shadow = dark ? QColor(0, 0, 0, 90) : QColor(0, 0, 0, 28);
    b.inboundText = withContrast(text, b.inbound);
    b.outboundText = withContrast(text, b.outbound);
    b.inboundSecondary = withContrast(mix(text, b.inbound, 0.45), b.inbound);
    b.outboundSecondary = withContrast(mix(text, b.outbound, 0.45), b.outbound);
    QColor link = palette.color(QPalette::Link);
    if (dark && luminance(link) < 0.2)
        link = readBlue.dark; // many dark palettes keep the light scheme's navy link colour
    b.inboundLink = withContrast(link, b.inbound);
    b.outboundLink = withContrast(link, b.outbound);
    b.tick = b.outboundSecondary;
    b.read = withContrast(readBlue.pick(dark), b.outbound, markContrast);
    b.failed = withContrast(failedRed.pick(dark), b.outbound, markContrast);
    b.failedSymbol = withContrast(dark ? QColor(0x20, 0x20, 0x20) : QColor(Qt::white), b.failed, markContrast);
    b.errorText = withContrast(failedRed.pick(dark), b.outbound);
    b.retryFill = mix(b.outbound, failedRed.pick(dark), dark ? 0.16 : 0.09);
    b.retryText = withContrast(failedRed.pick(dark), b.retryFill);
    b.selection = highlight;
    b.selection.setAlpha(170);
    b.scrollHandle = text;
    b.scrollHandle.setAlpha(dark ? 90 : 70);
    // Find marks as in browsers and editors: yellow for every match, orange for the current one, with
    // dark text on both in either scheme.
    b.findMatch = QColor(0xff, 0xe0, 0x66);
    b.findCurrent = QColor(0xff, 0x96, 0x32);
    b.findText = withContrast(QColor(0x20, 0x20, 0x20), b.findCurrent);
    return b;
}

Tone Tone::fromPalette(Kind kind, const QPalette &palette)
{
    const bool dark = isDark(palette);
    const QColor window = palette.color(QPalette::Window);
    Tone t;
    QColor text;
    switch (kind) {
    case Neutral:
        t.background = palette.color(QPalette::AlternateBase);
        text = palette.color(QPalette::WindowText);
        break;
    case Positive:
        t.background = mix(window, positive.pick(dark), dark ? 0.25 : 0.13);
        text = positiveText.pick(dark);
        break;
    case Warning:
        t.background = mix(window, warning.pick(dark), dark ? 0.22 : 0.2);
        text = warningText.pick(dark);
        break;
    case Negative:
        t.background = mix(window, negative.pick(dark), dark ? 0.25 : 0.11);
        text = negativeText.pick(dark);
        break;
    }
    t.text = withContrast(text, t.background);
    t.rule = t.text;
    t.rule.setAlpha(40);
    return t;
}

QColor failedText(const QPalette &palette)
{
    return withContrast(failedRed.pick(isDark(palette)), palette.color(QPalette::Window));
}

} // namespace ConsoleColours
