#include "composer.h"

#include "attachmentchip.h"
#include "attachmentcopies.h"
#include "consolecolours.h"
#include "imagedecoding.h"
#include "replyeditor.h"
#include "tintedicon.h"

#include <QAbstractTextDocumentLayout>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPointer>
#include <QStandardPaths>
#include <QTextBlock>
#include <QThreadPool>
#include <QToolButton>
#include <QtMath>

#include <utility>

namespace {
constexpr int maxVisibleLines = 6; // beyond this the editor scrolls instead of eating the history

// Not the pool pictures are decoded on, which a hung drive would hold, and never waited for at quit (a
// copy left unfinished goes at the next start), so a hung drive cannot hold the console open either.
QThreadPool *copyPool()
{
    static QThreadPool *const pool = [] {
        auto *p = new QThreadPool; // deliberately never destroyed: its destructor would wait
        p->setMaxThreadCount(2);
        return p;
    }();
    return pool;
}
} // namespace

int Composer::copiesInProgress()
{
    return copyPool()->activeThreadCount();
}

Composer::Composer(QWidget *parent)
    : QWidget(parent)
    , m_editor(new ReplyEditor(this))
    , m_send(new QToolButton(this))
    , m_attach(new QToolButton(this))
    , m_chip(new AttachmentChip(this))
    , m_attachProblem(new QLabel(this))
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

    m_attach->setAccessibleName(tr("Attach file"));
    m_attach->setAccessibleDescription(tr("Adds a photo or a file to the reply"));
    m_attach->setToolTip(tr("Attach file (Ctrl+O)\nOr drop it here, or paste it"));
    m_attach->setAutoRaise(true);
    m_attach->setCursor(Qt::PointingHandCursor);
    m_attach->setFocusPolicy(Qt::TabFocus);
    m_attachProblem->setAccessibleName(tr("Attachment refused"));
    m_attachProblem->setTextFormat(Qt::PlainText);
    m_attachProblem->setWordWrap(true);
    m_attachProblem->hide();

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
    layout->addWidget(m_chip);
    auto *row = new QHBoxLayout;
    row->setSpacing(8);
    row->addWidget(m_attach, 0, Qt::AlignBottom);
    row->addWidget(m_editor, 1, Qt::AlignBottom);
    row->addWidget(m_send, 0, Qt::AlignBottom);
    layout->addLayout(row);
    auto *status = new QHBoxLayout;
    status->addWidget(m_attachProblem, 1);
    status->addWidget(m_limitMessage, 1);
    status->addWidget(m_counter, 0, Qt::AlignRight | Qt::AlignTop);
    layout->addLayout(status);
    setFocusProxy(m_editor); // setFocus() on the composer lands in the editor

    connect(m_send, &QToolButton::clicked, this, [this] { send(); });
    connect(m_attach, &QToolButton::clicked, this, &Composer::attachRequested);
    connect(m_chip, &AttachmentChip::removeRequested, this, [this] {
        clearAttachment();
        m_editor->setFocus(Qt::OtherFocusReason);
    });
    auto *editor = static_cast<ReplyEditor *>(m_editor);
    connect(editor, &ReplyEditor::filesOffered, this, [this](const QStringList &paths) { attach(paths.first()); });
    connect(editor, &ReplyEditor::imageOffered, this, &Composer::attachImage);
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
    const QColor ink = pal.color(QPalette::ButtonText);
    m_attach->setIconSize(QSize(iconSide, iconSide));
    m_attach->setIcon(TintedIcon::fromSvg(
        QStringLiteral(":/icons/attach.svg"), ink, pal.color(QPalette::Disabled, QPalette::ButtonText)));
    m_send->setStyleSheet(
        QStringLiteral("QToolButton { background: %1; color: %2; border: none; border-radius: 6px;"
                       " padding: 6px 12px; font-weight: 600; }"
                       "QToolButton:disabled { background: %3; color: %4; }")
            .arg(rgba(pal.color(QPalette::Highlight)), rgba(pal.color(QPalette::HighlightedText)),
                rgba(pal.color(QPalette::Midlight)), rgba(pal.color(QPalette::Disabled, QPalette::ButtonText))));
    for (QLabel *label : {m_counter, m_limitMessage, m_attachProblem}) {
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
    m_attachProblem->setPalette(red);
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
    const Attachment file = attachment();
    if ((text.isEmpty() && file.isEmpty()) || lengthOf(text) > maxLength || isPreparing())
        return false; // too long: kept in the editor, the message under it says why
    m_editor->clear();
    m_chip->setAttachment({});
    ++m_stageVersion;
    showProblem({});
    updateSendButton();
    const QString pasted = std::exchange(m_pasted, QString());
    const Attachment staged = std::exchange(m_staged, Attachment());
    emit sendRequested(text, file);
    // Taken: the outbox keeps its own copy now. Unless it came back (restore()) because it was not.
    if (attachment().localPath == pasted && !pasted.isEmpty())
        m_pasted = pasted;
    else if (!pasted.isEmpty())
        QFile::remove(pasted);
    if (!staged.isEmpty() && attachment().localPath == staged.localPath)
        m_staged = staged;
    else if (!staged.isEmpty())
        AttachmentCopies::unstage(staged); // refused and not restored; moved away already when taken
    return true;
}

