// JSON values as the server writes them in REST answers and Socket.IO events alike.
#pragma once

#include <QDateTime>
#include <QJsonValue>
#include <QString>

inline QString isoTime(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

inline QJsonValue stringOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

// A store error as the client sees it: 503 STORAGE_UNAVAILABLE while the database cannot be reached (the
// store is reconnecting; the console retries), 500 STORAGE_ERROR otherwise. The store logged the cause.
struct StorageErrorReply
{
    int status;
    QString message;
    QString code;
};

inline StorageErrorReply storageErrorReply(bool unavailable)
{
    if (unavailable)
        return {503, QStringLiteral("Storage unavailable"), QStringLiteral("STORAGE_UNAVAILABLE")};
    return {500, QStringLiteral("Storage error"), QStringLiteral("STORAGE_ERROR")};
}
