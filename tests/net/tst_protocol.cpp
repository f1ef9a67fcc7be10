// The Engine.IO v4 / Socket.IO v5 codec (CONTRACT.md §2): exact frames both ways, round trips for
// every packet type, and malformed input that must be rejected with a reason and never crash.
#include "protocol.h"
#include "wirejson.h"

#include <QJsonDocument>
#include <QTest>

using namespace Protocol;
using ET = EnginePacketType;
using ST = SocketPacketType;

namespace Protocol {
char *toString(const EnginePacket &p)
{
    return QTest::toString(QStringLiteral("EnginePacket(%1, \"%2\")").arg(int(p.type)).arg(p.data.left(200)));
}

char *toString(const SocketPacket &p)
{
    const QString data = p.data.isUndefined()
        ? QStringLiteral("<undefined>")
        : QString::fromUtf8(QJsonDocument(QJsonArray{p.data}).toJson(QJsonDocument::Compact)).left(200);
    return QTest::toString(QStringLiteral("SocketPacket(type %1, nsp %2, attachments %3, ack %4, %5)")
                               .arg(int(p.type))
                               .arg(p.nsp)
                               .arg(p.attachments)
                               .arg(p.ackId)
                               .arg(data));
}
} // namespace Protocol

Q_DECLARE_METATYPE(Protocol::EnginePacketType)
Q_DECLARE_METATYPE(Protocol::SocketPacket)

namespace {

QJsonValue json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray("[") + text + "]").array().first();
}

SocketPacket packet(ST type, QJsonValue data = QJsonValue(QJsonValue::Undefined), QString nsp = QStringLiteral("/"),
                    qint64 ackId = -1, int attachments = 0)
{
    SocketPacket p;
    p.type = type;
    p.nsp = nsp;
    p.ackId = ackId;
    p.attachments = attachments;
    p.data = data;
    return p;
}

// widget-server's receive path: an Engine.IO frame, then the Socket.IO packet (a QJsonValue) or open
// handshake inside.
bool decodeFrame(const QString &frame, QString *error)
{
    const auto engine = decodeEnginePacket(frame, error);
    if (!engine)
        return false;
    if (engine->type == ET::Open)
        return decodeOpen(engine->data, error).has_value();
    if (engine->type == ET::Message)
        return decodeSocketPacket(engine->data, error).has_value();
    return true;
}

// The console's: the same checks, the packet read straight into what the console acts on.
bool consoleDecodes(const QString &frame, QString *error)
{
    const auto type = decodeEnginePacketType(frame, error);
    if (!type)
        return false;
    if (*type == ET::Open)
        return decodeOpen(QStringView(frame).mid(1), error).has_value();
    if (*type == ET::Message)
        return Wire::decodeServerPacket(QStringView(frame).mid(1), error).has_value();
    return true;
}

SocketPacket decodeMessageFrame(const QString &frame)
{
    QString error;
    const auto engine = decodeEnginePacket(frame, &error);
    if (!engine || engine->type != ET::Message) {
        qWarning() << "not an Engine.IO message:" << frame << error;
        return {};
    }
    const auto socket = decodeSocketPacket(engine->data, &error);
    if (!socket)
        qWarning() << "undecodable Socket.IO packet:" << frame << error;
    return socket.value_or(packet(ST::Event, QJsonValue::Undefined, QStringLiteral("<invalid>")));
}

} // namespace

class tst_Protocol : public QObject
{
    Q_OBJECT

private slots:
    void engineRoundTrip_data();
    void engineRoundTrip();
    void socketRoundTrip_data();
    void socketRoundTrip();
    void namespaceAtEndWithoutComma();
    void defaultPacketHasNoPayload();
    void openHandshake();
    void openDefaults_data();
    void openDefaults();
    void openRoundTrip();
    void contractFramesFromServer();
    void contractFramesToServer();
    void connectFrame();
    void eventFrame();
    void eventOf_data();
    void eventOf();
    void eventArgumentsOfEmptyEvent();
    void malformed_data();
    void malformed();
    void malformedWithoutErrorPointer();
    void surrogatesAtEveryPosition();
    void repeatedKeyKeepsTheLast_data();
    void repeatedKeyKeepsTheLast();
    void unusualKeysAndTextAreKept();
    void largeFrame();
    void everyPrefixIsSafe();
};

