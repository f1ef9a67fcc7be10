// One HTTP request and its answer as the access log and the metrics see them: no headers, no query
// string and no body, so neither a token nor a tenant's data can leak through them.
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QJsonObject>
#include <QString>

struct HttpExchange
{
    QByteArray requestId; // 16 hex digits, also sent back as X-Request-ID
    QByteArray method;
    QString path; // percent-encoded, without the query
    QHostAddress remoteAddress;
    QString tenant; // set by the handler once the request is authorised; empty otherwise
    int status = 0; // 101 for an accepted WebSocket upgrade, 499 when the client left before the answer
    qint64 durationMs = 0; // from the complete request to the answer being queued
};

// Every error answer's body (CONTRACT.md §1): {"error": {"message": ..., "code": ...}}.
inline QJsonObject httpErrorBody(const QString &message, const QString &code)
{
    return QJsonObject {
        {QStringLiteral("error"), QJsonObject {{QStringLiteral("message"), message}, {QStringLiteral("code"), code}}}};
}
