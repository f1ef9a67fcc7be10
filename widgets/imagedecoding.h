// ImageDecoding: pictures from files and bytes nobody vouches for (a customer's photo, a server's
// answer), decoded with limits so a hostile or broken file costs a bounded amount of memory and time:
// QImageReader with an allocation limit, a pixel cap read from the header before anything is decoded,
// and decoding straight to the size it is shown at. Pure functions, safe on any thread; fuzzed by
// tests/fuzz/fuzz_image.cpp.
#pragma once

#include <QImage>
#include <QSize>
#include <QString>

class QIODevice;

namespace ImageDecoding {

// Larger than any phone's photo (a 200-megapixel sensor bins to 50); a header claiming more is refused.
inline constexpr qint64 MaxPixels = 50'000'000;
// QImageReader's own cap on one image's buffer, in MiB: 50 Mpx at 4 bytes each fit.
inline constexpr int AllocationLimitMb = 256;

struct Result
{
    QImage image; // null when it could not be decoded
    QSize fullSize; // the picture's own size, as shown (EXIF orientation applied); invalid when unknown
    QString error; // why `image` is null
};

// `size` scaled to fit in `box` keeping its aspect ratio, never enlarged; `size` itself for an empty box.
QSize fitted(const QSize &size, const QSize &box);
// Decodes the picture in `device`, scaled to fit `box` (an empty box: full size). `formatHint` is a
// reader format ("png", "jpeg", "webp") or empty to guess from the bytes.
Result decode(QIODevice *device, const QSize &box, const QByteArray &formatHint = {});
Result decodeFile(const QString &path, const QSize &box);
// The picture's size from its header alone (nothing decoded), as shown; invalid when unknown or too big.
QSize probeSize(const QString &path);

} // namespace ImageDecoding