void tst_Protocol::engineRoundTrip_data()
{
    QTest::addColumn<ET>("type");
    QTest::addColumn<QString>("data");
    QTest::addColumn<QString>("frame");
    QTest::newRow("open") << ET::Open << QStringLiteral("{\"sid\":\"s\"}") << QStringLiteral("0{\"sid\":\"s\"}");
    QTest::newRow("close") << ET::Close << QString() << QStringLiteral("1");
    QTest::newRow("ping") << ET::Ping << QString() << QStringLiteral("2");
    QTest::newRow("ping probe") << ET::Ping << QStringLiteral("probe") << QStringLiteral("2probe");
    QTest::newRow("pong") << ET::Pong << QString() << QStringLiteral("3");
    QTest::newRow("pong probe") << ET::Pong << QStringLiteral("probe") << QStringLiteral("3probe");
    QTest::newRow("message") << ET::Message << QStringLiteral("2[\"a\"]") << QStringLiteral("42[\"a\"]");
    QTest::newRow("message text") << ET::Message << QStringLiteral("héllo ✓ 😀") << QStringLiteral("4héllo ✓ 😀");
    QTest::newRow("upgrade") << ET::Upgrade << QString() << QStringLiteral("5");
    QTest::newRow("noop") << ET::Noop << QString() << QStringLiteral("6");
}

void tst_Protocol::engineRoundTrip()
{
    QFETCH(ET, type);
    QFETCH(QString, data);
    QFETCH(QString, frame);
    QCOMPARE(encodeEnginePacket(type, data), frame);
    QString error;
    const auto decoded = decodeEnginePacket(frame, &error);
    QVERIFY2(decoded, qPrintable(error));
    QCOMPARE(*decoded, (EnginePacket{type, data}));
    QVERIFY(error.isEmpty());
}

void tst_Protocol::socketRoundTrip_data()
{
    QTest::addColumn<SocketPacket>("packet");
    QTest::addColumn<QString>("payload");

    const QString admin = QStringLiteral("/admin");
    const QJsonValue placeholder = json(R"({"_placeholder":true,"num":0})");

    QTest::newRow("connect") << packet(ST::Connect) << QStringLiteral("0");
    QTest::newRow("connect auth") << packet(ST::Connect, json(R"({"token":"abc"})")) << QStringLiteral(R"(0{"token":"abc"})");
    QTest::newRow("connect empty auth") << packet(ST::Connect, QJsonObject()) << QStringLiteral("0{}");
    QTest::newRow("connect nsp") << packet(ST::Connect, QJsonValue::Undefined, admin) << QStringLiteral("0/admin,");
    QTest::newRow("connect nsp auth") << packet(ST::Connect, json(R"({"token":"abc"})"), admin)
                                      << QStringLiteral(R"(0/admin,{"token":"abc"})");
    QTest::newRow("disconnect") << packet(ST::Disconnect) << QStringLiteral("1");
    QTest::newRow("disconnect nsp") << packet(ST::Disconnect, QJsonValue::Undefined, admin) << QStringLiteral("1/admin,");
    QTest::newRow("event") << packet(ST::Event, json(R"(["hello"])")) << QStringLiteral(R"(2["hello"])");
    QTest::newRow("event every JSON type")
        << packet(ST::Event, json(R"(["e",null,true,false,1.5,-3,0,"s","",[1,[2]],{"k":{"v":[]}}])"))
        << QStringLiteral(R"(2["e",null,true,false,1.5,-3,0,"s","",[1,[2]],{"k":{"v":[]}}])");
    QTest::newRow("event escapes") << packet(ST::Event, QJsonArray{QStringLiteral("e"), QStringLiteral("a\"b\\c\n✓")})
                                   << QStringLiteral(R"(2["e","a\"b\\c\n✓"])");
    QTest::newRow("event numeric name") << packet(ST::Event, json("[1,2]")) << QStringLiteral("2[1,2]");
    QTest::newRow("event ack") << packet(ST::Event, json(R"(["hello"])"), QStringLiteral("/"), 12)
                               << QStringLiteral(R"(212["hello"])");
    QTest::newRow("event ack 0") << packet(ST::Event, json(R"(["hello"])"), QStringLiteral("/"), 0)
                                 << QStringLiteral(R"(20["hello"])");
    QTest::newRow("event nsp ack") << packet(ST::Event, json(R"(["m",{"a":[1,2]}])"), QStringLiteral("/chat"), 7)
                                   << QStringLiteral(R"(2/chat,7["m",{"a":[1,2]}])");
    QTest::newRow("event max ack") << packet(ST::Event, json(R"(["m"])"), QStringLiteral("/"), 9999999999999999)
                                   << QStringLiteral(R"(29999999999999999["m"])");
    QTest::newRow("ack") << packet(ST::Ack, json("[]"), QStringLiteral("/"), 5) << QStringLiteral("35[]");
    QTest::newRow("ack values") << packet(ST::Ack, json(R"(["ok",{"n":1}])"), QStringLiteral("/"), 42)
                                << QStringLiteral(R"(342["ok",{"n":1}])");
    QTest::newRow("ack nsp") << packet(ST::Ack, json("[null]"), QStringLiteral("/chat"), 3)
                             << QStringLiteral("3/chat,3[null]");
    QTest::newRow("connect error object") << packet(ST::ConnectError, json(R"({"message":"bad token"})"))
                                          << QStringLiteral(R"(4{"message":"bad token"})");
    QTest::newRow("connect error object with data")
        << packet(ST::ConnectError, json(R"({"data":{"code":401},"message":"bad token"})"))
        << QStringLiteral(R"(4{"data":{"code":401},"message":"bad token"})");
    QTest::newRow("connect error string") << packet(ST::ConnectError, QStringLiteral("nope"))
                                          << QStringLiteral(R"(4"nope")");
    QTest::newRow("connect error nsp") << packet(ST::ConnectError, json(R"({"message":"x"})"), admin)
                                       << QStringLiteral(R"(4/admin,{"message":"x"})");
    QTest::newRow("binary event 1") << packet(ST::BinaryEvent, QJsonArray{QStringLiteral("up"), placeholder},
                                              QStringLiteral("/"), -1, 1)
                                    << QStringLiteral(R"(51-["up",{"_placeholder":true,"num":0}])");
    QTest::newRow("binary event nsp ack 2")
        << packet(ST::BinaryEvent, QJsonArray{QStringLiteral("up"), placeholder, placeholder}, QStringLiteral("/chat"),
                  3, 2)
        << QStringLiteral(R"(52-/chat,3["up",{"_placeholder":true,"num":0},{"_placeholder":true,"num":0}])");
    QTest::newRow("binary event 12") << packet(ST::BinaryEvent, json(R"(["x"])"), QStringLiteral("/"), -1, 12)
                                     << QStringLiteral(R"(512-["x"])");
    QTest::newRow("binary ack") << packet(ST::BinaryAck, QJsonArray{placeholder}, QStringLiteral("/"), 5, 1)
                                << QStringLiteral(R"(61-5[{"_placeholder":true,"num":0}])");
    QTest::newRow("binary ack nsp") << packet(ST::BinaryAck, json("[]"), admin, 9, 0) << QStringLiteral("60-/admin,9[]");
}

