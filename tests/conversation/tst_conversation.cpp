// Conversation against a scripted HTTP server on 127.0.0.1:0: the races between POST answers and
// socket events, the outbox on disk, history resync after a long outage, opening through an outage.
// Socket events are played through the conversation's own SocketIoClient, as if they had arrived.
#include "conversation.h"
#include "messagelistmodel.h"
#include "outbox.h"
#include "outboxstore.h"
#include "socketioclient.h"
#include "widgetapiclient.h"

#include <QHttpServer>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

class ScriptedBackend
{
public:
    ScriptedBackend()
    {
        m_server.route(QStringLiteral("/api/v1/widget/send"), QHttpServerRequest::Method::Post,
                       [this](const QHttpServerRequest &request) {
                           sentIds.append(QJsonDocument::fromJson(request.body()).object().value(u"messageId").toString());
                           sentIntegrations.append(
                               QJsonDocument::fromJson(request.body()).object().value(u"integrationId").toString());
                           return QHttpServerResponse("application/json", sendBody, QHttpServerResponse::StatusCode(sendStatus));
                       });
        m_server.route(QStringLiteral("/api/v1/widget/context/<arg>"), [](const QString &, const QHttpServerRequest &) {
            return QHttpServerResponse("application/json", R"({"wa_id":"1","integrationId":"i-from-context"})");
        });
        m_server.route(QStringLiteral("/api/v1/widget/conversation/<arg>/history"),
                       [this](const QString &, const QHttpServerRequest &request) {
                           const QUrlQuery q(request.url());
                           const int limit = q.queryItemValue(QStringLiteral("limit")).toInt();
                           const int offset = q.queryItemValue(QStringLiteral("offset")).toInt();
                           historyOffsets.append(offset);
                           // offset counts back from the newest; each page is oldest first.
                           const qsizetype end = std::max<qsizetype>(0, history.size() - offset);
                           const qsizetype begin = std::max<qsizetype>(0, end - limit);
                           QJsonArray page;
                           for (qsizetype i = begin; i < end; ++i)
                               page.append(history[i]);
                           return QHttpServerResponse(QJsonObject{{QStringLiteral("messages"), page},
                                                                  {QStringLiteral("total"), int(history.size())}});
                       });
        port = m_server.listen(QHostAddress::LocalHost, 0);
    }
    void addHistory(const QString &id, const QString &direction, int second, const QString &status = QString())
    {
        QJsonObject m{{QStringLiteral("id"), id}, {QStringLiteral("direction"), direction},
                      {QStringLiteral("text"), QStringLiteral("text of ") + id},
                      {QStringLiteral("timestamp"), QDateTime::fromSecsSinceEpoch(1763892000 + second, Qt::UTC).toString(Qt::ISODate)}};
        if (!status.isEmpty())
            m.insert(QStringLiteral("status"), status);
        history.append(m);
    }

    int sendStatus = 200;
    QByteArray sendBody = R"({"success":true})";
    QStringList sentIds;
    QStringList sentIntegrations;
    QList<int> historyOffsets;
    QList<QJsonObject> history;
    quint16 port = 0;

private:
    QHttpServer m_server;
};

static Wire::StatusUpdate update(const QString &id, MessageStatus status)
{
    Wire::StatusUpdate u;
    u.messageId = id;
    u.status = status;
    return u;
}

class TestConversation : public QObject
{
    Q_OBJECT

    // The parts a test plays the network's role through; the console itself never reaches them.
    static WidgetApiClient *api(Conversation &c) { return c.findChild<WidgetApiClient *>(); }
    static SocketIoClient *socket(Conversation &c) { return c.findChild<SocketIoClient *>(); }

    static ConversationConfig config(const ScriptedBackend &backend)
    {
        ConversationConfig c;
        c.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(backend.port));
        c.tenant = QStringLiteral("t1");
        c.conversation = QStringLiteral("c1");
        c.token = QStringLiteral("tok");
        return c;
    }
    static bool open(Conversation &c)
    {
        QSignalSpy opened(&c, &Conversation::opened);
        c.start();
        return opened.wait(5000);
    }
    static Message last(const Conversation &c) { return c.model()->at(c.model()->rowCount() - 1); }

