// The REST side of widget-server (CONTRACT.md §1) and its command line, against a real server on
// 127.0.0.1 with a real QNetworkAccessManager.
#include "demoseed.h"
#include "simulatedupstream.h"
#include "serverprocess.h"
#include "testclient.h"
#include "widgetserver.h"

#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryFile>
#include <QTimer>
#include <QTest>

using Headers = QList<std::pair<QByteArray, QByteArray>>;
Q_DECLARE_METATYPE(Headers)

static const QString SendPath = QStringLiteral("/api/v1/widget/send");

static QJsonObject sendBody(const QString &messageId, const QString &text = QStringLiteral("hello"))
{
    QJsonObject body {{QStringLiteral("conversationId"), QStringLiteral("c1")},
        {QStringLiteral("tenantId"), QStringLiteral("t1")}, {QStringLiteral("integrationId"), QStringLiteral("i1")},
        {QStringLiteral("text"), text}, {QStringLiteral("mediaUrl"), QJsonValue::Null}};
    if (!messageId.isEmpty())
        body.insert(QStringLiteral("messageId"), messageId);
    return body;
}

static QJsonObject error(const QString &message, const QString &code)
{
    return QJsonObject {
        {QStringLiteral("error"), QJsonObject {{QStringLiteral("message"), message}, {QStringLiteral("code"), code}}}};
}

class TestWidgetServer : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void demoCustomersWriteUntilShutdown();
    void cleanup();

    void missingField_data();
    void missingField();
    void textLengthLimit_data();
    void textLengthLimit();
    void tenantFromHeader();
    void invalidJson_data();
    void invalidJson();
    void unauthorized_data();
    void unauthorized();
    void unknownRoute_data();
    void unknownRoute();
    void sendUnknownConversation();
    void sendAccepted();
    void sendWithoutMessageIdGetsOne();
    void duplicateIsAnsweredOnce();
    void resendOfUpstreamFailedIsForwarded();
    void resendDoesNotUndoLaterStatus();
    void assignedIdsAreStable();
    void upstreamDown();
    void failNext_data();
    void failNext();
    void bodyLimit_data();
    void bodyLimit();
    void historyPaging_data();
    void historyPaging();
    void historyMessageFields();
    void context();
    void contextUnknown_data();
    void contextUnknown();
    void statusIsMonotonic();

    void executableRejectsBadArguments_data();
    void executableRejectsBadArguments();
    void executableHelp();
    void executableListens_data();
    void executableListens();

private:
    std::unique_ptr<WidgetServer> m_server;
    std::unique_ptr<HttpClient> m_http;
};

void TestWidgetServer::init()
{
    m_server = std::make_unique<WidgetServer>();
    m_server->setToken(TestToken);
    m_server->setIntegrationId(QStringLiteral("i1"));
    m_server->addConversation(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("Ada"));
    QVERIFY(m_server->listen());
    QVERIFY(m_server->port() != 0);
    m_http = std::make_unique<HttpClient>(m_server->baseUrl());
}

void TestWidgetServer::cleanup()
{
    m_http.reset();
    m_server.reset();
}

void TestWidgetServer::missingField_data()
{
    QTest::addColumn<QStringList>("remove");
    QTest::addColumn<Headers>("headers");
    QTest::addColumn<QString>("message");

    QTest::newRow("conversationId") << QStringList {"conversationId"} << Headers {} << "conversationId required";
    QTest::newRow("tenantId, no header") << QStringList {"tenantId"} << Headers {{"X-Tenant-ID", QByteArray()}}
                                         << "tenantId required";
    QTest::newRow("integrationId") << QStringList {"integrationId"} << Headers {} << "integrationId required";
    QTest::newRow("text and mediaUrl") << QStringList {"text", "mediaUrl"} << Headers {} << "text or mediaUrl required";
    QTest::newRow("blank conversationId") << QStringList {"conversationId="} << Headers {} << "conversationId required";
    QTest::newRow("blank text, null media") << QStringList {"text="} << Headers {} << "text or mediaUrl required";
}

