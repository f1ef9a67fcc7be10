// widget-server on RabbitMQ over TLS (amqps://), against a private node whose TLS listener uses
// certificates made for the run (privatebroker.h): a reply sent through widget-server is published
// over TLS (the broker lists the connection as TLS, with the client certificate) and an inbound
// message is consumed over it. A broker certificate from a CA widget-server was not told to trust, a
// URL host the certificate does not name, and a missing client certificate are each refused with a
// clear log line while widget-server keeps running and answering; the password never reaches the log.
#include "amqpconnection.h"
#include "brokermessages.h"
#include "childprocess.h"
#include "missingdependency.h"
#include "privatebroker.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

namespace {

const QString Token = QStringLiteral("tls-token");
const QString Tenant = QStringLiteral("t1");
const QString Conversation = QStringLiteral("c1");

} // namespace

class TestAmqpTls : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();
    void sendIsPublishedOverTls();
    void inboundIsConsumedOverTls();
    void ipAddressOfTheCertificateIsAccepted();
    void certificateOfAnotherCaIsRefused();
    void hostNameMismatchIsRefused();
    void brokerDemandingAClientCertificateRefusesNone();

private:
    struct Instance
    {
        std::unique_ptr<ChildProcess> process;
        QUrl url;
    };

    // Starts widget-server on the broker's TLS port; waits until it listens (and, if asked, until the
    // broker link is up).
    bool startInstance(
        Instance &instance, const QString &upstream, const QStringList &tlsOptions, bool waitForBroker, QString *why);
    // An instance whose broker link is refused: the log says why, once, and it keeps serving.
    void expectRefused(const QString &upstream, const QStringList &tlsOptions, const QString &reason);
    QNetworkReply *get(const Instance &instance, const QString &path);
    QNetworkReply *postSend(const Instance &instance, const QString &messageId);
    static int statusOf(QNetworkReply *reply)
    {
        return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    }
    QStringList clientOptions() const
    {
        return {QStringLiteral("--upstream-ca"), m_broker->caFile(), QStringLiteral("--upstream-cert"),
            m_broker->clientCertFile(), QStringLiteral("--upstream-key"), m_broker->clientKeyFile()};
    }

    std::unique_ptr<PrivateBroker> m_broker;
    QTemporaryDir m_dir;
    bool m_failed = false;
    Instance m_good;
    std::vector<Instance> m_refused;
    QThread m_observerThread;
    AmqpConnection *m_observer = nullptr; // plain AMQP: consumes widget.outbound, publishes inbound events
    QStringList m_published; // message ids seen on widget.outbound
    QHash<quint64, QString> m_confirms;
    QNetworkAccessManager m_nam;
};

void TestAmqpTls::initTestCase()
{
    if (const QString missing = PrivateBroker::missingReason(); !missing.isEmpty())
        SKIP_MISSING_DEPENDENCY(missing);
    if (const QString missing = PrivateBroker::missingTlsReason(); !missing.isEmpty())
        SKIP_MISSING_DEPENDENCY(missing);
    m_broker = std::make_unique<PrivateBroker>();
    QString why;
    QVERIFY2(m_broker->enableTls(&why), qPrintable(why));
    if (!m_broker->start(&why))
        SKIP_MISSING_DEPENDENCY(QStringLiteral("cannot start a private RabbitMQ: ") + why);
    QVERIFY(m_dir.isValid());

    m_observer = new AmqpConnection(AmqpSettings {QStringLiteral("127.0.0.1"), m_broker->port()},
        {QString::fromLatin1(BrokerMessages::OutboundQueue), QString::fromLatin1(BrokerMessages::OutboundExchange),
            QStringLiteral("#")});
    m_observer->moveToThread(&m_observerThread);
    connect(&m_observerThread, &QThread::finished, m_observer, &QObject::deleteLater);
    bool observerUp = false;
    connect(m_observer, &AmqpConnection::connected, this, [&observerUp] { observerUp = true; });
    connect(
        m_observer, &AmqpConnection::received, this, [this](const QString &, const QString &, const QByteArray &body) {
            const auto decoded = BrokerMessages::decodeOutbound(body);
            if (const auto *outbound = std::get_if<OutboundMessage>(&decoded))
                m_published.append(outbound->clientMessageId);
        });
    connect(m_observer, &AmqpConnection::published, this, [this](quint64 id, bool confirmed, const QString &reason) {
        m_confirms.insert(id, confirmed ? QString() : reason);
    });
    m_observerThread.start();
    QMetaObject::invokeMethod(m_observer, &AmqpConnection::start, Qt::QueuedConnection);
    QTRY_VERIFY_WITH_TIMEOUT(observerUp, 20000);
    disconnect(m_observer, &AmqpConnection::connected, this, nullptr);

    QVERIFY2(startInstance(m_good, m_broker->tlsUrl(QStringLiteral("localhost")), clientOptions(), true, &why),
        qPrintable(why));
}

void TestAmqpTls::cleanup()
{
    m_failed = m_failed || QTest::currentTestFailed();
}

