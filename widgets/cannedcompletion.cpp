#include "cannedcompletion.h"

#include "consolecolours.h"
#include "plaintooltip.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QPlainTextEdit>
#include <QStyledItemDelegate>
#include <QTextCursor>
#include <QToolButton>

namespace {

constexpr int maxVisibleRows = 6;
constexpr int maxQueryLength = 200; // past this the agent is writing, not looking for a response
constexpr int CodeRole = Qt::UserRole + 1;
constexpr int PreviewRole = Qt::UserRole + 2;

// One line per response: "/code" in bold, then the start of its content in the secondary colour.
class ResponseDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear();
        const QWidget *widget = opt.widget;
        widget->style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
        const bool selected = opt.state & QStyle::State_Selected;
        const QPalette &pal = opt.palette;
        const QRect area = opt.rect.adjusted(8, 0, -8, 0);
        QFont bold = opt.font;
        bold.setBold(true);
        const QString code = index.data(CodeRole).toString();
        const int codeWidth = qMin(QFontMetrics(bold).horizontalAdvance(code) + 1, area.width() / 2);
        painter->save();
        painter->setFont(bold);
        painter->setPen(pal.color(selected ? QPalette::HighlightedText : QPalette::Text));
        const Qt::Alignment leading = QStyle::visualAlignment(opt.direction, Qt::AlignLeft) | Qt::AlignVCenter;
        const QRect codeRect
            = QStyle::visualRect(opt.direction, opt.rect, QRect(area.left(), area.top(), codeWidth, area.height()));
        painter->drawText(codeRect, leading, QFontMetrics(bold).elidedText(code, Qt::ElideRight, codeWidth));
        painter->setFont(opt.font);
        const QColor quiet = selected
            ? pal.color(QPalette::HighlightedText)
            : ConsoleColours::withContrast(pal.color(QPalette::PlaceholderText), pal.color(QPalette::Base));
        painter->setPen(quiet);
        const int gap = 12;
        const QRect previewRect = QStyle::visualRect(opt.direction, opt.rect,
            QRect(area.left() + codeWidth + gap, area.top(), area.width() - codeWidth - gap, area.height()));
        painter->drawText(previewRect, leading,
            opt.fontMetrics.elidedText(index.data(PreviewRole).toString(), Qt::ElideRight, previewRect.width()));
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const override
    {
        return QSize(200, option.fontMetrics.height() + 10);
    }
};

} // namespace