void TestWidgetServer::missingField()
{
    QFETCH(QStringList, remove);
    QFETCH(Headers, headers);
    QFETCH(QString, message);
    QJsonObject body = sendBody(QStringLiteral("msg_1_00000001"));
    for (const QString &field : remove) {
        if (field.endsWith(u'='))
            body.insert(field.chopped(1), QStringLiteral("  "));
        else
            body.remove(field);
    }
    const HttpResult r = m_http->post(SendPath, body, headers);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.contentType, "application/json");
    QCOMPARE(r.json, error(message, QStringLiteral("MISSING_FIELD")));
    QVERIFY(m_server->acceptedMessageIds(QStringLiteral("t1"), QStringLiteral("c1")).isEmpty());
}

void TestWidgetServer::textLengthLimit_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("status");
    QTest::newRow("4,096 characters") << QString(4096, u'a') << 200;
    QTest::newRow("4,097 characters") << QString(4097, u'a') << 400;
    // UTF-16 units, as JavaScript's String.length: an emoji counts 2.
    QString emoji;
    for (int i = 0; i < 2048; ++i)
        emoji += QString::fromUcs4(U"\U0001F600", 1);
    QTest::newRow("2,048 emoji") << emoji << 200;
    QTest::newRow("2,048 emoji and a letter") << emoji + u'a' << 400;
}

void TestWidgetServer::textLengthLimit()
{
    QFETCH(QString, text);
    QFETCH(int, status);
    QJsonObject body = sendBody(QStringLiteral("msg_1_00000042"));
    body.insert(QStringLiteral("text"), text);
    const HttpResult r = m_http->post(SendPath, body, {});
    QCOMPARE(r.status, status);
    if (status == 400) {
        QCOMPARE(r.json.value(u"error").toObject().value(u"code").toString(), u"TEXT_TOO_LONG");
        QVERIFY(r.json.value(u"error").toObject().value(u"message").toString().contains(u"4096"));
        QVERIFY(m_server->acceptedMessageIds(QStringLiteral("t1"), QStringLiteral("c1")).isEmpty());
    }
}

void TestWidgetServer::tenantFromHeader()
{
    QJsonObject body = sendBody(QStringLiteral("msg_1_00000002"));
    body.remove(QStringLiteral("tenantId"));
    const HttpResult r = m_http->post(SendPath, body, {{"X-Tenant-ID", "t1"}});
    QCOMPARE(r.status, 200);
    QCOMPARE(m_server->acceptedMessageIds(QStringLiteral("t1"), QStringLiteral("c1")), QStringList {"msg_1_00000002"});
}

void TestWidgetServer::invalidJson_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("array") << QByteArray("[1,2]");
    QTest::newRow("string") << QByteArray("\"text\"");
    QTest::newRow("garbage") << QByteArray("{\"text\": ");
    QTest::newRow("empty") << QByteArray();
}

void TestWidgetServer::invalidJson()
{
    QFETCH(QByteArray, body);
    const HttpResult r = m_http->request("POST", SendPath, body);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json, error(QStringLiteral("Body must be a JSON object"), QStringLiteral("INVALID_JSON")));
}

void TestWidgetServer::unauthorized_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("authorization");
    const QList<std::pair<QByteArray, QString>> routes {
        {"GET", "/api/v1/widget/context/c1"},
        {"GET", "/api/v1/widget/conversation/c1/history?limit=20&offset=0"},
        {"POST", SendPath},
    };
    for (const auto &[verb, path] : routes) {
        const QByteArray name = verb + ' ' + path.section(u'/', 4, 4).toUtf8();
        QTest::addRow("%s: none", name.constData()) << verb << path << QByteArray();
        QTest::addRow("%s: wrong token", name.constData()) << verb << path << QByteArray("Bearer nope");
        QTest::addRow("%s: prefix of token", name.constData()) << verb << path << QByteArray("Bearer s3cret");
        QTest::addRow("%s: basic", name.constData()) << verb << path << ("Basic " + TestToken.toUtf8());
        QTest::addRow("%s: empty bearer", name.constData()) << verb << path << QByteArray("Bearer ");
    }
}

