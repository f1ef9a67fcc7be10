// The scale-out benchmark: the same load (../serverload/load.js, closed-loop senders and Socket.IO clients)
// against one widget-server and against three, all with the transactional outbox (--outbox) on one private
// PostgreSQL and one private RabbitMQ node, the upstream simulator answering every reply. Each round gets a
// fresh schema. Prints one JSON object: every round's figures side by side and the ratios of the last
// count to the first. The instances share this machine's cores with the database, the broker, the
// simulator and the driver: the ratio says what more processes buy here, not what more hosts would.
// It is a benchmark and asserts nothing about speed; --check (the ctest smoke) exits 1 unless every send
// of every round got its 200 and its "sent" on every socket. Without PostgreSQL or RabbitMQ it exits 77.
//
//   widget-server-scaleout-bench [--instances 1,3] [--duration 10] [--warmup 3] [--sockets 120]
//                                [--conversations 20] [--senders 32] [--check]
#include "childprocess.h"
#include "privatebroker.h"
#include "privatepostgres.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QThread>

#include <cstdio>
#include <memory>
#include <vector>

namespace {

const QString Tenant = QStringLiteral("bench");

void progress(const QString &message)
{
    std::fprintf(stderr, "scaleout: %s\n", qPrintable(message));
}

struct Settings
{
    QList<int> instances {1, 3};
    double duration = 10;
    double warmup = 3;
    int sockets = 120;
    int conversations = 20;
    int senders = 32;
    bool check = false;
};

class Bench
{
public:
    explicit Bench(const Settings &settings)
        : m_settings(settings)
    {
    }

    // Empty on success, else why the bench cannot run.
    QString start()
    {
        if (QString missing = PrivatePostgres::missingReason(); !missing.isEmpty())
            return missing;
        if (QString missing = PrivateBroker::missingReason(); !missing.isEmpty())
            return missing;
        if (!m_dir.isValid())
            return QStringLiteral("no temporary folder");
        QFile tokens(m_dir.filePath(QStringLiteral("tokens")));
        if (!tokens.open(QIODevice::WriteOnly))
            return tokens.errorString();
        for (int i = 0; i < 100; ++i) // load.js rotates over them, a few sends per second each
            tokens.write(QStringLiteral("bench-token-%1 %2\n").arg(i).arg(Tenant).toUtf8());
        tokens.close();

        QString why;
        progress(QStringLiteral("starting a private PostgreSQL and RabbitMQ"));
        m_postgres = std::make_unique<PrivatePostgres>();
        if (!m_postgres->start(&why))
            return why;
        why = m_postgres->exec(QStringLiteral("postgres"), {QStringLiteral("CREATE DATABASE widget")});
        if (!why.isEmpty())
            return why;
        m_broker = std::make_unique<PrivateBroker>();
        if (!m_broker->start(&why))
            return why;
        m_simulator = std::make_unique<ChildProcess>(QStringLiteral(UPSTREAM_SIMULATOR),
            QStringList {QStringLiteral("--upstream"), m_broker->url(), QStringLiteral("--delay"), QStringLiteral("0")},
            QProcessEnvironment::systemEnvironment());
        if (!QTest::qWaitFor([this] { return m_simulator->count(u"ready") > 0; }, 20000))
            return QStringLiteral("the upstream simulator did not start: ") + m_simulator->standardError().right(1000);
        return {};
    }