void tst_Protocol::socketRoundTrip()
{
    QFETCH(SocketPacket, packet);
    QFETCH(QString, payload);
    QCOMPARE(encodeSocketPacket(packet), payload);
    QString error;
    const auto decoded = decodeSocketPacket(payload, &error);
    QVERIFY2(decoded, qPrintable(error));
    QCOMPARE(*decoded, packet);
    // And through the Engine.IO layer, as it travels.
    QCOMPARE(decodeMessageFrame(encodeEnginePacket(ET::Message, payload)), packet);
}

// socket.io-parser accepts a namespace that ends the packet without a comma; so do we.
void tst_Protocol::namespaceAtEndWithoutComma()
{
    QString error;
    const auto connect = decodeSocketPacket(u"0/admin", &error);
    QVERIFY2(connect, qPrintable(error));
    QCOMPARE(*connect, packet(ST::Connect, QJsonValue::Undefined, QStringLiteral("/admin")));
    const auto disconnect = decodeSocketPacket(u"1/admin", &error);
    QVERIFY2(disconnect, qPrintable(error));
    QCOMPARE(disconnect->nsp, QStringLiteral("/admin"));
}

// A packet built field by field (as widget-server builds its `41`) must not grow a `null` payload.
void tst_Protocol::defaultPacketHasNoPayload()
{
    SocketPacket disconnect;
    disconnect.type = ST::Disconnect;
    QVERIFY(disconnect.data.isUndefined());
    QCOMPARE(encodeEnginePacket(ET::Message, encodeSocketPacket(disconnect)), QStringLiteral("41"));
    SocketPacket connect;
    connect.type = ST::Connect;
    QCOMPARE(encodeSocketPacket(connect), QStringLiteral("0"));
    QCOMPARE(decodeSocketPacket(u"0"), std::optional<SocketPacket>(connect));
}

void tst_Protocol::openHandshake()
{
    const QString frame = QStringLiteral(
        R"(0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,)"
        R"("maxPayload":500,"extra":{"unknown":true}})");
    const auto engine = decodeEnginePacket(frame);
    QVERIFY(engine);
    QCOMPARE(engine->type, ET::Open);
    QString error;
    const auto open = decodeOpen(engine->data, &error);
    QVERIFY2(open, qPrintable(error));
    QCOMPARE(open->sid, QStringLiteral("lv_VI97HAXpY6yYWAAAC"));
    QCOMPARE(open->upgrades, QStringList{QStringLiteral("websocket")});
    QCOMPARE(open->pingInterval, 300);
    QCOMPARE(open->pingTimeout, 200);
    QCOMPARE(open->maxPayload, 500);
}

