// The head of one HTTP/1.1 request, checked the way HttpConnection needs it: how the body is framed
// (Content-Length or chunked, or a WebSocket upgrade with none), and whether the head is something Qt
// 6.4's parser would drop without an answer (then the 4xx to send instead). A pure function over bytes.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

struct RequestHead
{
    QByteArray method; // as sent, at most 16 bytes (for the log of a refusal)
    QString path; // the target without its query, at most 512 characters
    QByteArray target; // the request target as sent (path and query), for a WebSocket upgrade
    qint64 contentLength = -1; // -1: none
    bool chunked = false;
    bool websocket = false; // a GET that upgradesToWebSocket(): the bytes after the head are not HTTP
    QByteArray webSocketKey; // Sec-WebSocket-Key and Sec-WebSocket-Version, trimmed
    QByteArray webSocketVersion;
    QByteArray authorization; // the Authorization header, trimmed: a path may check it before the body
    int errorStatus = 0; // 0: acceptable; else 400 or 405, with a code and a message
    QByteArray errorCode;
    QString errorMessage;

    // head: the request line and the header lines, up to and including the blank line.
    static RequestHead parse(const QByteArray &head);
    // Whether Qt 6.4 takes a request with these header values for a WebSocket upgrade: Upgrade is
    // "websocket" and Connection lists the "upgrade" token (its http_parser needs both). connection: the
    // values of every Connection header, joined by commas. The one rule for the framing and the front.
    static bool upgradesToWebSocket(QByteArrayView upgrade, QByteArrayView connection);
};
