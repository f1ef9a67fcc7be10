// Races of the reply pipeline, each played step by step: the test holds every request and answers
// it when the race needs it (fakenetwork.h). Each was a way to misshow a reply before the pipeline
// was rebuilt around one owner per reply.
#include "pipelinerig.h"

#include <QJsonArray>
#include <QTest>

namespace {

QJsonObject historyMessage(const QString &id, const QString &direction, qint64 ms, const QString &status = {})
{
    QJsonObject m {{QStringLiteral("id"), id}, {QStringLiteral("direction"), direction},
        {QStringLiteral("text"), QStringLiteral("text of ") + id}, {QStringLiteral("timestamp"), ms}};
    if (!status.isEmpty())
        m.insert(QStringLiteral("status"), status);
    return m;
}

QByteArray page(const QList<QJsonObject> &messages, int total = -1)
{
    QJsonArray array;
    for (const QJsonObject &m : messages)
        array.append(m);
    QJsonObject body {{QStringLiteral("messages"), array}};
    if (total >= 0)
        body.insert(QStringLiteral("total"), total);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

// The server's history: offset counts back from the newest.
QByteArray pageOf(const QList<QJsonObject> &all, int offset, int limit)
{
    const qsizetype end = std::max<qsizetype>(0, all.size() - offset);
    return page(all.mid(std::max<qsizetype>(0, end - limit), end - std::max<qsizetype>(0, end - limit)), int(all.size()));
}

FakeReply *pendingWhere(PipelineRig &rig, const std::function<bool(FakeReply *)> &match)
{
    for (FakeReply *reply : rig.network->pending()) {
        if (match(reply))
            return reply;
    }
    return nullptr;
}
FakeReply *pendingSend(PipelineRig &rig)
{
    return pendingWhere(rig, [](FakeReply *r) { return r->isSend(); });
}
FakeReply *pendingHistory(PipelineRig &rig, int offset)
{
    return pendingWhere(rig, [offset](FakeReply *r) { return r->isHistory() && r->offset() == offset; });
}

void openWith(PipelineRig &rig, const QList<QJsonObject> &history)
{
    pendingWhere(rig, [](FakeReply *r) { return r->isContext(); })->respond(200, R"({"wa_id":"1"})");
    FakeReply *newest = pendingHistory(rig, 0);
    newest->respond(200, pageOf(history, 0, newest->limit()));
}

Wire::StatusUpdate status(const QString &id, MessageStatus s)
{
    Wire::StatusUpdate u;
    u.messageId = id;
    u.status = s;
    return u;
}

const QByteArray Accepted = R"({"success":true})";

} // namespace

class TestReplyPipeline : public QObject
{
    Q_OBJECT

    ManualScheduler m_scheduler;

    // A reply the upstream failed after accepting it, in a conversation that is open.
    QString failedByTheUpstream(PipelineRig &rig)
    {
        openWith(rig, {historyMessage(QStringLiteral("h1"), QStringLiteral("inbound"), 1000)});
        rig.sender.send(QStringLiteral("hello"));
        const QString id = rig.model.at(rig.model.rowCount() - 1).id;
        pendingSend(rig)->respond(200, Accepted);
        rig.sender.onStatusUpdate(status(id, MessageStatus::Failed));
        if (rig.model.at(rig.model.rowOf(id)).status != MessageStatus::Failed)
            return {};
        return id;
    }

private slots:
    // A history re-read asked for before the agent's Retry says "failed". It must not move the bubble
    // back to failed: not while the retried reply's POST is on its way ...
    void aStalePageDoesNotUndoARetryOnTheWay()
    {
        PipelineRig rig(nullptr, &m_scheduler);
        const QString id = failedByTheUpstream(rig);
        QVERIFY(!id.isEmpty());
        rig.history.catchUp(); // a reconnect: the newest page is asked for now...
        FakeReply *stale = pendingHistory(rig, 0);
        QVERIFY(stale);
        rig.sender.retry(id); // ...and the agent presses Retry before it is answered
        QCOMPARE(rig.model.at(rig.model.rowOf(id)).status, MessageStatus::Pending);
        QVERIFY(pendingSend(rig));
        stale->respond(200, page({historyMessage(id, QStringLiteral("outbound"), 2000, QStringLiteral("failed"))}));
        QCOMPARE(rig.model.at(rig.model.rowOf(id)).status, MessageStatus::Pending);
        pendingSend(rig)->respond(200, Accepted);
        QCOMPARE(rig.model.at(rig.model.rowOf(id)).status, MessageStatus::Sent);
        rig.sender.onStatusUpdate(status(id, MessageStatus::Delivered));
        QCOMPARE(rig.model.at(rig.model.rowOf(id)).status, MessageStatus::Delivered);
    }

