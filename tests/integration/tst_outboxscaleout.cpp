// Three widget-server processes sharing nothing but a private PostgreSQL and a private RabbitMQ node, with
// the transactional outbox (--outbox): consoles (the console core, Conversation, in this process) spread
// over the three, the upstream simulator consuming the broker and deduplicating by message_id. Replies
// through any instance reach the upstream and come back to their console as read; the same messageId
// through two instances is stored and published once; kill -9 of an instance in the middle of a burst
// loses nothing and shows nothing twice (the broker may see a repeat, which the consumer drops); a
// PostgreSQL restart is 503 for a while and then works again without a server restart; and a rolling
// restart of all three under load leaves every console with every reply at read. The lease is 5 s: long
// enough that a sanitizer build's stalls do not hand a live instance's rows to another. Linux only (the private
// servers). The figures of the run (repeats the consumer dropped) are printed.
#include "childprocess.h"
#include "missingdependency.h"
#include "privatebroker.h"
#include "postsend.h"
#include "privatepostgres.h"
#include "serverharness.h"

#include <QDateTime>
#include <QFile>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <array>
#include <memory>

namespace {

const QString Token = QStringLiteral("outbox-token");
const QString Tenant = QStringLiteral("t1");
const QString ConversationId = QStringLiteral("c1");
constexpr int Instances = 3;
// A console reconnects within min(1000 * 2^n, 5000) ms +-50 % (CONTRACT.md §2), plus the handshake.
constexpr int ReconnectBoundMs = 9000;

} // namespace

class TestOutboxScaleOut : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();
    void repliesThroughEveryInstance();
    void sameMessageIdThroughTwoInstancesGoesOutOnce();
    void killMidBurstLosesAndRepeatsNothing();
    void rowsOfADeadInstanceAreTakenOver();
    void retryOfAFailedReplyIsANewDelivery();
    void postgresRestartIs503ThenRecovers();
    void rollingRestartUnderLoad();

private:
    QStringList serverArguments() const;
    void startInstance(int i, quint16 port = 0);
    QNetworkReply *post(int instance, const QString &messageId, const QString &text);
    // Every text reaches read in the console that wrote it, is shown there once, and went to the upstream.
    void expectDelivered(const QList<std::pair<int, QString>> &written);
    // The upstream has every reply published before `marker` (one conversation's rows go out in order).
    void flushThrough(int instance, const QString &marker);
    int simulatorEvents(QStringView name, const QString &messageId) const;
    void noteSanitizerReports(const ServerProcess &instance)
    {
        for (const char *report : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"}) {
            if (instance.errors().contains(report)) {
                m_sanitizerReports.append(QString::fromUtf8(instance.errors().right(4000)));
                return;
            }
        }
    }

    std::unique_ptr<PrivatePostgres> m_postgres;
    std::unique_ptr<PrivateBroker> m_broker;
    std::unique_ptr<ChildProcess> m_simulator;
    QTemporaryDir m_dir;
    std::array<std::unique_ptr<ServerProcess>, Instances> m_instances;
    std::array<quint16, Instances> m_ports {};
    std::array<std::unique_ptr<Console>, Instances> m_consoles;
    // The agents' Retry: a reply that failed (its instance was gone past the console's own retries) is
    // sent again, as an agent would press Retry on it.
    QTimer m_agentRetries;
    int m_markers = 0;
    QStringList m_sanitizerReports; // stderr of the instances that reported one
    QNetworkAccessManager m_nam;
};