void tst_Protocol::openDefaults_data()
{
    QTest::addColumn<QString>("json");
    QTest::newRow("only sid") << QStringLiteral(R"({"sid":"s"})");
    QTest::newRow("nulls") << QStringLiteral(R"({"sid":"s","pingInterval":null,"pingTimeout":null,"maxPayload":null})");
    QTest::newRow("strings") << QStringLiteral(R"({"sid":"s","pingInterval":"25","pingTimeout":"x","maxPayload":"1"})");
    QTest::newRow("zero") << QStringLiteral(R"({"sid":"s","pingInterval":0,"pingTimeout":0,"maxPayload":0})");
    QTest::newRow("negative") << QStringLiteral(R"({"sid":"s","pingInterval":-1,"pingTimeout":-5,"maxPayload":-1})");
    QTest::newRow("absurd") << QStringLiteral(R"({"sid":"s","pingInterval":1e300,"pingTimeout":1e10,"maxPayload":2e9})");
}

void tst_Protocol::openDefaults()
{
    QFETCH(QString, json);
    QString error;
    const auto open = decodeOpen(json, &error);
    QVERIFY2(open, qPrintable(error));
    QCOMPARE(open->sid, QStringLiteral("s"));
    QCOMPARE(open->upgrades, QStringList());
    QCOMPARE(open->pingInterval, 25000);
    QCOMPARE(open->pingTimeout, 20000);
    QCOMPARE(open->maxPayload, 1000000);
}

void tst_Protocol::openRoundTrip()
{
    const OpenHandshake open{QStringLiteral("abc"), {QStringLiteral("websocket")}, 1000, 2000, 3000};
    const QString frame = encodeOpen(open);
    QCOMPARE(frame,
             QStringLiteral(R"(0{"maxPayload":3000,"pingInterval":1000,"pingTimeout":2000,"sid":"abc","upgrades":["websocket"]})"));
    const auto engine = decodeEnginePacket(frame);
    QVERIFY(engine);
    QCOMPARE(engine->type, ET::Open);
    QCOMPARE(decodeOpen(engine->data), std::optional<OpenHandshake>(open));
    QCOMPARE(decodeOpen(encodeOpen(OpenHandshake{}).mid(1)), std::optional<OpenHandshake>(OpenHandshake{}));
}

void tst_Protocol::contractFramesFromServer()
{
    QCOMPARE(decodeMessageFrame(QStringLiteral(R"(40{"sid":"xyz"})")), packet(ST::Connect, json(R"({"sid":"xyz"})")));
    QCOMPARE(decodeMessageFrame(QStringLiteral(R"(40{"sid":"xyz","pid":"p1"})")).data.toObject().value(u"pid"),
             QJsonValue(QStringLiteral("p1")));
    QCOMPARE(decodeMessageFrame(QStringLiteral(R"(44{"message":"invalid token"})")),
             packet(ST::ConnectError, json(R"({"message":"invalid token"})")));
    QCOMPARE(decodeMessageFrame(QStringLiteral("41")), packet(ST::Disconnect));

    const SocketPacket status = decodeMessageFrame(QStringLiteral(
        R"(42["status_update",{"messageId":"msg_1","status":"delivered","timestamp":"2026-11-23T10:00:00Z","error":{"message":"m","code":"c"}}])"));
    const auto event = Protocol::eventOf(status);
    QVERIFY(event);
    QCOMPARE(event->name, QStringLiteral("status_update"));
    QCOMPARE(event->arguments().size(), 1);
    const QJsonObject update = event->arguments().first().toObject();
    QCOMPARE(update.value(u"messageId").toString(), QStringLiteral("msg_1"));
    QCOMPARE(update.value(u"status").toString(), QStringLiteral("delivered"));
    QCOMPARE(update.value(u"error").toObject().value(u"code").toString(), QStringLiteral("c"));

    // With connection-state recovery the offset rides as the last argument.
    const SocketPacket inbound = decodeMessageFrame(QStringLiteral(
        R"(42["inbound_message",{"messageId":"m2","text":"hi","mediaUrl":null,"timestamp":"t"},"offset-7"])"));
    const auto message = Protocol::eventOf(inbound);
    QVERIFY(message);
    QCOMPARE(message->name, QStringLiteral("inbound_message"));
    QCOMPARE(message->arguments().size(), 2);
    QVERIFY(message->arguments().at(0).toObject().value(u"mediaUrl").isNull());
    QCOMPARE(message->arguments().at(1).toString(), QStringLiteral("offset-7"));

    QCOMPARE(decodeEnginePacket(u"2"), std::optional<EnginePacket>(EnginePacket{ET::Ping, {}}));
    QCOMPARE(decodeEnginePacket(u"3"), std::optional<EnginePacket>(EnginePacket{ET::Pong, {}}));
    QCOMPARE(decodeEnginePacket(u"1"), std::optional<EnginePacket>(EnginePacket{ET::Close, {}}));
}

