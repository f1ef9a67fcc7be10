// Canned responses of widget-server (CONTRACT.md §6): the file parsed as a unit, GET
// /api/v1/widget/canned-responses per tenant (a token reaches only its own tenant's list), and the real
// executable with --canned-responses: a bad file stops the start, SIGHUP reloads it, a bad file on SIGHUP
// is refused and the old list kept.
#include "cannedresponsetable.h"
#include "serverprocess.h"
#include "testclient.h"
#include "tokenregistry.h"
#include "widgetserver.h"

#include <QSaveFile>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#ifndef Q_OS_WIN
#include <sys/stat.h>
#endif

using Headers = QList<std::pair<QByteArray, QByteArray>>;

static bool writeFile(const QString &path, const QByteArray &content)
{
    QSaveFile file(path); // replaced whole, as the documentation tells operators to do
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size() && file.commit();
}

static Headers as(const QByteArray &token, const QByteArray &tenant)
{
    return {{"Authorization", "Bearer " + token}, {"X-Tenant-ID", tenant}};
}

// "shortCode=content" per response of the reply, in order.
static QStringList codesOf(const HttpResult &result)
{
    QStringList codes;
    for (const QJsonValue &v : result.json.value(u"cannedResponses").toArray())
        codes.append(v[u"shortCode"].toString() + u'=' + v[u"content"].toString());
    return codes;
}

static const QByteArray Responses = R"({
  "A": [{"id": "1", "shortCode": "refund", "content": "Hi {{customer.name}}, your refund is on its way."},
        {"id": "2", "shortCode": "hours", "content": "We are open 9-17."}],
  "B": [{"shortCode": "hello", "content": "Hello from B"}]
})";

class TestCannedResponses : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void servedPerTenant();
    void refusedWithoutAccess_data();
    void refusedWithoutAccess();
    void executableRefusesABadFile();
    void sighupReloadsAndKeepsTheOldListOnABadFile();
};

void TestCannedResponses::parse_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QStringList>("entries"); // tenant:id:shortCode per entry; empty when refused
    QTest::addColumn<QString>("error");

    QTest::newRow("two tenants") << Responses << QStringList {"A:1:refund", "A:2:hours", "B:1:hello"} << QString();
    QTest::newRow("numeric id") << QByteArray(R"({"t":[{"id":7,"shortCode":"x","content":"y"}]})")
                                << QStringList {"t:7:x"} << QString();
    QTest::newRow("empty list") << QByteArray(R"({"t":[]})") << QStringList {} << QString();
    QTest::newRow("not JSON") << QByteArray("refund: hello") << QStringList {} << "not JSON at offset 1: illegal value";
    QTest::newRow("a list at the top") << QByteArray("[]") << QStringList {}
                                       << "expected an object of tenant ids, each with a list of responses";
    QTest::newRow("tenant without a list")
        << QByteArray(R"({"t":{"shortCode":"x"}})") << QStringList {} << "tenant 't': expected a list of responses";
    QTest::newRow("entry not an object") << QByteArray(R"({"t":["hello"]})") << QStringList {}
                                         << "tenant 't', entry 1: not an object";
    QTest::newRow("no short code") << QByteArray(R"({"t":[{"content":"y"}]})") << QStringList {}
                                   << "tenant 't', entry 1: \"shortCode\" must be one word of at most 64 characters";
    QTest::newRow("short code of two words")
        << QByteArray(R"({"t":[{"shortCode":"x y","content":"y"}]})") << QStringList {}
        << "tenant 't', entry 1: \"shortCode\" must be one word of at most 64 characters";
    QTest::newRow("blank content") << QByteArray(R"({"t":[{"shortCode":"x","content":"  "}]})") << QStringList {}
                                   << "tenant 't', entry 1: \"content\" must be text of at most 4096 characters";
    QTest::newRow("content too long") << QByteArray(R"({"t":[{"shortCode":"x","content":")" + QByteArray(4097, 'a')
        + R"("}]})") << QStringList {} << "tenant 't', entry 1: \"content\" must be text of at most 4096 characters";
    QTest::newRow("short code twice, any case")
        << QByteArray(R"({"t":[{"shortCode":"hi","content":"a"},{"shortCode":"HI","content":"b"}]})") << QStringList {}
        << "tenant 't', entry 2: the short code 'HI' again";
    QTest::newRow("id twice") << QByteArray(
        R"({"t":[{"id":"1","shortCode":"a","content":"a"},{"id":"1","shortCode":"b","content":"b"}]})")
                              << QStringList {} << "tenant 't', entry 2: the id '1' again";
    QTest::newRow("id of a wrong type") << QByteArray(R"({"t":[{"id":true,"shortCode":"a","content":"a"}]})")
                                        << QStringList {} << "tenant 't', entry 1: \"id\" must be a string or a number";
}

