// decode_speedup_vs_node: the console's codec (Protocol + Wire, JSON included) against Node's
// engine.io-parser + socket.io-parser on the same frames, in the same run.
#include "figures.h"

#include "protocol.h"
#include "wirejson.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <cstdio>

namespace {
constexpr int rounds = 50000; // x 8 frames, in each language, after as many for warm-up

// What a console receives over a session's life, as the server sends it. Customers write German and
// Arabic, and a field the console does not read may have an emoji for a key: non-ASCII frames take the
// duplicate-key walk of Protocol's JSON parsing, which ASCII frames skip.
const QStringList frames {
    QStringLiteral(
        R"(0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})"),
    QStringLiteral("2"),
    QStringLiteral(
        R"(42["status_update",{"messageId":"msg_1763892000000_1a2b3c4d","status":"delivered","timestamp":"2026-11-23T10:00:00.000Z"}])"),
    QStringLiteral(
        R"(42["inbound_message",{"messageId":"wamid.HBgMNDkxNzY0MjQ1MTQ3FQIAEhggNUQ","text":"Hallo, ist meine Bestellung 48213 schon unterwegs? Danke!","mediaUrl":null,"timestamp":"2026-11-23T10:00:01.000Z"}])"),
    QStringLiteral(R"(40{"sid":"wZX3oN0bSVIhsaknAAAI","pid":"bDJyZWRpcy1hZGFwdGVy"})"),
    QStringLiteral(
        R"(42["inbound_message",{"messageId":"wamid.HBgMNDkxNTEyMzQ1Njc4FQIAEhggQjE","text":"Grüß Gott! Könnten Sie prüfen, ob meine Bestellung 48213 schon unterwegs ist? Vielen Dank für Ihre Mühe.","mediaUrl":null,"timestamp":"2026-11-23T10:00:02.000Z"}])"),
    QStringLiteral(
        R"(42["inbound_message",{"messageId":"wamid.HBgMOTY2NTAxMjM0NTY3FQIAEhggQzI","text":"مرحبا، هل طلبي رقم 48213 في الطريق؟ شكرا جزيلا على مساعدتك.","mediaUrl":null,"timestamp":"2026-11-23T10:00:03.000Z"}])"),
    QStringLiteral(
        R"(42["inbound_message",{"messageId":"wamid.HBgMNDQ3OTExMjIzMzQ0FQIAEhggRDM","text":"Perfect, thanks! 😊","mediaUrl":null,"timestamp":"2026-11-23T10:00:04.000Z","reactions":{"👍":1}}])"),
};

// One frame down the path SocketIoClient takes; true when it yielded what the console acts on.
bool decodeFrame(const QString &frame)
{
    using namespace Protocol;
    const auto type = decodeEnginePacketType(frame);
    if (!type)
        return false;
    const QStringView data = QStringView(frame).mid(1);
    switch (*type) {
    case EnginePacketType::Open:
        return decodeOpen(data).has_value();
    case EnginePacketType::Ping:
        return true;
    case EnginePacketType::Message:
        break;
    default:
        return false;
    }
    const auto packet = Wire::decodeServerPacket(data);
    if (!packet)
        return false;
    if (packet->type == SocketPacketType::Connect)
        return true;
    return packet->statusUpdate.has_value() || packet->inboundMessage.has_value();
}

int decodeAll(int times)
{
    int decoded = 0;
    for (int i = 0; i < times; ++i) {
        for (const QString &frame : frames)
            decoded += decodeFrame(frame) ? 1 : 0;
    }
    return decoded;
}

double cppNsPerFrame()
{
    decodeAll(rounds); // warm-up, as Node gets one
    QElapsedTimer timer;
    timer.start();
    const int decoded = decodeAll(rounds);
    const double ns = double(timer.nsecsElapsed()) / double(rounds * frames.size());
    return decoded == rounds * frames.size() ? ns : -1;
}

QJsonValue nodeNsPerFrame()
{
    const QDir benchDir(QStringLiteral(AGENT_CONSOLE_BENCH_DIR));
    if (!benchDir.exists(QStringLiteral("node_modules/engine.io-parser"))
        || !benchDir.exists(QStringLiteral("node_modules/socket.io-parser"))) {
        std::fprintf(stderr,
            "agent-console-bench: %s/node_modules is missing, so decode_speedup_vs_node is null. "
            "Install the pinned parsers with: npm ci --prefix bench\n",
            qPrintable(benchDir.path()));
        return QJsonValue::Null;
    }
    QProcess node;
    node.start(QStringLiteral("node"), {benchDir.filePath(QStringLiteral("decode.js")), QString::number(rounds)});
    if (!node.waitForStarted(5000)) {
        std::fprintf(stderr, "agent-console-bench: cannot run node (%s); decode_speedup_vs_node is null\n",
            qPrintable(node.errorString()));
        return QJsonValue::Null;
    }
    node.write(QJsonDocument(QJsonArray::fromStringList(frames)).toJson(QJsonDocument::Compact));
    node.closeWriteChannel();
    if (!node.waitForFinished(30000) || node.exitCode() != 0) {
        std::fprintf(
            stderr, "agent-console-bench: node decode.js failed: %s\n", node.readAllStandardError().constData());
        return QJsonValue::Null;
    }
    const QJsonObject result = QJsonDocument::fromJson(node.readAllStandardOutput()).object();
    if (result.value(u"decoded").toInt() != rounds * frames.size())
        return QJsonValue::Null;
    return result.value(u"nsPerFrame");
}
} // namespace

DecodeFigures measureDecode()
{
    DecodeFigures figures;
    figures.cppNsPerFrame = cppNsPerFrame();
    figures.nodeNsPerFrame = nodeNsPerFrame();
    figures.speedup = figures.nodeNsPerFrame.isDouble() && figures.cppNsPerFrame > 0
        ? QJsonValue(figures.nodeNsPerFrame.toDouble() / figures.cppNsPerFrame)
        : QJsonValue(QJsonValue::Null);
    return figures;
}