void tst_Protocol::contractFramesToServer()
{
    QCOMPARE(encodeEnginePacket(ET::Pong), QStringLiteral("3"));
    QCOMPARE(encodeEnginePacket(ET::Close), QStringLiteral("1"));
    QCOMPARE(encodeEnginePacket(ET::Ping), QStringLiteral("2"));
    QCOMPARE(Protocol::connectFrame(QJsonObject{{QStringLiteral("token"), QStringLiteral("tok")}}),
             QStringLiteral(R"(40{"token":"tok"})"));
}

void tst_Protocol::connectFrame()
{
    QCOMPARE(Protocol::connectFrame({}), QStringLiteral("40{}"));
    const QJsonObject recovery{{QStringLiteral("token"), QStringLiteral("t")},
                               {QStringLiteral("pid"), QStringLiteral("p")},
                               {QStringLiteral("offset"), QStringLiteral("o")}};
    const QString frame = Protocol::connectFrame(recovery);
    QCOMPARE(decodeMessageFrame(frame), packet(ST::Connect, recovery));
    QCOMPARE(Protocol::connectFrame(recovery, u"/admin"), QStringLiteral(R"(40/admin,{"offset":"o","pid":"p","token":"t"})"));
}

void tst_Protocol::eventFrame()
{
    const QJsonObject update{{QStringLiteral("messageId"), QStringLiteral("msg_1")},
                             {QStringLiteral("status"), QStringLiteral("read")}};
    QCOMPARE(Protocol::eventFrame(QStringLiteral("status_update"), update),
             QStringLiteral(R"(42["status_update",{"messageId":"msg_1","status":"read"}])"));
    QCOMPARE(Protocol::eventFrame(QStringLiteral("e"), QStringLiteral("x"), u"/chat"), QStringLiteral(R"(42/chat,["e","x"])"));
    QCOMPARE(Protocol::eventFrame(QStringLiteral("e"), 3), QStringLiteral(R"(42["e",3])"));
    QCOMPARE(Protocol::eventFrame(QStringLiteral("e"), QJsonValue::Null), QStringLiteral(R"(42["e",null])"));

    const auto event = Protocol::eventOf(decodeMessageFrame(Protocol::eventFrame(QStringLiteral("status_update"), update)));
    QVERIFY(event);
    QCOMPARE(event->name, QStringLiteral("status_update"));
    QCOMPARE(event->arguments(), QJsonArray{update});
}

void tst_Protocol::eventOf_data()
{
    QTest::addColumn<SocketPacket>("packet");
    QTest::addColumn<bool>("isEvent");
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("argumentCount");
    QTest::newRow("event") << packet(ST::Event, json(R"(["a",1,2])")) << true << QStringLiteral("a") << 2;
    QTest::newRow("event no arguments") << packet(ST::Event, json(R"(["a"])")) << true << QStringLiteral("a") << 0;
    QTest::newRow("event with ack") << packet(ST::Event, json(R"(["a",{}])"), QStringLiteral("/"), 4) << true
                                    << QStringLiteral("a") << 1;
    QTest::newRow("numeric name") << packet(ST::Event, json("[1,2]")) << false << QString() << 0;
    QTest::newRow("empty array") << packet(ST::Event, json("[]")) << false << QString() << 0;
    QTest::newRow("no payload") << packet(ST::Event) << false << QString() << 0;
    QTest::newRow("ack") << packet(ST::Ack, json(R"(["a"])"), QStringLiteral("/"), 1) << false << QString() << 0;
    QTest::newRow("connect") << packet(ST::Connect, json("{}")) << false << QString() << 0;
    QTest::newRow("binary event") << packet(ST::BinaryEvent, json(R"(["a"])"), QStringLiteral("/"), -1, 1) << false
                                  << QString() << 0;
}

void tst_Protocol::eventOf()
{
    QFETCH(SocketPacket, packet);
    QFETCH(bool, isEvent);
    QFETCH(QString, name);
    QFETCH(int, argumentCount);
    const auto event = Protocol::eventOf(packet);
    QCOMPARE(event.has_value(), isEvent);
    if (!event)
        return;
    QCOMPARE(event->name, name);
    QCOMPARE(event->arguments().size(), argumentCount);
    QCOMPARE(event->payload, packet.data);
}

void tst_Protocol::eventArgumentsOfEmptyEvent()
{
    QCOMPARE(Protocol::Event{}.arguments(), QJsonArray());
}

