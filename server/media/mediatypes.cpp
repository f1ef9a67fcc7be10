#include "mediatypes.h"

#include <QStringDecoder>

#include <algorithm>

namespace MediaTypes {

namespace {

constexpr int MaxSide = 100000; // what the console accepts too (net/mediajson.cpp)

bool startsWith(const QByteArray &bytes, qsizetype at, QByteArrayView magic)
{
    return bytes.size() >= at + magic.size() && QByteArrayView(bytes).sliced(at, magic.size()) == magic;
}

quint32 bigEndian(const QByteArray &b, qsizetype at, int bytes)
{
    quint32 v = 0;
    for (int i = 0; i < bytes; ++i)
        v = (v << 8) | quint8(b.at(at + i));
    return v;
}

quint32 littleEndian(const QByteArray &b, qsizetype at, int bytes)
{
    quint32 v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | quint8(b.at(at + i));
    return v;
}

QSize sane(quint32 width, quint32 height)
{
    return width > 0 && height > 0 && width <= MaxSide && height <= MaxSide ? QSize(int(width), int(height)) : QSize();
}

bool isMp3(const QByteArray &b)
{
    if (startsWith(b, 0, "ID3"))
        return true;
    // A bare MPEG audio frame: 11 sync bits, then a layer that is not "reserved" (MPEG-1/2 layer III/II/I).
    return b.size() >= 2 && quint8(b[0]) == 0xFF && (quint8(b[1]) & 0xE0) == 0xE0 && (quint8(b[1]) & 0x06) != 0;
}

bool isText(const QByteArray &b)
{
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = utf8(b);
    if (utf8.hasError())
        return false;
    return std::none_of(text.cbegin(), text.cend(),
        [](QChar c) { return c.unicode() < 0x20 && c != u'\t' && c != u'\n' && c != u'\r' && c != u'\f'; });
}

QSize pngSize(const QByteArray &b)
{
    // Signature, then the IHDR chunk first: length 13, "IHDR", width, height (big-endian).
    if (!startsWith(b, 0, "\x89PNG\r\n\x1a\n") || !startsWith(b, 12, "IHDR") || b.size() < 24)
        return QSize();
    return sane(bigEndian(b, 16, 4), bigEndian(b, 20, 4));
}

QSize jpegSize(const QByteArray &b)
{
    // Walk the segments to the first start-of-frame marker (SOF0..SOF15 but DHT, JPG and DAC).
    qsizetype at = 2;
    while (at + 4 <= b.size()) {
        if (quint8(b[at]) != 0xFF)
            return QSize();
        const quint8 marker = quint8(b[at + 1]);
        if (marker == 0xFF) { // fill byte
            ++at;
            continue;
        }
        if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
            at += 2; // no length
            continue;
        }
        const qsizetype length = bigEndian(b, at + 2, 2);
        if (length < 2)
            return QSize();
        const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (sof) {
            if (at + 9 > b.size())
                return QSize();
            return sane(bigEndian(b, at + 7, 2), bigEndian(b, at + 5, 2));
        }
        at += 2 + length;
    }
    return QSize();
}

QSize webpSize(const QByteArray &b)
{
    if (!startsWith(b, 0, "RIFF") || !startsWith(b, 8, "WEBP") || b.size() < 30)
        return QSize();
    if (startsWith(b, 12, "VP8 ")) // lossy: a key frame's start code, then 14-bit sizes
        return startsWith(b, 23, "\x9d\x01\x2a")
            ? sane(littleEndian(b, 26, 2) & 0x3FFF, littleEndian(b, 28, 2) & 0x3FFF)
            : QSize();
    if (startsWith(b, 12, "VP8L")) { // lossless: signature 0x2f, then 14-bit width-1 and height-1
        if (quint8(b[20]) != 0x2F)
            return QSize();
        const quint32 bits = littleEndian(b, 21, 4);
        return sane((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
    }
    if (startsWith(b, 12, "VP8X")) // extended: 24-bit canvas width-1 and height-1
        return sane(littleEndian(b, 24, 3) + 1, littleEndian(b, 27, 3) + 1);
    return QSize();
}

} // namespace

QStringList defaultAllowed()
{
    return {QStringLiteral("image/jpeg"), QStringLiteral("image/png"), QStringLiteral("image/webp"),
        QStringLiteral("application/pdf"), QStringLiteral("text/plain"), QStringLiteral("audio/ogg"),
        QStringLiteral("audio/mpeg"), QStringLiteral("video/mp4")};
}

QStringList known()
{
    return defaultAllowed() + QStringList {QStringLiteral("image/gif")};
}

bool isImage(const QString &mimeType)
{
    return mimeType.startsWith(QLatin1String("image/"));
}

bool matches(const QString &type, const QByteArray &b)
{
    if (type == u"image/jpeg")
        return startsWith(b, 0, "\xFF\xD8\xFF");
    if (type == u"image/png")
        return startsWith(b, 0, "\x89PNG\r\n\x1a\n");
    if (type == u"image/webp")
        return startsWith(b, 0, "RIFF") && startsWith(b, 8, "WEBP");
    if (type == u"image/gif")
        return startsWith(b, 0, "GIF87a") || startsWith(b, 0, "GIF89a");
    if (type == u"application/pdf")
        return startsWith(b, 0, "%PDF-");
    if (type == u"audio/ogg")
        return startsWith(b, 0, "OggS");
    if (type == u"audio/mpeg")
        return isMp3(b);
    if (type == u"video/mp4")
        return startsWith(b, 4, "ftyp");
    if (type == u"text/plain")
        return !b.isEmpty() && isText(b);
    return false;
}

QString sniff(const QByteArray &bytes)
{
    for (const QString &type : known()) {
        if (type != u"text/plain" && matches(type, bytes))
            return type;
    }
    return matches(QStringLiteral("text/plain"), bytes) ? QStringLiteral("text/plain") : QString();
}

QSize imageSize(const QString &type, const QByteArray &bytes)
{
    if (type == u"image/png")
        return pngSize(bytes);
    if (type == u"image/jpeg")
        return jpegSize(bytes);
    if (type == u"image/webp")
        return webpSize(bytes);
    if (type == u"image/gif" && bytes.size() >= 10
        && (startsWith(bytes, 0, "GIF87a") || startsWith(bytes, 0, "GIF89a")))
        return sane(littleEndian(bytes, 6, 2), littleEndian(bytes, 8, 2));
    return QSize();
}

} // namespace MediaTypes
