#include "sendrequest.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

std::variant<SendRequest, SendRequestError> parseSendRequest(const QByteArray &body, const QString &headerTenant)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return SendRequestError {QStringLiteral("Body must be a JSON object"), QStringLiteral("INVALID_JSON")};
    const QJsonObject o = doc.object();

    // Optional string fields may be null or absent; any other type is a client bug worth naming.
    QString wrongType;
    const auto field = [&](QLatin1StringView key) {
        const QJsonValue v = o.value(key);
        if (!v.isString() && !v.isNull() && !v.isUndefined() && wrongType.isEmpty())
            wrongType = key;
        return v.toString();
    };
    SendRequest r;
    r.messageId = field("messageId"_L1).trimmed();
    r.conversationId = field("conversationId"_L1).trimmed();
    r.tenantId = field("tenantId"_L1).trimmed();
    r.integrationId = field("integrationId"_L1).trimmed();
    r.text = field("text"_L1); // the agent's text is stored as typed
    r.mediaUrl = field("mediaUrl"_L1).trimmed();
    if (!wrongType.isEmpty())
        return SendRequestError {wrongType + QStringLiteral(" must be a string"), QStringLiteral("INVALID_FIELD")};
    if (r.tenantId.isEmpty())
        r.tenantId = headerTenant.trimmed();

    const auto missing = [](const QString &what) {
        return SendRequestError {what + QStringLiteral(" required"), QStringLiteral("MISSING_FIELD")};
    };
    if (r.conversationId.isEmpty())
        return missing(QStringLiteral("conversationId"));
    if (r.tenantId.isEmpty())
        return missing(QStringLiteral("tenantId"));
    if (r.integrationId.isEmpty())
        return missing(QStringLiteral("integrationId"));
    if (r.text.trimmed().isEmpty() && r.mediaUrl.isEmpty())
        return missing(QStringLiteral("text or mediaUrl"));
    if (const qsizetype length = r.text.size(); length > MaxTextCharacters) {
        return SendRequestError {QStringLiteral("text is %1 characters long; the limit is %2").arg(length).arg(MaxTextCharacters),
                                 QStringLiteral("TEXT_TOO_LONG")};
    }
    return r;
}
