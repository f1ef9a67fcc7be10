// The console's decoders (CONTRACT.md §1, §2) that read JSON straight into its types: what they take from
// a packet or body, ISO 8601 read in place exactly as Qt reads it, and the odd inputs where they must
// answer as the QJsonDocument decoders did (tests/fuzz/fuzz_decoder compares the two at large).
#include "protocol.h"
#include "wirejson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <limits>

using namespace Protocol;

namespace {

// How the decoders read a timestamp text before they parsed ISO 8601 themselves.
QDateTime qtReading(const QString &text)
{
    bool isNumber = false;
    const qint64 ms = text.toLongLong(&isNumber);
    if (isNumber)
        return ms >= 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC) : QDateTime();
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    return t.isValid() ? t : QDateTime::fromString(text, Qt::ISODate);
}

Wire::ServerPacket decoded(QStringView payload)
{
    QString error;
    const auto packet = Wire::decodeServerPacket(payload, &error);
    if (!packet)
        qWarning() << "refused:" << payload << error;
    return packet.value_or(Wire::ServerPacket {});
}

} // namespace

class tst_WireJson : public QObject
{
    Q_OBJECT

private slots:
    void timestamps_data();
    void timestamps();
    void statusUpdate();
    void inboundMessageInAnyScript();
    void connectAndConnectError();
    void eventNamesAndOffset();
    void keyRulesAsQt_data();
    void keyRulesAsQt();
    void bodyByteAfterBackslash();
    void bodyInvalidUtf8();
    void byteOrderMarkAtAValuesStart();
    void attachments();
};

// Expected: epoch ms, or one of these.
constexpr qint64 invalid = std::numeric_limits<qint64>::min();
constexpr qint64 asQtReadsIt = invalid + 1; // outside the fixed format: whatever Qt makes of it

void tst_WireJson::timestamps_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("toISOString") << QStringLiteral("2026-11-23T10:00:00.000Z") << qint64(1795428000000);
    QTest::newRow("no fraction") << QStringLiteral("2026-11-23T10:00:00Z") << qint64(1795428000000);
    QTest::newRow("milliseconds") << QStringLiteral("2026-11-23T10:00:01.234Z") << qint64(1795428001234);
    QTest::newRow("leap day") << QStringLiteral("2024-02-29T23:59:59.999Z") << qint64(1709251199999);
    QTest::newRow("epoch") << QStringLiteral("1970-01-01T00:00:00.000Z") << qint64(0);
    QTest::newRow("before the epoch") << QStringLiteral("1969-12-31T23:59:59.000Z") << qint64(-1000);
    QTest::newRow("year 1") << QStringLiteral("0001-01-01T00:00:00Z") << qint64(-62135596800000);
    QTest::newRow("year 9999") << QStringLiteral("9999-12-31T23:59:59.999Z") << qint64(253402300799999);
    QTest::newRow("no such day") << QStringLiteral("2026-02-29T10:00:00Z") << invalid;
    QTest::newRow("month 13") << QStringLiteral("2026-13-01T10:00:00Z") << invalid;
    QTest::newRow("second 60") << QStringLiteral("2026-11-23T10:00:60Z") << invalid;
    QTest::newRow("24:00") << QStringLiteral("2026-11-23T24:00:00Z") << asQtReadsIt;
    QTest::newRow("offset") << QStringLiteral("2026-11-23T11:00:00+01:00") << asQtReadsIt;
    QTest::newRow("lower-case z") << QStringLiteral("2026-11-23T10:00:00.000z") << asQtReadsIt;
    QTest::newRow("one fraction digit") << QStringLiteral("2026-11-23T10:00:00.5Z") << asQtReadsIt;
    QTest::newRow("no zone") << QStringLiteral("2026-11-23T10:00:00") << asQtReadsIt;
    QTest::newRow("Arabic-Indic digits") << QStringLiteral("٢٠٢٦-11-23T10:00:00Z") << asQtReadsIt;
    QTest::newRow("epoch ms as text") << QStringLiteral("1763892000000") << qint64(1763892000000);
    QTest::newRow("negative ms as text") << QStringLiteral("-5") << invalid;
    QTest::newRow("empty") << QString() << invalid;
}

