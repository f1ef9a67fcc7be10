#include "messagesearch.h"

#include "messagelistmodel.h"
#include "textfold.h"

MessageSearch::MessageSearch(const MessageListModel *model, QObject *parent)
    : QObject(parent)
    , m_model(model)
{
    m_folded.resize(model->rowCount());
    connect(model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int first, int last) {
        m_folded.insert(first, last - first + 1, QString());
        emit contentChanged();
    });
    connect(model, &QAbstractItemModel::rowsRemoved, this, [this](const QModelIndex &, int first, int last) {
        m_folded.remove(first, last - first + 1);
        emit contentChanged();
    });
    const auto forgetAll = [this] {
        m_folded = QList<QString>(m_model->rowCount());
        emit contentChanged();
    };
    connect(model, &QAbstractItemModel::modelReset, this, forgetAll);
    connect(model, &QAbstractItemModel::layoutChanged, this, forgetAll);
    connect(model, &QAbstractItemModel::rowsMoved, this, forgetAll);
    connect(model, &QAbstractItemModel::dataChanged, this,
        [this](const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles) {
            if (!roles.isEmpty() && !roles.contains(MessageListModel::TextRole))
                return; // a status or a queued flag: the text is the same
            for (int row = topLeft.row(); row <= bottomRight.row() && row < m_folded.size(); ++row)
                m_folded[row] = QString();
            emit contentChanged();
        });
}

QString MessageSearch::prepare(const QString &query)
{
    return TextFold::fold(query);
}

const QString &MessageSearch::foldedText(int row)
{
    QString &folded = m_folded[row];
    if (folded.isNull()) {
        folded = TextFold::fold(m_model->index(row).data(MessageListModel::TextRole).toString());
        if (folded.isNull())
            folded = QStringLiteral(""); // folded already: empty, not null
    }
    return folded;
}

void MessageSearch::find(const QString &folded, int from, int to, QList<Match> *matches)
{
    if (folded.isEmpty())
        return;
    to = qMin(to, int(m_folded.size()));
    for (int row = qMax(0, from); row < to; ++row) {
        const QString &text = foldedText(row);
        for (qsizetype at = text.indexOf(folded); at >= 0; at = text.indexOf(folded, at + folded.size()))
            matches->append(Match {row, int(at)});
    }
}

QList<MessageSearch::Match> MessageSearch::findAll(const QString &query)
{
    QList<Match> matches;
    find(prepare(query), 0, int(m_folded.size()), &matches);
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

int MessageSearch::foldedRowCount() const
{
    return int(std::count_if(m_folded.cbegin(), m_folded.cend(), [](const QString &s) { return !s.isNull(); }));
}
