// MessageSearch: find in a conversation (issue 18) over the messages a MessageListModel holds. The rows'
// texts are folded (TextFold: case and accents ignored) into one buffer, in row order and kept in step
// with the model, so a search is one substring scan over contiguous memory (a one-byte copy for Latin-1
// queries): 100,000 messages in a few milliseconds (bench: search_ms_100k). Rows are folded as a search first reaches them, and a search
// runs over a range of rows, so a caller can spread a long one over several event-loop turns.
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

class MessageListModel;

class MessageSearch : public QObject
{
    Q_OBJECT

public:
    struct Match
    {
        int row = 0;
        int start = 0; // in the row's folded text; the length is the folded query's

        bool operator==(const Match &) const = default;
    };

    explicit MessageSearch(const MessageListModel *model, QObject *parent = nullptr);

    // What a query is matched as: folded like the texts. Empty: the query matches nothing.
    static QString prepare(const QString &query);
    // Appends the matches of `folded` (from prepare()) in rows [from, to) to *matches, in order.
    void find(const QString &folded, int from, int to, QList<Match> *matches);
    QList<Match> findAll(const QString &query);
    // Where the matches of `folded` lie in `text` itself, as (start, length) pairs in order: what is
    // highlighted. A match of "e" in "café" covers the "é" and any mark after it.
    static QList<std::pair<int, int>> textRanges(const QString &text, const QString &folded);
    // Rows folded so far, from the first (the rest are folded when a search first reaches them).
    int foldedRowCount() const { return m_built; }
    // Lets go of the folded texts (as much again as the texts themselves) until the next search.
    void forget();

signals:
    // Rows came or went, or a text changed: matches found before may have moved.
    void contentChanged();

private:
    void foldTo(int row); // folds rows [m_built, row)
    void keepBefore(int row); // drops what was folded from `row` on: it changed
    void onRowsInserted(int first, int last);

    const MessageListModel *m_model;
    QString m_text; // the folded texts of rows [0, m_built), each followed by U+0000 (folding drops it)
    QByteArray m_narrow; // m_text one byte per unit (Latin-1, 0x01 past it), for Latin-1 queries
    QList<qsizetype> m_start {0}; // where row r starts in m_text, for r in [0, m_built]
    int m_built = 0;
};