void tst_WireJson::timestamps()
{
    QFETCH(QString, text);
    QFETCH(qint64, expected);
    const QDateTime t = Wire::parseTimestamp(text);
    const QDateTime qt = qtReading(text);
    QCOMPARE(t, qt);
    QCOMPARE(t.isValid(), qt.isValid());
    if (t.isValid())
        QCOMPARE(t.timeSpec(), qt.timeSpec()); // shown in the UI: UTC stays UTC
    if (expected == invalid)
        QVERIFY(!t.isValid());
    else if (expected != asQtReadsIt)
        QCOMPARE(t.toMSecsSinceEpoch(), expected);
}

void tst_WireJson::statusUpdate()
{
    const auto packet = decoded(
        uR"(2["status_update",{"messageId":"msg_1","status":"failed","timestamp":"2026-11-23T10:00:00.000Z","error":{"message":"Empfänger nicht erreichbar","code":131026}}])");
    QCOMPARE(packet.event, u"status_update");
    QVERIFY(packet.statusUpdate);
    QCOMPARE(packet.statusUpdate->messageId, u"msg_1");
    QCOMPARE(packet.statusUpdate->status, MessageStatus::Failed);
    QCOMPARE(packet.statusUpdate->error, u"Empfänger nicht erreichbar");
    QCOMPARE(packet.statusUpdate->timestamp, QDateTime::fromMSecsSinceEpoch(1795428000000, Qt::UTC));
    // An error given as a string, and an unknown status: dropped with a reason.
    QCOMPARE(
        decoded(uR"(2["status_update",{"messageId":"m","status":"failed","error":"x"}])").statusUpdate->error, u"x");
    const auto unknown = decoded(uR"(2["status_update",{"messageId":"m","status":"seen"}])");
    QVERIFY(!unknown.statusUpdate);
    QVERIFY(!unknown.argumentError.isEmpty());
}

void tst_WireJson::inboundMessageInAnyScript()
{
    const QString german = QStringLiteral("Grüße aus Köln! Können Sie mir helfen? 😊");
    const QString arabic = QStringLiteral("مرحبا، هل طلبي في الطريق؟");
    for (const QString &text : {german, arabic}) {
        const QString frame = eventFrame(QStringLiteral("inbound_message"),
            QJsonObject {{QStringLiteral("messageId"), QStringLiteral("wamid.1")}, {QStringLiteral("text"), text},
                {QStringLiteral("timestamp"), QStringLiteral("2026-11-23T10:00:01.000Z")},
                {QStringLiteral("reactions"), QJsonObject {{QStringLiteral("👍"), 2}, {QStringLiteral("❤️"), 1}}}});
        const auto packet = decoded(QStringView(frame).mid(1));
        QVERIFY(packet.inboundMessage);
        QCOMPARE(packet.inboundMessage->id, u"wamid.1");
        QCOMPARE(packet.inboundMessage->text, text);
        QCOMPARE(packet.inboundMessage->direction, Direction::Inbound);
        QCOMPARE(packet.inboundMessage->status, MessageStatus::None);
        QCOMPARE(packet.inboundMessage->timestamp.toMSecsSinceEpoch(), 1795428001000);
    }
    // Escaped as other servers write it: the same text.
    const auto escaped
        = decoded(uR"(2["inbound_message",{"messageId":"m","text":"Gr\u00fc\u00dfe \ud83d\ude0a","\ud83d\udc4d":1}])");
    QVERIFY(escaped.inboundMessage);
    QCOMPARE(escaped.inboundMessage->text, QStringLiteral("Grüße 😊"));
}

