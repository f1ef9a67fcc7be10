// The real widget-server process under abuse from 64 sessions on one address, for a bounded time
// (AbuseMs), each kind of abuse by 16 of them and every closed session opened again:
//   - binary before CONNECT: a 451- announcement, then binary frames streamed behind it;
//   - attachments: 10 announced and more than maxPayload bytes sent, or 1,000,000 announced;
//   - polling without GET: POSTs of pongs (half of them with echoes too) and never a poll;
//   - a WebSocket that stops reading and asks for echoes of 90 kB.
// Meanwhile an ordinary client in the demo room keeps getting its customer messages, and /healthz is
// probed every 25 ms from another thread. Asserted: the server's peak RSS stays within RssBoundBytes of
// its idle RSS, the ordinary client stays connected and gets every customer message the server stored
// meanwhile (checked against history), every probe is answered 200.
// Printed: the RSS figures, the /healthz latencies (p50, p99, max) and how many sessions the server
// closed. Linux only (/proc).
#include "rawhttp.h"
#include "rawwebsocket.h"
#include "serverprocess.h"
#include "testclient.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QSet>
#include <QFile>
#include <QScopeGuard>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <memory>

namespace {

constexpr int AbuseMs = 10000;
constexpr int SessionsPerKind = 16;
constexpr int MaxPayload = 100000; // unsent output cap: 2 x this per session
constexpr qint64 RssBoundBytes = 64 * 1024 * 1024;
constexpr int InboundIntervalMs = 20;
const QByteArray Room = "tenantId=demo&conversationId=demo";
const QByteArray PollPath = "/socket.io/?EIO=4&transport=polling&" + Room;
const QByteArray WebSocketPath = "/socket.io/?EIO=4&transport=websocket&" + Room;

qint64 procStatusBytes(qint64 pid, const QByteArray &field)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field + ':'))
            return line.mid(field.size() + 1).trimmed().split(' ').value(0).toLongLong() * 1024;
    }
    return -1;
}

QByteArray connectPacket()
{
    return "40{\"token\":\"" + TestToken.toUtf8() + "\"}";
}

QByteArray echo(qsizetype size)
{
    return "421[\"echo\",\"" + QByteArray(size, 'x') + "\"]";
}

// The ids of the customer messages of the demo conversation stored between from and to, from history.
QStringList storedInboundIds(quint16 port, const QDateTime &from, const QDateTime &to)
{
    QStringList ids;
    for (int offset = 0;; offset += 100) {
        const RawResponse page = rawRequest(port,
            "GET /api/v1/widget/conversation/demo/history?limit=100&offset=" + QByteArray::number(offset)
                + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestToken.toUtf8()
                + "\r\nX-Tenant-ID: demo\r\n\r\n");
        const QJsonArray messages = page.json.value(u"messages").toArray();
        bool older = messages.isEmpty();
        for (const QJsonValue &value : messages) {
            const QJsonObject m = value.toObject();
            const QDateTime at = QDateTime::fromString(m.value(u"timestamp").toString(), Qt::ISODateWithMs);
            older = older || at < from;
            if (m.value(u"direction").toString() == u"inbound" && at >= from && at <= to)
                ids.append(m.value(u"id").toString());
        }
        if (older || page.status != 200)
            return ids;
    }
}

// One abusive session, driven by tick(); opened again (after a pause) once the server has closed it.
class Abuser
{
public:
    enum class Kind { BinaryBeforeConnect, ManyAttachments, BigAttachments, PongsOnly, PongsAndEchoes, NonReader };

    Abuser(Kind kind, quint16 port)
        : m_kind(kind)
        , m_port(port)
    {
    }

    void tick()
    {
        if (!m_open) {
            if (!m_pause.isValid() || m_pause.elapsed() > 100)
                start();
            return;
        }
        if (m_kind == Kind::PongsOnly || m_kind == Kind::PongsAndEchoes) {
            if (m_last.isValid() && m_last.elapsed() < 50)
                return; // 20 POSTs a second each
            m_last.start();
            return pollTick();
        }
        if (!m_ws->isConnected())
            return closed();
        if (m_ws->bytesToWrite() > 200000)
            return;
        switch (m_kind) {
        case Kind::BinaryBeforeConnect:
        case Kind::BigAttachments:
            m_ws->sendBinary(QByteArray(90000, 'b'));
            break;
        case Kind::NonReader:
            m_ws->sendText(echo(90000));
            break;
        default:
            break;
        }
    }
    int opened() const { return m_opened; }

private:
    void start()
    {
        ++m_opened;
        m_open = true;
        if (m_kind == Kind::PongsOnly || m_kind == Kind::PongsAndEchoes)
            return startPolling();
        m_ws = std::make_unique<RawWebSocket>();
        if (!m_ws->open(m_port, WebSocketPath))
            return closed();
        // Reading and dropping what arrives lets a closed connection be seen; the non-reader sees it when
        // its writes fail.
        if (m_kind != Kind::NonReader) {
            QObject::connect(&m_ws->socket(), &QTcpSocket::readyRead, &m_ws->socket(),
                [socket = &m_ws->socket()] { socket->readAll(); });
        }
        switch (m_kind) {
        case Kind::BinaryBeforeConnect:
            m_ws->sendText("451-[\"x\",{\"_placeholder\":true,\"num\":0}]");
            break;
        case Kind::ManyAttachments:
            m_ws->sendText(connectPacket());
            m_ws->sendText("451000000-[\"x\"]");
            break;
        case Kind::BigAttachments:
            m_ws->sendText(connectPacket());
            m_ws->sendText("4510-[\"x\"]");
            break;
        case Kind::NonReader:
            m_ws->sendText(connectPacket());
            m_ws->stopReading();
            break;
        default:
            break;
        }
    }

