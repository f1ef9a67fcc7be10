#include "wirejson.h"

#include "mediajson.h"
#include "protocoljson.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <limits>

namespace Wire {

using Protocol::JsonReader;

static void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

QDateTime timestampFromMs(double ms)
{
    if (ms >= 0 && ms < 253402300800000.0) // before year 10000
        return QDateTime::fromMSecsSinceEpoch(qint64(ms), Qt::UTC);
    return QDateTime();
}

// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's days_from_civil).
static qint64 daysFromCivil(int y, int m, int d)
{
    y -= m <= 2;
    const int era = y / 400; // y >= 0 here
    const int yoe = y - era * 400;
    const int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return qint64(era) * 146097 + doe - 719468;
}

// "2026-11-23T10:00:00.000Z" and "2026-11-23T10:00:00Z", what servers send (JavaScript's toISOString()):
// read in place. nullopt for any other text, which QDateTime::fromString() then reads as before; a
// date or time that does not exist goes there too, so every text gets Qt's answer.
static std::optional<qint64> isoUtcMs(QStringView s)
{
    if ((s.size() != 20 && s.size() != 24) || s[4] != u'-' || s[7] != u'-' || s[10] != u'T' || s[13] != u':'
        || s[16] != u':' || s.back() != u'Z' || (s.size() == 24 && s[19] != u'.'))
        return std::nullopt;
    bool digits = true;
    const auto number = [&](qsizetype at, int count) {
        int n = 0;
        for (qsizetype i = at; i < at + count; ++i) {
            const char16_t c = s[i].unicode();
            digits = digits && c >= u'0' && c <= u'9';
            n = n * 10 + (c - u'0');
        }
        return n;
    };
    const int year = number(0, 4), month = number(5, 2), day = number(8, 2);
    const int hour = number(11, 2), minute = number(14, 2), second = number(17, 2);
    const int ms = s.size() == 24 ? number(20, 3) : 0;
    if (!digits || year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
        return std::nullopt;
    static constexpr int monthDays[] {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day > monthDays[month - 1] + (month == 2 && leap ? 1 : 0))
        return std::nullopt;
    return ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60000 + second * 1000 + ms;
}

QDateTime parseTimestamp(QStringView text)
{
    if (const auto ms = isoUtcMs(text))
        return QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC);
    bool isNumber = false;
    const qint64 ms = text.toLongLong(&isNumber);
    if (isNumber)
        return ms >= 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC) : QDateTime();
    const QString s = text.toString();
    QDateTime t = QDateTime::fromString(s, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(s, Qt::ISODate);
    return t;
}

static QDateTime readTimestamp(JsonReader &reader)
{
    switch (reader.peek()) {
    case JsonReader::Type::Number: {
        double ms = 0;
        return reader.readNumber(&ms) ? timestampFromMs(ms) : QDateTime();
    }
    case JsonReader::Type::String: {
        QStringView text;
        return reader.readStringView(&text) ? parseTimestamp(text) : QDateTime();
    }
    default:
        reader.skip();
        return QDateTime();
    }
}

// A status name, compared in place: nullopt for anything else, a string or not.
static std::optional<MessageStatus> readStatus(JsonReader &reader)
{
    QStringView name;
    if (reader.peek() == JsonReader::Type::String && reader.readStringView(&name))
        return statusFromName(name);
    reader.skip();
    return std::nullopt;
}

// The "message" of an {"error": {...}} object; with `orString`, an error given as a string is taken too.
static QString readErrorMessage(JsonReader &reader, bool orString)
{
    QString message;
    if (orString && reader.peek() == JsonReader::Type::String)
        reader.readString(&message);
    else
        reader.readObject([&](QStringView key) { return key == u"message" && reader.readStringOrNull(&message); });
    return message;
}

// A member's value as QJsonValue::isString() / isDouble() would see it: nullopt for any other type.
static std::optional<QString> readOptionalString(JsonReader &reader)
{
    QString text;
    if (reader.peek() == JsonReader::Type::String && reader.readString(&text))
        return text;
    reader.skip();
    return std::nullopt;
}

static std::optional<double> readOptionalNumber(JsonReader &reader)
{
    double number = 0;
    if (reader.peek() == JsonReader::Type::Number && reader.readNumber(&number))
        return number;
    reader.skip();
    return std::nullopt;
}

static QString jsonError(const JsonReader &reader)
{
    return QStringLiteral("invalid JSON: %1").arg(reader.errorString());
}

std::optional<Message> readMessage(JsonReader &reader, QString *error)
{
    if (reader.peek() != JsonReader::Type::Object) {
        reader.skip();
        setError(error, reader.failed() ? jsonError(reader) : QStringLiteral("message is not an object"));
        return std::nullopt;
    }
    enum class Way { Inbound, Outbound, Unknown };
    Message m;
    QString id;
    QString messageId;
    Way way = Way::Inbound;
    QString unknownWay;
    std::optional<MessageStatus> status;
    QString failure;
    AttachmentFields media; // CONTRACT.md §5, read whether or not a mediaUrl comes (in any order)
    reader.enterObject();
    for (QStringView key; reader.nextKey(&key);) {
        if (key == u"id") {
            reader.readStringOrNull(&id);
        } else if (key == u"messageId") {
            reader.readStringOrNull(&messageId);
        } else if (key == u"direction") {
            QStringView direction; // none, or not a string: a customer's message
            if (reader.peek() == JsonReader::Type::String)
                reader.readStringView(&direction);
            else
                reader.skip();
            way = direction == u"outbound"                       ? Way::Outbound
                : direction.isEmpty() || direction == u"inbound" ? Way::Inbound
                                                                 : Way::Unknown;
            unknownWay = way == Way::Unknown ? direction.toString() : QString();
        } else if (key == u"text") {
            reader.readStringOrNull(&m.text);
        } else if (key == u"mediaUrl") {
            reader.readStringOrNull(&m.mediaUrl);
        } else if (key == u"mimeType") {
            reader.readStringOrNull(&media.mimeType);
        } else if (key == u"fileName") {
            media.fileName = readOptionalString(reader);
        } else if (key == u"size") {
            media.size = readOptionalNumber(reader);
        } else if (key == u"width") {
            media.width = readOptionalNumber(reader);
        } else if (key == u"height") {
            media.height = readOptionalNumber(reader);
        } else if (key == u"timestamp") {
            m.timestamp = readTimestamp(reader);
        } else if (key == u"status") {
            status = readStatus(reader);
        } else if (key == u"error") {
            failure = readErrorMessage(reader, false);
        } else {
            reader.skip();
        }
    }
    if (reader.failed()) {
        setError(error, jsonError(reader));
        return std::nullopt;
    }
    m.id = id.isEmpty() ? messageId : id;
    if (m.id.isEmpty()) {
        setError(error, QStringLiteral("message without id"));
        return std::nullopt;
    }
    if (way == Way::Unknown) {
        setError(error, QStringLiteral("unknown direction \"%1\"").arg(unknownWay));
        return std::nullopt;
    }
    m.direction = way == Way::Outbound ? Direction::Outbound : Direction::Inbound;
    if (!m.mediaUrl.isEmpty())
        m.attachment = attachmentFromFields(media, m.mediaUrl);
    if (m.direction == Direction::Outbound) {
        // An outbound message in the server's history was accepted: no status means at least "sent".
        m.status = status.value_or(MessageStatus::Sent);
        if (m.status == MessageStatus::Pending)
            m.status = MessageStatus::Sent;
        if (m.status == MessageStatus::Failed)
            m.error = failure;
    }
    return m;
}

std::optional<StatusUpdate> readStatusUpdate(JsonReader &reader, QString *error)
{
    if (reader.peek() != JsonReader::Type::Object) {
        reader.skip();
        setError(error, QStringLiteral("status_update payload is not an object"));
        return std::nullopt;
    }
    StatusUpdate u;
    std::optional<MessageStatus> status;
    reader.enterObject();
    for (QStringView key; reader.nextKey(&key);) {
        if (key == u"messageId")
            reader.readStringOrNull(&u.messageId);
        else if (key == u"status")
            status = readStatus(reader);
        else if (key == u"timestamp")
            u.timestamp = readTimestamp(reader);
        else if (key == u"error")
            u.error = readErrorMessage(reader, true);
        else
            reader.skip();
    }
    if (reader.failed()) {
        setError(error, jsonError(reader));
        return std::nullopt;
    }
    if (u.messageId.isEmpty() || !status) {
        setError(error, QStringLiteral("status_update without messageId or with an unknown status"));
        return std::nullopt;
    }
    u.status = *status;
    return u;
}

// Into the object of a REST body whose text jsonBodyText() gave (with U+FFFD for invalid UTF-8), or why not.
static bool enterBody(JsonReader &reader, bool hasText, QString *error)
{
    if (!hasText) {
        setError(
            error, QCoreApplication::translate("Wire", "The server's reply is not JSON (%1).").arg(u"invalid UTF-8"));
        return false;
    }
    if (reader.peek() == JsonReader::Type::Object)
        return reader.enterObject();
    const bool json = reader.peek() == JsonReader::Type::Array && reader.skip() && reader.finish();
    setError(error,
        json ? QCoreApplication::translate("Wire", "The server's reply is not a JSON object.")
             : QCoreApplication::translate("Wire", "The server's reply is not JSON (%1).")
                   .arg(reader.failed() ? reader.errorString() : QStringLiteral("illegal value")));
    return false;
}

static bool finishBody(JsonReader &reader, QString *error)
{
    if (reader.finish())
        return true;
    setError(
        error, QCoreApplication::translate("Wire", "The server's reply is not JSON (%1).").arg(reader.errorString()));
    return false;
}

std::optional<ConversationContext> parseContext(const QByteArray &body, QString *error)
{
    const auto text = Protocol::jsonBodyText(body, true);
    JsonReader reader(text.value_or(QString()), JsonReader::Dialect::Body);
    if (!enterBody(reader, text.has_value(), error))
        return std::nullopt;
    ConversationContext c;
    for (QStringView key; reader.nextKey(&key);) {
        if (key == u"wa_id") {
            // A phone number, so an integer: a double outside qint64 would make the cast undefined (found
            // by fuzz_rest with {"wa_id":1e300}); such a number is treated as no wa_id.
            double number = 0;
            if (reader.peek() == JsonReader::Type::Number && reader.readNumber(&number))
                c.waId = number > -9.2e18 && number < 9.2e18 ? QString::number(qint64(number)) : QString();
            else
                reader.readStringOrNull(&c.waId);
        } else if (key == u"integrationId") {
            reader.readStringOrNull(&c.integrationId);
        } else if (key == u"tenantId") {
            reader.readStringOrNull(&c.tenantId);
        } else if (key == u"customer") {
            c.customerName.clear();
            reader.readObject(
                [&](QStringView field) { return field == u"name" && reader.readStringOrNull(&c.customerName); });
        } else {
            reader.skip();
        }
    }
    if (!finishBody(reader, error))
        return std::nullopt;
    if (c.waId.isEmpty()) {
        setError(error, QCoreApplication::translate("Wire", "The conversation context has no wa_id."));
        return std::nullopt;
    }
    return c;
}

// The canned responses come once per session, off every hot path: read through QJsonDocument as they
// were written, not JsonReader.
static std::optional<QJsonObject> objectOf(const QByteArray &body, QString *error)
{
    QJsonParseError parseError;
    QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    // One bad byte in one response must not make the whole list unreadable: decode with replacement
    // characters and parse again.
    if (parseError.error == QJsonParseError::IllegalUTF8String)
        doc = QJsonDocument::fromJson(QString::fromUtf8(body).toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        setError(error,
            QCoreApplication::translate("Wire", "The server's reply is not JSON (%1).").arg(parseError.errorString()));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        setError(error, QCoreApplication::translate("Wire", "The server's reply is not a JSON object."));
        return std::nullopt;
    }
    return doc.object();
}

static QString stringOf(const QJsonValue &v)
{
    return v.isString() ? v.toString() : QString();
}

std::optional<QList<CannedResponse>> parseCannedResponses(const QByteArray &body, QString *error)
{
    const auto o = objectOf(body, error);
    if (!o)
        return std::nullopt;
    const QJsonValue list = o->value(u"cannedResponses");
    if (!list.isArray()) {
        setError(error, QCoreApplication::translate("Wire", "The canned responses reply has no list."));
        return std::nullopt;
    }
    QList<CannedResponse> responses;
    int skipped = 0;
    for (const QJsonValue &v : list.toArray()) {
        const QJsonObject item = v.toObject();
        const QJsonValue id = item.value(u"id");
        CannedResponse r {id.isDouble() ? QString::number(id.toDouble(), 'g', 15) : stringOf(id),
            stringOf(item.value(u"shortCode")).trimmed(), stringOf(item.value(u"content"))};
        if (r.shortCode.isEmpty() || r.content.trimmed().isEmpty()) {
            ++skipped;
            continue;
        }
        responses.append(r);
    }
    if (skipped > 0)
        setError(error, QStringLiteral("%1 canned responses without a short code or content skipped").arg(skipped));
    return responses;
}

std::optional<HistoryPage> parseHistory(const QByteArray &body, QString *error)
{
    const auto text = Protocol::jsonBodyText(body, true);
    JsonReader reader(text.value_or(QString()), JsonReader::Dialect::Body);
    if (!enterBody(reader, text.has_value(), error))
        return std::nullopt;
    HistoryPage page;
    bool listed = false;
    QString skipped; // why the last message that did not parse was left out
    double total = -1;
    for (QStringView key; reader.nextKey(&key);) {
        if (key == u"messages") {
            page.messages.clear();
            skipped.clear();
            listed = reader.peek() == JsonReader::Type::Array;
            if (!listed) {
                reader.skip();
                continue;
            }
            reader.enterArray();
            while (reader.nextElement()) {
                QString why;
                if (auto m = readMessage(reader, &why))
                    page.messages.append(std::move(*m));
                else
                    skipped = why;
            }
        } else if (key == u"total") {
            reader.readNumberOr(&total, -1);
        } else {
            reader.skip();
        }
    }
    if (!finishBody(reader, error))
        return std::nullopt;
    if (!listed) {
        setError(error, QCoreApplication::translate("Wire", "The history reply has no message list."));
        return std::nullopt;
    }
    if (!skipped.isNull())
        setError(error, QStringLiteral("skipped a history message: %1").arg(skipped));
    // Out of int range the cast is undefined (fuzz_rest: {"total":1e300}); a negative or absurd total
    // says nothing, like a missing one.
    if (total >= 0 && total <= std::numeric_limits<int>::max())
        page.total = int(total);
    return page;
}

std::optional<QString> parseSendReply(const QByteArray &body, QString *error)
{
    const auto text = Protocol::jsonBodyText(body, true);
    JsonReader reader(text.value_or(QString()), JsonReader::Dialect::Body);
    if (!enterBody(reader, text.has_value(), error))
        return std::nullopt;
    bool refused = false;
    QString failure;
    QString messageId;
    for (QStringView key; reader.nextKey(&key);) {
        if (key == u"success") {
            bool success = true;
            if (reader.peek() == JsonReader::Type::Bool)
                reader.readBool(&success);
            else
                reader.skip();
            refused = !success; // only a literal false says the backend refused it
        } else if (key == u"error") {
            failure = readErrorMessage(reader, false);
        } else if (key == u"messageId") {
            reader.readStringOrNull(&messageId);
        } else {
            reader.skip();
        }
    }
    if (!finishBody(reader, error))
        return std::nullopt;
    if (refused) {
        setError(error, failure);
        return std::nullopt;
    }
    return messageId;
}

// The code and message of an "error" member; anything but an object has neither.
static void readApiError(JsonReader &reader, ApiError *e)
{
    e->code.clear();
    e->message.clear();
    reader.readObject([&](QStringView key) {
        if (key == u"code")
            return reader.readStringOrNull(&e->code);
        return key == u"message" && reader.readStringOrNull(&e->message);
    });
}

ApiError errorFromReply(int httpStatus, const QByteArray &body)
{
    ApiError e;
    // Read without a second chance for invalid UTF-8, which makes the body none of ours.
    if (const auto text = Protocol::jsonBodyText(body, false)) {
        JsonReader reader(*text, JsonReader::Dialect::Body);
        ApiError found;
        reader.readObject([&](QStringView key) {
            if (key != u"error")
                return false;
            readApiError(reader, &found);
            return true;
        });
        if (reader.finish())
            e = found;
    }
    e.httpStatus = httpStatus;
    if (e.message.isEmpty())
        e.message = QCoreApplication::translate("Wire", "The server answered with HTTP status %1.").arg(httpStatus);
    return e;
}

} // namespace Wire
