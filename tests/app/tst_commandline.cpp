#include "commandline.h"

#include <QProcess>
#include <QTemporaryFile>
#include <QTest>

class TestCommandLine : public QObject
{
    Q_OBJECT

private slots:
    void usageErrorsExitWithTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("mentions");
        const QStringList base{QStringLiteral("--api-url"), QStringLiteral("http://127.0.0.1:1"),
                               QStringLiteral("--tenant"), QStringLiteral("t"),
                               QStringLiteral("--conversation"), QStringLiteral("c")};
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--bogus")} << QStringLiteral("bogus");
        QTest::newRow("missing value") << QStringList{QStringLiteral("--tenant")} << QStringLiteral("tenant");
        QTest::newRow("no api url") << QStringList{QStringLiteral("--tenant"), QStringLiteral("t")} << QStringLiteral("api-url");
        QTest::newRow("bad scheme") << QStringList{QStringLiteral("--api-url"), QStringLiteral("ftp://x"),
                                                   QStringLiteral("--tenant"), QStringLiteral("t"),
                                                   QStringLiteral("--conversation"), QStringLiteral("c")}
                                    << QStringLiteral("http");
        QTest::newRow("token as argument") << (base + QStringList{QStringLiteral("--token"), QStringLiteral("s")})
                                           << QStringLiteral("token");
        QTest::newRow("missing token file") << (base + QStringList{QStringLiteral("--token-file"), QStringLiteral("/nonexistent/x")})
                                            << QStringLiteral("token file");
        QTest::newRow("demo plus api") << QStringList{QStringLiteral("--demo"), QStringLiteral("--tenant"), QStringLiteral("t")}
                                       << QStringLiteral("--demo");
        QTest::newRow("positional") << QStringList{QStringLiteral("extra")} << QStringLiteral("extra");
    }
    void usageErrorsExitWithTwo()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, mentions);
        const auto result = parseCommandLine(QStringList{QStringLiteral("agent-console")} + arguments, QString());
        QVERIFY(std::holds_alternative<EarlyExit>(result));
        const auto exit = std::get<EarlyExit>(result);
        QCOMPARE(exit.code, 2);
        QVERIFY2(exit.text.contains(mentions), qPrintable(exit.text));
    }

    void noTokenIsAnError()
    {
        const auto result = parseCommandLine({QStringLiteral("agent-console"), QStringLiteral("--api-url"),
                                              QStringLiteral("http://h"), QStringLiteral("--tenant"), QStringLiteral("t"),
                                              QStringLiteral("--conversation"), QStringLiteral("c")},
                                             QString());
        QVERIFY(std::holds_alternative<EarlyExit>(result));
        QCOMPARE(std::get<EarlyExit>(result).code, 2);
    }

    void helpAndVersion()
    {
        auto help = parseCommandLine({QStringLiteral("agent-console"), QStringLiteral("--help")}, QString());
        QCOMPARE(std::get<EarlyExit>(help).code, 0);
        QVERIFY(std::get<EarlyExit>(help).text.contains(u"--api-url"));
        QVERIFY(std::get<EarlyExit>(help).text.contains(u"AGENT_CONSOLE_TOKEN"));
        auto version = parseCommandLine({QStringLiteral("agent-console"), QStringLiteral("--version")}, QString());
        QCOMPARE(std::get<EarlyExit>(version).code, 0);
        QVERIFY(std::get<EarlyExit>(version).text.contains(QStringLiteral(AGENT_CONSOLE_VERSION)));
    }

    void tokenFromEnvironmentOrFile()
    {
        const QStringList args{QStringLiteral("agent-console"), QStringLiteral("--api-url"), QStringLiteral("https://h:8443/base"),
                               QStringLiteral("--tenant"), QStringLiteral("t"), QStringLiteral("--conversation"),
                               QStringLiteral("c"), QStringLiteral("--integration"), QStringLiteral("i")};
        const auto fromEnv = parseCommandLine(args, QStringLiteral(" envtoken\n"));
        QVERIFY(std::holds_alternative<Options>(fromEnv));
        const Options o = std::get<Options>(fromEnv);
        QCOMPARE(o.token, u"envtoken");
        QCOMPARE(o.apiUrl, QUrl(QStringLiteral("https://h:8443/base")));
        QCOMPARE(o.tenant, u"t");
        QCOMPARE(o.conversation, u"c");
        QCOMPARE(o.integration, u"i");
        QVERIFY(!o.demo);

        QTemporaryFile file;
        QVERIFY(file.open());
        file.write("filetoken\n");
        file.flush();
        const auto fromFile = parseCommandLine(args + QStringList{QStringLiteral("--token-file"), file.fileName()},
                                               QStringLiteral("envtoken"));
        QCOMPARE(std::get<Options>(fromFile).token, u"filetoken"); // the file wins over the environment
    }

    // The executable itself: exit status and where the message goes.
    void executableExitCodes_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("stdoutHas");
        QTest::addColumn<QString>("stderrHas");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--bogus")} << 2 << QString() << QStringLiteral("bogus");
        QTest::newRow("missing value") << QStringList{QStringLiteral("--api-url")} << 2 << QString() << QStringLiteral("api-url");
        QTest::newRow("version") << QStringList{QStringLiteral("--version")} << 0 << QStringLiteral(AGENT_CONSOLE_VERSION) << QString();
        QTest::newRow("help") << QStringList{QStringLiteral("--help")} << 0 << QStringLiteral("--token-file") << QString();
    }
    void executableExitCodes()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, stdoutHas);
        QFETCH(QString, stderrHas);
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(AGENT_CONSOLE_EXECUTABLE), arguments);
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), exitCode);
        QVERIFY(QString::fromUtf8(process.readAllStandardOutput()).contains(stdoutHas));
        QVERIFY(QString::fromUtf8(process.readAllStandardError()).contains(stderrHas));
    }

    void demoNeedsNothingElse()
    {
        const auto result = parseCommandLine({QStringLiteral("agent-console"), QStringLiteral("--demo")}, QString());
        QVERIFY(std::holds_alternative<Options>(result));
        QVERIFY(std::get<Options>(result).demo);
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
