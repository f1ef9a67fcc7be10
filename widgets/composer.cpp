#include "composer.h"

#include "consolecolours.h"
#include "tintedicon.h"

#include <QAbstractTextDocumentLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QTextBlock>
#include <QToolButton>
#include <QtMath>

namespace {
constexpr int maxVisibleLines = 6; // beyond this the editor scrolls instead of eating the history
}

Composer::Composer(QWidget *parent)
    : QWidget(parent)
    , m_editor(new QPlainTextEdit(this))
    , m_send(new QToolButton(this))
    , m_counter(new QLabel(this))
    , m_limitMessage(new QLabel(this))
{
    m_editor->setPlaceholderText(tr("Write a reply…"));
    m_editor->setAccessibleName(tr("Reply"));
    m_editor->setAccessibleDescription(tr("Enter sends the reply, Shift+Enter starts a new line"));
    m_editor->setTabChangesFocus(true);
    m_editor->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_editor->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_editor->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_editor->installEventFilter(this);

    m_send->setText(tr("Send"));
    m_send->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_send->setAccessibleName(tr("Send reply"));
    m_send->setAccessibleDescription(tr("Sends the reply to the customer"));
    m_send->setToolTip(tr("Send reply (Enter)\nNew line: Shift+Enter"));
    m_send->setAutoRaise(false);
    m_send->setCursor(Qt::PointingHandCursor);
    m_send->setFocusPolicy(Qt::TabFocus);

    m_counter->setAccessibleName(tr("Reply length"));
    m_counter->setTextFormat(Qt::PlainText);
    m_counter->hide();
    m_limitMessage->setAccessibleName(tr("Reply too long"));
    m_limitMessage->setTextFormat(Qt::PlainText);
    m_limitMessage->setWordWrap(true);
    m_limitMessage->hide();
    applyLook();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 8, 10, 8);
    layout->setSpacing(4);
    auto *row = new QHBoxLayout;
    row->setSpacing(8);
    row->addWidget(m_editor, 1, Qt::AlignBottom);
    row->addWidget(m_send, 0, Qt::AlignBottom);
    layout->addLayout(row);
    auto *status = new QHBoxLayout;
    status->addWidget(m_limitMessage, 1);
    status->addWidget(m_counter, 0, Qt::AlignRight | Qt::AlignTop);
    layout->addLayout(status);
    setFocusProxy(m_editor); // setFocus() on the composer lands in the editor

    connect(m_send, &QToolButton::clicked, this, [this] { send(); });
    connect(m_editor, &QPlainTextEdit::textChanged, this, &Composer::updateSendButton);
    connect(m_editor->document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged, this,
        &Composer::updateHeight);
    updateSendButton();
    updateHeight();
}

void Composer::applyLook()
{
    const QPalette pal = palette();
    // Icon and text in the button's own text colour; sized from the font, so a larger system font
    // gets a larger icon. The SVG is rendered at the screen's device pixel ratio.
    const int iconSide = qRound(fontMetrics().height() * 1.1);
    m_send->setIconSize(QSize(iconSide, iconSide));
    m_send->setIcon(TintedIcon::fromSvg(QStringLiteral(":/icons/send.svg"), pal.color(QPalette::HighlightedText),
        pal.color(QPalette::Disabled, QPalette::ButtonText), layoutDirection() == Qt::RightToLeft));
    const auto rgba = [](const QColor &c) { return c.name(QColor::HexArgb); };
    m_send->setStyleSheet(
        QStringLiteral("QToolButton { background: %1; color: %2; border: none; border-radius: 6px;"
                       " padding: 6px 12px; font-weight: 600; }"
                       "QToolButton:disabled { background: %3; color: %4; }")
            .arg(rgba(pal.color(QPalette::Highlight)), rgba(pal.color(QPalette::HighlightedText)),
                rgba(pal.color(QPalette::Midlight)), rgba(pal.color(QPalette::Disabled, QPalette::ButtonText))));
    for (QLabel *label : {m_counter, m_limitMessage}) {
        // Relative to the system font (point or pixel sized), never a fixed size.
        QFont small = font();
        if (small.pointSizeF() > 0)
            small.setPointSizeF(small.pointSizeF() * 0.85);
        else
            small.setPixelSize(qMax(8, qRound(small.pixelSize() * 0.85)));
        label->setFont(small);
    }
    QPalette red = m_limitMessage->palette();
    red.setColor(QPalette::WindowText, ConsoleColours::failedText(pal));
    m_limitMessage->setPalette(red);
    updateCounter(lengthOf(m_editor->toPlainText()));
}

