#include "attachmentchip.h"

#include "consolecolours.h"
#include "mediabubble.h"
#include "thumbnailcache.h"

#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QToolButton>
#include <QVBoxLayout>

AttachmentChip::AttachmentChip(QWidget *parent)
    : QWidget(parent)
    , m_thumbnails(new ThumbnailCache(this))
    , m_preview(new QLabel(this))
    , m_title(new QLabel(this))
    , m_details(new QLabel(this))
    , m_remove(new QToolButton(this))
{
    setAccessibleName(tr("Attachment"));
    m_title->setTextFormat(Qt::PlainText); // a file name is shown as the characters it is
    m_details->setTextFormat(Qt::PlainText);
    m_remove->setText(QStringLiteral("✕"));
    m_remove->setAutoRaise(true);
    m_remove->setToolTip(tr("Remove the attachment"));
    m_remove->setAccessibleName(tr("Remove attachment"));
    m_remove->setAccessibleDescription(tr("Sends the reply without this file"));
    m_remove->setCursor(Qt::PointingHandCursor);
    m_remove->setFocusPolicy(Qt::TabFocus);
    auto *text = new QVBoxLayout;
    text->setSpacing(0);
    text->addWidget(m_title);
    text->addWidget(m_details);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 4, 4, 4);
    layout->addWidget(m_preview);
    layout->addLayout(text, 1);
    layout->addWidget(m_remove, 0, Qt::AlignTop);
    connect(m_remove, &QToolButton::clicked, this, &AttachmentChip::removeRequested);
    connect(m_thumbnails, &ThumbnailCache::ready, this, [this](const QString &key) {
        if (key == QString::number(m_version))
            showPreview();
    });
    hide();
}

void AttachmentChip::setAttachment(const Attachment &attachment, bool preparing)
{
    m_attachment = attachment;
    m_preparing = preparing;
    ++m_version;
    setVisible(!attachment.isEmpty());
    if (attachment.isEmpty())
        return;
    m_title->setText(attachment.fileName);
    QString details = attachment.size >= 0
        ? tr("%1 · %2").arg(MediaBubble::kindText(attachment), AttachmentRules::formatSize(attachment.size))
        : MediaBubble::kindText(attachment);
    m_details->setText(preparing ? tr("%1 · preparing…").arg(details) : details);
    setAccessibleDescription(MediaBubble::spokenText(attachment));
    m_title->setAccessibleName(tr("Attached file"));
    m_title->setAccessibleDescription(MediaBubble::spokenText(attachment));
    showPreview();
}

void AttachmentChip::showPreview()
{
    if (m_attachment.isEmpty())
        return;
    const int side = fontMetrics().height() * 2 + 4;
    const qreal dpr = devicePixelRatioF();
    QImage thumbnail;
    if (MediaBubble::showsAsImage(m_attachment))
        thumbnail
            = m_thumbnails->thumbnail(QString::number(m_version), m_attachment, QString(), QSize(side, side) * dpr);
    QPixmap pixmap(QSize(side, side) * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    const auto colours = ConsoleColours::Bubble::fromPalette(palette());
    if (!thumbnail.isNull() || m_thumbnails->state(QString::number(m_version)) == ThumbnailCache::State::Loading)
        MediaBubble::paintImage(&painter, QRect(0, 0, side, side), thumbnail, colours, true);
    else // a file, or a picture that cannot be shown
        MediaBubble::paintFileIcon(&painter, QRect(side / 8, 0, side * 3 / 4, side),
            QFileInfo(m_attachment.fileName).suffix(), font(), palette().color(QPalette::WindowText));
    painter.end();
    m_preview->setPixmap(pixmap);
}

void AttachmentChip::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        showPreview();
}