void TestWidgetServer::unauthorized()
{
    QFETCH(QByteArray, verb);
    QFETCH(QString, path);
    QFETCH(QByteArray, authorization);
    const QByteArray body
        = verb == "POST" ? QJsonDocument(sendBody(QStringLiteral("msg_1_00000003"))).toJson() : QByteArray();
    const HttpResult r = m_http->request(verb, path, body, {{"Authorization", authorization}});
    QCOMPARE(r.status, 401);
    QCOMPARE(r.contentType, "application/json");
    QCOMPARE(r.json, error(QStringLiteral("Unauthorized"), QStringLiteral("UNAUTHORIZED")));
    QVERIFY(m_server->acceptedMessageIds(QStringLiteral("t1"), QStringLiteral("c1")).isEmpty());
}

void TestWidgetServer::unknownRoute_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::newRow("root") << QByteArray("GET") << "/" << 404;
    QTest::newRow("unknown") << QByteArray("GET") << "/api/v1/widget/nope" << 404;
    QTest::newRow("context without id") << QByteArray("GET") << "/api/v1/widget/context" << 404;
    QTest::newRow("history too deep") << QByteArray("GET") << "/api/v1/widget/conversation/c1/history/x" << 404;
    QTest::newRow("GET send") << QByteArray("GET") << SendPath << 405;
    QTest::newRow("POST context") << QByteArray("POST") << "/api/v1/widget/context/c1" << 405;
}

void TestWidgetServer::unknownRoute()
{
    QFETCH(QByteArray, verb);
    QFETCH(QString, path);
    QFETCH(int, status);
    const HttpResult r = m_http->request(verb, path, verb == "POST" ? QByteArray("{}") : QByteArray());
    QCOMPARE(r.status, status);
    QCOMPARE(r.contentType, "application/json");
    QVERIFY(r.json.value(u"error").toObject().value(u"code").isString());
}

void TestWidgetServer::sendUnknownConversation()
{
    QJsonObject body = sendBody(QStringLiteral("msg_1_00000004"));
    body.insert(QStringLiteral("conversationId"), QStringLiteral("nope"));
    const HttpResult r = m_http->post(SendPath, body);
    QCOMPARE(r.status, 404);
    QCOMPARE(r.json, error(QStringLiteral("Conversation not found"), QStringLiteral("NOT_FOUND")));
}

void TestWidgetServer::sendAccepted()
{
    QSignalSpy received(m_server.get(), &WidgetServer::sendReceived);
    const HttpResult r = m_http->post(SendPath, sendBody(QStringLiteral("msg_1_0000000a"), QStringLiteral("Hi Ada")));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.contentType, "application/json");
    QCOMPARE(r.json, (QJsonObject {{"success", true}, {"messageId", "msg_1_0000000a"}}));
    QCOMPARE(received.count(), 1);
    QCOMPARE(received.at(0).at(0).toString(), QStringLiteral("msg_1_0000000a"));
    const auto stored
        = m_server->store()->message(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("msg_1_0000000a"));
    QVERIFY(stored);
    QCOMPARE(stored->text, QStringLiteral("Hi Ada"));
    QCOMPARE(stored->inbound, false);
    QCOMPARE(stored->status, QStringLiteral("sent"));
}