    // ... nor after its POST was accepted.
    void aStalePageDoesNotUndoARetryThatWentOut()
    {
        PipelineRig rig(nullptr, &m_scheduler);
        const QString id = failedByTheUpstream(rig);
        QVERIFY(!id.isEmpty());
        rig.history.catchUp();
        FakeReply *stale = pendingHistory(rig, 0);
        rig.sender.retry(id);
        pendingSend(rig)->respond(200, Accepted);
        QCOMPARE(rig.model.at(rig.model.rowOf(id)).status, MessageStatus::Sent);
        stale->respond(200, page({historyMessage(id, QStringLiteral("outbound"), 2000, QStringLiteral("failed"))}));
        QCOMPARE(rig.model.at(rig.model.rowOf(id)).status, MessageStatus::Sent);
        rig.sender.onStatusUpdate(status(id, MessageStatus::Read));
        QCOMPARE(rig.model.at(rig.model.rowOf(id)).status, MessageStatus::Read);

        // A page asked for after the Retry is the server's word again.
        rig.history.catchUp();
        pendingHistory(rig, 0)->respond(
            200, page({historyMessage(id, QStringLiteral("outbound"), 2000, QStringLiteral("read"))}));
        QCOMPARE(rig.model.at(rig.model.rowOf(id)).status, MessageStatus::Read);
    }

    // After a long outage the console reads back page by page. A second reconnect while a catch-up page
    // is on its way must not make that page pass for an older one (above the oldest history), and the
    // rest of the gap is still read.
    void aCatchUpPageStaysACatchUpPageAcrossReconnects()
    {
        PipelineRig rig(nullptr, &m_scheduler);
        QList<QJsonObject> server;
        for (int i = 0; i < 8; ++i)
            server.append(historyMessage(QStringLiteral("old%1").arg(i), QStringLiteral("inbound"), 1000 + i));
        openWith(rig, server);
        QCOMPARE(rig.model.rowCount(), 5); // the newest page: old3..old7
        for (int i = 0; i < 17; ++i) // more than three pages arrive while the socket is down
            server.append(historyMessage(QStringLiteral("new%1").arg(i), QStringLiteral("inbound"), 5000 + i));

        rig.history.catchUp(); // reconnect
        pendingHistory(rig, 0)->respond(200, pageOf(server, 0, 5)); // nothing known: read further back
        FakeReply *catchUp = pendingHistory(rig, 5);
        QVERIFY(catchUp);
        rig.history.catchUp(); // the socket drops and comes back while that page is on its way
        pendingHistory(rig, 0)->respond(200, pageOf(server, 0, 5));
        catchUp->respond(200, pageOf(server, 5, 5));
        for (int offset = 10; FakeReply *next = pendingHistory(rig, offset); offset += 5)
            next->respond(200, pageOf(server, offset, 5));

        QStringList ids;
        for (int row = 0; row < rig.model.rowCount(); ++row)
            ids.append(rig.model.at(row).id);
        QStringList expected;
        for (int i = 3; i < 8; ++i)
            expected.append(QStringLiteral("old%1").arg(i));
        for (int i = 0; i < 17; ++i)
            expected.append(QStringLiteral("new%1").arg(i));
        QCOMPARE(ids, expected);
        QVERIFY(rig.network->pending().empty());
    }

    // A reply the upstream fails while the agent works is not sent after all: it holds the replies
    // written after it (Queued) until it is retried or discarded, and a Retry sends it in its place.
    void aReplyTheUpstreamFailedHoldsTheOnesWrittenAfterIt()
    {
        PipelineRig rig(nullptr, &m_scheduler);
        const QString failed = failedByTheUpstream(rig);
        QVERIFY(!failed.isEmpty());
        rig.sender.send(QStringLiteral("second"));
        const QString second = rig.model.at(rig.model.rowCount() - 1).id;
        QVERIFY2(!pendingSend(rig), "\"second\" was POSTed while \"hello\" is shown failed");
        QVERIFY(rig.model.at(rig.model.rowOf(second)).queued);
        QCOMPARE(rig.model.unsentCount(), 2);
        rig.sender.retry(failed);
        QCOMPARE(pendingSend(rig)->json().value(u"messageId").toString(), failed); // first, in its place
        pendingSend(rig)->respond(200, Accepted);
        QCOMPARE(pendingSend(rig)->json().value(u"messageId").toString(), second);
    }