void tst_Protocol::malformed_data()
{
    QTest::addColumn<QString>("frame");
    const QChar highSurrogate(0xD83D);
    const QChar lowSurrogate(0xDE00);

    QTest::newRow("empty") << QString();
    QTest::newRow("engine type 7") << QStringLiteral("7");
    QTest::newRow("engine type x") << QStringLiteral("x");
    QTest::newRow("engine type NUL") << QString(QChar(0));
    QTest::newRow("engine type NUL then message") << QString(QChar(0)) + QStringLiteral("2[\"a\"]");
    QTest::newRow("engine type emoji") << QStringLiteral("😀");
    QTest::newRow("engine type minus") << QStringLiteral("-1");
    QTest::newRow("engine type space") << QStringLiteral(" 4");
    QTest::newRow("engine type fullwidth digit") << QStringLiteral("４2[\"a\"]");
    QTest::newRow("message without packet") << QStringLiteral("4");
    QTest::newRow("socket type 7") << QStringLiteral("47[\"a\"]");
    QTest::newRow("socket type x") << QStringLiteral("4x");
    QTest::newRow("socket type emoji") << QStringLiteral("4😀");
    QTest::newRow("4 + garbage JSON") << QStringLiteral("4{garbage");
    QTest::newRow("42 + garbage JSON") << QStringLiteral("42{garbage");
    QTest::newRow("42 + word") << QStringLiteral("42nope");
    QTest::newRow("event not an array") << QStringLiteral(R"(42{"a":1})");
    QTest::newRow("event empty array") << QStringLiteral("42[]");
    QTest::newRow("event truncated") << QStringLiteral("42[1");
    QTest::newRow("event truncated string") << QStringLiteral(R"(42["status_update",{"messageId":"m)");
    QTest::newRow("event name object") << QStringLiteral(R"(42[{"a":1}])");
    QTest::newRow("event name null") << QStringLiteral("42[null]");
    QTest::newRow("event string") << QStringLiteral(R"(42"a")");
    QTest::newRow("event null") << QStringLiteral("42null");
    QTest::newRow("event no payload") << QStringLiteral("42");
    QTest::newRow("event whitespace payload") << QStringLiteral("42 ");
    QTest::newRow("event trailing garbage") << QStringLiteral(R"(42["a"]x)");
    QTest::newRow("event two values") << QStringLiteral(R"(42["a"],["b"])");
    QTest::newRow("event bracket injection") << QStringLiteral(R"(42["a"]],[["b")");
    QTest::newRow("connect with array") << QStringLiteral("40[]");
    QTest::newRow("connect with string") << QStringLiteral(R"(40"tok")");
    QTest::newRow("connect with boolean") << QStringLiteral("40true");
    QTest::newRow("disconnect with payload") << QStringLiteral(R"(41{"x":1})");
    QTest::newRow("disconnect with array") << QStringLiteral("41[]");
    QTest::newRow("connect error without payload") << QStringLiteral("44");
    QTest::newRow("connect error with array") << QStringLiteral(R"(44["m"])");
    QTest::newRow("ack not an array") << QStringLiteral(R"(431{"a":1})");
    QTest::newRow("binary empty count") << QStringLiteral(R"(45-["a",{"_placeholder":true,"num":0}])");
    QTest::newRow("binary count letters") << QStringLiteral("45abc-");
    QTest::newRow("binary count letters + data") << QStringLiteral(R"(45abc-["a"])");
    QTest::newRow("binary count without dash") << QStringLiteral(R"(451["a"])");
    QTest::newRow("binary count only") << QStringLiteral("45");
    QTest::newRow("binary count overflow") << QStringLiteral(R"(4599999999999-["a"])");
    QTest::newRow("binary count non-ASCII digit") << QStringLiteral("45\u0663-[\"a\"]");
    QTest::newRow("binary ack empty count") << QStringLiteral("46-1[]");
    QTest::newRow("ack id of 30 digits") << QStringLiteral(R"(42123456789012345678901234567890["a"])");
    QTest::newRow("ack id of 17 digits") << QStringLiteral(R"(4212345678901234567["a"])");
    QTest::newRow("ack id only") << QStringLiteral("4212");
    QTest::newRow("ack id Arabic-Indic digit") << QStringLiteral("42\u0663[\"a\"]");
    QTest::newRow("ack id fullwidth digit") << QStringLiteral("42１[\"a\"]");
    QTest::newRow("namespace without comma") << QStringLiteral(R"(42/chat["a"])");
    QTest::newRow("namespace without comma, ack") << QStringLiteral(R"(42/chat12["a"])");
    QTest::newRow("namespace, no payload") << QStringLiteral("42/chat,");
    // Qt 6.4 keeps both of these keys: a raw U+FFFD (what an invalid UTF-8 byte becomes) then "é", and
    // the same key escaped, beside a non-BMP key (corpus/frames/regress-duplicate-keys).
    const QString replacement(QChar(0xFFFD));
    QTest::newRow("repeated key Qt keeps twice")
        << QStringLiteral("42[\"e\",{\"") + replacement + QStringLiteral(R"(é":true,"\uFFFD\u00e9":[1],"\ud800\udc00":true}])");
    QTest::newRow("repeated key Qt keeps twice, deep inside")
        << QStringLiteral("43[[{\"x\":{\"") + replacement + QStringLiteral(R"(é":1,"\uFFFD\u00e9":2,"\ud800\udc00":3}}]])");
    QTest::newRow("key with a lone surrogate") << QStringLiteral(R"(42["e",{"a\udc00":1}])");
    QTest::newRow("key with a lone surrogate, raw text beside it")
        << QStringLiteral(R"(42["e",{"\ud800\u00be":true,"é":1}])");
    QTest::newRow("open garbage") << QStringLiteral(R"(0{"sid":)");
    QTest::newRow("open array") << QStringLiteral("0[]");
    QTest::newRow("open without sid") << QStringLiteral("0{}");
    QTest::newRow("open numeric sid") << QStringLiteral(R"(0{"sid":5})");
    QTest::newRow("open empty") << QStringLiteral("0");
    QTest::newRow("1 MB truncated array") << QStringLiteral("42[\"a\"") + QStringLiteral(",1").repeated(500000);
    QTest::newRow("1 MB nesting") << QStringLiteral("42") + QStringLiteral("[").repeated(1 << 20);
    QTest::newRow("1 MB garbage") << QStringLiteral("42") + QStringLiteral("x").repeated(1 << 20);
    QTest::newRow("lone high surrogate in string") << QStringLiteral("42[\"a") + highSurrogate + QStringLiteral("\"]");
    QTest::newRow("lone low surrogate in string") << QStringLiteral("42[\"a") + lowSurrogate + QStringLiteral("\"]");
    QTest::newRow("swapped surrogates in string")
        << QStringLiteral("42[\"e\",\"") + lowSurrogate + highSurrogate + QStringLiteral("\"]");
    QTest::newRow("lone surrogate at the end") << QStringLiteral("42[\"a\"]") + highSurrogate;
    QTest::newRow("lone surrogate as engine type") << QString(lowSurrogate);
    QTest::newRow("lone surrogate as socket type") << QStringLiteral("4") + highSurrogate;
    QTest::newRow("lone surrogate in namespace") << QStringLiteral("42/c") + highSurrogate + QStringLiteral(",[\"a\"]");
    QTest::newRow("lone surrogate in open") << QStringLiteral("0{\"sid\":\"") + highSurrogate + QStringLiteral("\"}");
    QTest::newRow("connect error, backslash at the end") << QStringLiteral(R"(44"reason\)");
}

