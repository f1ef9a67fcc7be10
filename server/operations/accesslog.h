// widget-server's structured logs: one JSON object per line on stderr (stdout carries only the
// "listening on" line scripts wait for). Access lines describe an HttpExchange; with the JSON format on,
// every other qDebug/qInfo/qWarning line of the process is written as JSON too. The token, the
// Authorization header and query strings never reach a line: an HttpExchange does not carry them.
#pragma once

#include "httpexchange.h"

#include <QDateTime>

#include <functional>

class AccessLog
{
public:
    enum class Format { Json, Text };
    using Sink = std::function<void(const QByteArray &line)>; // one line, without the newline

    explicit AccessLog(Format format = Format::Json, Sink sink = {});

    void setFormat(Format format) { m_format = format; }
    Format format() const { return m_format; }
    void write(const HttpExchange &exchange) const;

    static QByteArray jsonLine(const HttpExchange &exchange, const QDateTime &time);
    static QByteArray textLine(const HttpExchange &exchange, const QDateTime &time);
    static Sink standardError(); // writes and flushes each line at once
    // Routes Qt's messages (qInfo, qCWarning...) to stderr as JSON lines:
    // {"time","level","category","msg"}. Call once, from main().
    static void installJsonMessageHandler();

private:
    Format m_format;
    Sink m_sink;
};
