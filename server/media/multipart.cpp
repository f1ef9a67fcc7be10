#include "multipart.h"

#include <QUrl>

namespace Multipart {

namespace {

// `name=value` pairs after the first ';' of a header value; values may be quoted (with \ escapes).
QList<std::pair<QByteArray, QByteArray>> parameters(const QByteArray &value)
{
    QList<std::pair<QByteArray, QByteArray>> out;
    qsizetype at = value.indexOf(';');
    while (at >= 0 && at < value.size()) {
        ++at;
        const qsizetype eq = value.indexOf('=', at);
        if (eq < 0)
            break;
        const QByteArray name = value.mid(at, eq - at).trimmed().toLower();
        qsizetype i = eq + 1;
        while (i < value.size() && value[i] == ' ')
            ++i;
        QByteArray v;
        if (i < value.size() && value[i] == '"') {
            for (++i; i < value.size() && value[i] != '"'; ++i) {
                if (value[i] == '\\' && i + 1 < value.size())
                    ++i;
                v += value[i];
            }
            at = value.indexOf(';', i);
        } else {
            const qsizetype end = value.indexOf(';', i);
            v = value.mid(i, end < 0 ? -1 : end - i).trimmed();
            at = end;
        }
        out.append({name, v});
    }
    return out;
}

// RFC 5987: charset'language'percent-encoded; only UTF-8 (and its ASCII subset) is taken.
QString extendedValue(const QByteArray &value)
{
    const QList<QByteArray> parts = value.split('\'');
    if (parts.size() != 3 || (parts[0].toLower() != "utf-8" && parts[0].toLower() != "us-ascii"))
        return QString();
    return QString::fromUtf8(QByteArray::fromPercentEncoding(parts[2]));
}

// A browser may send a whole path ("C:\\Users\\a\\photo.jpg"): only its last part names the file.
QString lastSegment(const QString &name)
{
    const qsizetype cut = std::max(name.lastIndexOf(u'/'), name.lastIndexOf(u'\\'));
    return name.mid(cut + 1);
}

bool readHeaders(const QByteArray &head, Part *part)
{
    for (const QByteArray &line : head.split('\n')) {
        const QByteArray l = line.endsWith('\r') ? line.chopped(1) : line;
        if (l.isEmpty())
            continue;
        const qsizetype colon = l.indexOf(':');
        if (colon <= 0)
            return false;
        const QByteArray name = l.left(colon).trimmed().toLower();
        const QByteArray value = l.mid(colon + 1).trimmed();
        if (name == "content-disposition") {
            if (!value.toLower().startsWith("form-data"))
                return false;
            QString plain;
            QString extended;
            for (const auto &[key, v] : parameters(value)) {
                if (key == "name")
                    part->name = v;
                else if (key == "filename")
                    plain = QString::fromUtf8(v);
                else if (key == "filename*")
                    extended = extendedValue(v);
            }
            part->fileName = lastSegment(extended.isEmpty() ? plain : extended);
        } else if (name == "content-type") {
            const qsizetype semicolon = value.indexOf(';');
            part->contentType = (semicolon < 0 ? value : value.left(semicolon)).trimmed().toLower();
        }
    }
    return true;
}

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

} // namespace

QByteArray boundaryOf(const QByteArray &contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    if (contentType.left(semicolon).trimmed().toLower() != "multipart/form-data")
        return {};
    for (const auto &[key, value] : parameters(contentType)) {
        // RFC 2046 §5.1.1: 1 to 70 characters.
        if (key == "boundary" && !value.isEmpty() && value.size() <= 70)
            return value;
    }
    return {};
}

std::optional<QList<Part>> parse(const QByteArray &body, const QByteArray &boundary, QString *error)
{
    if (boundary.isEmpty()) {
        fail(error, QStringLiteral("no multipart boundary"));
        return std::nullopt;
    }
    const QByteArray delimiter = "--" + boundary;
    // The first delimiter opens the body or follows a preamble's line end.
    qsizetype at = body.startsWith(delimiter) ? 0 : body.indexOf("\r\n" + delimiter);
    if (at < 0) {
        fail(error, QStringLiteral("the multipart body has no boundary"));
        return std::nullopt;
    }
    at = at == 0 ? delimiter.size() : at + 2 + delimiter.size();
    QList<Part> parts;
    for (;;) {
        if (body.mid(at, 2) == "--")
            return parts; // the closing delimiter; an epilogue after it is ignored
        while (at < body.size() && (body[at] == ' ' || body[at] == '\t'))
            ++at; // transport padding
        if (body.mid(at, 2) != "\r\n" || parts.size() >= MaxParts) {
            fail(error,
                parts.size() >= MaxParts ? QStringLiteral("too many multipart parts")
                                         : QStringLiteral("malformed multipart delimiter"));
            return std::nullopt;
        }
        at += 2;
        const qsizetype headEnd = body.indexOf("\r\n\r\n", at - 2);
        if (headEnd < 0 || headEnd - at > MaxPartHeaderBytes) {
            fail(error, QStringLiteral("a multipart part has no end of headers"));
            return std::nullopt;
        }
        Part part;
        if (headEnd >= at && !readHeaders(body.mid(at, headEnd - at), &part)) {
            fail(error, QStringLiteral("malformed multipart part headers"));
            return std::nullopt;
        }
        const qsizetype dataStart = headEnd + 4;
        const qsizetype next = body.indexOf("\r\n" + delimiter, dataStart);
        if (next < 0) {
            fail(error, QStringLiteral("the multipart body is cut short"));
            return std::nullopt;
        }
        part.data = body.mid(dataStart, next - dataStart);
        parts.append(part);
        at = next + 2 + delimiter.size();
    }
}

} // namespace Multipart