void TestWidgetServer::sendWithoutMessageIdGetsOne()
{
    const HttpResult r = m_http->post(SendPath, sendBody({}));
    QCOMPARE(r.status, 200);
    const QString id = r.json.value(u"messageId").toString();
    QVERIFY2(QRegularExpression(QStringLiteral("^msg_\\d{13}_[0-9a-f]{8}$")).match(id).hasMatch(), qPrintable(id));
    QCOMPARE(m_server->acceptedMessageIds(QStringLiteral("t1"), QStringLiteral("c1")), QStringList {id});
}

void TestWidgetServer::duplicateIsAnsweredOnce()
{
    QSignalSpy forwarded(m_server->upstream(), &SimulatedUpstream::forwarded);
    const HttpResult first = m_http->post(SendPath, sendBody(QStringLiteral("msg_1_0000000b")));
    const HttpResult second = m_http->post(SendPath, sendBody(QStringLiteral("msg_1_0000000b")));
    QCOMPARE(first.status, 200);
    QCOMPARE(second.status, 200);
    QCOMPARE(second.body, first.body);
    QCOMPARE(m_server->sendRequestCount(), 2);
    QCOMPARE(m_server->acceptedMessageIds(QStringLiteral("t1"), QStringLiteral("c1")), QStringList {"msg_1_0000000b"});
    QCOMPARE(m_server->store()->messageCount(QStringLiteral("t1"), QStringLiteral("c1")), 1);
    QCOMPARE(forwarded.count(), 1);
}

void TestWidgetServer::resendOfUpstreamFailedIsForwarded()
{
    m_server->upstream()->setProgressEnabled(false);
    QSignalSpy forwarded(m_server->upstream(), &SimulatedUpstream::forwarded);
    const QString id = QStringLiteral("msg_1_0000000c");
    QCOMPARE(m_http->post(SendPath, sendBody(id)).status, 200);
    m_server->emitStatus(
        QStringLiteral("t1"), QStringLiteral("c1"), id, QStringLiteral("failed"), QStringLiteral("131026"));
    QCOMPARE(
        m_server->store()->message(QStringLiteral("t1"), QStringLiteral("c1"), id)->status, QStringLiteral("failed"));

    const HttpResult retry = m_http->post(SendPath, sendBody(id));
    QCOMPARE(retry.status, 200);
    QCOMPARE(retry.json.value(u"messageId").toString(), id);
    QCOMPARE(forwarded.count(), 2);
    QCOMPARE(
        m_server->store()->message(QStringLiteral("t1"), QStringLiteral("c1"), id)->status, QStringLiteral("sent"));
    QCOMPARE(m_server->acceptedMessageIds(QStringLiteral("t1"), QStringLiteral("c1")), QStringList {id});
    QCOMPARE(m_server->store()->messageCount(QStringLiteral("t1"), QStringLiteral("c1")), 1);

    // Now that it is "sent" again, a further repeat is a plain duplicate.
    QCOMPARE(m_http->post(SendPath, sendBody(id)).status, 200);
    QCOMPARE(forwarded.count(), 2);
}

void TestWidgetServer::resendDoesNotUndoLaterStatus()
{
    m_server->upstream()->setProgressEnabled(false);
    const QString id = QStringLiteral("msg_1_0000000f");
    QCOMPARE(m_http->post(SendPath, sendBody(id)).status, 200);
    m_server->emitStatus(
        QStringLiteral("t1"), QStringLiteral("c1"), id, QStringLiteral("failed"), QStringLiteral("131026"));

    // The agent's Retry goes out again, and the far side reports the first copy delivered before the
    // upstream accepts the second: the accepted resend must not move the status back to "sent".
    QSignalSpy forwarded(m_server->upstream(), &SimulatedUpstream::forwarded);
    connect(m_server->upstream(), &SimulatedUpstream::accepting, this,
        [this](const QString &tenant, const QString &conversation, const QString &messageId) {
            m_server->emitStatus(tenant, conversation, messageId, QStringLiteral("delivered"), {});
        });
    const HttpResult retry = m_http->post(SendPath, sendBody(id));
    QCOMPARE(retry.status, 200);
    QCOMPARE(retry.json.value(u"messageId").toString(), id);
    QCOMPARE(forwarded.count(), 1);
    QCOMPARE(m_server->store()->message(QStringLiteral("t1"), QStringLiteral("c1"), id)->status,
        QStringLiteral("delivered"));
    QCOMPARE(m_server->store()->messageCount(QStringLiteral("t1"), QStringLiteral("c1")), 1);
}

