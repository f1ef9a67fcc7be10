// The Engine.IO v4 long-polling payload codec and the Socket.IO binary placeholders (net/protocol.h):
// record-separator batching, 'b' + base64 binary records, and which placeholder sets are legal.
#include "protocol.h"

#include <QTest>

using namespace Protocol;

class TestProtocolPolling : public QObject
{
    Q_OBJECT

private slots:
    void decodesPayload_data();
    void decodesPayload();
    void rejectsPayload_data();
    void rejectsPayload();
    void encodesPayload_data();
    void encodesPayload();
    void roundTrips();
    void placeholders_data();
    void placeholders();
};

static const QString RS = QString(QChar(PayloadSeparator));

void TestProtocolPolling::decodesPayload_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QList<EngineFrame>>("frames");
    QTest::newRow("one packet") << "4hello" << QList {EngineFrame::fromText("4hello")};
    QTest::newRow("three packets") << "4test1" + RS + "4test2" + RS + "4test3"
                                   << QList {EngineFrame::fromText("4test1"), EngineFrame::fromText("4test2"),
                                          EngineFrame::fromText("4test3")};
    QTest::newRow("text and binary") << "4hello" + RS + "bAQIDBA=="
                                     << QList {EngineFrame::fromText("4hello"),
                                            EngineFrame::fromBytes(QByteArray("\x01\x02\x03\x04", 4))};
    QTest::newRow("pong") << "3" << QList {EngineFrame::fromText("3")};
    QTest::newRow("empty binary") << "b" << QList {EngineFrame::fromBytes({})};
    QTest::newRow("separator inside no packet: JSON keeps its text")
        << QStringLiteral("42[\"a\",\"b\"]") << QList {EngineFrame::fromText(QStringLiteral("42[\"a\",\"b\"]"))};
}

void TestProtocolPolling::decodesPayload()
{
    QFETCH(QString, body);
    QFETCH(QList<EngineFrame>, frames);
    QString error;
    const auto decoded = decodePayload(body, &error);
    QVERIFY2(decoded, qPrintable(error));
    QCOMPARE(*decoded, frames);
}

void TestProtocolPolling::rejectsPayload_data()
{
    QTest::addColumn<QString>("body");
    QTest::newRow("empty body") << "";
    QTest::newRow("unknown type") << "abc";
    QTest::newRow("empty record between") << "4a" + RS + RS + "4b";
    QTest::newRow("trailing separator") << "4a" + RS;
    QTest::newRow("bad base64") << "4a" + RS + "b!!!";
    QTest::newRow("one bad record spoils the batch") << "4a" + RS + "9x";
}

void TestProtocolPolling::rejectsPayload()
{
    QFETCH(QString, body);
    QString error;
    QVERIFY(!decodePayload(body, &error));
    QVERIFY(!error.isEmpty());
}

void TestProtocolPolling::encodesPayload_data()
{
    QTest::addColumn<QList<EngineFrame>>("frames");
    QTest::addColumn<QString>("body");
    QTest::newRow("nothing") << QList<EngineFrame> {} << "";
    QTest::newRow("one") << QList {EngineFrame::fromText("2")} << "2";
    QTest::newRow("batch") << QList {EngineFrame::fromText("40{\"sid\":\"x\"}"),
        EngineFrame::fromText("42[\"auth\",{}]")}
                           << "40{\"sid\":\"x\"}" + RS + "42[\"auth\",{}]";
    QTest::newRow("binary") << QList {EngineFrame::fromText("451-[\"e\",{\"_placeholder\":true,\"num\":0}]"),
        EngineFrame::fromBytes(QByteArray("\x01\x02\x03", 3))}
                            << "451-[\"e\",{\"_placeholder\":true,\"num\":0}]" + RS + "bAQID";
}

void TestProtocolPolling::encodesPayload()
{
    QFETCH(QList<EngineFrame>, frames);
    QFETCH(QString, body);
    QCOMPARE(encodePayload(frames), body);
}

void TestProtocolPolling::roundTrips()
{
    QByteArray all;
    for (int i = 0; i < 256; ++i)
        all.append(char(i));
    const QList<EngineFrame> frames {EngineFrame::fromText(QStringLiteral("4héllo ✓")), EngineFrame::fromBytes(all),
        EngineFrame::fromText(QStringLiteral("6"))};
    const auto decoded = decodePayload(encodePayload(frames));
    QVERIFY(decoded);
    QCOMPARE(*decoded, frames);
}

void TestProtocolPolling::placeholders_data()
{
    QTest::addColumn<QJsonValue>("data");
    QTest::addColumn<int>("attachments");
    QTest::addColumn<bool>("valid");
    const QJsonArray two {QStringLiteral("m"), placeholder(0), placeholder(1)};
    QTest::newRow("two of two") << QJsonValue(two) << 2 << true;
    QTest::newRow("two of one") << QJsonValue(two) << 1 << false;
    QTest::newRow("nested") << QJsonValue(
        QJsonArray {QStringLiteral("m"), QJsonObject {{"a", QJsonArray {placeholder(0)}}}})
                            << 1 << true;
    QTest::newRow("negative num") << QJsonValue(QJsonArray {placeholder(-1)}) << 1 << false;
    QTest::newRow("fractional num") << QJsonValue(QJsonArray {QJsonObject {{"_placeholder", true}, {"num", 0.5}}}) << 1
                                    << false;
    QTest::newRow("num not a number") << QJsonValue(QJsonArray {QJsonObject {{"_placeholder", true}, {"num", "0"}}})
                                      << 1 << false;
    QTest::newRow("no placeholders, attachments announced")
        << QJsonValue(QJsonArray {QStringLiteral("m")}) << 2 << true;
    QTest::newRow("_placeholder false is data")
        << QJsonValue(QJsonArray {QJsonObject {{"_placeholder", false}}}) << 0 << true;
    QTest::newRow("placeholder shape") << QJsonValue(placeholder(3)) << 4 << true;
}

void TestProtocolPolling::placeholders()
{
    QFETCH(QJsonValue, data);
    QFETCH(int, attachments);
    QFETCH(bool, valid);
    QCOMPARE(placeholdersValid(data, attachments), valid);
    QCOMPARE(placeholder(2), (QJsonObject {{"_placeholder", true}, {"num", 2}}));
}

QTEST_GUILESS_MAIN(TestProtocolPolling)
#include "tst_protocol_polling.moc"