void TestAmqpTls::cleanupTestCase()
{
    if (m_failed && m_good.process)
        qInfo().noquote() << "widget-server stderr:\n" << m_good.process->standardError().right(4000);
    m_observerThread.quit();
    m_observerThread.wait();
    // A sanitizer build reports leaks at exit: stop every instance, then look.
    QStringList reports;
    m_refused.push_back(std::move(m_good));
    for (Instance &instance : m_refused) {
        if (!instance.process)
            continue;
        instance.process->stop();
        if (instance.process->hasSanitizerReport())
            reports.append(instance.process->standardError());
    }
    m_refused.clear();
    m_broker.reset();
    for (const QString &report : reports)
        qInfo().noquote() << "widget-server stderr:\n" << report; // QVERIFY2 would cut a leak report short
    QVERIFY2(reports.isEmpty(), "a widget-server had a sanitizer report");
}

bool TestAmqpTls::startInstance(
    Instance &instance, const QString &upstream, const QStringList &tlsOptions, bool waitForBroker, QString *why)
{
    QFile tokens(m_dir.filePath(QStringLiteral("token")));
    if (!tokens.exists() && (!tokens.open(QIODevice::WriteOnly) || tokens.write(Token.toUtf8() + '\n') < 0)) {
        *why = QStringLiteral("cannot write the token file");
        return false;
    }
    tokens.close();
    const QStringList arguments
        = QStringList {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--tenant"), Tenant,
              QStringLiteral("--conversation"), Conversation, QStringLiteral("--token-file"), tokens.fileName(),
              QStringLiteral("--log-format"), QStringLiteral("text"), QStringLiteral("--upstream"), upstream}
        + tlsOptions;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("WIDGET_SERVER_TOKEN"));
    instance.process = std::make_unique<ChildProcess>(QStringLiteral(WIDGET_SERVER), arguments, environment);
    ChildProcess &process = *instance.process;
    const bool ready = process.waitUntilServing(waitForBroker, 20000);
    instance.url = process.listeningUrl();
    if (!ready || instance.url.isEmpty() || !process.isRunning()) {
        *why = QStringLiteral("widget-server did not come up:\n") + process.standardError().right(2000);
        return false;
    }
    return true;
}

QNetworkReply *TestAmqpTls::get(const Instance &instance, const QString &path)
{
    QNetworkRequest request(instance.url.resolved(QUrl(path)));
    request.setRawHeader("Authorization", "Bearer " + Token.toUtf8());
    request.setRawHeader("X-Tenant-ID", Tenant.toUtf8());
    QNetworkReply *reply = m_nam.get(request);
    reply->setParent(this);
    return reply;
}

QNetworkReply *TestAmqpTls::postSend(const Instance &instance, const QString &messageId)
{
    QNetworkRequest request(instance.url.resolved(QUrl(QStringLiteral("/api/v1/widget/send"))));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setRawHeader("Authorization", "Bearer " + Token.toUtf8());
    request.setRawHeader("X-Tenant-ID", Tenant.toUtf8());
    const QJsonObject body {{QStringLiteral("messageId"), messageId}, {QStringLiteral("conversationId"), Conversation},
        {QStringLiteral("tenantId"), Tenant}, {QStringLiteral("integrationId"), QStringLiteral("i1")},
        {QStringLiteral("text"), QStringLiteral("Sent over TLS.")}};
    QNetworkReply *reply = m_nam.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    reply->setParent(this);
    return reply;
}

void TestAmqpTls::sendIsPublishedOverTls()
{
    const QString id = QStringLiteral("tls-send-0001");
    QNetworkReply *reply = postSend(m_good, id);
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 30000);
    QCOMPARE(statusOf(reply), 200); // answered after the broker's confirm, over the TLS link
    QTRY_COMPARE_WITH_TIMEOUT(m_published.count(id), 1, 20000);
    // The broker's view: widget-server's connection is TLS and showed this run's client certificate.
    bool ok = false;
    const QString connections = m_broker->ctl({QStringLiteral("list_connections"), QStringLiteral("name"),
                                                  QStringLiteral("ssl"), QStringLiteral("peer_cert_subject")},
        &ok);
    QVERIFY2(ok, qPrintable(connections));
    QVERIFY2(connections.contains(QStringLiteral("true")) && connections.contains(QStringLiteral("CN=client")),
        qPrintable(connections));
    QVERIFY(!m_good.process->standardError().contains(QStringLiteral("guest:guest")));
}

