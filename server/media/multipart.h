// multipart/form-data (RFC 7578) as the upload endpoint receives it: the boundary from the header, the
// parts with their name, file name (filename* of RFC 5987 preferred, any path stripped) and type. A pure
// parser over the whole body; anything malformed is an error, never a guess.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace Multipart {

struct Part
{
    QByteArray name;
    QString fileName; // empty when the part is no file
    QByteArray contentType; // lower case, parameters dropped; empty when absent
    QByteArray data;
};

inline constexpr int MaxParts = 16;
inline constexpr qsizetype MaxPartHeaderBytes = 8192;

// The boundary of a "multipart/form-data; boundary=..." header value; empty when it is none.
QByteArray boundaryOf(const QByteArray &contentType);
// The parts of `body`; nothing (and `error` says why) when it does not follow RFC 7578.
std::optional<QList<Part>> parse(const QByteArray &body, const QByteArray &boundary, QString *error = nullptr);

} // namespace Multipart