    // A page asked for after the Retry but answered by the server before it took the new POST must not
    // undo the Retry once the POST was accepted.
    void aPageAskedBetweenRetryAndItsAnswerDoesNotUndoIt()
    {
        PipelineRig rig(nullptr, &m_scheduler);
        const QString id = failedByTheUpstream(rig);
        QVERIFY(!id.isEmpty());
        rig.sender.retry(id);
        FakeReply *post = pendingSend(rig);
        QVERIFY(post);
        rig.history.catchUp();
        FakeReply *slowPage = pendingHistory(rig, 0);
        post->respond(200, Accepted);
        QCOMPARE(rig.model.at(rig.model.rowOf(id)).status, MessageStatus::Sent);
        slowPage->respond(200, page({historyMessage(id, QStringLiteral("outbound"), 2000, QStringLiteral("failed"))}));
        QCOMPARE(rig.model.at(rig.model.rowOf(id)).status, MessageStatus::Sent);
    }

    // What the upstream said of a retried reply while its POST was on the wire is not lost: once the
    // POST is accepted a fresh page is asked for, and it settles the bubble.
    void anUpstreamFailureOfTheRetriedSendIsSettledByAFreshPage()
    {
        PipelineRig rig(nullptr, &m_scheduler);
        const QString id = failedByTheUpstream(rig);
        QVERIFY(!id.isEmpty());
        rig.sender.retry(id);
        FakeReply *post = pendingSend(rig);
        rig.sender.onStatusUpdate(status(id, MessageStatus::Failed)); // the new attempt failed upstream too
        QVERIFY(!pendingHistory(rig, 0));
        post->respond(200, Accepted);
        FakeReply *fresh = pendingHistory(rig, 0);
        QVERIFY2(fresh, "no page asked for to settle it");
        fresh->respond(200, page({historyMessage(id, QStringLiteral("outbound"), 2000, QStringLiteral("failed"))}));
        QCOMPARE(rig.model.at(rig.model.rowOf(id)).status, MessageStatus::Failed);
    }

    // The upstream fails a reply while its POST is still being repeated (the first answer was lost):
    // Retry on the red bubble is remembered and sends it once more after that answer.
    void retryOnAReplyOnTheWireIsNotIgnored()
    {
        PipelineRig rig(nullptr, &m_scheduler);
        openWith(rig, {});
        rig.sender.send(QStringLiteral("hello"));
        const QString id = rig.model.at(rig.model.rowCount() - 1).id;
        pendingSend(rig)->failNetwork(QNetworkReply::OperationCanceledError); // kept, the answer lost
        rig.sender.onStatusUpdate(status(id, MessageStatus::Failed));
        QCOMPARE(rig.model.at(rig.model.rowOf(id)).status, MessageStatus::Failed);
        rig.sender.retry(id);
        m_scheduler.advance(100);
        pendingSend(rig)->respond(200, Accepted); // the automatic repeat's answer
        QCOMPARE(rig.model.at(rig.model.rowOf(id)).status, MessageStatus::Pending);
        FakeReply *again = pendingSend(rig);
        QVERIFY2(again, "the agent's Retry was dropped");
        again->respond(200, Accepted);
        QCOMPARE(rig.model.at(rig.model.rowOf(id)).status, MessageStatus::Sent);
    }

    // Replies typed before the conversation opens wait, in order, and leave once it is open.
    void repliesTypedBeforeTheOpenWaitInOrder()
    {
        PipelineRig rig(nullptr, &m_scheduler);
        rig.sender.send(QStringLiteral("one"));
        rig.sender.send(QStringLiteral("two"));
        QVERIFY(!pendingSend(rig));
        pendingWhere(rig, [](FakeReply *r) { return r->isContext(); })->respond(503, "{}");
        m_scheduler.advance(10000); // the next try to open comes by itself
        openWith(rig, {});
        QCOMPARE(pendingSend(rig)->json().value(u"text").toString(), u"one");
        pendingSend(rig)->respond(200, Accepted);
        QCOMPARE(pendingSend(rig)->json().value(u"text").toString(), u"two");
    }
};

QTEST_GUILESS_MAIN(TestReplyPipeline)
#include "tst_replypipeline.moc"
