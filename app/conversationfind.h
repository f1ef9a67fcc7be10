// ConversationFind: find in one conversation (issue 18) — the FindBar, the search over every loaded
// message (MessageSearch), the marks in the bubbles and the way to the current match. Matches count
// from the newest: "1 of 17" is the latest mention, Enter / F3 go back in time, Shift goes forward.
// A search runs in slices of a few milliseconds, so typing in the field never waits for it; "Search
// older messages" loads older pages one after another until one matches or the conversation's start.
#pragma once

#include "messagesearch.h"

#include <QObject>
#include <QPersistentModelIndex>

class Conversation;
class ConversationView;
class FindBar;
class QTimer;
struct TextHighlight;

class ConversationFind : public QObject
{
    Q_OBJECT

public:
    ConversationFind(Conversation *conversation, ConversationView *view, FindBar *bar, QObject *parent = nullptr);

    void open();
    void close();
    void next(); // the older match (F3, Enter)
    void previous(); // the newer match (Shift+F3, Shift+Enter)
    void searchOlder();
    void stopSearchingOlder();

    int matchCount() const { return int(m_matches.size()); }
    int currentNumber() const; // 1 = the newest match; 0 without one
    QModelIndex currentMatchIndex() const;
    bool isSearching() const;
    bool isSearchingOlder() const { return m_searchingOlder; }
    MessageSearch *search() const { return m_search; }

signals:
    void searched(); // a search has finished: count and current match are up to date

private:
    struct Anchor
    {
        QString messageId;
        int occurrence = 0; // which match in that message
    };

    void setQuery(const QString &query);
    void restart();
    void searchSome();
    void finish();
    void select(int index, bool scroll);
    Anchor anchorOf(int index) const;
    int indexOf(const Anchor &anchor) const;
    int firstMatchInRow(int row) const;
    QList<TextHighlight> highlightsFor(const QModelIndex &index) const;
    void onOlderLoaded(int added);
    void finishOlder(const QString &note);
    void updateOffer();

    Conversation *m_conversation;
    ConversationView *m_view;
    FindBar *m_bar;
    MessageSearch *m_search;
    QTimer *m_slice;
    QString m_folded; // the query, folded
    QList<MessageSearch::Match> m_matches; // the last finished search, oldest first
    QList<MessageSearch::Match> m_found; // the search in progress
    int m_nextRow = -1; // where the search in progress goes on; -1 when none runs
    int m_current = -1; // index in m_matches
    Anchor m_currentAnchor; // the current match, by its message: rows move when older pages come in
    Anchor m_keep; // the match to stay on when the search in progress finishes
    bool m_scrollOnFinish = false;
    bool m_searchingOlder = false;
    int m_olderLoaded = 0;
};
