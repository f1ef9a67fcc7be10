// Fuzz target: a picture nobody vouches for (a customer's photo, a server's answer) as the console
// decodes it for a bubble (ImageDecoding, CONTRACT.md §5): malformed PNG, JPEG and WebP headers and
// chunks, absurd sizes, truncated data. Nothing may crash or allocate beyond the limits, and what is
// decoded must keep the promises in imagedecoding.h.
#include "imagedecoding.h"

#include <QBuffer>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

void require(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz_image: invariant broken: %s\n", what);
        std::abort();
    }
}

void check(const ImageDecoding::Result &r, const QSize &box)
{
    require(r.image.isNull() != r.error.isEmpty(), "a picture and an error, or neither");
    if (r.image.isNull())
        return;
    require(r.fullSize.isValid(), "a decoded picture without its own size");
    require(qint64(r.fullSize.width()) * r.fullSize.height() <= ImageDecoding::MaxPixels, "more pixels than the cap");
    if (!box.isEmpty()) {
        require(r.image.width() <= box.width() && r.image.height() <= box.height(), "larger than its box");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    // A thumbnail's box (as in the bubbles) and a viewer's (ImageViewer::MaxSide).
    for (const QSize box : {QSize(280, 280), QSize(4096, 4096)}) {
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::ReadOnly);
        // No format hint, as for every file the console shows: the reader goes by the bytes.
        check(ImageDecoding::decode(&buffer, box), box);
    }
    return 0;
}