void TestWidgetServer::assignedIdsAreStable()
{
    m_server->upstream()->setAssignIds(true);
    const HttpResult first = m_http->post(SendPath, sendBody(QStringLiteral("msg_1_0000000d")));
    QCOMPARE(first.status, 200);
    const QString upstreamId = first.json.value(u"messageId").toString();
    QVERIFY2(upstreamId.startsWith(u"wamid."), qPrintable(upstreamId));
    const HttpResult again = m_http->post(SendPath, sendBody(QStringLiteral("msg_1_0000000d")));
    QCOMPARE(again.json.value(u"messageId").toString(), upstreamId);
    QVERIFY(m_server->store()->message(QStringLiteral("t1"), QStringLiteral("c1"), upstreamId));
    QCOMPARE(m_server->acceptedMessageIds(QStringLiteral("t1"), QStringLiteral("c1")), QStringList {"msg_1_0000000d"});
}

void TestWidgetServer::upstreamDown()
{
    m_server->upstream()->setDown(true);
    QVERIFY(m_server->upstream()->isDown());
    const HttpResult down = m_http->post(SendPath, sendBody(QStringLiteral("msg_1_0000000e")));
    QCOMPARE(down.status, 503);
    QCOMPARE(down.contentType, "application/json");
    QCOMPARE(down.json, error(QStringLiteral("Upstream unavailable"), QStringLiteral("UPSTREAM_DOWN")));
    QVERIFY(m_server->acceptedMessageIds(QStringLiteral("t1"), QStringLiteral("c1")).isEmpty());

    m_server->upstream()->setDown(false);
    QCOMPARE(m_http->post(SendPath, sendBody(QStringLiteral("msg_1_0000000e"))).status, 200);
    QCOMPARE(m_server->acceptedMessageIds(QStringLiteral("t1"), QStringLiteral("c1")), QStringList {"msg_1_0000000e"});
}

void TestWidgetServer::failNext_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("retryAfter");
    QTest::newRow("2 x 503, Retry-After 3") << 2 << 503 << 3;
    QTest::newRow("1 x 429, Retry-After 0") << 1 << 429 << 0;
    QTest::newRow("3 x 500, no Retry-After") << 3 << 500 << -1;
}

void TestWidgetServer::failNext()
{
    QFETCH(int, count);
    QFETCH(int, status);
    QFETCH(int, retryAfter);
    m_server->upstream()->failNext(count, status, retryAfter);
    for (int i = 0; i < count; ++i) {
        const HttpResult r = m_http->post(SendPath, sendBody(QStringLiteral("msg_1_0000000f")));
        QCOMPARE(r.status, status);
        QCOMPARE(r.contentType, "application/json");
        QCOMPARE(r.hasRetryAfter, retryAfter >= 0);
        if (retryAfter >= 0)
            QCOMPARE(r.retryAfter, QByteArray::number(retryAfter));
        QVERIFY(r.json.value(u"error").toObject().contains(u"code"));
    }
    QVERIFY(m_server->acceptedMessageIds(QStringLiteral("t1"), QStringLiteral("c1")).isEmpty());
    QCOMPARE(m_http->post(SendPath, sendBody(QStringLiteral("msg_1_0000000f"))).status, 200);
    QCOMPARE(m_server->sendRequestCount(), count + 1);
}

