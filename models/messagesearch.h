// MessageSearch: find in a conversation (issue 18) over the messages a MessageListModel holds. Each
// row's text is folded once (TextFold: case and accents ignored) and kept in step with the model, so a
// search is a plain substring scan: 100,000 messages in a few milliseconds (bench: search_ms_100k).
// Searches run over a range of rows, so a caller can spread a long one over several event-loop turns.
#pragma once

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
    // Rows folded so far (the rest are folded when a search first reaches them).
    int foldedRowCount() const;

signals:
    // Rows came or went, or a text changed: matches found before may have moved.
    void contentChanged();

private:
    const QString &foldedText(int row);

    const MessageListModel *m_model;
    QList<QString> m_folded; // per row; null until folded
};
