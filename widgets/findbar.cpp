#include "findbar.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPainter>
#include <QToolButton>

FindBar::FindBar(QWidget *parent)
    : QWidget(parent)
    , m_field(new QLineEdit(this))
    , m_count(new QLabel(this))
    , m_previous(new QToolButton(this))
    , m_next(new QToolButton(this))
    , m_older(new QToolButton(this))
    , m_progress(new QLabel(this))
    , m_stop(new QToolButton(this))
    , m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("findBar"));
    setAccessibleName(tr("Find in conversation"));
    setAccessibleDescription(tr("Finds text in the messages of this conversation"));
    m_field->setObjectName(QStringLiteral("findField"));
    m_field->setPlaceholderText(tr("Find in conversation"));
    m_field->setAccessibleName(tr("Find"));
    m_field->setAccessibleDescription(
        tr("Case and accents are ignored. Enter: next match (older), Shift+Enter: previous, Escape: close"));
    m_field->installEventFilter(this);
    m_count->setTextFormat(Qt::PlainText);
    m_count->setAccessibleName(tr("Matches"));
    m_progress->setTextFormat(Qt::PlainText);
    m_progress->setAccessibleName(tr("Search progress"));

    m_previous->setArrowType(Qt::DownArrow);
    m_previous->setAccessibleName(tr("Newer match"));
    m_previous->setAccessibleDescription(tr("Goes to the match after this one in the conversation (Shift+F3)"));
    m_previous->setToolTip(tr("Newer match (Shift+F3, Shift+Enter)"));
    m_next->setArrowType(Qt::UpArrow);
    m_next->setAccessibleName(tr("Older match"));
    m_next->setAccessibleDescription(tr("Goes to the match before this one in the conversation (F3)"));
    m_next->setToolTip(tr("Older match (F3, Enter)"));
    m_older->setText(tr("Search older messages"));
    m_older->setAccessibleName(tr("Search older messages"));
    m_older->setAccessibleDescription(tr("Loads older messages from the server until one matches"));
    m_stop->setText(tr("Stop"));
    m_stop->setAccessibleName(tr("Stop searching older messages"));
    m_stop->setAccessibleDescription(tr("Stops loading older messages"));
    m_close->setText(QStringLiteral("✕"));
    m_close->setAccessibleName(tr("Close find"));
    m_close->setAccessibleDescription(tr("Closes the find bar (Escape)"));
    m_close->setToolTip(tr("Close (Escape)"));
    for (QToolButton *b : {m_previous, m_next, m_older, m_stop, m_close}) {
        b->setAutoRaise(true);
        b->setCursor(Qt::PointingHandCursor);
        b->setFocusPolicy(Qt::TabFocus);
    }

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 4, 6, 4);
    layout->setSpacing(6);
    layout->addWidget(m_field, 1);
    layout->addWidget(m_count);
    layout->addWidget(m_next);
    layout->addWidget(m_previous);
    layout->addWidget(m_older);
    layout->addWidget(m_progress);
    layout->addWidget(m_stop);
    layout->addWidget(m_close);
    setFocusProxy(m_field);

    connect(m_field, &QLineEdit::textChanged, this, &FindBar::queryChanged);
    connect(m_next, &QToolButton::clicked, this, &FindBar::nextRequested);
    connect(m_previous, &QToolButton::clicked, this, &FindBar::previousRequested);
    connect(m_older, &QToolButton::clicked, this, &FindBar::olderRequested);
    connect(m_stop, &QToolButton::clicked, this, &FindBar::stopRequested);
    connect(m_close, &QToolButton::clicked, this, &FindBar::closeRequested);
    setOlderOffered(false);
    setSearchingOlder(false);
    setCount(0, 0);
    hide();
}

QString FindBar::query() const
{
    return m_field->text();
}

void FindBar::open()
{
    show();
    m_field->setFocus(Qt::ShortcutFocusReason);
    m_field->selectAll();
}

void FindBar::setCount(int current, int total)
{
    const QLocale locale;
    if (total > 0)
        m_count->setText(tr("%1 of %2").arg(locale.toString(current), locale.toString(total)));
    else
        m_count->setText(m_field->text().trimmed().isEmpty() ? QString() : tr("No matches"));
    m_previous->setEnabled(total > 1);
    m_next->setEnabled(total > 1);
}

QString FindBar::countText() const
{
    return m_count->text();
}

void FindBar::setOlderOffered(bool offered)
{
    m_olderOffered = offered;
    m_older->setVisible(offered && !m_searchingOlder);
}

void FindBar::setSearchingOlder(bool searching, int loaded)
{
    m_searchingOlder = searching;
    m_progress->setVisible(searching || !m_progress->text().isEmpty());
    if (searching)
        m_progress->setText(tr("Searching older messages… %Ln loaded", nullptr, loaded));
    m_stop->setVisible(searching);
    m_older->setVisible(m_olderOffered && !searching);
}

void FindBar::setNote(const QString &note)
{
    if (m_searchingOlder)
        return;
    m_progress->setText(note);
    m_progress->setVisible(!note.isEmpty());
}

QString FindBar::noteText() const
{
    return m_progress->isVisible() ? m_progress->text() : QString();
}

bool FindBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_field && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            if (key->modifiers() & Qt::ShiftModifier)
                emit previousRequested();
            else
                emit nextRequested();
            return true;
        }
        if (key->key() == Qt::Key_Escape) {
            emit closeRequested();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void FindBar::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Window));
    painter.fillRect(QRect(0, height() - 1, width(), 1), palette().color(QPalette::Mid));
}
