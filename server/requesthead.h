// The head of one HTTP/1.1 request, checked the way HttpConnection needs it: how the body is framed
// (Content-Length or chunked, or a WebSocket upgrade with none), and whether the head is something Qt
// 6.4's parser would drop without an answer (then the 4xx to send instead). A pure function over bytes.
#pragma once

#include <QByteArray>
#include <QString>

struct RequestHead
{
    QByteArray method; // as sent, at most 16 bytes (for the log of a refusal)
    QString path; // the target without its query, at most 512 characters
    qint64 contentLength = -1; // -1: none
    bool chunked = false;
    bool websocket = false; // GET with Upgrade: websocket: the bytes after the head are not HTTP
    int errorStatus = 0; // 0: acceptable; else 400 or 405, with a code and a message
    QByteArray errorCode;
    QString errorMessage;

    // head: the request line and the header lines, up to and including the blank line.
    static RequestHead parse(const QByteArray &head);
};