void tst_WireJson::connectAndConnectError()
{
    QCOMPARE(decoded(uR"(0{"sid":"s","pid":"p1"})").pid, u"p1");
    QCOMPARE(decoded(u"0").type, SocketPacketType::Connect);
    QCOMPARE(decoded(uR"(4{"message":"bad token","data":null})").message, u"bad token");
    QCOMPARE(decoded(uR"(4"not allowed")").message, u"not allowed");
    const auto other = decoded(uR"(0/admin,{"sid":"x"})");
    QCOMPARE(other.nsp, u"/admin");
}

void tst_WireJson::eventNamesAndOffset()
{
    // Connection-state recovery appends the offset as a last string beyond the argument.
    const auto recovered = decoded(uR"(2["status_update",{"messageId":"m","status":"read"},"1700-0"])");
    QCOMPARE(recovered.offset, QStringLiteral("1700-0"));
    QVERIFY(recovered.statusUpdate);
    QVERIFY(!decoded(uR"(2["status_update",{"messageId":"m","status":"read"}])").offset);
    QVERIFY(!decoded(uR"(2["status_update",{"messageId":"m","status":"read"},"o",5])").offset);
    // A number names no event the console knows; an unknown name is kept for the log.
    const auto numbered = decoded(u"2[1,2]");
    QVERIFY(numbered.event.isEmpty());
    QCOMPARE(decoded(uR"(2["typing",{}])").event, u"typing");
    // A binary event announces attachments the console consumes; its items are not read.
    const auto binary = decoded(uR"(52-["status_update",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])");
    QCOMPARE(binary.attachments, 2);
    QVERIFY(!binary.statusUpdate);
}

// Refusals Qt's parser and the codec's key rules made, and what they let through, on both paths: the
// server's (decodeSocketPacket, a QJsonValue) and the console's.
void tst_WireJson::keyRulesAsQt_data()
{
    QTest::addColumn<QString>("payload");
    QTest::addColumn<bool>("accepted");
    const QString replacement(QChar(0xFFFD));
    QTest::newRow("repeat Qt keeps twice") << QStringLiteral("2[\"e\",{\"") + replacement
            + QStringLiteral(R"(é":true,"\uFFFD\u00e9":[1],"\ud800\udc00":true}])")
                                           << false;
    QTest::newRow("lone surrogate in a key") << QStringLiteral(R"(2["e",{"a\udc00":1}])") << false;
    QTest::newRow("lone surrogate deep inside") << QStringLiteral(R"(3[[{"x":{"\ud800":1}}]])") << false;
    // Qt keeps the last of a repeated key: the value with the odd key is gone before the rules look.
    QTest::newRow("lone surrogate in a value a repeat replaces")
        << QStringLiteral(R"(2["e",{"a":{"\ud800":1},"a":2}])") << true;
    QTest::newRow("repeat Qt keeps twice in a value a repeat replaces") << QStringLiteral("2[\"e\",{\"a\":{\"")
            + replacement + QStringLiteral(R"(é":1,"\uFFFD\u00e9":2,"\ud800\udc00":3},"a":0}])")
                                                                        << true;
    QTest::newRow("raw and escaped high keys, no repeat")
        << QStringLiteral("2[\"e\",{\"\uE000\":1,") + QStringLiteral(R"("\ud83d\ude00":2,"\uffff":3}])") << true;
    QTest::newRow("emoji keys beside U+FE0F")
        << QStringLiteral(R"(2["e",{"👍":3,"❤️":1,"\ud83d\ude00":2}])") << true;
    QTest::newRow("lone surrogate in text") << QStringLiteral(R"(2["e",{"text":"cut \ud83d"}])") << true;
    // Qt's keys() drops a raw U+FEFF at a key's start: to the old check that key repeats "error".
    const QString bom(QChar(0xFEFF));
    QTest::newRow("byte order mark before a key that repeats")
        << QStringLiteral(R"(2["e",{"error":"x",")") + bom + QStringLiteral(R"(error":1}])") << false;
    QTest::newRow("byte order mark before a key") << QStringLiteral(R"(2["e",{")") + bom + QStringLiteral(R"(error":1}])")
                                                  << true;
    QTest::newRow("escaped byte order mark before a key that repeats")
        << QStringLiteral(R"(2["e",{"error":"x","\ufefferror":1}])") << true;
    QTest::newRow("backslash at the end") << QStringLiteral(R"(4"reason\)") << false;
    QTest::newRow("escaped non-ASCII") << QStringLiteral(R"(2["e","\é"])") << false;
}

