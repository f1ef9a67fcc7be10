// The HTTP side of the reference server: a QAbstractHttpServer that hands every request to one
// handler (WidgetServer routes itself, so unknown paths and methods get JSON errors) and WebSocket
// upgrades to a filter, plus the JSON response helpers every route uses.
#pragma once

#include <QAbstractHttpServer>
#include <QHttpServerResponder>
#include <QJsonObject>
#include <QList>

#include <functional>

class QHttpServerRequest;

class HttpFront : public QAbstractHttpServer
{
    Q_OBJECT
public:
    using Handler = std::function<void(const QHttpServerRequest &, QHttpServerResponder &&)>;
    // True: the upgrade goes ahead (newWebSocketConnection follows); false: answered with a JSON 404.
    using UpgradeFilter = std::function<bool(const QHttpServerRequest &)>;

    HttpFront(Handler handler, UpgradeFilter upgradeFilter, QObject *parent = nullptr);

    using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

    static QJsonObject errorBody(const QString &message, const QString &code);
    // Writes a JSON body with Content-Type application/json (and Retry-After when >= 0).
    static void writeJson(
        QHttpServerResponder &responder, int httpStatus, const QJsonObject &body, int retryAfterSeconds = -1);
    // Writes any body with any headers (QHttpServerResponder's own overloads take a fixed initializer list).
    static void write(
        QHttpServerResponder &responder, int httpStatus, const QByteArray &body, const HeaderList &headers);
    static QByteArray header(const QHttpServerRequest &request, QByteArrayView name); // case-insensitive

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    Handler m_handler;
    UpgradeFilter m_upgradeFilter;
};
