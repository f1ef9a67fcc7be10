// POST /api/v1/widget/send as a console or a colleague's console would, for the integration tests.
#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

struct SendTarget
{
    QUrl server;
    QString token;
    QString tenant;
    QString conversation;
};

// The reply is the caller's (give it a parent or delete it).
inline QNetworkReply *postSend(QNetworkAccessManager &nam, const SendTarget &target, const QString &messageId,
    const QString &text, int timeoutMs = 20000)
{
    QNetworkRequest request(target.server.resolved(QUrl(QStringLiteral("/api/v1/widget/send"))));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setRawHeader("Authorization", "Bearer " + target.token.toUtf8());
    request.setRawHeader("X-Tenant-ID", target.tenant.toUtf8());
    request.setTransferTimeout(timeoutMs);
    const QJsonObject body {{QStringLiteral("messageId"), messageId},
        {QStringLiteral("conversationId"), target.conversation}, {QStringLiteral("tenantId"), target.tenant},
        {QStringLiteral("integrationId"), QStringLiteral("i1")}, {QStringLiteral("text"), text}};
    return nam.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
}
