#include "notifier.h"

#include <QTextBoundaryFinder>

QString Notifier::excerpt(const QString &text, int maxChars)
{
    const QString line = text.simplified();
    if (line.size() <= maxChars)
        return line;
    // Cut between graphemes, so no surrogate pair or accent is split, leaving room for the ellipsis.
    QTextBoundaryFinder graphemes(QTextBoundaryFinder::Grapheme, line);
    graphemes.setPosition(maxChars - 1);
    if (!graphemes.isAtBoundary())
        graphemes.toPreviousBoundary();
    const qsizetype cut = qMax<qsizetype>(0, graphemes.position());
    return line.left(cut).trimmed() + QChar(0x2026);
}
