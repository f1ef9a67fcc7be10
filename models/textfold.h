// TextFold: text folded for matching as a reader expects (issue 18): case-insensitive, accents and
// other combining marks ignored (é finds e, أ finds ا), compatibility forms read as their letters (ﬁ is
// fi, Arabic presentation forms are their base letters, the Arabic tatweel is ignored). Pure functions.
#pragma once

#include <QList>
#include <QString>
#include <QStringView>

namespace TextFold {

// The folded text. Characters keep their order, so a match in it is a match in the text.
QString fold(QStringView text);
// The same, and where each folded character came from: `origin` gets folded.size() + 1 positions in
// `text`, the last one text.size(). A match [from, to) of the folded text is [origin[from], origin[to])
// of the text, marks that followed its last letter included.
QString fold(QStringView text, QList<int> *origin);

} // namespace TextFold
