#include "conversationfind.h"

#include "conversation.h"
#include "conversationview.h"
#include "findbar.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"

#include <QElapsedTimer>
#include <QItemSelectionModel>
#include <QTimer>

#include <algorithm>

namespace {
// A slice of searching per event-loop turn: well under a frame, so keys and paints keep flowing.
constexpr int sliceMs = 6;
constexpr int rowsPerCheck = 512; // rows searched between two looks at the clock
}

ConversationFind::ConversationFind(Conversation *conversation, ConversationView *view, FindBar *bar, QObject *parent)
    : QObject(parent)
    , m_conversation(conversation)
    , m_view(view)
    , m_bar(bar)
    , m_search(new MessageSearch(conversation->model(), this))
    , m_slice(new QTimer(this))
{
    m_slice->setSingleShot(true);
    m_slice->setInterval(0);
    connect(m_slice, &QTimer::timeout, this, &ConversationFind::searchSome);
    connect(m_bar, &FindBar::queryChanged, this, &ConversationFind::setQuery);
    connect(m_bar, &FindBar::nextRequested, this, &ConversationFind::next);
    connect(m_bar, &FindBar::previousRequested, this, &ConversationFind::previous);
    connect(m_bar, &FindBar::olderRequested, this, &ConversationFind::searchOlder);
    connect(m_bar, &FindBar::stopRequested, this, &ConversationFind::stopSearchingOlder);
    // New messages, an older page, an edited text: search again, staying on the same match.
    connect(m_search, &MessageSearch::contentChanged, this, [this] {
        if (!m_folded.isEmpty() && m_bar->isVisible()) {
            if (m_nextRow < 0)
                m_keep = m_currentAnchor; // rows may have moved: the match is known by its message
            restart();
        }
    });
    connect(conversation, &Conversation::olderLoaded, this, &ConversationFind::onOlderLoaded);
    connect(conversation, &Conversation::opened, this, &ConversationFind::updateOffer);
    connect(conversation, &Conversation::notice, this, [this](const QString &message) {
        if (m_searchingOlder && !m_conversation->isLoadingOlder())
            finishOlder(message); // the page failed: say why, and stop
    });
    view->messageDelegate()->setHighlightSource([this](const QModelIndex &index) { return highlightsFor(index); });
}

void ConversationFind::open()
{
    const bool wasVisible = m_bar->isVisible();
    m_bar->open();
    if (!wasVisible && !m_bar->query().isEmpty())
        setQuery(m_bar->query()); // the last query, found again in what is loaded now
}

void ConversationFind::close()
{
    stopSearchingOlder();
    m_slice->stop();
    m_nextRow = -1;
    m_bar->setNote(QString());
    m_bar->hide();
    m_search->forget(); // the folded texts weigh as much as the conversation: kept only while finding
    m_folded.clear();
    m_matches.clear();
    m_current = -1;
    m_currentAnchor = Anchor {};
    m_view->viewport()->update();
}

void ConversationFind::setQuery(const QString &query)
{
    m_folded = MessageSearch::prepare(query.trimmed());
    m_keep = Anchor {}; // a new query starts at its newest match
    m_scrollOnFinish = true;
    m_bar->setNote(QString());
    if (m_searchingOlder)
        stopSearchingOlder();
    restart();
}

void ConversationFind::restart()
{
    m_found.clear();
    m_nextRow = 0;
    m_slice->start();
    m_view->viewport()->update(); // the marks of the rows on screen follow the query at once
}

bool ConversationFind::isSearching() const
{
    return m_nextRow >= 0;
}

void ConversationFind::searchSome()
{
    if (m_nextRow < 0)
        return;
    const int rows = m_conversation->model()->rowCount();
    QElapsedTimer clock;
    clock.start();
    while (m_nextRow < rows && clock.elapsed() < sliceMs) {
        const int to = qMin(rows, m_nextRow + rowsPerCheck);
        m_search->find(m_folded, m_nextRow, to, &m_found);
        m_nextRow = to;
    }
    if (m_nextRow < rows)
        m_slice->start();
    else
        finish();
}

void ConversationFind::finish()
{
    m_nextRow = -1;
    m_matches = m_found;
    m_found.clear();
    int index = m_keep.messageId.isEmpty() ? -1 : indexOf(m_keep);
    if (index < 0 && !m_matches.isEmpty())
        index = int(m_matches.size()) - 1; // the newest
    const bool scroll = m_scrollOnFinish;
    m_scrollOnFinish = false;
    m_keep = Anchor {};
    select(index, scroll);
    updateOffer();
    emit searched();
}

void ConversationFind::updateOffer()
{
    m_bar->setOlderOffered(!m_folded.isEmpty() && m_conversation->hasOlder());
}

