#include "imageviewer.h"

#include "imagedecoding.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QShortcut>
#include <QStandardPaths>
#include <QThreadPool>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

ImageViewer::ImageViewer(const QString &path, const QString &fileName, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_path(path)
    , m_fileName(fileName)
    , m_scroll(new QScrollArea(this))
    , m_picture(new QLabel(this))
    , m_status(new QLabel(this))
    , m_alive(std::make_shared<bool>(true))
{
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("%1 — Agent Console").arg(fileName));
    setAccessibleName(tr("Picture viewer"));
    m_picture->setAlignment(Qt::AlignCenter);
    m_picture->setAccessibleName(fileName);
    m_scroll->setWidget(m_picture);
    m_scroll->setWidgetResizable(false);
    m_scroll->setAlignment(Qt::AlignCenter);
    m_scroll->setAccessibleName(tr("Picture"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setAccessibleName(tr("Zoom"));

    auto *bar = new QHBoxLayout;
    addButton(tr("Fit"), tr("Fit to window"), QKeySequence(Qt::Key_F));
    addButton(tr("−"), tr("Zoom out"), QKeySequence::ZoomOut);
    addButton(tr("+"), tr("Zoom in"), QKeySequence::ZoomIn);
    addButton(tr("100 %"), tr("Actual size"), QKeySequence(Qt::CTRL | Qt::Key_0));
    m_save = addButton(tr("Save as…"), tr("Save the picture as"), QKeySequence::Save);
    const QList<QToolButton *> &buttons = m_buttons;
    for (QToolButton *button : buttons)
        bar->addWidget(button);
    bar->addStretch(1);
    bar->addWidget(m_status);
    connect(buttons[0], &QToolButton::clicked, this, &ImageViewer::fitToWindow);
    connect(buttons[1], &QToolButton::clicked, this, [this] { zoomBy(1 / 1.25); });
    connect(buttons[2], &QToolButton::clicked, this, [this] { zoomBy(1.25); });
    connect(buttons[3], &QToolButton::clicked, this, &ImageViewer::actualSize);
    connect(m_save, &QToolButton::clicked, this, &ImageViewer::saveAs);
    auto *close = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    connect(close, &QShortcut::activated, this, &QWidget::close);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(bar);
    layout->addWidget(m_scroll, 1);
    resize(900, 700);
    m_status->setText(tr("Loading…"));

    // Off the UI thread, with the decoder's limits: a 50-megapixel photo must not stall the console.
    std::weak_ptr<bool> alive = m_alive;
    QThreadPool::globalInstance()->start([this, alive, path] {
        const ImageDecoding::Result result = ImageDecoding::decodeFile(path, QSize(MaxSide, MaxSide));
        QMetaObject::invokeMethod(QCoreApplication::instance(), [this, alive, result] {
            if (alive.lock()) // checked on the UI thread, where the viewer is destroyed
                setImage(result.image, result.error);
        });
    });
}

ImageViewer::~ImageViewer()
{
    m_alive.reset();
}

QToolButton *ImageViewer::addButton(const QString &text, const QString &accessibleName, const QKeySequence &key)
{
    auto *button = new QToolButton(this);
    button->setText(text);
    button->setAccessibleName(accessibleName);
    button->setToolTip(QStringLiteral("%1 (%2)").arg(accessibleName, key.toString(QKeySequence::NativeText)));
    button->setShortcut(key);
    button->setEnabled(false); // until the picture is there
    m_buttons.append(button);
    return button;
}

void ImageViewer::setImage(const QImage &image, const QString &error)
{
    m_image = image;
    for (QToolButton *button : std::as_const(m_buttons))
        button->setEnabled(!image.isNull() || button == m_save);
    if (image.isNull())
        m_status->setText(tr("This picture cannot be shown: %1").arg(error));
    render();
    emit loaded();
}

void ImageViewer::fitToWindow()
{
    m_fit = true;
    render();
}

void ImageViewer::zoomBy(double factor)
{
    m_zoom = std::clamp(m_zoom * factor, 0.05, 16.0); // from the fitted scale, when fitted
    m_fit = false;
    render();
}

void ImageViewer::actualSize()
{
    m_fit = false;
    m_zoom = 1;
    render();
}

void ImageViewer::render()
{
    if (m_image.isNull())
        return;
    const QSize room = m_scroll->viewport()->size() - QSize(2, 2);
    if (m_fit) // never enlarged past its own size, as an image viewer fits
        m_zoom
            = std::min(1.0, std::min(double(room.width()) / m_image.width(), double(room.height()) / m_image.height()));
    const qreal dpr = devicePixelRatioF();
    const double largest = std::sqrt(double(MaxShownPixels) / (double(m_image.width()) * m_image.height())) / dpr;
    m_zoom = std::min(m_zoom, largest);
    const QSize shown = (QSizeF(m_image.size()) * m_zoom).toSize().expandedTo(QSize(1, 1));
    QImage scaled = m_image.scaled(shown * dpr, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    scaled.setDevicePixelRatio(dpr);
    m_picture->setPixmap(QPixmap::fromImage(scaled));
    m_picture->resize(shown);
    m_status->setText(tr("%1 %  ·  %2 × %3").arg(qRound(m_zoom * 100)).arg(m_image.width()).arg(m_image.height()));
}

void ImageViewer::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (m_fit)
        render();
}

void ImageViewer::saveAs()
{
    auto *dialog = new QFileDialog(this, tr("Save the picture as"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDirectory(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation));
    dialog->selectFile(m_fileName);
    // open(), not exec(): the console keeps running while the agent picks a place.
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &target) {
        QFile::remove(target); // the dialog asked already whether to replace it
        const QString source = QFile::exists(m_path) || !m_locate ? m_path : m_locate();
        if (QFile::copy(source, target))
            emit saved(target);
        else
            m_status->setText(tr("The picture could not be saved to %1.").arg(target));
    });
    dialog->open();
}
