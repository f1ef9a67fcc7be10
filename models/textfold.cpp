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
                unit[c] = Several; // a pair is folded as a whole, below
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

// Writes into a buffer of the text's length (grown only for the rare character that folds to several):
// a long conversation is folded at a table look-up and a store per character.
template <typename Origin> QString foldWith(QStringView text, Origin &&origin)
{
    const Table &t = table();
    QString out;
    out.resize(text.size());
    char16_t *d = reinterpret_cast<char16_t *>(out.data());
    qsizetype n = 0;
    QString several;
    const auto putSeveral = [&](qsizetype from) {
        // Room for these and for one unit per character still to come (counted from this one: enough).
        if (n + several.size() + text.size() - from > out.size()) {
            out.resize(n + several.size() + text.size() - from);
            d = reinterpret_cast<char16_t *>(out.data());
        }
        for (const QChar c : std::as_const(several))
            d[n++] = c.unicode();
        origin(from, several.size());
    };
    const char16_t *src = reinterpret_cast<const char16_t *>(text.data());
    const qsizetype size = text.size();
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t u = src[i];
        const char16_t f = t.unit[u];
        if (f != Drop && f != Several) {
            d[n++] = f;
            origin(i, 1);
            continue;
        }
        if (f == Drop)
            continue;
        several.clear();
        if (QChar::isHighSurrogate(u) && i + 1 < size && QChar::isLowSurrogate(src[i + 1])) {
            foldInto(QChar::surrogateToUcs4(u, src[i + 1]), several);
            putSeveral(i);
            ++i;
            continue;
        }
        foldInto(u, several);
        putSeveral(i);
    }
    out.truncate(n);
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
