#include "requesthead.h"

#include <QByteArrayView>
#include <QList>

namespace {

bool isTokenChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

bool isVisibleAscii(QByteArrayView text)
{
    for (const char c : text) {
        if (uchar(c) <= 0x20 || uchar(c) >= 0x7f)
            return false;
    }
    return true;
}

bool hasControlChar(QByteArrayView text)
{
    for (const char c : text) {
        if ((uchar(c) < 0x20 && c != '\t') || uchar(c) == 0x7f)
            return true;
    }
    return false;
}

RequestHead refused(RequestHead head, int status, const QString &message)
{
    head.errorStatus = status;
    head.errorCode = status == 405 ? QByteArrayLiteral("METHOD_NOT_ALLOWED") : QByteArrayLiteral("BAD_REQUEST");
    head.errorMessage = message;
    return head;
}

} // namespace

RequestHead RequestHead::parse(const QByteArray &text)
{
    QList<QByteArray> lines = text.split('\n');
    for (QByteArray &line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    RequestHead head;
    const QList<QByteArray> parts = lines.value(0).split(' ');
    head.method = parts.value(0).left(16);
    const QByteArray target = parts.value(1);
    head.target = target;
    const qsizetype query = target.indexOf('?');
    head.path = QString::fromLatin1(query < 0 ? target.left(512) : target.left(std::min<qsizetype>(query, 512)));
    if (parts.size() != 3 || !isToken(parts.at(0)) || !isVisibleAscii(parts.at(1)))
        return refused(head, 400, QStringLiteral("Malformed request line"));
    // What Qt's parser and our routes know; CONNECT and TRACE have no business here.
    static const QList<QByteArray> methods {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"};
    if (!methods.contains(parts.at(0)))
        return refused(head, 405, QStringLiteral("Method not allowed"));
    if (!parts.at(1).startsWith('/'))
        return refused(head, 400, QStringLiteral("Malformed request target"));
    if (parts.at(2) != "HTTP/1.1" && parts.at(2) != "HTTP/1.0")
        return refused(head, 400, QStringLiteral("Unsupported HTTP version"));

    QByteArray upgrade;
    int upgrades = 0;
    QByteArray connection;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        // Also refuses obs-fold (a line starting with white space): RFC 9112 §5.2 lets a server reject it.
        if (colon <= 0 || !isToken(QByteArrayView(line).first(colon))
            || hasControlChar(QByteArrayView(line).sliced(colon)))
            return refused(head, 400, QStringLiteral("Malformed header line"));
        const QByteArray name = line.left(colon).toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length") {
            bool ok = !value.isEmpty() && value.size() <= 18;
            for (const char c : value)
                ok = ok && c >= '0' && c <= '9';
            const qint64 length = ok ? value.toLongLong(&ok) : -1;
            if (!ok || (head.contentLength >= 0 && head.contentLength != length))
                return refused(head, 400, QStringLiteral("Invalid Content-Length"));
            head.contentLength = length;
        } else if (name == "transfer-encoding") {
            if (value.toLower() != "chunked")
                return refused(head, 400, QStringLiteral("Unsupported Transfer-Encoding"));
            head.chunked = true;
        } else if (name == "sec-websocket-key") {
            head.webSocketKey = value;
        } else if (name == "sec-websocket-version") {
            head.webSocketVersion = value;
        } else if (name == "authorization") {
            // Twice is ambiguous: the check from the head and the route could each read another one.
            if (!head.authorization.isNull())
                return refused(head, 400, QStringLiteral("Authorization given twice"));
            head.authorization = value.isNull() ? QByteArray("") : value;
        } else if (name == "upgrade" || name == "connection") {
            // As Qt's parser stores them: without the leading white space, with the trailing one.
            QByteArrayView raw = QByteArrayView(line).sliced(colon + 1);
            while (!raw.isEmpty() && (raw.front() == ' ' || raw.front() == '\t'))
                raw = raw.sliced(1);
            if (name == "connection") {
                connection += raw.toByteArray() + ',';
            } else {
                // Twice is ambiguous (which one would Qt read?): no upgrade then, so the bytes after the
                // head are still framed as HTTP, and what is not HTTP is refused.
                upgrade = upgrades++ == 0 ? raw.toByteArray() : QByteArray();
            }
        }
    }
    // Both framings at once is how requests are smuggled past proxies (RFC 9112 §6.3).
    if (head.chunked && head.contentLength >= 0)
        return refused(head, 400, QStringLiteral("Both Content-Length and Transfer-Encoding"));
    const bool websocket = parts.at(0) == "GET" && upgradesToWebSocket(upgrade, connection);
    // RFC 6455 §4.1: the opening handshake is an HTTP/1.1 request (a 1.0 proxy would not keep it open).
    if (websocket && parts.at(2) != "HTTP/1.1")
        return refused(head, 400, QStringLiteral("A WebSocket upgrade needs HTTP/1.1"));
    head.websocket = websocket;
    return head;
}

bool RequestHead::upgradesToWebSocket(QByteArrayView upgrade, QByteArrayView connection)
{
    // Never looser than Qt's http_parser, which compares the stored Upgrade value as it is and finds the
    // token between commas with spaces around it: an upgrade seen here must be one Qt sees.
    if (upgrade.compare("websocket", Qt::CaseInsensitive) != 0)
        return false;
    const QList<QByteArray> tokens = connection.toByteArray().split(',');
    for (const QByteArray &token : tokens) {
        qsizetype begin = 0;
        qsizetype end = token.size();
        while (begin < end && token.at(begin) == ' ')
            ++begin;
        while (end > begin && token.at(end - 1) == ' ')
            --end;
        if (QByteArrayView(token).sliced(begin, end - begin).compare("upgrade", Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}