void TestWidgetServer::bodyLimit_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("status");
    QTest::newRow("exactly 64 KiB") << 64 * 1024 << 200;
    QTest::newRow("64 KiB + 1") << 64 * 1024 + 1 << 413;
    QTest::newRow("1 MiB") << 1024 * 1024 << 413;
}

void TestWidgetServer::bodyLimit()
{
    QFETCH(int, size);
    QFETCH(int, status);
    // The padding goes into mediaUrl: the text has a limit of its own (TEXT_TOO_LONG), far below 64 KiB.
    QJsonObject body = sendBody(QStringLiteral("msg_1_00000010"));
    body.insert(QStringLiteral("mediaUrl"), QString());
    const qsizetype base = QJsonDocument(body).toJson(QJsonDocument::Compact).size();
    body.insert(QStringLiteral("mediaUrl"), QString(size - base, u'x'));
    const QByteArray bytes = QJsonDocument(body).toJson(QJsonDocument::Compact);
    QCOMPARE(bytes.size(), size);
    const HttpResult r = m_http->request("POST", SendPath, bytes);
    QCOMPARE(r.status, status);
    QCOMPARE(r.contentType, "application/json");
    if (status == 413)
        QCOMPARE(r.json.value(u"error").toObject().value(u"code").toString(), QStringLiteral("PAYLOAD_TOO_LARGE"));
}

void TestWidgetServer::historyPaging_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("first"); // index of the oldest message of the page, -1 for none
    QTest::addColumn<int>("count");
    QTest::newRow("newest page") << "limit=20&offset=0" << 25 << 20;
    QTest::newRow("page before") << "limit=20&offset=20" << 5 << 20;
    QTest::newRow("oldest, partial") << "limit=20&offset=40" << 0 << 5;
    QTest::newRow("past the end") << "limit=20&offset=45" << -1 << 0;
    QTest::newRow("defaults") << "" << 25 << 20;
    QTest::newRow("odd offset") << "limit=3&offset=1" << 41 << 3;
}

void TestWidgetServer::historyPaging()
{
    QFETCH(QString, query);
    QFETCH(int, first);
    QFETCH(int, count);
    const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-3600);
    // Added newest first to prove the server orders by timestamp, not by insertion.
    for (int i = 44; i >= 0; --i) {
        m_server->addHistoryMessage(QStringLiteral("t1"), QStringLiteral("c1"),
            StoredMessage {QStringLiteral("h%1").arg(i), i % 2 == 0, QStringLiteral("text %1").arg(i), {},
                start.addSecs(i * 10), i % 2 == 0 ? QString() : QStringLiteral("read")});
    }
    const HttpResult r = m_http->get(QStringLiteral("/api/v1/widget/conversation/c1/history?") + query);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"total").toInt(), 45);
    const QJsonArray messages = r.json.value(u"messages").toArray();
    QCOMPARE(messages.size(), count);
    for (int i = 0; i < count; ++i)
        QCOMPARE(messages.at(i).toObject().value(u"id").toString(), QStringLiteral("h%1").arg(first + i));
}

void TestWidgetServer::historyMessageFields()
{
    const QDateTime at(QDate(2026, 11, 23), QTime(10, 0), Qt::UTC);
    m_server->addHistoryMessage(QStringLiteral("t1"), QStringLiteral("c1"),
        StoredMessage {QStringLiteral("in1"), true, QStringLiteral("hi"), {}, at, {}});
    m_server->addHistoryMessage(QStringLiteral("t1"), QStringLiteral("c1"),
        StoredMessage {QStringLiteral("out1"), false, QString(), QStringLiteral("https://x/y.jpg"), at.addSecs(60),
            QStringLiteral("delivered")});
    const HttpResult r = m_http->get(QStringLiteral("/api/v1/widget/conversation/c1/history?limit=20&offset=0"));
    QCOMPARE(r.status, 200);
    const QJsonArray messages = r.json.value(u"messages").toArray();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0).toObject(),
        (QJsonObject {{"id", "in1"}, {"direction", "inbound"}, {"text", "hi"}, {"mediaUrl", QJsonValue::Null},
            {"timestamp", "2026-11-23T10:00:00.000Z"}, {"status", QJsonValue::Null}}));
    QCOMPARE(messages.at(1).toObject(),
        (QJsonObject {{"id", "out1"}, {"direction", "outbound"}, {"text", ""}, {"mediaUrl", "https://x/y.jpg"},
            {"timestamp", "2026-11-23T10:01:00.000Z"}, {"status", "delivered"}}));
    QCOMPARE(m_http->get(QStringLiteral("/api/v1/widget/conversation/c1/history?limit=-1")).status, 400);
    QCOMPARE(m_http->get(QStringLiteral("/api/v1/widget/conversation/nope/history")).status, 404);
}

