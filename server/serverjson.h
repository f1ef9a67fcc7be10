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