void tst_WireJson::keyRulesAsQt()
{
    QFETCH(QString, payload);
    QFETCH(bool, accepted);
    QCOMPARE(decodeSocketPacket(payload).has_value(), accepted);
    QString error;
    QCOMPARE(Wire::decodeServerPacket(payload, &error).has_value(), accepted);
    QCOMPARE(error.isEmpty(), accepted);
}

// QJsonDocument took the one byte after a backslash as a character of the same value, valid UTF-8 or
// not: such a body parsed, and one bad byte must not hide a conversation.
void tst_WireJson::bodyByteAfterBackslash()
{
    const QByteArray body = "{\"messages\":[{\"id\":\"m1\",\"text\":\"a\\\x82z\"}],\"total\":1}";
    const auto page = Wire::parseHistory(body);
    QVERIFY(page);
    QCOMPARE(page->messages.size(), 1);
    QCOMPARE(page->messages.first().text, QStringLiteral("a\u0082z"));
    QCOMPARE(Wire::errorFromReply(500, "{\"error\":{\"message\":\"\\\xe9t\\\xe9\"}}").message, u"\u00e9t\u00e9");
    // A backslash before a whole UTF-8 character is an invalid escape, as it was.
    QVERIFY(!Wire::parseHistory("{\"messages\":[{\"id\":\"m1\",\"text\":\"\\\xc3\xa9\"}]}"));
}

void tst_WireJson::bodyInvalidUtf8()
{
    // History: read again with U+FFFD for the bad byte. An error reply: none of ours.
    const auto page = Wire::parseHistory("{\"messages\":[{\"id\":\"m1\",\"text\":\"a\xffz\"}]}");
    QVERIFY(page);
    QCOMPARE(page->messages.first().text, QStringLiteral("a\uFFFDz"));
    const Wire::ApiError e = Wire::errorFromReply(502, "{\"error\":{\"message\":\"a\xffz\",\"code\":\"X\"}}");
    QVERIFY(e.code.isEmpty());
    QVERIFY(e.message.contains(u"502"));
    // A bad byte and an escaped raw byte: the second reading fails at the escape.
    QVERIFY(!Wire::parseHistory("{\"messages\":[{\"id\":\"m\\\x82\",\"text\":\"a\xffz\"}]}"));
}

// QJsonValue::toString() drops a raw U+FEFF at the start of a string without escapes (Qt keeps such a
// string as UTF-8 and reads it with QString::fromUtf8); with an escape in it, or escaped, it stays.
void tst_WireJson::byteOrderMarkAtAValuesStart()
{
    const QString bom(QChar(0xFEFF));
    const auto status = decoded(u"2[\"status_update\",{\"messageId\":\"m\",\"status\":\"read\",\"timestamp\":\""_qs + bom
        + u"2026-11-23T10:00:05Z\"}]"_qs);
    QVERIFY(status.statusUpdate);
    QCOMPARE(status.statusUpdate->timestamp, QDateTime::fromMSecsSinceEpoch(1795428005000, Qt::UTC));
    const auto escapedBom = decoded(
        uR"(2["status_update",{"messageId":"m","status":"read","timestamp":"\ufeff2026-11-23T10:00:05Z"}])");
    QVERIFY(escapedBom.statusUpdate);
    QVERIFY(!escapedBom.statusUpdate->timestamp.isValid());

    const QStringList texts {bom + u"Hallo"_qs, bom + u"Hallo\\n"_qs, u"Ha"_qs + bom + u"llo"_qs, bom + bom};
    for (const QString &text : texts) {
        const QString json = u"[\""_qs + text + u"\"]"_qs;
        const QString qt = QJsonDocument::fromJson(json.toUtf8()).array().at(0).toString();
        const auto packet = decoded(u"2[\"inbound_message\",{\"messageId\":\"m\",\"text\":\""_qs + text + u"\"}]"_qs);
        QVERIFY(packet.inboundMessage);
        QCOMPARE(packet.inboundMessage->text, qt);
    }
    QCOMPARE(decoded(u"2[\"inbound_message\",{\"messageId\":\"m\",\"text\":\""_qs + bom + u"Hallo\"}]"_qs)
                 .inboundMessage->text,
        u"Hallo");
    // A REST body, read from bytes.
    const auto page = Wire::parseHistory("{\"messages\":[{\"id\":\"m1\",\"text\":\"\xef\xbb\xbfHallo\"}]}");
    QVERIFY(page);
    QCOMPARE(page->messages.first().text, u"Hallo");
}