void TestWidgetServer::context()
{
    const HttpResult r = m_http->get(QStringLiteral("/api/v1/widget/context/c1"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.contentType, "application/json");
    QVERIFY(!r.json.value(u"wa_id").toString().isEmpty());
    QCOMPARE(r.json.value(u"integrationId").toString(), QStringLiteral("i1"));
    QCOMPARE(r.json.value(u"tenantId").toString(), QStringLiteral("t1"));
    QCOMPARE(r.json.value(u"customer").toObject().value(u"name").toString(), QStringLiteral("Ada"));
}

void TestWidgetServer::contextUnknown_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("tenant");
    QTest::newRow("unknown conversation") << "/api/v1/widget/context/nope" << QByteArray("t1");
    QTest::newRow("other tenant's conversation") << "/api/v1/widget/context/c1" << QByteArray("t2");
}

void TestWidgetServer::contextUnknown()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, tenant);
    const HttpResult r = m_http->get(path, {{"X-Tenant-ID", tenant}});
    QCOMPARE(r.status, 404);
    QCOMPARE(r.contentType, "application/json");
    QCOMPARE(r.json, error(QStringLiteral("Conversation not found"), QStringLiteral("NOT_FOUND")));
}

void TestWidgetServer::statusIsMonotonic()
{
    m_server->upstream()->setProgressEnabled(false);
    QCOMPARE(m_http->post(SendPath, sendBody(QStringLiteral("msg_1_00000011"))).status, 200);
    const auto status = [this] {
        return m_server->store()
            ->message(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("msg_1_00000011"))
            ->status;
    };
    const QStringList events {"read", "delivered", "sent", "failed"};
    m_server->emitStatus(
        QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("msg_1_00000011"), QStringLiteral("read"));
    for (const QString &event : events) {
        m_server->emitStatus(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("msg_1_00000011"), event);
        QCOMPARE(status(), QStringLiteral("read"));
    }
}

void TestWidgetServer::executableRejectsBadArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("unknown option") << QStringList {"--bogus"};
    QTest::newRow("missing value") << QStringList {"--port"};
    QTest::newRow("token on argv") << QStringList {"--token", "abc"};
    QTest::newRow("bad port") << QStringList {"--port", "99999"};
    QTest::newRow("no token at all") << QStringList {"--port", "0"};
}

void TestWidgetServer::executableRejectsBadArguments()
{
    QFETCH(QStringList, arguments);
    QProcess process;
    process.setProcessEnvironment(serverEnvironment(QString()));
    QVERIFY(runServerToExit(process, arguments));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 2);
    QVERIFY(!process.readAllStandardError().isEmpty());
    QVERIFY(process.readAllStandardOutput().isEmpty());
}

void TestWidgetServer::executableHelp()
{
    QProcess process;
    QVERIFY(runServerToExit(process, {QStringLiteral("--help")}));
    QCOMPARE(process.exitCode(), 0);
    const QByteArray help = process.readAllStandardOutput();
    QVERIFY(help.contains("--token-file"));
    QVERIFY(help.contains("--port"));
}