void tst_Protocol::malformed()
{
    QFETCH(QString, frame);
    QString error;
    QVERIFY2(!decodeFrame(frame, &error), qPrintable(frame.left(80)));
    QVERIFY(!error.isEmpty());
    error.clear();
    QVERIFY2(!consoleDecodes(frame, &error), qPrintable(frame.left(80)));
    QVERIFY(!error.isEmpty());
}

// The UTF-16 check looks at eight units at a time: a surrogate is caught wherever it falls in a block,
// on both receive paths.
void tst_Protocol::surrogatesAtEveryPosition()
{
    const QChar highSurrogate(0xD83D);
    const QChar lowSurrogate(0xDE00);
    const QString plain = QStringLiteral(R"(42["inbound_message",{"messageId":"m","text":"0123456789abcdefghij"}])");
    const qsizetype first = plain.indexOf(u'0');
    for (qsizetype at = first; at <= first + 20; ++at) {
        QString error;
        QString pair = plain;
        pair.insert(at, QStringLiteral("😀"));
        QVERIFY2(decodeFrame(pair, &error) && consoleDecodes(pair, &error), qPrintable(error));
        for (const QChar lone : {highSurrogate, lowSurrogate}) {
            QString broken = plain;
            broken.insert(at, lone);
            QVERIFY2(!decodeFrame(broken, nullptr), qPrintable(QString::number(at)));
            QVERIFY2(!consoleDecodes(broken, nullptr), qPrintable(QString::number(at)));
        }
        QString swapped = plain;
        swapped.insert(at, QString(lowSurrogate) + highSurrogate);
        QVERIFY(!consoleDecodes(swapped, nullptr));
    }
}