bool Composer::isPreparing() const
{
    return m_chip->isPreparing();
}

Attachment Composer::attachment() const
{
    return m_chip->attachment();
}

bool Composer::attach(const QString &path)
{
    Attachment file = AttachmentRules::describe(path);
    if (const QString why = AttachmentRules::refusal(file); !why.isEmpty()) {
        showProblem(why);
        return false;
    }
    // Its height is known before the picture is ever decoded: the bubble's box is right at once.
    if (file.isImage()) {
        const QSize size = ImageDecoding::probeSize(path);
        file.width = size.isValid() ? size.width() : 0;
        file.height = size.isValid() ? size.height() : 0;
    }
    if (path != m_pasted)
        forgetPasted();
    forgetStaged();
    ++m_stageVersion;
    m_chip->setAttachment(file, !m_stagingFolder.isEmpty());
    showProblem({});
    updateSendButton();
    if (!m_stagingFolder.isEmpty())
        stage(file);
    return true;
}

void Composer::stage(const Attachment &file)
{
    QPointer<Composer> self(this);
    const int version = m_stageVersion;
    const QString folder = m_stagingFolder;
    // A file on a slow or network drive takes a while to copy: not on the UI thread.
    copyPool()->start([self, file, folder, version] {
        QString error;
        const std::optional<Attachment> staged = AttachmentCopies::stage(file, folder, &error);
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, staged, error, version] {
            if (!self || version != self->m_stageVersion) { // the agent took it off, or the page is gone
                if (staged)
                    AttachmentCopies::unstage(*staged);
                return;
            }
            if (!staged) {
                self->m_chip->setAttachment({});
                self->forgetPasted();
                self->showProblem(error);
            } else {
                self->m_staged = *staged;
                self->m_chip->setAttachment(*staged);
                self->forgetPasted(); // copied: the pasted picture's file is not needed any more
            }
            self->updateSendButton();
        });
    });
}

void Composer::forgetStaged()
{
    if (!m_staged.isEmpty())
        AttachmentCopies::unstage(std::exchange(m_staged, Attachment()));
}

void Composer::attachImage(const QImage &image)
{
    if (image.isNull())
        return showProblem(tr("The pasted picture cannot be read."));
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/pasted");
    QDir().mkpath(folder);
    const QString path = folder
        + QStringLiteral("/pasted-image-%1.png")
              .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz")));
    QPointer<Composer> self(this);
    // Encoding a large screenshot takes a while: not on the UI thread. The answer comes back to it.
    QThreadPool::globalInstance()->start([self, image, path] {
        const bool saved = image.save(path, "PNG");
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, saved, path] {
            if (!self) {
                QFile::remove(path);
                return;
            }
            if (!saved)
                return self->showProblem(tr("The pasted picture could not be saved."));
            self->forgetPasted();
            self->m_pasted = path;
            if (!self->attach(path))
                self->forgetPasted();
        });
    });
}

void Composer::clearAttachment()
{
    m_chip->setAttachment({});
    ++m_stageVersion;
    forgetStaged();
    forgetPasted();
    showProblem({});
    updateSendButton();
}

void Composer::restore(const QString &text, const Attachment &attachment, const QString &problem)
{
    if (m_editor->toPlainText().trimmed().isEmpty())
        m_editor->setPlainText(text);
    // Called from sendRequested: a staged copy put back here stays the composer's (send() sees it).
    if (!attachment.isEmpty() && QFile::exists(attachment.localPath) && m_chip->attachment().isEmpty())
        m_chip->setAttachment(attachment);
    showProblem(problem);
    updateSendButton();
}

void Composer::showProblem(const QString &problem)
{
    m_attachProblem->setText(problem);
    m_attachProblem->setVisible(!problem.isEmpty());
}

Composer::~Composer()
{
    forgetPasted();
    forgetStaged();
}

void Composer::forgetPasted()
{
    if (m_pasted.isEmpty())
        return;
    QFile::remove(m_pasted);
    m_pasted.clear();
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
    m_send->setEnabled((length > 0 || !attachment().isEmpty()) && length <= maxLength && !isPreparing());
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
