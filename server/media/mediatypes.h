// What an uploaded file is, read from its bytes rather than taken from the client (CONTRACT.md §5: a
// PNG must start like a PNG), and the pixel size of an image from its header alone: the server never
// decodes a picture. Pure functions over bytes.
#pragma once

#include <QByteArray>
#include <QSize>
#include <QString>
#include <QStringList>

namespace MediaTypes {

// CONTRACT.md §5: what the upload endpoint allows unless --media-types says otherwise.
QStringList defaultAllowed();
// Every type the server can recognise in bytes; --media-types may name only these.
QStringList known();
bool isImage(const QString &mimeType);

// Whether `bytes` are of `mimeType` (one of known()): the magic number of the format, or for
// text/plain, valid UTF-8 without NUL or control characters other than tab, line feed, carriage return
// and form feed.
bool matches(const QString &mimeType, const QByteArray &bytes);
// The type `bytes` are of among known(), text/plain last; empty when none.
QString sniff(const QByteArray &bytes);

// The width and height a PNG, JPEG or WebP header declares (PNG IHDR, JPEG SOFn, WebP VP8/VP8L/VP8X);
// an invalid size when the header is missing, cut or absurd.
QSize imageSize(const QString &mimeType, const QByteArray &bytes);

} // namespace MediaTypes
