#include "imagedecoding.h"

#include <QCoreApplication>
#include <QFile>
#include <QImageIOHandler>
#include <QImageReader>

namespace ImageDecoding {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ImageDecoding", text);
}

// The header's size as the picture is shown: a photo taken upright says it is rotated by 90°.
QSize shownSize(const QImageReader &reader, const QSize &stored)
{
    return reader.transformation() & QImageIOHandler::TransformationRotate90 ? stored.transposed() : stored;
}

} // namespace

QSize fitted(const QSize &size, const QSize &box)
{
    if (!size.isValid() || size.isEmpty() || box.isEmpty())
        return size;
    if (size.width() <= box.width() && size.height() <= box.height())
        return size;
    QSize scaled = size.scaled(box, Qt::KeepAspectRatio);
    return scaled.expandedTo(QSize(1, 1)); // a 10000x1 strip stays at least a pixel high
}

Result decode(QIODevice *device, const QSize &box, const QByteArray &formatHint)
{
    Result result;
    QImageReader reader(device, formatHint);
    reader.setAllocationLimit(AllocationLimitMb);
    reader.setAutoTransform(true);
    const QSize stored = reader.size();
    if (!stored.isValid() || stored.isEmpty()) {
        result.error = reader.canRead() ? tr("The picture does not say how large it is.")
                                        : tr("This is not a picture that can be shown.");
        return result;
    }
    if (qint64(stored.width()) * stored.height() > MaxPixels) {
        result.error
            = tr("The picture is too large to show (%1 × %2 pixels).").arg(stored.width()).arg(stored.height());
        return result;
    }
    result.fullSize = shownSize(reader, stored);
    // Decoded at the size it is shown at: a 12-megapixel photo as a thumbnail needs ~300 KB, not 48 MB
    // (JPEG decodes at a fraction of its size directly). The reader scales before it rotates.
    const QSize target = fitted(result.fullSize, box);
    if (target != result.fullSize)
        reader.setScaledSize(shownSize(reader, target));
    if (!reader.read(&result.image)) {
        result.image = QImage();
        result.error = tr("The picture cannot be read: %1").arg(reader.errorString());
    }
    return result;
}

Result decodeFile(const QString &path, const QSize &box)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result {QImage(), QSize(), tr("The file cannot be opened: %1").arg(file.errorString())};
    return decode(&file, box);
}

QSize probeSize(const QString &path)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize stored = reader.size();
    if (!stored.isValid() || stored.isEmpty() || qint64(stored.width()) * stored.height() > MaxPixels)
        return QSize();
    return shownSize(reader, stored);
}

} // namespace ImageDecoding