void TestWidgetServer::executableListens_data()
{
    QTest::addColumn<bool>("tokenFromFile");
    QTest::newRow("token from environment") << false;
    QTest::newRow("token from file") << true;
}

void TestWidgetServer::executableListens()
{
    QFETCH(bool, tokenFromFile);
    QTemporaryFile tokenFile;
    QVERIFY(tokenFile.open());
    tokenFile.write(TestToken.toUtf8() + '\n');
    tokenFile.flush();
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    QStringList arguments {QStringLiteral("--port"), QStringLiteral("0")};
    if (tokenFromFile) {
        env.remove(QStringLiteral("WIDGET_SERVER_TOKEN"));
        arguments << QStringLiteral("--token-file") << tokenFile.fileName();
    } else {
        env.insert(QStringLiteral("WIDGET_SERVER_TOKEN"), TestToken);
    }
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(WIDGET_SERVER_BINARY), arguments);
    QByteArray output;
    QTRY_VERIFY_WITH_TIMEOUT((output += process.readAllStandardOutput()).contains('\n'), 10000);
    const QRegularExpression line(QStringLiteral("^listening on (http://127\\.0\\.0\\.1:(\\d+))\n$"));
    const auto match = line.match(QString::fromUtf8(output));
    QVERIFY2(match.hasMatch(), output.constData());
    QVERIFY(match.captured(2).toInt() > 0);

    // It is the real thing: the seeded demo conversation answers with the token, and only with it.
    HttpClient http(QUrl(match.captured(1)));
    const HttpResult context = http.get(QStringLiteral("/api/v1/widget/context/demo"), {{"X-Tenant-ID", "demo"}});
    QCOMPARE(context.status, 200);
    QCOMPARE(context.json.value(u"integrationId").toString(), QStringLiteral("demo-integration"));
    const HttpResult history
        = http.get(QStringLiteral("/api/v1/widget/conversation/demo/history"), {{"X-Tenant-ID", "demo"}});
    QVERIFY(history.json.value(u"total").toInt() >= 30);
    QCOMPARE(http.get(QStringLiteral("/api/v1/widget/context/demo"),
                     {{"X-Tenant-ID", "demo"}, {"Authorization", "Bearer x"}})
                 .status,
        401);

    QSignalSpy finished(&process, &QProcess::finished);
    process.kill();
    QVERIFY(finished.wait(10000));
    QVERIFY(!process.readAllStandardError().contains(TestToken.toUtf8()));
}

// The demo's customers (DemoCustomers, set through setDemoInboundInterval) write into the conversations
// marked as demo, not into others, and stop when the server shuts down.
void TestWidgetServer::demoCustomersWriteUntilShutdown()
{
    const auto total = [this](const QString &conversation) {
        return m_server->store()->history(QStringLiteral("t1"), conversation, 1, 0).total;
    };
    seedDemoConversation(*m_server, QStringLiteral("t1"), QStringLiteral("demo"));
    const int seeded = total(QStringLiteral("demo"));
    const int other = total(QStringLiteral("c1"));
    m_server->setDemoInboundInterval(10);
    QTRY_VERIFY(total(QStringLiteral("demo")) >= seeded + 3);
    QCOMPARE(total(QStringLiteral("c1")), other);
    QSignalSpy stopped(m_server.get(), &WidgetServer::stopped);
    m_server->shutdown(1000);
    QVERIFY(stopped.wait(5000));
    const int atStop = total(QStringLiteral("demo"));
    // A QTimer that were still running would have added two by the time a 30 ms timer fires.
    QTimer later;
    later.setSingleShot(true);
    QSignalSpy fired(&later, &QTimer::timeout);
    later.start(30);
    QVERIFY(fired.wait(1000));
    QCOMPARE(total(QStringLiteral("demo")), atStop);
}

QTEST_GUILESS_MAIN(TestWidgetServer)
#include "tst_widgetserver.moc"
