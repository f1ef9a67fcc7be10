#include "messagesearch.h"

#include "messagelistmodel.h"
#include "textfold.h"

#include <optional>
#include <string_view>

namespace {
// Between two rows' texts: TextFold drops U+0000, so a folded query never holds it and no match spans rows.
constexpr QChar RowEnd = QChar(u'\0');
// In the one-byte copy, a unit past Latin-1: a query that holds U+0001 is searched in the UTF-16 text.
constexpr char Wide = '\x01';

void appendNarrow(QByteArray &narrow, QStringView folded)
{
    const qsizetype at = narrow.size();
    narrow.resize(at + folded.size());
    char *out = narrow.data() + at;
    for (const QChar c : folded)
        *out++ = c.unicode() < 0x100 ? char(c.unicode()) : Wide;
}

// The query in one byte per unit, or nothing when a unit is past Latin-1 (or is U+0001).
std::optional<QByteArray> narrowed(const QString &folded)
{
    QByteArray narrow;
    for (const QChar c : folded) {
        if (c.unicode() >= 0x100 || c.unicode() == char16_t(Wide))
            return std::nullopt;
    }
    appendNarrow(narrow, folded);
    return narrow;
}
} // namespace

MessageSearch::MessageSearch(const MessageListModel *model, QObject *parent)
    : QObject(parent)
    , m_model(model)
{
    connect(model, &QAbstractItemModel::rowsInserted, this,
        [this](const QModelIndex &, int first, int last) { onRowsInserted(first, last); });
    connect(model, &QAbstractItemModel::rowsRemoved, this, [this](const QModelIndex &, int first, int) {
        keepBefore(first);
        emit contentChanged();
    });
    const auto forgetAll = [this] {
        forget();
        emit contentChanged();
    };
    connect(model, &QAbstractItemModel::modelReset, this, forgetAll);
    connect(model, &QAbstractItemModel::layoutChanged, this, forgetAll);
    connect(model, &QAbstractItemModel::rowsMoved, this, forgetAll);
    connect(model, &QAbstractItemModel::dataChanged, this,
        [this](const QModelIndex &topLeft, const QModelIndex &, const QList<int> &roles) {
            if (!roles.isEmpty() && !roles.contains(MessageListModel::TextRole))
                return; // a status or a queued flag: the text is the same
            keepBefore(topLeft.row());
            emit contentChanged();
        });
}

QString MessageSearch::prepare(const QString &query)
{
    return TextFold::fold(query);
}

void MessageSearch::forget()
{
    m_text = QString();
    m_narrow = QByteArray();
    m_start = {0};
    m_built = 0;
}

void MessageSearch::keepBefore(int row)
{
    if (row >= m_built)
        return;
    m_built = qMax(0, row);
    m_text.truncate(m_start.at(m_built));
    m_narrow.truncate(m_start.at(m_built));
    m_start.resize(m_built + 1);
}

// An older page comes in at the top: folded on its own and put in front, so the rows below keep their
// folding (only their offsets move). Anywhere else, what follows the new rows is folded again later.
void MessageSearch::onRowsInserted(int first, int last)
{
    const int count = last - first + 1;
    if (first == 0 && m_built > 0) {
        QString page;
        QList<qsizetype> starts;
        for (int row = 0; row < count; ++row) {
            starts.append(page.size());
            page += TextFold::fold(m_model->index(row).data(MessageListModel::TextRole).toString());
            page += RowEnd;
        }
        for (qsizetype &start : m_start)
            start += page.size();
        m_start = starts + m_start;
        QByteArray narrowPage;
        appendNarrow(narrowPage, page);
        m_text.prepend(page);
        m_narrow.prepend(narrowPage);
        m_built += count;
    } else {
        keepBefore(first);
    }
    emit contentChanged();
}

void MessageSearch::foldTo(int row)
{
    row = qMin(row, m_model->rowCount());
    const qsizetype from = m_text.size();
    for (; m_built < row; ++m_built) {
        m_text += TextFold::fold(m_model->index(m_built).data(MessageListModel::TextRole).toString());
        m_text += RowEnd;
        m_start.append(m_text.size());
    }
    appendNarrow(m_narrow, QStringView(m_text).sliced(from));
}

void MessageSearch::find(const QString &folded, int from, int to, QList<Match> *matches)
{
    if (folded.isEmpty())
        return;
    from = qMax(0, from);
    foldTo(to);
    to = qMin(to, m_built);
    if (from >= to)
        return;
    // One scan over the rows' folded texts side by side; a match is given to its row as the scan passes.
    int row = from;
    const auto found = [&](qsizetype at) {
        while (m_start.at(row + 1) <= at)
            ++row;
        matches->append(Match {row, int(at - m_start.at(row))});
    };
    // Most queries are Latin-1: scanned in the one-byte copy, half the memory to read. Both scans look for
    // the first unit, then compare (std::basic_string_view::find): in the bench a half to a third of the
    // CPU time of QStringMatcher over UTF-16, whose skips are short for short queries.
    if (const std::optional<QByteArray> narrow = narrowed(folded)) {
        const std::string_view text(m_narrow.constData(), size_t(m_start.at(to)));
        const std::string_view needle(narrow->constData(), size_t(narrow->size()));
        for (size_t at = text.find(needle, size_t(m_start.at(from))); at != std::string_view::npos;
             at = text.find(needle, at + needle.size()))
            found(qsizetype(at));
        return;
    }
    const std::u16string_view text(reinterpret_cast<const char16_t *>(m_text.utf16()), size_t(m_start.at(to)));
    const std::u16string_view needle(reinterpret_cast<const char16_t *>(folded.utf16()), size_t(folded.size()));
    for (size_t at = text.find(needle, size_t(m_start.at(from))); at != std::u16string_view::npos;
         at = text.find(needle, at + needle.size()))
        found(qsizetype(at));
}

QList<MessageSearch::Match> MessageSearch::findAll(const QString &query)
{
    QList<Match> matches;
    find(prepare(query), 0, m_model->rowCount(), &matches);
    return matches;
}

QList<std::pair<int, int>> MessageSearch::textRanges(const QString &text, const QString &folded)
{
    QList<std::pair<int, int>> ranges;
    if (folded.isEmpty())
        return ranges;
    QList<int> origin;
    const QString foldedText = TextFold::fold(text, &origin);
    for (qsizetype at = foldedText.indexOf(folded); at >= 0; at = foldedText.indexOf(folded, at + folded.size())) {
        const int start = origin.at(at);
        const int end = qMax(start + 1, origin.at(at + folded.size()));
        ranges.append({start, end - start});
    }
    return ranges;
}