void TestAmqpTls::inboundIsConsumedOverTls()
{
    const QString id = QStringLiteral("wamid.tls-inbound-0001");
    QMetaObject::invokeMethod(
        m_observer,
        [observer = m_observer, id, key = BrokerMessages::routingKey(Tenant, Conversation),
            body = BrokerMessages::encodeEvent(BrokerMessages::InboundEvent {
                Tenant, Conversation, id, QStringLiteral("Is this encrypted?"), {}, QDateTime::currentDateTimeUtc()})] {
            observer->publish(
                1, QString::fromLatin1(BrokerMessages::EventsExchange), key, body, id, QStringLiteral("test"));
        },
        Qt::QueuedConnection);
    QTRY_VERIFY_WITH_TIMEOUT(m_confirms.contains(1), 20000);
    QVERIFY2(m_confirms.value(1).isEmpty(), qPrintable(m_confirms.value(1)));
    // Consumed by widget-server over TLS: the message is in the conversation's history.
    const auto inHistory = [&] {
        std::unique_ptr<QNetworkReply> reply(
            get(m_good, QStringLiteral("/api/v1/widget/conversation/%1/history?limit=100&offset=0").arg(Conversation)));
        if (!QTest::qWaitFor([&reply] { return reply->isFinished(); }, 20000) || statusOf(reply.get()) != 200)
            return false;
        for (const QJsonValue &message : QJsonDocument::fromJson(reply->readAll())["messages"].toArray()) {
            if (message[u"id"].toString() == id || message[u"messageId"].toString() == id)
                return message[u"text"].toString() == u"Is this encrypted?";
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(inHistory(), 20000);
}

void TestAmqpTls::expectRefused(const QString &upstream, const QStringList &tlsOptions, const QString &reason)
{
    Instance &instance = m_refused.emplace_back();
    QString why;
    QVERIFY2(startInstance(instance, upstream, tlsOptions, false, &why), qPrintable(why));
    ChildProcess &process = *instance.process;
    QTRY_VERIFY_WITH_TIMEOUT(process.stderrCount(QStringLiteral("AMQP: cannot connect")) > 0, 20000);
    const QString log = process.standardError();
    QVERIFY2(log.contains(QRegularExpression(reason)), qPrintable(log));
    QVERIFY2(!log.contains(QStringLiteral("AMQP: connected")), qPrintable(log));
    QVERIFY2(!log.contains(QStringLiteral("guest:guest")), qPrintable(log)); // the password stays out
    // Still serving: /healthz answers, naming the broker (not the database) as what is missing, and a
    // send is refused at once instead of published.
    QNetworkReply *health = get(instance, QStringLiteral("/healthz"));
    QTRY_VERIFY_WITH_TIMEOUT(health->isFinished(), 20000);
    QCOMPARE(statusOf(health), 503);
    const QJsonObject checks = QJsonDocument::fromJson(health->readAll())[u"checks"].toObject();
    QCOMPARE(checks[u"broker"][u"status"].toString(), QStringLiteral("unavailable"));
    QCOMPARE(checks[u"database"][u"status"].toString(), QStringLiteral("ok"));
    const QString id = QStringLiteral("tls-refused-%1").arg(m_refused.size());
    QNetworkReply *send = postSend(instance, id);
    QTRY_VERIFY_WITH_TIMEOUT(send->isFinished(), 20000);
    QCOMPARE(statusOf(send), 503);
    QVERIFY(process.isRunning());
    QVERIFY(!m_published.contains(id));
}

void TestAmqpTls::ipAddressOfTheCertificateIsAccepted()
{
    // The certificate carries 127.0.0.2 as an IP address (not as a DNS name): a URL with that address
    // connects.
    Instance instance;
    QString why;
    QVERIFY2(startInstance(instance, m_broker->tlsUrl(QStringLiteral("127.0.0.2")), clientOptions(), true, &why),
        qPrintable(why));
    instance.process->stop();
    QVERIFY2(!instance.process->hasSanitizerReport(), qPrintable(instance.process->standardError()));
}

void TestAmqpTls::certificateOfAnotherCaIsRefused()
{
    expectRefused(m_broker->tlsUrl(QStringLiteral("localhost")),
        {QStringLiteral("--upstream-ca"), m_broker->otherCaFile(), QStringLiteral("--upstream-cert"),
            m_broker->clientCertFile(), QStringLiteral("--upstream-key"), m_broker->clientKeyFile()},
        QStringLiteral("TLS: the broker's certificate is refused: self-signed certificate in certificate chain "
                       "\\(certificate /CN=ca\\)"));
}

void TestAmqpTls::hostNameMismatchIsRefused()
{
    // The certificate names localhost only; 127.0.0.1 is the same node under a name it does not carry.
    expectRefused(m_broker->tlsUrl(QStringLiteral("127.0.0.1")), clientOptions(),
        QStringLiteral("TLS: the broker's certificate is refused: IP address mismatch"));
}

void TestAmqpTls::brokerDemandingAClientCertificateRefusesNone()
{
    // The node demands a client certificate: without --upstream-cert the link never comes up.
    expectRefused(m_broker->tlsUrl(QStringLiteral("localhost")), {QStringLiteral("--upstream-ca"), m_broker->caFile()},
        // The broker's alert, or when the reset that follows it got there first, the likely cause.
        QStringLiteral("login failed: .*(TLS alert from the broker: certificate required|it may require a client "
                       "certificate, see --upstream-cert)"));
}

QTEST_GUILESS_MAIN(TestAmqpTls)
#include "tst_amqptls.moc"