void TestOutboxScaleOut::initTestCase()
{
    if (const QString missing = PrivatePostgres::missingReason(); !missing.isEmpty())
        SKIP_MISSING_DEPENDENCY(missing);
    if (const QString missing = PrivateBroker::missingReason(); !missing.isEmpty())
        SKIP_MISSING_DEPENDENCY(missing);
    QVERIFY(m_dir.isValid());
    QFile tokens(m_dir.filePath(QStringLiteral("tokens")));
    QVERIFY(tokens.open(QIODevice::WriteOnly));
    tokens.write((Token + u' ' + Tenant + u'\n').toUtf8());
    tokens.close();
    m_nam.setProxy(QNetworkProxy::NoProxy);

    QString why;
    m_postgres = std::make_unique<PrivatePostgres>();
    QVERIFY2(m_postgres->start(&why), qPrintable(why));
    const QString error = m_postgres->exec(QStringLiteral("postgres"), {QStringLiteral("CREATE DATABASE widget")});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_broker = std::make_unique<PrivateBroker>();
    if (!m_broker->start(&why))
        SKIP_MISSING_DEPENDENCY(QStringLiteral("cannot start a private RabbitMQ: ") + why);
    m_simulator = std::make_unique<ChildProcess>(QStringLiteral(UPSTREAM_SIMULATOR),
        QStringList {QStringLiteral("--upstream"), m_broker->url(), QStringLiteral("--delay"), QStringLiteral("50"),
            QStringLiteral("--fail-text"), QStringLiteral("Unreachable:")},
        QProcessEnvironment::systemEnvironment());
    QTRY_COMPARE_WITH_TIMEOUT(m_simulator->count(u"ready"), 1, 20000);

    for (int i = 0; i < Instances; ++i)
        startInstance(i);
    for (int i = 0; i < Instances; ++i) {
        m_consoles[i] = std::make_unique<Console>(m_instances[i]->url(), Token, Tenant, ConversationId);
        QTRY_VERIFY_WITH_TIMEOUT(m_consoles[i]->isConnected(), 20000);
    }
    connect(&m_agentRetries, &QTimer::timeout, this, [this] {
        for (const auto &console : m_consoles)
            console->conversation().retryAll();
    });
    m_agentRetries.start(1000);
}

void TestOutboxScaleOut::init()
{
    // A case that stopped a server and failed leaves the next ones a working set.
    QString why;
    QVERIFY2(m_postgres->ensureRunning(&why), qPrintable(why));
    for (int i = 0; i < Instances; ++i) {
        if (!m_instances[i] || !m_instances[i]->isRunning())
            startInstance(i, m_ports[i]);
    }
}

void TestOutboxScaleOut::cleanupTestCase()
{
    m_agentRetries.stop();
    for (auto &console : m_consoles)
        console.reset();
    for (auto &instance : m_instances) {
        if (instance && instance->isRunning())
            QVERIFY(instance->terminate());
        if (instance)
            noteSanitizerReports(*instance);
    }
    // In a sanitizer build every process reports on stderr, the leak check at exit.
    QVERIFY2(m_sanitizerReports.isEmpty(), qPrintable(m_sanitizerReports.join(u"\n----\n")));
    m_simulator.reset();
    m_broker.reset();
    m_postgres.reset();
}

QStringList TestOutboxScaleOut::serverArguments() const
{
    return {QStringLiteral("--database"), m_postgres->url(QStringLiteral("widget")), QStringLiteral("--upstream"),
        m_broker->url(QStringLiteral("?heartbeat=5")), QStringLiteral("--outbox"), QStringLiteral("--outbox-lease"),
        QStringLiteral("5"), QStringLiteral("--tokens-file"), m_dir.filePath(QStringLiteral("tokens")),
        QStringLiteral("--add-conversation"), QStringLiteral("%1:%2:Ada").arg(Tenant, ConversationId),
        QStringLiteral("--send-rate"), QStringLiteral("0")};
}

void TestOutboxScaleOut::startInstance(int i, quint16 port)
{
    if (m_instances[i])
        noteSanitizerReports(*m_instances[i]);
    m_instances[i] = std::make_unique<ServerProcess>(port, serverArguments());
    QVERIFY(m_instances[i]->waitListening(true));
    m_ports[i] = m_instances[i]->port();
}

QNetworkReply *TestOutboxScaleOut::post(int instance, const QString &messageId, const QString &text)
{
    QNetworkReply *reply
        = postSend(m_nam, SendTarget {m_instances[instance]->url(), Token, Tenant, ConversationId}, messageId, text);
    reply->setParent(this);
    return reply;
}

int TestOutboxScaleOut::simulatorEvents(QStringView name, const QString &messageId) const
{
    return m_simulator->count(name, messageId);
}

void TestOutboxScaleOut::flushThrough(int instance, const QString &marker)
{
    QNetworkReply *reply = post(instance, marker, QStringLiteral("marker"));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 20000);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QTRY_COMPARE_WITH_TIMEOUT(simulatorEvents(u"outbound", marker), 1, 20000);
}

void TestOutboxScaleOut::expectDelivered(const QList<std::pair<int, QString>> &written)
{
    for (const auto &[console, text] : written) {
        QTRY_COMPARE_WITH_TIMEOUT(m_consoles[console]->statusOf(text), std::optional(MessageStatus::Read), 60000);
        QCOMPARE(m_consoles[console]->countOf(text), 1);
        const QString id = m_consoles[console]->idOf(text);
        QCOMPARE(simulatorEvents(u"outbound", id), 1);
    }
    for (const auto &console : m_consoles)
        QVERIFY2(console->finalDisconnects().isEmpty(), qPrintable(console->finalDisconnects().join(u", ")));
}