// What JSON.parse does with a repeated name, and what Qt's parser does whenever it sees the repeat.
void tst_Protocol::repeatedKeyKeepsTheLast_data()
{
    QTest::addColumn<QString>("frame");
    QTest::newRow("plain") << QStringLiteral(R"(42["status_update",{"messageId":"a","messageId":"b"}])");
    QTest::newRow("escaped once") << QStringLiteral(R"(42["status_update",{"messageId":"a","message\u0049d":"b"}])");
    QTest::newRow("beside a non-BMP key")
        << QStringLiteral(R"(42["status_update",{"\ud800\udc00":1,"messageId":"a","message\u0049d":"b"}])");
}

void tst_Protocol::repeatedKeyKeepsTheLast()
{
    QFETCH(QString, frame);
    const auto packet = decodeSocketPacket(QStringView(frame).mid(1));
    QVERIFY(packet);
    const auto event = Protocol::eventOf(*packet);
    QVERIFY(event);
    QCOMPARE(event->arguments().first().toObject().value(u"messageId").toString(), u"b");
    const auto again = decodeSocketPacket(encodeSocketPacket(*packet));
    QVERIFY(again);
    QCOMPARE(again->data, packet->data);
}

// What the key check must not refuse: emoji keys beside U+FE0F (the mix that sorts differently in UTF-8
// and UTF-16) and a lone surrogate in text, which JSON.stringify writes for a cut emoji.
void tst_Protocol::unusualKeysAndTextAreKept()
{
    const auto packet = decodeSocketPacket(
        uR"(2["inbound_message",{"messageId":"x","text":"cut \ud83d","reactions":{"👍":3,"❤️":1,"\ud83d\ude00":2}}])");
    QVERIFY(packet);
    const QJsonObject message = packet->data.toArray().at(1).toObject();
    QCOMPARE(message.value(u"text").toString(), QStringLiteral("cut ") + QChar(0xD83D));
    const QJsonObject reactions = message.value(u"reactions").toObject();
    QCOMPARE(reactions.size(), 3);
    QVERIFY(reactions.value(u"👍").isDouble());
    const auto again = decodeSocketPacket(encodeSocketPacket(*packet));
    QVERIFY(again);
    QCOMPARE(again->data.toArray().at(1).toObject().value(u"text"), message.value(u"text"));
}

void tst_Protocol::malformedWithoutErrorPointer()
{
    QVERIFY(!decodeEnginePacket(u""));
    QVERIFY(!decodeEnginePacket(u"9"));
    QVERIFY(!decodeSocketPacket(u""));
    QVERIFY(!decodeSocketPacket(u"2{"));
    QVERIFY(!decodeSocketPacket(u"5x-"));
    QVERIFY(!decodeOpen(u"{"));
    QVERIFY(!decodeOpen(u"[]"));
}

void tst_Protocol::largeFrame()
{
    // maxPayload is 1,000,000 bytes: a frame of that size decodes in one piece.
    const QString text = QStringLiteral("ü").repeated(500000);
    const QString frame = Protocol::eventFrame(QStringLiteral("inbound_message"),
                                               QJsonObject{{QStringLiteral("text"), text}});
    QVERIFY(frame.size() > 500000);
    const auto event = Protocol::eventOf(decodeMessageFrame(frame));
    QVERIFY(event);
    QCOMPARE(event->arguments().first().toObject().value(u"text").toString(), text);
}

// Truncation is the commonest corruption: no prefix of a valid frame may crash, and a rejected one
// always says why.
void tst_Protocol::everyPrefixIsSafe()
{
    const QStringList frames{
        QStringLiteral(R"(0{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})"),
        QStringLiteral(R"(42/chat,17["status_update",{"messageId":"m","status":"read","error":{"code":"x"}}])"),
        QStringLiteral(R"(452-/chat,3["up",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])"),
        QStringLiteral(R"(461-/admin,9[{"_placeholder":true,"num":0}])"),
        QStringLiteral(R"(44{"message":"bad token","data":null})"),
    };
    for (const QString &frame : frames) {
        QString error;
        QVERIFY2(decodeFrame(frame, &error), qPrintable(error));
        QVERIFY2(consoleDecodes(frame, &error), qPrintable(error));
        for (qsizetype n = 0; n < frame.size(); ++n) {
            error.clear();
            const bool decoded = decodeFrame(frame.left(n), &error);
            if (!decoded)
                QVERIFY2(!error.isEmpty(), qPrintable(frame.left(n)));
            QString consoleError;
            QCOMPARE(consoleDecodes(frame.left(n), &consoleError), decoded);
            QCOMPARE(consoleError.isEmpty(), decoded);
        }
    }
}

QTEST_GUILESS_MAIN(tst_Protocol)
#include "tst_protocol.moc"
