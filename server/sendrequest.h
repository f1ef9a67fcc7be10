// Validation of a POST /api/v1/widget/send body (CONTRACT.md §1) as a pure function, so the error
// for every missing field is decided in one place and the route stays thin.
#pragma once

#include <QByteArray>
#include <QString>

#include <variant>

struct SendRequest
{
    QString messageId; // empty when the client sent none
    QString conversationId;
    QString tenantId;
    QString integrationId;
    QString text;
    QString mediaUrl;
};

// The upstream's (WhatsApp's) limit on one text message, counted in UTF-16 units as JavaScript's
// String.length does (what Node backends measure; the console's composer counts the same way).
inline constexpr int MaxTextCharacters = 4096;

struct SendRequestError
{
    QString message;
    QString code; // INVALID_JSON, MISSING_FIELD, INVALID_FIELD, TEXT_TOO_LONG
};

// headerTenant: the X-Tenant-ID header, used when the body has no tenantId.
std::variant<SendRequest, SendRequestError> parseSendRequest(const QByteArray &body, const QString &headerTenant);