// CONTRACT.md §5: the media fields next to a mediaUrl, in history and live, before or after it.
void tst_WireJson::attachments()
{
    const auto page = Wire::parseHistory(R"({"messages":[
        {"id":"1","mimeType":" Image/PNG ","fileName":"Quittung März.png","size":84213,"width":1200,"height":800,
         "mediaUrl":"https://h.example/media/t/ab/q.png"},
        {"id":"2","mediaUrl":"https://h.example/media/t/cd/scan.pdf","fileName":" ","size":-5,"width":640,"height":"480"},
        {"id":"3","mediaUrl":"https://h.example/m/a","fileName":"a.webp","fileName":7,"size":1e300,"width":3.9,"height":4},
        {"id":"4","mediaUrl":"","fileName":"x.png","size":1,"mimeType":"image/png"}]})");
    QVERIFY(page);
    QCOMPARE(page->messages.size(), 4);
    const Attachment full = page->messages.at(0).attachment;
    QCOMPARE(full.mimeType, u"image/png");
    QCOMPARE(full.fileName, u"Quittung März.png");
    QCOMPARE(full.size, qint64(84213));
    QCOMPARE(full.width, 1200);
    QCOMPARE(full.height, 800);
    // A blank name: the URL's; a type from the name; a negative size and a side as text say nothing.
    const Attachment bare = page->messages.at(1).attachment;
    QCOMPARE(bare.fileName, u"scan.pdf");
    QCOMPARE(bare.mimeType, u"application/pdf");
    QCOMPARE(bare.size, qint64(-1));
    QCOMPARE(bare.width, 0);
    QCOMPARE(bare.height, 0);
    // The last of a repeated key counts (a number, so no name given); 1e300 bytes is none; 3.9 is 3.
    const Attachment odd = page->messages.at(2).attachment;
    QCOMPARE(odd.fileName, u"a");
    QCOMPARE(odd.size, qint64(-1));
    QCOMPARE(odd.width, 3);
    QCOMPARE(odd.height, 4);
    QVERIFY(page->messages.at(3).attachment.isEmpty()); // no mediaUrl, no attachment

    const auto packet = decoded(
        uR"(2["inbound_message",{"messageId":"m","mediaUrl":"https://h.example/media/t/ef/f.jpg","mimeType":"image/jpeg","size":2048,"width":4000,"height":3000}])");
    QVERIFY(packet.inboundMessage);
    QCOMPARE(packet.inboundMessage->attachment.fileName, u"f.jpg");
    QCOMPARE(packet.inboundMessage->attachment.mimeType, u"image/jpeg");
    QCOMPARE(packet.inboundMessage->attachment.size, qint64(2048));
    QCOMPARE(packet.inboundMessage->attachment.width, 4000);
    QCOMPARE(packet.inboundMessage->attachment.height, 3000);
}

QTEST_GUILESS_MAIN(tst_WireJson)
#include "tst_wirejson.moc"