    void startPolling()
    {
        m_http = std::make_unique<RawConnection>();
        if (!m_http->connectTo(m_port))
            return closed();
        m_http->send("GET " + PollPath + " HTTP/1.1\r\nHost: x\r\n\r\n");
        m_sid = QJsonDocument::fromJson(m_http->read().body.mid(1)).object().value(u"sid").toString().toUtf8();
        if (m_sid.isEmpty() || post(connectPacket()) != "ok")
            return closed();
    }
    // One POST per tick; the session's answer to them is never fetched.
    void pollTick()
    {
        const QByteArray body = m_kind == Kind::PongsAndEchoes ? "3\x1e" + echo(40000) : QByteArray("3");
        if (post(body) != "ok")
            closed();
    }
    QByteArray post(const QByteArray &body)
    {
        m_http->send("POST " + PollPath + "&sid=" + m_sid
            + " HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: " + QByteArray::number(body.size())
            + "\r\n\r\n" + body);
        return m_http->read(5000).body;
    }
    void closed()
    {
        m_open = false;
        m_pause.start();
    }

    Kind m_kind;
    quint16 m_port;
    bool m_open = false;
    int m_opened = 0;
    QElapsedTimer m_pause;
    QElapsedTimer m_last;
    std::unique_ptr<RawWebSocket> m_ws;
    std::unique_ptr<RawConnection> m_http;
    QByteArray m_sid;
};

// In its own thread, so the abuse driver's work does not show in the figures: an ordinary Socket.IO
// client in the demo room, and a /healthz probe on a fresh connection every 25 ms.
class Observer : public QObject
{
public:
    explicit Observer(quint16 port)
        : m_port(port)
    {
    }
    void start()
    {
        m_client = std::make_unique<SocketClient>();
        m_client->autoPong = true;
        connect(&m_client->socket, &QWebSocket::disconnected, this, [this] { ++m_disconnects; });
        connect(&m_client->socket, &QWebSocket::textMessageReceived, this, [this](const QString &frame) {
            if (frame.startsWith(u'0'))
                m_client->socket.sendTextMessage(QString::fromUtf8(connectPacket()));
            if (frame.startsWith(u"42[\"inbound_message\"") && m_counting) {
                ++m_events;
                const QJsonArray event = QJsonDocument::fromJson(frame.mid(2).toUtf8()).array();
                const QJsonObject payload = event.at(1).toObject();
                receivedIds.insert(payload.value(u"messageId").toString());
                m_lastStoredMs = QDateTime::fromString(payload.value(u"timestamp").toString(), Qt::ISODateWithMs)
                                     .toMSecsSinceEpoch();
            }
        });
        QUrl url(QStringLiteral("ws://127.0.0.1:%1").arg(m_port) + QString::fromUtf8(WebSocketPath));
        m_client->open(url);
        m_probeTimer = new QTimer(this);
        m_probeTimer->setInterval(25);
        connect(m_probeTimer, &QTimer::timeout, this, &Observer::probe);
    }
    void startCounting()
    {
        m_counting = true;
        m_probeTimer->start();
    }
    void stopCounting()
    {
        m_counting = false;
        m_probeTimer->stop();
    }

