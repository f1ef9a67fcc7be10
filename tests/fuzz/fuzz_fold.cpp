// Fuzz target: the text folding of find in a conversation (issue 18) over any message text a customer
// can send: every UTF-16 unit, lone surrogates, marks without a letter, ligatures and other characters
// that fold to several. Folding writes into a buffer of its own sizing, so nothing may write past it;
// and what find relies on must hold: the origin of every folded unit inside the text and in order, no
// U+0000 in a folded text (it separates the rows of a search), and the marks inside the text, in order.
// MessageSearch over rows of the text finds what folding each row and searching it alone finds, through
// its one-byte and its UTF-16 scan, with an older page put in front after a first search.
#include "messagelistmodel.h"
#include "messagesearch.h"
#include "textfold.h"

#include <QString>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

void require(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz_fold: invariant broken: %s\n", what);
        std::abort();
    }
}

void check(const QString &text, const QString &query)
{
    const QString folded = TextFold::fold(text);
    QList<int> origin;
    require(TextFold::fold(text, &origin) == folded, "the two folds differ");
    require(origin.size() == folded.size() + 1, "one origin per folded unit, and the end");
    require(origin.last() == int(text.size()), "the last origin is not the end of the text");
    require(std::is_sorted(origin.cbegin(), origin.cend()), "origins out of order");
    require(origin.isEmpty() || origin.first() >= 0, "an origin before the text");
    require(!folded.contains(QChar(u'\0')), "U+0000 in a folded text");

    const QString needle = MessageSearch::prepare(query);
    // Marks in order (two may share a ligature: "f" twice in "ﬀ"), each inside the text.
    int previous = 0;
    for (const auto &[start, length] : MessageSearch::textRanges(text, needle)) {
        require(start >= previous && length > 0 && start + length <= text.size(), "a mark outside the text");
        previous = start;
    }
}

// The matches of `query` row by row, each row folded and searched alone: what MessageSearch must find.
QList<MessageSearch::Match> expected(const QStringList &rows, const QString &query)
{
    QList<MessageSearch::Match> matches;
    const QString needle = MessageSearch::prepare(query);
    if (needle.isEmpty())
        return matches;
    for (int row = 0; row < rows.size(); ++row) {
        const QString folded = TextFold::fold(rows[row]);
        for (qsizetype at = folded.indexOf(needle); at >= 0; at = folded.indexOf(needle, at + needle.size()))
            matches.append({row, int(at)});
    }
    return matches;
}

void checkSearch(const QString &text, const QString &query)
{
    const QStringList rows = text.split(u'\n').mid(0, 16);
    const int older = int(rows.size()) / 2; // these come later, as an older page
    MessageListModel model;
    const auto message = [](int row, const QString &text) {
        Message m;
        m.id = QString::number(row);
        m.text = text;
        return m;
    };
    for (int row = older; row < rows.size(); ++row)
        model.append(message(row, rows[row]));
    MessageSearch search(&model);
    require(search.findAll(query) == expected(rows.mid(older), query), "a search of the rows differs");
    QList<Message> page;
    for (int row = 0; row < older; ++row)
        page.append(message(row, rows[row]));
    model.prepend(page);
    require(search.findAll(query) == expected(rows, query), "a search after an older page differs");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // The first byte splits the rest: what is searched for, then the text. Both read as UTF-16 (any
    // unit, paired or not) and as UTF-8 (what a REST body carries).
    if (size == 0)
        return 0;
    const size_t split = std::min<size_t>(data[0], size - 1);
    const auto *rest = reinterpret_cast<const char *>(data + 1);
    const QByteArray query(rest, qsizetype(split));
    const QByteArray text(rest + split, qsizetype(size - 1 - split));
    const auto utf16 = [](const QByteArray &bytes) {
        return QString(reinterpret_cast<const QChar *>(bytes.constData()), bytes.size() / 2);
    };
    check(utf16(text), utf16(query));
    check(QString::fromUtf8(text), QString::fromUtf8(query));
    // A model and a search per input cost the most: one reading of the bytes each, by the first byte.
    if (data[0] & 1)
        checkSearch(utf16(text), utf16(query));
    else
        checkSearch(QString::fromUtf8(text), QString::fromUtf8(query));
    return 0;
}
