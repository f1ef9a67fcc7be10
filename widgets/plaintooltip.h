// QToolTip guesses rich text from the content. Text that comes from the server, the customer or a
// canned response goes through this so it always shows as the characters it is, lines kept.
#pragma once

#include <QString>

inline QString plainToolTip(const QString &text)
{
    return QStringLiteral("<qt>%1</qt>").arg(text.toHtmlEscaped().replace(u'\n', QStringLiteral("<br>")));
}
