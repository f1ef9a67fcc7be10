#include "accesslog.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace {

QString isoTime(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

void writeLine(const QByteArray &line)
{
    const QByteArray out = line + '\n';
    std::fwrite(out.constData(), 1, size_t(out.size()), stderr);
    std::fflush(stderr);
}

void jsonMessageHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    static const char *const levels[] = {"debug", "warning", "critical", "fatal", "info"};
    const int index = int(type);
    QJsonObject line {
        {QStringLiteral("time"), isoTime(QDateTime::currentDateTimeUtc())},
        {QStringLiteral("level"), QLatin1String(index >= 0 && index < 5 ? levels[index] : "info")},
        {QStringLiteral("msg"), message},
    };
    if (context.category && qstrcmp(context.category, "default") != 0)
        line.insert(QStringLiteral("category"), QLatin1String(context.category));
    writeLine(QJsonDocument(line).toJson(QJsonDocument::Compact));
}

} // namespace

AccessLog::AccessLog(Format format, Sink sink)
    : m_format(format)
    , m_sink(sink ? std::move(sink) : standardError())
{
}

QByteArray AccessLog::jsonLine(const HttpExchange &exchange, const QDateTime &time)
{
    const QJsonObject line {
        {QStringLiteral("time"), isoTime(time)},
        {QStringLiteral("level"), QStringLiteral("info")},
        {QStringLiteral("msg"), QStringLiteral("request")},
        {QStringLiteral("requestId"), QString::fromLatin1(exchange.requestId)},
        {QStringLiteral("method"), QString::fromLatin1(exchange.method)},
        {QStringLiteral("path"), exchange.path},
        {QStringLiteral("status"), exchange.status},
        {QStringLiteral("duration_ms"), exchange.durationMs},
        {QStringLiteral("tenant"), exchange.tenant.isEmpty() ? QJsonValue(QJsonValue::Null) : exchange.tenant},
        {QStringLiteral("remote"), exchange.remoteAddress.toString()},
    };
    return QJsonDocument(line).toJson(QJsonDocument::Compact);
}

QByteArray AccessLog::textLine(const HttpExchange &exchange, const QDateTime &time)
{
    return isoTime(time).toLatin1() + ' ' + exchange.remoteAddress.toString().toLatin1() + ' ' + exchange.method + ' '
        + exchange.path.toUtf8() + ' ' + QByteArray::number(exchange.status) + ' '
        + QByteArray::number(exchange.durationMs) + "ms tenant="
        + (exchange.tenant.isEmpty() ? QByteArray("-") : exchange.tenant.toUtf8().replace('\n', ' ').replace('\r', ' '))
        + " id=" + exchange.requestId;
}

void AccessLog::write(const HttpExchange &exchange) const
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_sink(m_format == Format::Json ? jsonLine(exchange, now) : textLine(exchange, now));
}

AccessLog::Sink AccessLog::standardError()
{
    return writeLine;
}

void AccessLog::installJsonMessageHandler()
{
    qInstallMessageHandler(jsonMessageHandler);
}
