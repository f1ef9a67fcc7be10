#include "httpfront.h"

#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QTcpSocket>

HttpFront::HttpFront(Handler handler, UpgradeFilter upgradeFilter, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_handler(std::move(handler))
    , m_upgradeFilter(std::move(upgradeFilter))
{
}

bool HttpFront::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Real-time traffic is many small writes (an Engine.IO packet per WebSocket frame, paced one by
    // one): Nagle's algorithm would hold each behind the previous one's delayed ACK, 40 ms on Linux.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // Qt 6.4.2 asks handleRequest() about a WebSocket upgrade too: true (and nothing written) lets
    // its WebSocket server take the connection over; false makes it call missingHandler().
    if (header(request, "Upgrade").compare("websocket", Qt::CaseInsensitive) == 0)
        return m_upgradeFilter(request);
    m_handler(request, makeResponder(request, socket));
    return true;
}

void HttpFront::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Only refused WebSocket upgrades get here: handleRequest() answers every other request.
    QHttpServerResponder responder = makeResponder(request, socket);
    writeJson(responder, 404, errorBody(QStringLiteral("Not found"), QStringLiteral("NOT_FOUND")));
}

QJsonObject HttpFront::errorBody(const QString &message, const QString &code)
{
    return QJsonObject {
        {QStringLiteral("error"), QJsonObject {{QStringLiteral("message"), message}, {QStringLiteral("code"), code}}}};
}

void HttpFront::writeJson(
    QHttpServerResponder &responder, int httpStatus, const QJsonObject &body, int retryAfterSeconds)
{
    const QByteArray data = QJsonDocument(body).toJson(QJsonDocument::Compact);
    const auto status = QHttpServerResponder::StatusCode(httpStatus);
    const std::pair<QByteArray, QByteArray> contentType {"Content-Type", "application/json"};
    if (retryAfterSeconds >= 0)
        responder.write(data, {contentType, {"Retry-After", QByteArray::number(retryAfterSeconds)}}, status);
    else
        responder.write(data, {contentType}, status);
}

void HttpFront::write(
    QHttpServerResponder &responder, int httpStatus, const QByteArray &body, const HeaderList &headers)
{
    responder.writeStatusLine(QHttpServerResponder::StatusCode(httpStatus));
    for (const auto &[name, value] : headers)
        responder.writeHeader(name, value);
    responder.writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(body.size()));
    responder.writeBody(body);
}

QByteArray HttpFront::header(const QHttpServerRequest &request, QByteArrayView name)
{
    const auto headers = request.headers();
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value.trimmed();
    }
    return {};
}