void TestOutboxScaleOut::repliesThroughEveryInstance()
{
    QList<std::pair<int, QString>> written;
    for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < Instances; ++i) {
            written.append({i, QStringLiteral("Reply %1 through instance %2").arg(round).arg(i)});
            QVERIFY(m_consoles[i]->conversation().sendReply(written.constLast().second));
        }
    }
    expectDelivered(written);
}

void TestOutboxScaleOut::sameMessageIdThroughTwoInstancesGoesOutOnce()
{
    const QString id = QStringLiteral("msg_1763892000000_00b0b001");
    // At once through two instances, then again through the third after both were answered.
    QNetworkReply *first = post(0, id, QStringLiteral("Once only"));
    QNetworkReply *second = post(1, id, QStringLiteral("Once only"));
    QTRY_VERIFY_WITH_TIMEOUT(first->isFinished() && second->isFinished(), 20000);
    QNetworkReply *third = post(2, id, QStringLiteral("Once only"));
    QTRY_VERIFY_WITH_TIMEOUT(third->isFinished(), 20000);
    for (QNetworkReply *reply : {first, second, third}) {
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(QJsonDocument::fromJson(reply->readAll()).object().value(u"messageId").toString(), id);
    }
    flushThrough(2, QStringLiteral("msg_1763892000000_00b0b0%1").arg(++m_markers, 2, 10, QLatin1Char('0')));
    QCOMPARE(simulatorEvents(u"outbound", id), 1);
    QCOMPARE(simulatorEvents(u"duplicate", id), 0);
}

void TestOutboxScaleOut::killMidBurstLosesAndRepeatsNothing()
{
    const int duplicatesBefore = int(m_simulator->count(u"duplicate"));
    const int outboundBefore = int(m_simulator->count(u"outbound"));
    constexpr int PerConsole = 20;
    QList<std::pair<int, QString>> written;
    for (int n = 0; n < PerConsole; ++n) {
        for (int i = 0; i < Instances; ++i) {
            written.append({i, QStringLiteral("Burst %1 from console %2").arg(n).arg(i)});
            QVERIFY(m_consoles[i]->conversation().sendReply(written.constLast().second));
        }
    }
    // Mid-burst: a third of it has reached the upstream. (Should a descheduled test see the burst end
    // first, the kill still lands on a busy instance; rowsOfADeadInstanceAreTakenOver makes the takeover
    // happen every run.)
    QTRY_VERIFY_WITH_TIMEOUT(m_simulator->count(u"outbound") >= outboundBefore + Instances * PerConsole / 3, 30000);
    qInfo() << "killed after" << int(m_simulator->count(u"outbound")) - outboundBefore << "of"
            << Instances * PerConsole << "replies had reached the upstream";
    QVERIFY(m_instances[1]->killNow());
    // systemd starts it again on its port; its console comes back to it, and its rows claimed at the kill
    // are the other instances' once the lease (5 s) runs out.
    startInstance(1, m_ports[1]);
    QTRY_VERIFY_WITH_TIMEOUT(m_consoles[1]->isConnected(), ReconnectBoundMs);
    expectDelivered(written);
    qInfo() << "kill -9 mid-burst:" << written.size() << "replies,"
            << int(m_simulator->count(u"duplicate")) - duplicatesBefore
            << "published twice and dropped by the consumer";
}

// The moment kill -9 leaves behind, made on purpose: a row claimed by an instance that is gone, its reply
// perhaps published. Once the lease runs out another instance publishes it under the same message_id.
void TestOutboxScaleOut::rowsOfADeadInstanceAreTakenOver()
{
    const QString id = QStringLiteral("msg_1763892000000_00b0d001");
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QString error = m_postgres->exec(QStringLiteral("widget"),
        {QStringLiteral("INSERT INTO outbox (conversation_id, message_id, client_message_id, integration_id, text,"
                        " media_url, ts_ms, created_ms, claimed_until_ms, attempts)"
                        " SELECT id, '%1', '%1', 'i1', 'Claimed by a dead instance', '', %2, %2, %3, 1"
                        " FROM conversations WHERE tenant = '%4' AND conversation = '%5'")
                .arg(id)
                .arg(now)
                .arg(now + 2000)
                .arg(Tenant, ConversationId)});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(simulatorEvents(u"outbound", id), 1, 15000);
    // Taken over, not published by a live instance's lease running out early.
    QVERIFY(QDateTime::currentMSecsSinceEpoch() >= now + 2000);
    flushThrough(0, QStringLiteral("msg_1763892000000_00b0d0%1").arg(++m_markers, 2, 10, QLatin1Char('0')));
    QCOMPARE(simulatorEvents(u"outbound", id), 1);
}