void TestCannedResponses::parse()
{
    QFETCH(QByteArray, text);
    QFETCH(QStringList, entries);
    QFETCH(QString, error);
    QString why;
    const auto table = CannedResponseTable::parse(text, &why);
    QCOMPARE(why, error);
    QCOMPARE(table.has_value(), error.isEmpty());
    QStringList got;
    if (table) {
        QStringList tenants = table->keys();
        tenants.sort();
        for (const QString &tenant : tenants) {
            for (const CannedResponseTable::Entry &e : table->value(tenant))
                got.append(tenant + u':' + e.id + u':' + e.shortCode);
        }
    }
    QCOMPARE(got, entries);
}

void TestCannedResponses::servedPerTenant()
{
    QTemporaryDir dir;
    const QString tokens = dir.filePath(QStringLiteral("tokens"));
    const QString canned = dir.filePath(QStringLiteral("canned.json"));
    QVERIFY(writeFile(tokens, "token-a A\ntoken-b B\ntoken-c C\n"));
    QVERIFY(writeFile(canned, Responses));
    WidgetServer server;
    QVERIFY(server.tokenRegistry()->loadFile(tokens));
    QVERIFY2(server.cannedResponses()->loadFile(canned), qPrintable(server.cannedResponses()->error()));
    QVERIFY(server.listen());
    HttpClient http {server.baseUrl()};
    const QString path = QStringLiteral("/api/v1/widget/canned-responses");

    const HttpResult a = http.get(path, as("token-a", "A"));
    QCOMPARE(a.status, 200);
    QCOMPARE(codesOf(a),
        (QStringList {"refund=Hi {{customer.name}}, your refund is on its way.", "hours=We are open 9-17."}));
    QCOMPARE(a.json.value(u"cannedResponses").toArray().at(1)[u"id"].toString(), u"2");
    QCOMPARE(codesOf(http.get(path, as("token-b", "B"))), QStringList {u"hello=Hello from B"_qs});
    // A tenant the file does not name has none: an empty list, not an error.
    const HttpResult c = http.get(path, as("token-c", "C"));
    QCOMPARE(c.status, 200);
    QVERIFY(c.json.value(u"cannedResponses").isArray());
    QCOMPARE(codesOf(c), QStringList {});
    // In-process (the demo): set for a tenant directly.
    server.cannedResponses()->setForTenant(
        QStringLiteral("C"), {{QStringLiteral("9"), QStringLiteral("x"), QStringLiteral("y")}});
    QCOMPARE(codesOf(http.get(path, as("token-c", "C"))), QStringList {u"x=y"_qs});
}

void TestCannedResponses::refusedWithoutAccess_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QByteArray>("tenant");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("another tenant's list") << QByteArray("token-b") << QByteArray("A") << 404 << "NOT_FOUND";
    QTest::newRow("unknown token") << QByteArray("nobody") << QByteArray("A") << 401 << "UNAUTHORIZED";
    QTest::newRow("no tenant") << QByteArray("token-a") << QByteArray() << 400 << "MISSING_FIELD";
}