CannedCompletion::CannedCompletion(QPlainTextEdit *editor, QWidget *anchor, QWidget *host)
    : QFrame(host)
    , m_editor(editor)
    , m_anchor(anchor)
    , m_list(new QListWidget(this))
    , m_message(new QLabel(this))
    , m_reload(new QToolButton(this))
{
    setObjectName(QStringLiteral("cannedCompletion"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setAccessibleName(tr("Canned responses"));
    setAccessibleDescription(tr("Responses whose short code or text matches what follows the slash"));
    m_list->setObjectName(QStringLiteral("cannedList"));
    m_list->setAccessibleName(tr("Canned responses"));
    m_list->setAccessibleDescription(
        tr("Up and Down choose a response, Tab or Enter puts it in the reply, Escape closes the list"));
    m_list->setItemDelegate(new ResponseDelegate(m_list));
    m_list->setFocusPolicy(Qt::NoFocus); // the keyboard stays in the reply: keys come from the editor
    m_list->setFrameShape(QFrame::NoFrame);
    m_list->setUniformItemSizes(true);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_message->setTextFormat(Qt::PlainText); // a server's error message is shown, never interpreted
    m_message->setWordWrap(true);
    m_message->setAccessibleName(tr("Canned responses status"));
    m_reload->setText(tr("Try again"));
    m_reload->setAccessibleName(tr("Load the canned responses again"));
    m_reload->setAccessibleDescription(tr("Asks the server for the canned responses once more"));
    m_reload->setAutoRaise(true);
    m_reload->setFocusPolicy(Qt::NoFocus);
    m_reload->setCursor(Qt::PointingHandCursor);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(1, 1, 1, 1);
    layout->setSpacing(0);
    layout->addWidget(m_list);
    auto *row = new QHBoxLayout;
    row->setContentsMargins(8, 6, 8, 6);
    row->addWidget(m_message, 1);
    row->addWidget(m_reload);
    layout->addLayout(row);

    connect(m_list, &QListWidget::itemClicked, this, [this] { insertCurrent(); });
    connect(m_reload, &QToolButton::clicked, this, &CannedCompletion::reloadRequested);
    connect(m_editor, &QPlainTextEdit::textChanged, this, &CannedCompletion::onTextChanged);
    // Installed after the composer's filter, so this one sees the keys first.
    m_editor->installEventFilter(this);
    m_anchor->installEventFilter(this);
    host->installEventFilter(this);
    hide();
}

QString CannedCompletion::query() const
{
    return m_editor->toPlainText().mid(1);
}

QStringList CannedCompletion::shownCodes() const
{
    QStringList codes;
    for (const CannedResponse &r : m_shown)
        codes.append(r.shortCode);
    return codes;
}

void CannedCompletion::setList(const CannedList &list)
{
    m_source = list;
    if (isOpen()) {
        refill();
        place();
    }
}

QString CannedCompletion::filled(const QString &content) const
{
    return m_filler ? m_filler(content) : content;
}

void CannedCompletion::onTextChanged()
{
    const QString text = m_editor->toPlainText();
    if (!text.startsWith(u'/'))
        m_dismissed = false;
    const bool wanted = text.startsWith(u'/') && !text.contains(u'\n') && text.size() <= maxQueryLength;
    if (!wanted || m_dismissed) {
        close();
        return;
    }
    refill();
    place();
    show();
    raise();
}

void CannedCompletion::showMessage(const QString &text, bool offerReload)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
    m_reload->setVisible(offerReload);
}

void CannedCompletion::refill()
{
    using State = CannedList::State;
    m_shown = Canned::matching(m_source.responses, query());
    if (m_shown.size() > MaxShown) // a long list narrows as the agent types; the best matches come first
        m_shown.resize(MaxShown);
    m_list->clear();
    for (const CannedResponse &r : std::as_const(m_shown)) {
        const QString code = u'/' + r.shortCode;
        const QString preview = filled(r.content).simplified();
        auto *item = new QListWidgetItem(m_list);
        item->setData(CodeRole, code);
        item->setData(PreviewRole, preview);
        item->setData(Qt::DisplayRole, code);
        item->setData(Qt::AccessibleTextRole, tr("%1: %2").arg(code, preview));
        item->setToolTip(plainToolTip(filled(r.content)));
    }
    if (!m_shown.isEmpty())
        m_list->setCurrentRow(0);
    m_list->setVisible(!m_shown.isEmpty());

    if (m_source.responses.isEmpty() && m_source.state == State::Loading)
        showMessage(tr("Loading canned responses…"));
    else if (m_source.responses.isEmpty() && m_source.state == State::Failed)
        showMessage(tr("Canned responses could not be loaded: %1").arg(m_source.error), true);
    else if (m_source.responses.isEmpty())
        showMessage(tr("This account has no canned responses."));
    else if (m_shown.isEmpty())
        showMessage(tr("No canned response matches “%1”.").arg(query()));
    else if (m_source.state == State::Failed)
        showMessage(tr("The list may be out of date: %1").arg(m_source.error), true);
    else
        showMessage(QString());
}

void CannedCompletion::place()
{
    auto *host = parentWidget();
    const QPoint anchorTop = m_anchor->mapTo(host, QPoint(0, 0));
    const int margin = 10;
    const int width = qMax(160, m_anchor->width() - 2 * margin);
    const int rows = qMin(int(m_shown.size()), maxVisibleRows);
    const int rowHeight = m_list->sizeHintForRow(0) > 0 ? m_list->sizeHintForRow(0) : fontMetrics().height() + 10;
    m_list->setFixedHeight(rows * rowHeight + 2 * m_list->frameWidth());
    QLayout *box = layout();
    box->invalidate();
    const int wanted = box->hasHeightForWidth() ? box->totalHeightForWidth(width) : box->totalSizeHint().height();
    const int height = qMin(anchorTop.y(), wanted);
    setGeometry(anchorTop.x() + margin, anchorTop.y() - height, width, height);
}

void CannedCompletion::close()
{
    if (isVisible())
        hide();
}

void CannedCompletion::insert(const CannedResponse &response)
{
    const QString text = filled(response.content);
    QTextCursor cursor = m_editor->textCursor();
    if (isOpen()) {
        cursor.select(QTextCursor::Document); // the "/…" the agent typed gives way to the response
        m_dismissed = text.startsWith(u'/');
    }
    cursor.insertText(text); // one undo step: Ctrl+Z brings the "/…" back
    m_editor->setTextCursor(cursor);
    close();
    m_editor->setFocus(Qt::OtherFocusReason);
}

bool CannedCompletion::insertCurrent()
{
    const int row = m_list->currentRow();
    if (row < 0 || row >= m_shown.size())
        return false;
    insert(m_shown.at(row));
    return true;
}

bool CannedCompletion::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_editor) {
        if (isOpen() && (event->type() == QEvent::Resize || event->type() == QEvent::Move))
            place();
        return QFrame::eventFilter(watched, event);
    }
    if (event->type() != QEvent::KeyPress || !isOpen())
        return QFrame::eventFilter(watched, event);
    auto *key = static_cast<QKeyEvent *>(event);
    const int count = m_list->count();
    switch (key->key()) {
    case Qt::Key_Up:
    case Qt::Key_Down:
        if (count > 0) {
            const int step = key->key() == Qt::Key_Down ? 1 : -1;
            m_list->setCurrentRow((m_list->currentRow() + step + count) % count);
        }
        return true;
    case Qt::Key_Tab:
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (key->modifiers() & Qt::ShiftModifier)
            break; // Shift+Enter: a new line, which closes the list
        insertCurrent(); // never sends: with nothing to insert the key does nothing
        return true;
    case Qt::Key_Escape:
        m_dismissed = true;
        close();
        return true;
    default:
        break;
    }
    return QFrame::eventFilter(watched, event);
}

void CannedCompletion::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::LayoutDirectionChange)
        m_list->doItemsLayout();
}