    // In this thread; the test copies them through a blocking call.
    QList<qint64> latenciesUs;
    int failedProbes = 0;
    QSet<QString> receivedIds; // of the customer messages
    int events() const { return m_events; }
    int disconnects() const { return m_disconnects; }
    qint64 lastStoredMs() const { return m_lastStoredMs; } // of the latest customer message received

private:
    void probe()
    {
        auto *socket = new QTcpSocket(this);
        socket->setProxy(QNetworkProxy::NoProxy);
        auto *timer = new QElapsedTimer;
        timer->start();
        auto *buffer = new QByteArray;
        const auto done = [this, socket, timer, buffer](bool ok) {
            if (ok)
                latenciesUs.append(timer->nsecsElapsed() / 1000);
            else
                ++failedProbes;
            delete timer;
            delete buffer;
            socket->disconnect(this);
            socket->deleteLater();
        };
        connect(socket, &QTcpSocket::connected, this,
            [socket] { socket->write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); });
        connect(socket, &QTcpSocket::readyRead, this, [socket, buffer, done] {
            *buffer += socket->readAll();
            if (buffer->contains("\r\n\r\n") && buffer->contains("}"))
                done(buffer->startsWith("HTTP/1.1 200"));
        });
        connect(socket, &QTcpSocket::errorOccurred, this, [done] { done(false); });
        socket->connectToHost(QHostAddress::LocalHost, m_port);
    }

    quint16 m_port;
    std::unique_ptr<SocketClient> m_client;
    QTimer *m_probeTimer = nullptr;
    bool m_counting = false;
    std::atomic<int> m_events = 0;
    std::atomic<int> m_disconnects = 0;
    std::atomic<qint64> m_lastStoredMs = 0;
};

} // namespace

class TestAbuse : public QObject
{
    Q_OBJECT

private slots:
    void memoryStaysBoundedAndServiceGoesOn();
};