private slots:
    void receiptDuringRetriesDoesNotBlockTheQueue()
    {
        ScriptedBackend backend;
        backend.sendStatus = 503;
        backend.sendBody = R"({"error":{"message":"down","code":"X"}})";
        Conversation c(config(backend));
        QVERIFY(open(c));
        connect(api(c), &WidgetApiClient::sendAttemptStarted, &c, [&](const QString &id, int attempt) {
            if (attempt == 2) // it did arrive, the answers were lost
                emit socket(c)->statusUpdate(update(id, MessageStatus::Read));
        });
        QSignalSpy failed(api(c), &WidgetApiClient::sendFailed);
        QVERIFY(c.sendReply(QStringLiteral("first")));
        QVERIFY(failed.wait(5000));
        QCOMPARE(c.model()->at(0).status, MessageStatus::Read);
        QVERIFY(c.outbox().isEmpty());
        backend.sendStatus = 200;
        backend.sendBody = R"({"success":true})";
        QVERIFY(c.sendReply(QStringLiteral("second")));
        QTRY_COMPARE(last(c).status, MessageStatus::Sent);
        QVERIFY(!last(c).queued);
    }

    void receiptUnderTheServersIdBeforeThePostAnswerIsKept()
    {
        ScriptedBackend backend;
        backend.sendBody = R"({"success":true,"messageId":"wamid.Y"})";
        Conversation c(config(backend));
        QVERIFY(open(c));
        connect(api(c), &WidgetApiClient::sendAttemptStarted, &c, [&] {
            emit socket(c)->statusUpdate(update(QStringLiteral("wamid.Y"), MessageStatus::Delivered));
        });
        QSignalSpy accepted(api(c), &WidgetApiClient::sendAccepted);
        c.sendReply(QStringLiteral("hi"));
        QVERIFY(accepted.wait());
        QCOMPARE(c.model()->at(0).status, MessageStatus::Delivered);
    }

    void discardIsRefusedWhileAPostIsOnItsWay()
    {
        ScriptedBackend backend;
        backend.sendStatus = 503;
        backend.sendBody = "{}";
        Conversation c(config(backend));
        QVERIFY(open(c));
        bool refused = false;
        connect(api(c), &WidgetApiClient::sendAttemptStarted, &c, [&](const QString &id, int attempt) {
            if (attempt != 2)
                return;
            emit socket(c)->statusUpdate(update(id, MessageStatus::Failed)); // bubble shows failed mid-retry
            refused = !c.canDiscard(id);
            c.discard(id);
        });
        QSignalSpy failed(api(c), &WidgetApiClient::sendFailed);
        c.sendReply(QStringLiteral("first"));
        QVERIFY(failed.wait(5000));
        QVERIFY(refused);
        QCOMPARE(c.model()->rowCount(), 1); // still there, and now discardable
        QVERIFY(c.canDiscard(c.model()->at(0).id));
        c.discard(c.model()->at(0).id);
        QCOMPARE(c.model()->rowCount(), 0);
        backend.sendStatus = 200;
        backend.sendBody = R"({"success":true})";
        c.sendReply(QStringLiteral("second"));
        QTRY_COMPARE(c.model()->at(0).status, MessageStatus::Sent);
    }

    void unclearFailureThenServerCopyFoldsIntoOneBubble()
    {
        ScriptedBackend backend;
        backend.sendBody = "<html>gateway</html>"; // a 200 nobody can read: did it arrive?
        Conversation c(config(backend));
        QVERIFY(open(c));
        QSignalSpy failed(api(c), &WidgetApiClient::sendFailed);
        c.sendReply(QStringLiteral("hello"));
        const QString id = c.model()->at(0).id;
        QVERIFY(failed.wait(5000));
        backend.addHistory(QStringLiteral("wamid.X"), QStringLiteral("outbound"), 2000000000, QStringLiteral("delivered"));
        QSignalSpy loaded(api(c), &WidgetApiClient::historyLoaded);
        emit socket(c)->connected(); // as after a reconnect
        QVERIFY(loaded.wait());
        backend.sendBody = R"({"success":true,"messageId":"wamid.X"})";
        QSignalSpy accepted(api(c), &WidgetApiClient::sendAccepted);
        c.retry(id);
        QVERIFY(accepted.wait());
        QCOMPARE(c.model()->rowCount(), 1);
        QCOMPARE(c.model()->rowOf(QStringLiteral("wamid.X")), 0);
        QCOMPARE(c.model()->at(0).id, id);
        QCOMPARE(c.model()->at(0).status, MessageStatus::Delivered);
    }

    void repliesWaitUntilTheConversationIsOpen()
    {
        ScriptedBackend backend;
        Conversation c(config(backend));
        QSignalSpy opened(&c, &Conversation::opened);
        c.start();
        c.sendReply(QStringLiteral("typed at once")); // before context and history arrived
        QCOMPARE(c.model()->at(0).status, MessageStatus::Pending);
        QVERIFY(opened.wait());
        QTRY_COMPARE(c.model()->at(0).status, MessageStatus::Sent);
        QCOMPARE(backend.sentIntegrations, QStringList{QStringLiteral("i-from-context")});
    }

    void longOutageIsReadBackWithoutAGap()
    {
        ScriptedBackend backend;
        for (int i = 0; i < 25; ++i)
            backend.addHistory(QStringLiteral("old%1").arg(i), QStringLiteral("inbound"), i);
        Conversation c(config(backend));
        QVERIFY(open(c));
        QCOMPARE(c.model()->rowCount(), 20);
        for (int i = 0; i < 45; ++i) // more than two pages arrive while the socket is down
            backend.addHistory(QStringLiteral("new%1").arg(i), QStringLiteral("inbound"), 100 + i);
        emit socket(c)->connected();
        QTRY_COMPARE(c.model()->rowCount(), 65);
        QCOMPARE(backend.historyOffsets.mid(1), (QList<int>{0, 20, 40}));
        for (int i = 0; i < 45; ++i)
            QCOMPARE(c.model()->at(20 + i).id, QStringLiteral("new%1").arg(i));
    }

    void unsentRepliesComeBackAfterACrash()
    {
        QTemporaryDir dir;
        OutboxStore store;
        QVERIFY(store.open(dir.filePath(QStringLiteral("outbox.sqlite"))));
        ScriptedBackend backend;
        backend.addHistory(QStringLiteral("h1"), QStringLiteral("inbound"), 0);
        backend.addHistory(QStringLiteral("msg_got_there"), QStringLiteral("outbound"), 5, QStringLiteral("sent"));
        backend.addHistory(QStringLiteral("h2"), QStringLiteral("inbound"), 20);
        const auto saved = [](const QString &id, int second, MessageStatus status) {
            Message m;
            m.id = id;
            m.direction = Direction::Outbound;
            m.text = id;
            m.timestamp = QDateTime::fromSecsSinceEpoch(1763892000 + second, Qt::UTC);
            m.status = status;
            return m;
        };
        // What the last run left: one reply whose POST got through just before the crash, two that did not.
        QVERIFY(store.add(QStringLiteral("t1"), QStringLiteral("c1"), saved(QStringLiteral("msg_got_there"), 5, MessageStatus::Pending)));
        QVERIFY(store.add(QStringLiteral("t1"), QStringLiteral("c1"), saved(QStringLiteral("msg_a"), 10, MessageStatus::Pending)));
        QVERIFY(store.add(QStringLiteral("t1"), QStringLiteral("c1"), saved(QStringLiteral("msg_b"), 30, MessageStatus::Pending)));

        Conversation c(config(backend), &store);
        QVERIFY(open(c));
        // Back in their place in the conversation, with their own ids, and sent again in order.
        QStringList ids;
        for (int row = 0; row < c.model()->rowCount(); ++row)
            ids.append(c.model()->at(row).id);
        QCOMPARE(ids, (QStringList{QStringLiteral("h1"), QStringLiteral("msg_got_there"), QStringLiteral("msg_a"),
                                   QStringLiteral("h2"), QStringLiteral("msg_b")}));
        QTRY_COMPARE(backend.sentIds, (QStringList{QStringLiteral("msg_a"), QStringLiteral("msg_b")}));
        QTRY_VERIFY(store.replies(QStringLiteral("t1"), QStringLiteral("c1")).isEmpty());
    }

    void replyIsOnDiskBeforeItsFirstPost()
    {
        QTemporaryDir dir;
        OutboxStore store;
        QVERIFY(store.open(dir.filePath(QStringLiteral("outbox.sqlite"))));
        ScriptedBackend backend;
        backend.sendStatus = 503;
        backend.sendBody = R"({"error":{"message":"Upstream unavailable"}})";
        Conversation c(config(backend), &store);
        QVERIFY(open(c));
        bool onDiskAtFirstAttempt = false;
        connect(api(c), &WidgetApiClient::sendAttemptStarted, &c, [&](const QString &id, int attempt) {
            if (attempt == 1)
                onDiskAtFirstAttempt = store.replies(QStringLiteral("t1"), QStringLiteral("c1")).value(0).id == id;
        });
        QSignalSpy failed(api(c), &WidgetApiClient::sendFailed);
        c.sendReply(QStringLiteral("keep me"));
        QVERIFY(failed.wait(5000));
        QVERIFY(onDiskAtFirstAttempt);
        const auto kept = store.replies(QStringLiteral("t1"), QStringLiteral("c1"));
        QCOMPARE(kept.size(), 1);
        QCOMPARE(kept.first().status, MessageStatus::Failed);
        QCOMPARE(kept.first().error, u"Upstream unavailable");
    }

    void brokenStorageWarnsAndKeepsWorking()
    {
        QTemporaryDir dir;
        QFile corrupt(dir.filePath(QStringLiteral("outbox.sqlite")));
        QVERIFY(corrupt.open(QIODevice::WriteOnly));
        corrupt.write(QByteArray(4096, 'z'));
        corrupt.close();
        OutboxStore store;
        QVERIFY(!store.open(corrupt.fileName()));
        ScriptedBackend backend;
        Conversation c(config(backend), &store);
        QSignalSpy notice(&c, &Conversation::notice);
        QVERIFY(open(c));
        QCOMPARE(notice.size(), 1);
        QVERIFY(notice.first().at(0).toString().contains(u"memory"));
        c.sendReply(QStringLiteral("still works"));
        QTRY_COMPARE(c.model()->at(0).status, MessageStatus::Sent);
        QCOMPARE(notice.size(), 1); // said once, not on every reply
    }
};

QTEST_GUILESS_MAIN(TestConversation)
#include "tst_conversation.moc"
