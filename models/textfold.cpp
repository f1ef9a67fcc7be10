#include "textfold.h"

#include <array>
#include <memory>

namespace {

constexpr char16_t Drop = 0; // the character folds to nothing (a mark)
constexpr char16_t Several = 0xffff; // it folds to more than one character: computed each time (rare)

bool ignored(char32_t c)
{
    const QChar::Category category = QChar::category(c);
    return category == QChar::Mark_NonSpacing || category == QChar::Mark_Enclosing
        || c == 0x0640 // Arabic tatweel: stretches a word, never part of it
        || c == 0x200c || c == 0x200d; // zero-width (non-)joiners shape a word, they do not spell it
}

// One character's folding, by its decomposition (canonical or compatibility, recursively), marks dropped,
// then case-folded.
void foldInto(char32_t c, QString &out)
{
    if (ignored(c))
        return;
    if (QChar::decompositionTag(c) != QChar::NoDecomposition) {
        const QString parts = QChar::decomposition(c);
        for (qsizetype i = 0; i < parts.size(); ++i) {
            char32_t part = parts.at(i).unicode();
            if (QChar::isHighSurrogate(part) && i + 1 < parts.size())
                part = QChar::surrogateToUcs4(parts.at(i), parts.at(++i));
            foldInto(part, out);
        }
        return;
    }
    const char32_t folded = QChar::toCaseFolded(c);
    if (QChar::requiresSurrogates(folded)) {
        out.append(QChar(QChar::highSurrogate(folded)));
        out.append(QChar(QChar::lowSurrogate(folded)));
    } else {
        out.append(QChar(char16_t(folded)));
    }
}

// The folding of every UTF-16 unit of the Basic Multilingual Plane that folds to at most one unit,
// computed once: folding a long conversation then costs one table look-up per character.
struct Table
{
    std::array<char16_t, 0x10000> unit {};
    Table()
    {
        QString out;
        for (char32_t c = 0; c < 0x10000; ++c) {
            if (QChar::isSurrogate(c)) {
                unit[c] = char16_t(c); // a pair is folded as a whole, below
                continue;
            }
            out.clear();
            foldInto(c, out);
            unit[c] = out.isEmpty() ? Drop : out.size() == 1 ? out.at(0).unicode() : Several;
        }
    }
};

const Table &table()
{
    static const auto instance = std::make_unique<Table>();
    return *instance;
}

template <typename Origin> QString foldWith(QStringView text, Origin &&origin)
{
    const Table &t = table();
    QString out;
    out.reserve(text.size());
    QString several;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t u = text[i].unicode();
        if (u < 0x80) { // ASCII, most of every conversation
            out.append(QChar(u >= u'A' && u <= u'Z' ? char16_t(u + 32) : u));
            origin(i, 1);
            continue;
        }
        if (QChar::isHighSurrogate(u) && i + 1 < text.size() && QChar::isLowSurrogate(text[i + 1].unicode())) {
            several.clear();
            foldInto(QChar::surrogateToUcs4(u, text[i + 1].unicode()), several);
            out.append(several);
            origin(i, several.size());
            ++i;
            continue;
        }
        const char16_t f = t.unit[u];
        if (f == Drop)
            continue;
        if (f != Several) {
            out.append(QChar(f));
            origin(i, 1);
            continue;
        }
        several.clear();
        foldInto(u, several);
        out.append(several);
        origin(i, several.size());
    }
    return out;
}

} // namespace

namespace TextFold {

QString fold(QStringView text)
{
    return foldWith(text, [](qsizetype, qsizetype) {});
}

QString fold(QStringView text, QList<int> *origin)
{
    origin->clear();
    origin->reserve(text.size() + 1);
    QString out = foldWith(text, [origin](qsizetype from, qsizetype count) {
        for (qsizetype k = 0; k < count; ++k)
            origin->append(int(from));
    });
    origin->append(int(text.size()));
    return out;
}

} // namespace TextFold
