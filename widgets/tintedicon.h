// TintedIcon: an icon from a one-colour SVG, drawn in a colour taken from the palette (the SVG's own
// fill is ignored) and rendered from the vector at whatever size and device pixel ratio is asked.
#pragma once

#include <QColor>
#include <QIcon>

namespace TintedIcon {
// `normal` for the Normal and Active modes, `disabled` for Disabled. `mirrored` flips it left to
// right, for icons that point somewhere (the send arrow) in a right-to-left UI.
QIcon fromSvg(const QString &path, const QColor &normal, const QColor &disabled, bool mirrored = false);
} // namespace TintedIcon