void TestCannedResponses::refusedWithoutAccess()
{
    QFETCH(QByteArray, token);
    QFETCH(QByteArray, tenant);
    QFETCH(int, status);
    QFETCH(QString, code);
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(QStringLiteral("tokens")), "token-a A\ntoken-b B\n"));
    WidgetServer server;
    QVERIFY(server.tokenRegistry()->loadFile(dir.filePath(QStringLiteral("tokens"))));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("canned.json")), Responses));
    QVERIFY(server.cannedResponses()->loadFile(dir.filePath(QStringLiteral("canned.json"))));
    QVERIFY(server.listen());
    HttpClient http {server.baseUrl()};
    Headers headers = as(token, tenant);
    if (tenant.isEmpty())
        headers.last().second = QByteArray(); // no X-Tenant-ID header at all
    const HttpResult result = http.get(QStringLiteral("/api/v1/widget/canned-responses"), headers);
    QCOMPARE(result.status, status);
    QCOMPARE(result.json[u"error"][u"code"].toString(), code);
    QVERIFY(!result.body.contains("refund")); // nothing of A's list leaks
}

void TestCannedResponses::executableRefusesABadFile()
{
    QTemporaryDir dir;
    const QString canned = dir.filePath(QStringLiteral("canned.json"));
    QVERIFY(writeFile(canned, R"({"A":[{"shortCode":"two words","content":"x"}]})"));
    QProcess process;
    process.setProcessEnvironment(serverEnvironment(QStringLiteral("server-token")));
    QVERIFY(runServerToExit(
        process, {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--canned-responses"), canned}));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 2);
    const QByteArray error = process.readAllStandardError();
    QVERIFY2(error.contains("tenant 'A', entry 1"), error.constData());
    QVERIFY(process.readAllStandardOutput().isEmpty());
}

void TestCannedResponses::sighupReloadsAndKeepsTheOldListOnABadFile()
{
#ifdef Q_OS_WIN
    QSKIP("Windows has no SIGHUP: widget-server reads its canned responses again only when restarted there");
#else
    QTemporaryDir dir;
    const QString canned = dir.filePath(QStringLiteral("canned.json"));
    QVERIFY(writeFile(canned, Responses));
    QProcess process;
    process.setProcessEnvironment(serverEnvironment(QStringLiteral("server-token")));
    process.start(QStringLiteral(WIDGET_SERVER_BINARY),
        {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--canned-responses"), canned});
    QByteArray output;
    const QUrl url = listeningUrl(process, &output);
    QVERIFY2(!url.isEmpty(), output.constData());
    HttpClient http {url};
    const QString path = QStringLiteral("/api/v1/widget/canned-responses");
    const auto codes = [&] { return codesOf(http.get(path, as("server-token", "B"))); };
    QCOMPARE(codes(), QStringList {u"hello=Hello from B"_qs});

    QVERIFY(writeFile(canned, R"({"B":[{"shortCode":"bye","content":"Goodbye"}]})"));
    QCOMPARE(::kill(pid_t(process.processId()), SIGHUP), 0);
    QTRY_COMPARE_WITH_TIMEOUT(codes(), QStringList {u"bye=Goodbye"_qs}, 10000);

    // A broken file on the next SIGHUP: refused, logged, and the list in force stays.
    QByteArray errors;
    QVERIFY(writeFile(canned, R"({"B":[{"shortCode":"bye"}]})"));
    QCOMPARE(::kill(pid_t(process.processId()), SIGHUP), 0);
    QTRY_VERIFY_WITH_TIMEOUT(
        (errors += process.readAllStandardError()).contains("canned responses not reloaded"), 10000);
    QVERIFY2(errors.contains("tenant 'B', entry 1"), errors.constData());
    QCOMPARE(codes(), QStringList {u"bye=Goodbye"_qs});
    QCOMPARE(process.state(), QProcess::Running);

    // A FIFO in the file's place: refused at once, never waited on (the server keeps answering).
    QVERIFY(QFile::remove(canned));
    QCOMPARE(::mkfifo(QFile::encodeName(canned).constData(), 0600), 0);
    QCOMPARE(::kill(pid_t(process.processId()), SIGHUP), 0);
    QTRY_VERIFY_WITH_TIMEOUT((errors += process.readAllStandardError()).contains("is not a regular file"), 10000);
    QCOMPARE(codes(), QStringList {u"bye=Goodbye"_qs});

    QSignalSpy finished(&process, &QProcess::finished);
    process.kill();
    QVERIFY(finished.wait(10000));
#endif
}

QTEST_GUILESS_MAIN(TestCannedResponses)
#include "tst_cannedresponses.moc"