void TestAbuse::memoryStaysBoundedAndServiceGoesOn()
{
#ifndef Q_OS_LINUX
    QSKIP("reads the server's RSS from /proc");
#endif
    QProcess server;
    QProcessEnvironment environment = serverEnvironment(TestToken);
    // Under AddressSanitizer freed memory waits in a quarantine of 256 MB by default, which the churn of
    // the abuse would fill and show as RSS: a small one still catches a use after free of recent memory.
    const QString asan = environment.value(QStringLiteral("ASAN_OPTIONS"));
    environment.insert(QStringLiteral("ASAN_OPTIONS"),
        (asan.isEmpty() ? QString() : asan + u':') + QStringLiteral("quarantine_size_mb=4"));
    server.setProcessEnvironment(environment);
    qint64 logLines = 0;
    connect(&server, &QProcess::readyReadStandardError, this,
        [&server, &logLines] { logLines += server.readAllStandardError().count('\n'); });
    server.start(QStringLiteral(WIDGET_SERVER_BINARY),
        {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--max-connections-per-ip"),
            QStringLiteral("256"), QStringLiteral("--max-payload"), QString::number(MaxPayload),
            QStringLiteral("--ping-interval"), QStringLiteral("2000"), QStringLiteral("--ping-timeout"),
            QStringLiteral("2000"), QStringLiteral("--inbound-interval"), QString::number(InboundIntervalMs)});
    QByteArray output;
    const QUrl url = listeningUrl(server, &output);
    QVERIFY2(url.isValid(), output.constData());
    const quint16 port = quint16(url.port());

    QThread observerThread;
    auto *observer = new Observer(port);
    observer->moveToThread(&observerThread);
    connect(&observerThread, &QThread::finished, observer, &QObject::deleteLater);
    observerThread.start();
    const auto stopObserver = qScopeGuard([&observerThread] {
        observerThread.quit();
        observerThread.wait();
    });
    const auto onObserver = [observer](auto call) {
        QMetaObject::invokeMethod(observer, call, Qt::BlockingQueuedConnection);
    };
    onObserver([observer] { observer->start(); });
    // Idle: the ordinary client connected and getting events, nothing else.
    onObserver([observer] { observer->startCounting(); });
    QTRY_VERIFY_WITH_TIMEOUT(observer->events() >= 10, 10000);
    const qint64 idleRss = procStatusBytes(server.processId(), "VmRSS");
    QVERIFY(idleRss > 0);

    std::vector<std::unique_ptr<Abuser>> abusers;
    const Abuser::Kind kinds[] = {Abuser::Kind::BinaryBeforeConnect, Abuser::Kind::ManyAttachments,
        Abuser::Kind::BigAttachments, Abuser::Kind::PongsOnly, Abuser::Kind::PongsAndEchoes, Abuser::Kind::NonReader};
    // 16 of each of the four kinds of the header; the attachment and polling kinds are split in two halves.
    for (int i = 0; i < SessionsPerKind; ++i) {
        abusers.push_back(std::make_unique<Abuser>(kinds[0], port));
        abusers.push_back(std::make_unique<Abuser>(kinds[1 + i % 2], port));
        abusers.push_back(std::make_unique<Abuser>(kinds[3 + i % 2], port));
        abusers.push_back(std::make_unique<Abuser>(kinds[5], port));
    }
    QCOMPARE(int(abusers.size()), 64);
    const int eventsBefore = observer->events();
    qint64 peakRss = idleRss;
    QElapsedTimer abuse;
    abuse.start();
    const QDateTime abuseStart = QDateTime::currentDateTimeUtc();
    QTimer driver;
    driver.setInterval(5);
    bool ticking = false; // an abuser's wait for an answer runs the event loop, and this timer with it
    connect(&driver, &QTimer::timeout, this, [&] {
        if (ticking)
            return;
        ticking = true;
        for (const auto &abuser : abusers)
            abuser->tick();
        peakRss = std::max(peakRss, procStatusBytes(server.processId(), "VmRSS"));
        ticking = false;
    });
    driver.start();
    QTRY_VERIFY_WITH_TIMEOUT(abuse.elapsed() >= AbuseMs || peakRss - idleRss > 2 * RssBoundBytes, AbuseMs + 5000);
    driver.stop();
    const qint64 abuseMs = abuse.elapsed();
    const QDateTime abuseEnd = QDateTime::currentDateTimeUtc();
    QList<qint64> latencies;
    int failedProbes = 0;
    QSet<QString> receivedIds;
    // Events reach a socket in the order they were stored: once one stored after the abuse has arrived,
    // all before it have.
    QTRY_VERIFY_WITH_TIMEOUT(observer->lastStoredMs() > abuseEnd.toMSecsSinceEpoch(), 5000);
    onObserver([observer, &latencies, &failedProbes, &receivedIds] {
        observer->stopCounting();
        latencies = observer->latenciesUs;
        failedProbes = observer->failedProbes;
        receivedIds = observer->receivedIds;
    });
    const qint64 highWater = procStatusBytes(server.processId(), "VmHWM");
    int sessionsOpened = 0;
    for (const auto &abuser : abusers)
        sessionsOpened += abuser->opened();
    abusers.clear();

    std::sort(latencies.begin(), latencies.end());
    const auto percentile = [&latencies](double p) {
        return latencies.isEmpty() ? -1.0 : latencies.at(qsizetype(p * double(latencies.size() - 1))) / 1000.0;
    };
    const int events = observer->events() - eventsBefore;
    // Every customer message the server stored while the abuse went on reached the ordinary client.
    const QStringList stored = storedInboundIds(port, abuseStart, abuseEnd);
    QVERIFY(!stored.isEmpty());
    qInfo().noquote() << QStringLiteral(
        "abuse for %1 ms from 64 sessions (%2 opened in all): server RSS idle %3 MiB, peak %4 MiB sampled, VmHWM %5 MiB "
        "(+%6 MiB, bound +%7 MiB); /healthz %8 probes, p50 %9 ms, p99 %10 ms, max %11 ms, %12 failed; ordinary client: "
        "%13 events, %14 disconnects; %15 server log lines")
                             .arg(abuseMs)
                             .arg(sessionsOpened)
                             .arg(idleRss / 1048576.0, 0, 'f', 1)
                             .arg(peakRss / 1048576.0, 0, 'f', 1)
                             .arg(highWater / 1048576.0, 0, 'f', 1)
                             .arg((std::max(peakRss, highWater) - idleRss) / 1048576.0, 0, 'f', 1)
                             .arg(RssBoundBytes / 1048576.0, 0, 'f', 1)
                             .arg(latencies.size())
                             .arg(percentile(0.5), 0, 'f', 2)
                             .arg(percentile(0.99), 0, 'f', 2)
                             .arg(percentile(1.0), 0, 'f', 2)
                             .arg(failedProbes)
                             .arg(QStringLiteral("%1 (stored %2)").arg(events).arg(stored.size()))
                             .arg(observer->disconnects())
                             .arg(logLines);

    QCOMPARE(server.state(), QProcess::Running);
    QVERIFY2(std::max(peakRss, highWater) - idleRss <= RssBoundBytes, "server RSS over its bound");
    QCOMPARE(observer->disconnects(), 0);
    QStringList missed;
    for (const QString &id : stored) {
        if (!receivedIds.contains(id))
            missed.append(id);
    }
    QVERIFY2(missed.isEmpty(), qPrintable(QStringLiteral("%1 of %2 missed").arg(missed.size()).arg(stored.size())));
    QCOMPARE(failedProbes, 0);
    QVERIFY(latencies.size() >= abuseMs / 25 / 2);
    // Timings are figures, not assertions (a loaded 2-core machine); this only says /healthz never starved.
    QVERIFY(percentile(0.99) < 1000);

    server.terminate();
    QVERIFY(server.waitForFinished(15000));
}

QTEST_GUILESS_MAIN(TestAbuse)
#include "tst_abuse.moc"