void Composer::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    switch (event->type()) {
    case QEvent::PaletteChange:
    case QEvent::ApplicationPaletteChange:
    case QEvent::FontChange:
    case QEvent::ApplicationFontChange:
    case QEvent::LayoutDirectionChange: // the send arrow points the way the text reads
        applyLook();
        break;
    default:
        break;
    }
}

int Composer::lengthOf(const QString &text)
{
    return int(text.trimmed().size());
}

bool Composer::isOverLimit() const
{
    return lengthOf(m_editor->toPlainText()) > maxLength;
}

bool Composer::send()
{
    const QString text = m_editor->toPlainText().trimmed();
    if (text.isEmpty() || lengthOf(text) > maxLength)
        return false; // too long: kept in the editor, the message under it says why
    m_editor->clear();
    emit sendRequested(text);
    return true;
}

bool Composer::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_editor && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            if (key->modifiers() & Qt::ShiftModifier) {
                // A real paragraph break, not the U+2028 QPlainTextEdit would insert for Shift+Enter.
                m_editor->textCursor().insertText(QStringLiteral("\n"));
            } else if (!(key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))) {
                send();
            }
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void Composer::updateSendButton()
{
    const int length = lengthOf(m_editor->toPlainText());
    m_send->setEnabled(length > 0 && length <= maxLength);
    updateCounter(length);
}

void Composer::updateCounter(int length)
{
    const bool over = length > maxLength;
    m_counter->setVisible(length >= counterFrom);
    m_limitMessage->setVisible(over);
    if (length < counterFrom)
        return;
    const QLocale locale;
    m_counter->setText(tr("%1 / %2").arg(locale.toString(length), locale.toString(maxLength)));
    QPalette palette = m_counter->palette();
    const QColor quiet = ConsoleColours::withContrast(
        this->palette().color(QPalette::PlaceholderText), this->palette().color(QPalette::Window));
    palette.setColor(QPalette::WindowText, over ? ConsoleColours::failedText(this->palette()) : quiet);
    m_counter->setPalette(palette);
    if (over) {
        const int excess = length - maxLength;
        m_limitMessage->setText(tr("This reply is %Ln character(s) too long: WhatsApp takes at most %1 characters. "
                                   "Shorten it to send.",
            nullptr, excess)
                                    .arg(locale.toString(maxLength)));
    }
}

void Composer::updateHeight()
{
    // Sum the blocks' real pixel heights (wrapped lines included): QPlainTextEdit shows its
    // scrollbar as soon as they do not fit, so a height derived from font metrics alone is too tight.
    const QTextDocument *document = m_editor->document();
    const QAbstractTextDocumentLayout *layout = document->documentLayout();
    qreal content = 0;
    qreal lineHeight = 0;
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        const qreal h = layout->blockBoundingRect(block).height();
        content += h;
        if (lineHeight == 0 && block.layout() && block.layout()->lineCount() > 0)
            lineHeight = h / block.layout()->lineCount();
    }
    if (lineHeight <= 0)
        lineHeight = m_editor->fontMetrics().lineSpacing();
    content = qBound(lineHeight, content, maxVisibleLines * lineHeight);
    const QMargins margins = m_editor->contentsMargins(); // the frame, as QFrame reports it
    // +1: QPlainTextEdit keeps one pixel below the last line before it calls the text "visible".
    const int height = qCeil(content + 2 * document->documentMargin()) + margins.top() + margins.bottom() + 1;
    if (m_editor->height() != height || m_editor->minimumHeight() != height)
        m_editor->setFixedHeight(height);
}