    // One round with `count` instances; the load's JSON, or an object with "error".
    QJsonObject round(int count)
    {
        // A fresh schema: every round starts from the same empty tables.
        const QString reset = m_postgres->exec(QStringLiteral("widget"),
            {QStringLiteral("SET client_min_messages = warning"), QStringLiteral("DROP SCHEMA public CASCADE"),
                QStringLiteral("CREATE SCHEMA public")});
        if (!reset.isEmpty())
            return error(reset);
        std::vector<std::unique_ptr<ChildProcess>> instances;
        QStringList urls;
        QStringList pids;
        for (int i = 0; i < count; ++i) {
            instances.push_back(std::make_unique<ChildProcess>(
                QStringLiteral(WIDGET_SERVER), serverArguments(), QProcessEnvironment::systemEnvironment()));
            // One after the other: the first creates the schema.
            if (!instances.back()->waitUntilServing(true, 30000))
                return error(QStringLiteral("widget-server did not come up: ") + instances.back()->standardError().right(1000));
            urls.append(instances.back()->listeningUrl().toString(QUrl::StripTrailingSlash));
            pids.append(QString::number(instances.back()->pid()));
        }
        progress(QStringLiteral("%1 instance(s): %2").arg(count).arg(urls.join(u' ')));
        QProcess load;
        load.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        load.start(QStringLiteral("node"),
            {QStringLiteral(SERVERLOAD_DIR "/load.js"), QStringLiteral("--url"), urls.join(u','),
                QStringLiteral("--pid"), pids.join(u','), QStringLiteral("--tokens-file"),
                m_dir.filePath(QStringLiteral("tokens")), QStringLiteral("--tenant"), Tenant,
                QStringLiteral("--conversations"), QString::number(m_settings.conversations), QStringLiteral("--sockets"),
                QString::number(m_settings.sockets), QStringLiteral("--senders"), QString::number(m_settings.senders),
                QStringLiteral("--duration"), QString::number(m_settings.duration), QStringLiteral("--warmup"),
                QString::number(m_settings.warmup), QStringLiteral("--drain"), QStringLiteral("20")});
        const int limitMs = int((m_settings.duration + m_settings.warmup) * 1000) + 120000;
        if (!QTest::qWaitFor([&load] { return load.state() == QProcess::NotRunning; }, limitMs)) {
            load.kill();
            return error(QStringLiteral("load.js did not finish"));
        }
        const QJsonObject figures = QJsonDocument::fromJson(load.readAllStandardOutput()).object();
        if (load.exitCode() != 0 || figures.isEmpty())
            return error(QStringLiteral("load.js failed with status %1").arg(load.exitCode()));
        QJsonObject out = figures;
        out.insert(QStringLiteral("instances"), count);
        for (auto &instance : instances)
            instance->stop();
        return out;
    }

private:
    QStringList serverArguments() const
    {
        QStringList arguments {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--database"),
            m_postgres->url(QStringLiteral("widget")), QStringLiteral("--upstream"),
            m_broker->url(QStringLiteral("?heartbeat=5")), QStringLiteral("--outbox"), QStringLiteral("--tokens-file"),
            m_dir.filePath(QStringLiteral("tokens")), QStringLiteral("--send-rate"), QStringLiteral("0"),
            QStringLiteral("--max-connections-per-ip"), QStringLiteral("0")};
        for (int c = 1; c <= m_settings.conversations; ++c)
            arguments << QStringLiteral("--add-conversation") << QStringLiteral("%1:c%2:Customer %2").arg(Tenant).arg(c);
        return arguments;
    }
    static QJsonObject error(const QString &why)
    {
        progress(why);
        return {{QStringLiteral("error"), why}};
    }

    Settings m_settings;
    QTemporaryDir m_dir;
    std::unique_ptr<PrivatePostgres> m_postgres;
    std::unique_ptr<PrivateBroker> m_broker;
    std::unique_ptr<ChildProcess> m_simulator;
};

// Every measured send answered 200 and its "sent" seen on every socket of its conversation.
bool complete(const QJsonObject &figures)
{
    if (figures.contains(u"error") || figures.value(u"sends_ok").toInt() == 0)
        return false;
    const QJsonObject errors = figures.value(u"errors").toObject();
    for (auto it = errors.begin(); it != errors.end(); ++it) {
        if (it.value().toDouble() != 0)
            return false;
    }
    return figures.value(u"sends_ok").toInt() == figures.value(u"sends_scheduled").toInt();
}

double ratio(const QJsonObject &a, const QJsonObject &b, const QStringList &path)
{
    QJsonValue x = a;
    QJsonValue y = b;
    for (const QString &key : path) {
        x = x.toObject().value(key);
        y = y.toObject().value(key);
    }
    return x.toDouble() > 0 ? std::round(y.toDouble() / x.toDouble() * 100) / 100 : 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("One widget-server against several, on PostgreSQL and RabbitMQ."));
    parser.addHelpOption();
    const QCommandLineOption instances {QStringLiteral("instances"), QStringLiteral("Instance counts, in order."),
        QStringLiteral("list"), QStringLiteral("1,3")};
    const QCommandLineOption duration {QStringLiteral("duration"), QStringLiteral("Measured seconds."),
        QStringLiteral("s"), QStringLiteral("10")};
    const QCommandLineOption warmup {QStringLiteral("warmup"), QStringLiteral("Warm-up seconds."), QStringLiteral("s"),
        QStringLiteral("3")};
    const QCommandLineOption sockets {QStringLiteral("sockets"), QStringLiteral("Socket.IO clients."),
        QStringLiteral("n"), QStringLiteral("120")};
    const QCommandLineOption conversations {QStringLiteral("conversations"),
        QStringLiteral("Conversations the clients and sends are spread over."), QStringLiteral("n"), QStringLiteral("20")};
    const QCommandLineOption senders {QStringLiteral("senders"), QStringLiteral("Closed-loop senders."),
        QStringLiteral("n"), QStringLiteral("32")};
    const QCommandLineOption check {QStringLiteral("check"),
        QStringLiteral("Exit 1 unless every send of every round got its 200 and its \"sent\" on every socket.")};
    parser.addOptions({instances, duration, warmup, sockets, conversations, senders, check});
    parser.process(app);