void ConversationFind::select(int index, bool scroll)
{
    m_current = index;
    m_currentAnchor = anchorOf(index);
    m_bar->setCount(currentNumber(), matchCount());
    if (index >= 0 && scroll) {
        const QModelIndex at = currentMatchIndex();
        m_view->selectionModel()->setCurrentIndex(at, QItemSelectionModel::ClearAndSelect);
        m_view->scrollTo(at, QAbstractItemView::PositionAtCenter);
    }
    m_view->viewport()->update();
}

void ConversationFind::next()
{
    if (m_matches.isEmpty())
        return;
    select(m_current <= 0 ? int(m_matches.size()) - 1 : m_current - 1, true);
}

void ConversationFind::previous()
{
    if (m_matches.isEmpty())
        return;
    select(m_current + 1 >= m_matches.size() ? 0 : m_current + 1, true);
}

int ConversationFind::currentNumber() const
{
    return m_current < 0 ? 0 : int(m_matches.size()) - m_current;
}

QModelIndex ConversationFind::currentMatchIndex() const
{
    if (m_current < 0 || m_current >= m_matches.size())
        return {};
    return m_conversation->model()->index(m_matches.at(m_current).row);
}

int ConversationFind::firstMatchInRow(int row) const
{
    const auto it = std::lower_bound(
        m_matches.cbegin(), m_matches.cend(), row, [](const MessageSearch::Match &m, int r) { return m.row < r; });
    return it != m_matches.cend() && it->row == row ? int(it - m_matches.cbegin()) : -1;
}

ConversationFind::Anchor ConversationFind::anchorOf(int index) const
{
    if (index < 0 || index >= m_matches.size())
        return {};
    const int row = m_matches.at(index).row;
    if (row >= m_conversation->model()->rowCount()) // matches of rows gone, until the new search ends
        return {};
    return Anchor {m_conversation->model()->at(row).id, index - firstMatchInRow(row)};
}

int ConversationFind::indexOf(const Anchor &anchor) const
{
    const int row = m_conversation->model()->rowOf(anchor.messageId);
    const int first = row < 0 ? -1 : firstMatchInRow(row);
    if (first < 0)
        return -1;
    const int index = first + anchor.occurrence;
    return index < m_matches.size() && m_matches.at(index).row == row ? index : first;
}

QList<TextHighlight> ConversationFind::highlightsFor(const QModelIndex &index) const
{
    QList<TextHighlight> marks;
    if (m_folded.isEmpty() || !m_bar->isVisible())
        return marks;
    const QString text = index.data(MessageListModel::TextRole).toString();
    const QList<std::pair<int, int>> ranges = MessageSearch::textRanges(text, m_folded);
    const bool currentRow
        = m_current >= 0 && m_current < m_matches.size() && m_matches.at(m_current).row == index.row();
    const int currentOccurrence = currentRow ? m_current - firstMatchInRow(index.row()) : -1;
    for (qsizetype i = 0; i < ranges.size(); ++i)
        marks.append(TextHighlight {ranges.at(i).first, ranges.at(i).second, i == currentOccurrence});
    return marks;
}

void ConversationFind::searchOlder()
{
    if (m_folded.isEmpty() || !m_conversation->hasOlder() || m_searchingOlder)
        return;
    m_searchingOlder = true;
    m_olderLoaded = 0;
    m_bar->setSearchingOlder(true, 0);
    m_conversation->loadOlder();
    if (!m_conversation->isLoadingOlder() && m_searchingOlder)
        finishOlder(tr("Older messages cannot be loaded right now."));
}

void ConversationFind::onOlderLoaded(int added)
{
    if (!m_searchingOlder) {
        updateOffer();
        return;
    }
    m_olderLoaded += added;
    // The page went in at the top: rows [0, added). A match there ends the search, on its newest match.
    QList<MessageSearch::Match> fresh;
    m_search->find(m_folded, 0, added, &fresh);
    if (!fresh.isEmpty()) {
        const int row = fresh.last().row;
        const auto inRow = std::count_if(fresh.cbegin(), fresh.cend(), [row](const auto &m) { return m.row == row; });
        m_keep = Anchor {m_conversation->model()->at(row).id, int(inRow) - 1};
        m_scrollOnFinish = true;
        finishOlder(QString());
        if (!isSearching())
            restart();
        return;
    }
    if (!m_conversation->hasOlder()) {
        finishOlder(tr("Reached the start of the conversation: no older message matches."));
        return;
    }
    m_bar->setSearchingOlder(true, m_olderLoaded);
    m_conversation->loadOlder();
}

void ConversationFind::stopSearchingOlder()
{
    if (m_searchingOlder)
        finishOlder(QString());
}

void ConversationFind::finishOlder(const QString &note)
{
    m_searchingOlder = false;
    m_bar->setSearchingOlder(false);
    m_bar->setNote(note);
    updateOffer();
}
