// Test clients for the widget-server tests: a blocking-free HTTP helper over QNetworkAccessManager
// (waits with QSignalSpy) and a Socket.IO client over QWebSocket that records every frame.
#pragma once

#include "serveroperations.h"
#include "widgetserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QStringList>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>

#include <memory>

inline const QString TestToken = QStringLiteral("s3cret-token");

// Open Engine.IO sessions, both transports, as /metrics counts them.
inline int engineSessions(WidgetServer &server)
{
    int total = 0;
    for (const QByteArray &line : server.operations()->metrics().render().split('\n')) {
        if (line.startsWith("widget_server_engine_sessions{"))
            total += int(line.mid(line.lastIndexOf(' ') + 1).toDouble());
    }
    return total;
}

struct HttpResult
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QByteArray contentType;
    QByteArray retryAfter;
    bool hasRetryAfter = false;
    QList<QNetworkReply::RawHeaderPair> headers;
    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
};

class HttpClient
{
public:
    explicit HttpClient(const QUrl &base)
        : m_base(base)
    {
        m_nam.setProxy(QNetworkProxy::NoProxy);
    }

    // headers: name -> value; a null value drops the default header of that name.
    HttpResult request(const QByteArray &verb, const QString &path, const QByteArray &body = {},
        const QList<std::pair<QByteArray, QByteArray>> &headers = {})
    {
        QNetworkRequest request(m_base.resolved(QUrl(path)));
        request.setTransferTimeout(10000);
        QList<std::pair<QByteArray, QByteArray>> all {{"Content-Type", "application/json"},
            {"Authorization", "Bearer " + TestToken.toUtf8()}, {"X-Tenant-ID", "t1"}};
        for (const auto &[name, value] : headers) {
            all.removeIf([&name](const auto &h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
            if (!value.isNull())
                all.append({name, value});
        }
        for (const auto &[name, value] : all)
            request.setRawHeader(name, value);
        std::unique_ptr<QNetworkReply> reply(m_nam.sendCustomRequest(request, verb, body));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        if (!reply->isFinished() && !finished.wait(10000))
            return {};
        HttpResult r;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.body = reply->readAll();
        r.json = QJsonDocument::fromJson(r.body).object();
        r.contentType = reply->rawHeader("Content-Type");
        r.hasRetryAfter = reply->hasRawHeader("Retry-After");
        r.retryAfter = reply->rawHeader("Retry-After");
        r.headers = reply->rawHeaderPairs();
        return r;
    }
    HttpResult get(const QString &path, const QList<std::pair<QByteArray, QByteArray>> &headers = {})
    {
        return request("GET", path, {}, headers);
    }
    HttpResult post(
        const QString &path, const QJsonObject &body, const QList<std::pair<QByteArray, QByteArray>> &headers = {})
    {
        return request("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact), headers);
    }

private:
    QUrl m_base;
    QNetworkAccessManager m_nam;
};

inline QUrl socketUrl(const WidgetServer &server, const QString &tenant, const QString &conversation)
{
    QUrl url = server.baseUrl();
    url.setScheme(QStringLiteral("ws"));
    url.setPath(QStringLiteral("/socket.io/"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("EIO"), QStringLiteral("4"));
    query.addQueryItem(QStringLiteral("transport"), QStringLiteral("websocket"));
    query.addQueryItem(QStringLiteral("tenantId"), tenant);
    query.addQueryItem(QStringLiteral("conversationId"), conversation);
    url.setQuery(query);
    return url;
}

// A raw Socket.IO client: records every frame, answers nothing unless told to.
class SocketClient : public QObject
{
public:
    SocketClient()
    {
        QObject::connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &frame) {
            frames.append(frame);
            if (autoPong && frame == u"2")
                socket.sendTextMessage(QStringLiteral("3"));
        });
        socket.setProxy(QNetworkProxy::NoProxy);
    }
    void open(const QUrl &url) { socket.open(url); }

    // Frames that are Socket.IO events with this name, as their first argument.
    QList<QJsonObject> events(const QString &name) const
    {
        const QString prefix = QStringLiteral("42[\"%1\",").arg(name);
        QList<QJsonObject> out;
        for (const QString &frame : frames) {
            if (frame.startsWith(prefix))
                out.append(QJsonDocument::fromJson(frame.mid(2).toUtf8()).array().at(1).toObject());
        }
        return out;
    }
    QStringList eventNames() const
    {
        QStringList names;
        for (const QString &frame : frames) {
            if (frame.startsWith(u"42["))
                names.append(QJsonDocument::fromJson(frame.mid(2).toUtf8()).array().at(0).toString());
        }
        return names;
    }

    QWebSocket socket;
    QStringList frames;
    bool autoPong = false;
};