    Settings settings;
    settings.instances.clear();
    bool ok = true;
    for (const QString &n : parser.value(instances).split(u',')) {
        const int count = n.toInt(&ok);
        if (!ok || count < 1 || count > 8) {
            std::fprintf(stderr, "widget-server-scaleout-bench: invalid --instances '%s'\n", qPrintable(parser.value(instances)));
            return 2;
        }
        settings.instances.append(count);
    }
    const auto number = [&parser](const QCommandLineOption &option, double min) {
        bool valid = false;
        const double value = parser.value(option).toDouble(&valid);
        if (!valid || value < min) {
            std::fprintf(stderr, "widget-server-scaleout-bench: invalid --%s '%s'\n",
                qPrintable(option.names().constFirst()), qPrintable(parser.value(option)));
            std::exit(2);
        }
        return value;
    };
    settings.duration = number(duration, 0.5);
    settings.warmup = number(warmup, 0);
    settings.sockets = int(number(sockets, 1));
    settings.conversations = int(number(conversations, 1));
    settings.senders = int(number(senders, 1));
    settings.check = parser.isSet(check);

    Bench bench(settings);
    if (const QString why = bench.start(); !why.isEmpty()) {
        std::fprintf(stderr, "widget-server-scaleout-bench: cannot run: %s\n", qPrintable(why));
        // 77: ctest shows the smoke as skipped, unless every suite must run (AGENT_CONSOLE_REQUIRE_ALL=1).
        return qEnvironmentVariable("AGENT_CONSOLE_REQUIRE_ALL") == u"1" ? 1 : 77;
    }
    QJsonArray rounds;
    bool allComplete = true;
    for (int count : settings.instances) {
        const QJsonObject figures = bench.round(count);
        allComplete = allComplete && complete(figures);
        rounds.append(figures);
    }
    QJsonObject report {{QStringLiteral("benchmark"), QStringLiteral("widget-server scale-out")},
        {QStringLiteral("setup"),
            QStringLiteral("--outbox on a private PostgreSQL and RabbitMQ node, upstream simulator, closed-loop senders; "
                           "instances, database, broker, simulator and driver share this machine's %1 cores")
                .arg(QThread::idealThreadCount())},
        {QStringLiteral("rounds"), rounds}};
    if (rounds.size() >= 2) {
        const QJsonObject first = rounds.first().toObject();
        const QJsonObject last = rounds.last().toObject();
        report.insert(QStringLiteral("ratio_last_to_first"),
            QJsonObject {{QStringLiteral("throughput"), ratio(first, last, {QStringLiteral("throughput_per_s")})},
                {QStringLiteral("post_200_p50"), ratio(first, last, {QStringLiteral("post_200_ms"), QStringLiteral("p50")})},
                {QStringLiteral("sent_all_sockets_p50"),
                    ratio(first, last, {QStringLiteral("sent_event_all_sockets_ms"), QStringLiteral("p50")})},
                {QStringLiteral("server_cpu_us_per_send"),
                    ratio(first, last, {QStringLiteral("server_process"), QStringLiteral("cpu_us_per_send")})}});
    }
    std::printf("%s\n", QJsonDocument(report).toJson(QJsonDocument::Indented).constData());
    return settings.check && !allComplete ? 1 : 0;
}
