#include "commandline.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>

// Arguments that pass every check before --ca-file's, with the token given as AGENT_CONSOLE_TOKEN.
static QStringList connectArguments()
{
    return {QStringLiteral("agent-console"), QStringLiteral("--api-url"), QStringLiteral("https://chat.example.com"),
        QStringLiteral("--tenant"), QStringLiteral("t"), QStringLiteral("--conversation"), QStringLiteral("c")};
}

class TestCommandLine : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_pki; // ca.pem (a CA made with the openssl CLI), ca.key, two.pem, notes.txt

    void writeFile(const QString &name, const QByteArray &content)
    {
        QFile file(m_pki.filePath(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }
    QByteArray readFile(const QString &name)
    {
        QFile file(m_pki.filePath(name));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_pki.isValid());
        const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        QVERIFY2(!openssl.isEmpty(), "openssl is not on PATH");
        QProcess process;
        process.setWorkingDirectory(m_pki.path());
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QSignalSpy finished(&process, &QProcess::finished);
        process.start(openssl,
            {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                QStringLiteral("-keyout"), QStringLiteral("ca.key"), QStringLiteral("-out"), QStringLiteral("ca.pem"),
                QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                QStringLiteral("/CN=Command Line Test CA")});
        QVERIFY(finished.wait(30000));
        QCOMPARE(process.exitCode(), 0);
        // A bundle of two (the same CA twice is still two PEM blocks), as corporate CA files often are.
        writeFile(QStringLiteral("two.pem"), readFile(QStringLiteral("ca.pem")) + readFile(QStringLiteral("ca.pem")));
        writeFile(QStringLiteral("notes.txt"), "not a certificate\n");
        writeFile(QStringLiteral("empty.pem"), QByteArray());
        writeFile(
            QStringLiteral("broken.pem"), "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
    }

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
        QTest::newRow("positional") << QStringList{QStringLiteral("extra")} << QStringLiteral("unexpected argument");
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
        // The bench's option is for the bench: an agent reading --help never sees it.
        QVERIFY(!std::get<EarlyExit>(help).text.contains(u"first-paint"));
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
        QCOMPARE(o.conversations, QStringList{u"c"_qs});
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
        QTest::newRow("help") << QStringList {QStringLiteral("--help")} << 0 << QStringLiteral("--ca-file")
                              << QString();
        QTest::newRow("first-paint option with a value")
            << QStringList {QStringLiteral("--demo"), QStringLiteral("--exit-after-first-paint=1")} << 2 << QString()
            << QStringLiteral("exit-after-first-paint");
        QTest::newRow("unreadable CA file")
            << (connectArguments().mid(1)
                   + QStringList {QStringLiteral("--ca-file"), QStringLiteral("/nonexistent/ca.pem")})
            << 2 << QString() << QStringLiteral("cannot read the CA file /nonexistent/ca.pem");
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
        env.insert(QStringLiteral("AGENT_CONSOLE_TOKEN"), QStringLiteral("token")); // so --ca-file is what fails
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(AGENT_CONSOLE_EXECUTABLE), arguments);
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), exitCode);
        QVERIFY(QString::fromUtf8(process.readAllStandardOutput()).contains(stdoutHas));
        QVERIFY(QString::fromUtf8(process.readAllStandardError()).contains(stderrHas));
    }

    void caFile_data()
    {
        QTest::addColumn<QString>("file"); // in the test's PKI directory
        QTest::addColumn<int>("certificates"); // -1: a usage error naming `mentions`
        QTest::addColumn<QString>("mentions");
        QTest::newRow("a CA") << QStringLiteral("ca.pem") << 1 << QString();
        QTest::newRow("a bundle") << QStringLiteral("two.pem") << 2 << QString();
        QTest::newRow("missing file") << QStringLiteral("missing.pem") << -1
                                      << QStringLiteral("cannot read the CA file");
        QTest::newRow("a directory") << QString() << -1 << QStringLiteral("cannot read the CA file");
        QTest::newRow("text, not PEM") << QStringLiteral("notes.txt") << -1 << QStringLiteral("no PEM certificate");
        QTest::newRow("empty") << QStringLiteral("empty.pem") << -1 << QStringLiteral("no PEM certificate");
        QTest::newRow("a private key") << QStringLiteral("ca.key") << -1 << QStringLiteral("no PEM certificate");
        QTest::newRow("PEM armour, no certificate")
            << QStringLiteral("broken.pem") << -1 << QStringLiteral("no PEM certificate");
    }
    void caFile()
    {
        QFETCH(QString, file);
        QFETCH(int, certificates);
        QFETCH(QString, mentions);
        const QString path = file.isEmpty() ? m_pki.path() : m_pki.filePath(file);
        const auto result = parseCommandLine(
            connectArguments() + QStringList {QStringLiteral("--ca-file"), path}, QStringLiteral("token"));
        if (certificates < 0) {
            QVERIFY(std::holds_alternative<EarlyExit>(result));
            const EarlyExit exit = std::get<EarlyExit>(result);
            QCOMPARE(exit.code, 2);
            QVERIFY2(exit.text.contains(mentions), qPrintable(exit.text));
            QVERIFY2(exit.text.contains(path), qPrintable(exit.text));
            return;
        }
        QVERIFY(std::holds_alternative<Options>(result));
        const QList<QSslCertificate> cas = std::get<Options>(result).caCertificates;
        QCOMPARE(cas.size(), certificates);
        QCOMPARE(cas.first().subjectInfo(QSslCertificate::CommonName), QStringList {u"Command Line Test CA"_qs});
    }

    void noCaFileTrustsTheSystemStoreOnly()
    {
        const auto result = parseCommandLine(connectArguments(), QStringLiteral("token"));
        QVERIFY(std::get<Options>(result).caCertificates.isEmpty());
        const QSslConfiguration ssl = sslConfiguration({});
        QCOMPARE(ssl.caCertificates(), QSslConfiguration::defaultConfiguration().caCertificates());
        QCOMPARE(ssl.peerVerifyMode(), QSslSocket::AutoVerifyPeer); // verifies the server, as a client must
    }

    void caFileIsAddedToTheSystemStore()
    {
        const auto result = parseCommandLine(
            connectArguments() + QStringList {QStringLiteral("--ca-file"), m_pki.filePath(QStringLiteral("ca.pem"))},
            QStringLiteral("token"));
        const QList<QSslCertificate> extra = std::get<Options>(result).caCertificates;
        const QList<QSslCertificate> trusted = sslConfiguration(extra).caCertificates();
        QVERIFY(trusted.contains(extra.first()));
        // Adding a private CA must not drop the public ones: chat.example.com may use either.
        const QList<QSslCertificate> system = QSslConfiguration::systemCaCertificates();
        QVERIFY2(!system.isEmpty(), "no system CA store on this machine: the check below would prove nothing");
        for (const QSslCertificate &ca : system)
            QVERIFY(trusted.contains(ca));
    }

    void caFileCannotBeCombinedWithDemo()
    {
        const auto result = parseCommandLine({QStringLiteral("agent-console"), QStringLiteral("--demo"),
                                                 QStringLiteral("--ca-file"), m_pki.filePath(QStringLiteral("ca.pem"))},
            QString());
        QVERIFY(std::holds_alternative<EarlyExit>(result));
        QCOMPARE(std::get<EarlyExit>(result).code, 2);
        QVERIFY(std::get<EarlyExit>(result).text.contains(u"--ca-file"));
    }

    void conversationRepeats()
    {
        const auto result = parseCommandLine(connectArguments()
                + QStringList{QStringLiteral("--conversation"), QStringLiteral("b"), QStringLiteral("--conversation"),
                    QStringLiteral(" c "), QStringLiteral("--conversation"), QStringLiteral("a")},
            QStringLiteral("token"));
        QVERIFY(std::holds_alternative<Options>(result));
        // In the order given; the second "c" is the same conversation.
        QCOMPARE(std::get<Options>(result).conversations, (QStringList{u"c"_qs, u"b"_qs, u"a"_qs}));
    }

    void conversationIsOptional()
    {
        // Without one, the console reopens the conversations that were open when it last quit.
        const auto result = parseCommandLine(connectArguments().mid(0, 5), QStringLiteral("token"));
        QVERIFY(std::holds_alternative<Options>(result));
        QVERIFY(std::get<Options>(result).conversations.isEmpty());
    }

    void emptyConversationIsAnError()
    {
        const auto result = parseCommandLine(
            connectArguments() + QStringList{QStringLiteral("--conversation"), QStringLiteral("  ")},
            QStringLiteral("token"));
        QVERIFY(std::holds_alternative<EarlyExit>(result));
        QCOMPARE(std::get<EarlyExit>(result).code, 2);
        QVERIFY(std::get<EarlyExit>(result).text.contains(u"--conversation"));
    }

    void demoNeedsNothingElse()
    {
        const auto result = parseCommandLine({QStringLiteral("agent-console"), QStringLiteral("--demo")}, QString());
        QVERIFY(std::holds_alternative<Options>(result));
        QVERIFY(std::get<Options>(result).demo);
        QVERIFY(!std::get<Options>(result).exitAfterFirstPaint);
    }

    void exitAfterFirstPaintIsAnOption()
    {
        const auto result = parseCommandLine(
            {QStringLiteral("agent-console"), QStringLiteral("--demo"), QStringLiteral("--exit-after-first-paint")},
            QString());
        QVERIFY(std::holds_alternative<Options>(result));
        QVERIFY(std::get<Options>(result).demo);
        QVERIFY(std::get<Options>(result).exitAfterFirstPaint);
    }

    // What agent-console-bench times as cold_start_ms: the real program with its demo, to the first paint
    // of its window and of the conversation's history, then it quits by itself.
    void executableReportsItsFirstPaint()
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        process.setProcessEnvironment(env);
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.start(QStringLiteral(AGENT_CONSOLE_EXECUTABLE),
            {QStringLiteral("--demo"), QStringLiteral("--exit-after-first-paint")});
        QVERIFY(process.waitForFinished(40000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
        const QStringList lines = QString::fromUtf8(process.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
        const QRegularExpression line(QStringLiteral("^(first-paint|history-paint) (\\d+\\.\\d) ms$"));
        QCOMPARE(lines.size(), 2);
        const QRegularExpressionMatch first = line.match(lines.at(0));
        const QRegularExpressionMatch history = line.match(lines.at(1));
        QVERIFY2(first.hasMatch() && first.captured(1) == u"first-paint", qPrintable(lines.at(0)));
        QVERIFY2(history.hasMatch() && history.captured(1) == u"history-paint", qPrintable(lines.at(1)));
        QVERIFY(first.captured(2).toDouble() > 0);
        QVERIFY(first.captured(2).toDouble() <= history.captured(2).toDouble());
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