// The far side fails a reply; the agent's Retry publishes it again under a delivery id of its own, which
// the consumer, deduplicating by message_id, takes as new instead of dropping it as a repeat.
void TestOutboxScaleOut::retryOfAFailedReplyIsANewDelivery()
{
    const QString text = QStringLiteral("Unreachable: the first delivery fails");
    QVERIFY(m_consoles[0]->conversation().sendReply(text));
    QTRY_VERIFY_WITH_TIMEOUT(!m_consoles[0]->idOf(text).isEmpty(), 10000);
    const QString id = m_consoles[0]->idOf(text);
    QTRY_COMPARE_WITH_TIMEOUT(m_consoles[0]->statusOf(text), std::optional(MessageStatus::Read), 30000);
    QCOMPARE(m_consoles[0]->countOf(text), 1);
    const QList<QJsonObject> deliveries = m_simulator->events(u"outbound");
    QStringList deliveryIds;
    for (const QJsonObject &event : deliveries) {
        if (event.value(u"messageId").toString() == id)
            deliveryIds.append(event.value(u"deliveryId").toString());
    }
    QCOMPARE(deliveryIds.size(), 2);
    QCOMPARE(deliveryIds.at(0), id);
    QVERIFY2(deliveryIds.at(1).startsWith(id + QStringLiteral(":retry:")), qPrintable(deliveryIds.at(1)));
    QCOMPARE(simulatorEvents(u"duplicate", id), 0);
}

void TestOutboxScaleOut::postgresRestartIs503ThenRecovers()
{
    QString why;
    QVERIFY2(m_postgres->stop(&why), qPrintable(why));
    QNetworkReply *refused = post(0, QStringLiteral("msg_1763892000000_00b0c001"), QStringLiteral("While down"));
    QTRY_VERIFY_WITH_TIMEOUT(refused->isFinished(), 20000);
    QCOMPARE(refused->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 503);
    QCOMPARE(QJsonDocument::fromJson(refused->readAll()).object().value(u"error").toObject().value(u"code").toString(),
        QStringLiteral("STORAGE_UNAVAILABLE"));
    // A reply an agent writes meanwhile fails after the console's retries; the agent's Retry sends it
    // once the database is back.
    const QString text = QStringLiteral("Written while the database restarted");
    QVERIFY(m_consoles[2]->conversation().sendReply(text));
    QVERIFY2(m_postgres->resume(&why), qPrintable(why));
    expectDelivered({{2, text}});
    // The same instances, never restarted, take sends again.
    for (int i = 0; i < Instances; ++i)
        QVERIFY(m_instances[i]->isRunning());
    flushThrough(0, QStringLiteral("msg_1763892000000_00b0c0%1").arg(++m_markers, 2, 10, QLatin1Char('0')));
}

void TestOutboxScaleOut::rollingRestartUnderLoad()
{
    // Every 150 ms a console writes a reply, round the three, while each instance in turn stops (SIGTERM,
    // as a deploy does) and a new build starts on its port.
    QList<std::pair<int, QString>> written;
    QTimer load;
    load.setInterval(150);
    connect(&load, &QTimer::timeout, this, [this, &written] {
        const int console = int(written.size() % Instances);
        written.append({console, QStringLiteral("Under load %1").arg(written.size())});
        m_consoles[console]->conversation().sendReply(written.constLast().second);
    });
    load.start();
    for (int i = 0; i < Instances; ++i) {
        const qsizetype before = written.size();
        QTRY_VERIFY_WITH_TIMEOUT(written.size() >= before + 5, 10000);
        QVERIFY(m_instances[i]->terminate());
        startInstance(i, m_ports[i]);
        QTRY_VERIFY_WITH_TIMEOUT(m_consoles[i]->isConnected(), ReconnectBoundMs);
    }
    load.stop();
    qInfo() << "rolling restart:" << written.size() << "replies written during it";
    expectDelivered(written);
}

QTEST_GUILESS_MAIN(TestOutboxScaleOut)
#include "tst_outboxscaleout.moc"
