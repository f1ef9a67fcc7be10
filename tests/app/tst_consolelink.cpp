// Links from other tools (issue 18): agent-console://open?conversation=<id>[&tenant=<t>][&server=<url>]
// parsed as a unit, checked against the signed-in account (another tenant or server is refused, never
// followed), and taken by the command line as a positional argument.
#include "commandline.h"
#include "consolelink.h"

#include <QTest>

class TestConsoleLink : public QObject
{
    Q_OBJECT

private slots:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("conversation"); // empty: refused
        QTest::addColumn<QString>("tenant");
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("error");
        QTest::newRow("conversation") << u"agent-console://open?conversation=c-1042"_qs << u"c-1042"_qs << QString()
                                      << QString() << QString();
        QTest::newRow("with tenant") << u"agent-console://open?conversation=c1&tenant=acme"_qs << u"c1"_qs << u"acme"_qs
                                     << QString() << QString();
        QTest::newRow("with server")
            << u"agent-console://open?tenant=acme&conversation=c1&server=https%3A%2F%2Fchat.example.com"_qs << u"c1"_qs
            << u"acme"_qs << u"https://chat.example.com"_qs << QString();
        QTest::newRow("percent-encoded id") << u"agent-console://open?conversation=order%2F77%20b"_qs
                                            << u"order/77 b"_qs << QString() << QString() << QString();
        QTest::newRow("unknown parameters ignored") << u"agent-console://open?conversation=c1&utm_source=crm"_qs
                                                    << u"c1"_qs << QString() << QString() << QString();
        QTest::newRow("scheme in capitals, spaces around")
            << u"  AGENT-CONSOLE://open?conversation=c1 "_qs << u"c1"_qs << QString() << QString() << QString();
        QTest::newRow("trailing slash") << u"agent-console://open/?conversation=c1"_qs << u"c1"_qs << QString()
                                        << QString() << QString();
        QTest::newRow("no conversation") << u"agent-console://open?tenant=acme"_qs << QString() << QString()
                                         << QString() << u"the link names no conversation"_qs;
        QTest::newRow("blank conversation") << u"agent-console://open?conversation=%20"_qs << QString() << QString()
                                            << QString() << u"the link names no conversation"_qs;
        QTest::newRow("another action") << u"agent-console://delete?conversation=c1"_qs << QString() << QString()
                                        << QString()
                                        << u"unknown link action (expected agent-console://open?conversation=...)"_qs;
        QTest::newRow("another scheme") << u"https://open?conversation=c1"_qs << QString() << QString() << QString()
                                        << u"not an agent-console:// link"_qs;
        QTest::newRow("control character")
            << u"agent-console://open?conversation=c1%0Aevil"_qs << QString() << QString() << QString()
            << u"the link's conversation or tenant is not a valid id"_qs;
        QTest::newRow("server not http") << u"agent-console://open?conversation=c1&server=file%3A%2F%2F%2Fetc"_qs
                                         << QString() << QString() << QString()
                                         << u"the link's server is not an http:// or https:// URL"_qs;
        QTest::newRow("too long") << u"agent-console://open?conversation="_qs + QString(3000, u'a') << QString()
                                  << QString() << QString() << u"the link is longer than 2048 characters"_qs;
    }
    void parse()
    {
        QFETCH(QString, text);
        QFETCH(QString, conversation);
        QFETCH(QString, tenant);
        QFETCH(QString, server);
        QFETCH(QString, error);
        QVERIFY(ConsoleLinks::looksLikeLink(text) || text.startsWith(u"https"));
        const auto parsed = ConsoleLinks::parse(text);
        if (!error.isEmpty()) {
            QVERIFY(std::holds_alternative<QString>(parsed));
            QCOMPARE(std::get<QString>(parsed), error);
            return;
        }
        if (const auto *why = std::get_if<QString>(&parsed))
            QFAIL(qPrintable(*why));
        const ConsoleLink &link = std::get<ConsoleLink>(parsed);
        QCOMPARE(link.conversation, conversation);
        QCOMPARE(link.tenant, tenant);
        QCOMPARE(link.server.toString(), server);
    }

    // Opened by the account it was meant for only: another tenant or server is refused with a message.
    void refusal_data()
    {
        QTest::addColumn<QString>("link");
        QTest::addColumn<QString>("refusal"); // empty: opened
        const QString c1 = u"agent-console://open?conversation=c1"_qs;
        QTest::newRow("no tenant, no server: the account's") << c1 << QString();
        QTest::newRow("same tenant") << c1 + u"&tenant=acme"_qs << QString();
        QTest::newRow("same server, other spelling")
            << c1 + u"&server=HTTPS%3A%2F%2FChat.Example.com%3A443%2F"_qs << QString();
        QTest::newRow("other tenant")
            << c1 + u"&tenant=globex"_qs
            << u"The link opens conversation “c1” of tenant “globex”, but the console is signed in to tenant “acme”. "
               "Sign in to that tenant to open it."_qs;
        QTest::newRow("other server")
            << c1 + u"&tenant=acme&server=https%3A%2F%2Fother.example.com"_qs
            << u"The link opens conversation “c1” on https://other.example.com, but the console is signed in to "
               "https://chat.example.com. Sign in to that server to open it."_qs;
        QTest::newRow("other port") << c1 + u"&server=https%3A%2F%2Fchat.example.com%3A8443"_qs
                                    << u"The link opens conversation “c1” on https://chat.example.com:8443, but the "
                                       "console is signed in to https://chat.example.com. Sign in to that server to "
                                       "open it."_qs;
    }
    void refusal()
    {
        QFETCH(QString, link);
        QFETCH(QString, refusal);
        const ConsoleLink parsed = std::get<ConsoleLink>(ConsoleLinks::parse(link));
        QCOMPARE(ConsoleLinks::refusal(parsed, QUrl(u"https://chat.example.com"_qs), u"acme"_qs), refusal);
    }

    void commandLineTakesLinks()
    {
        const auto parsed
            = parseCommandLine({u"agent-console"_qs, u"agent-console://open?conversation=c9&tenant=acme"_qs,
                                   u"--conversation"_qs, u"c1"_qs},
                QString());
        QVERIFY(std::holds_alternative<Options>(parsed));
        const Options &options = std::get<Options>(parsed);
        QCOMPARE(options.links, QStringList {u"agent-console://open?conversation=c9&tenant=acme"_qs});
        QCOMPARE(options.conversations, QStringList {u"c1"_qs});
    }

    void commandLineRefusesBadLinks_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("a link without conversation")
            << QStringList {u"agent-console://open?tenant=acme"_qs}
            << u"agent-console: cannot open the link: the link names no conversation"_qs;
        QTest::newRow("a link with the demo") << QStringList {u"--demo"_qs, u"agent-console://open?conversation=c1"_qs}
                                              << u"agent-console: --demo cannot open links: they are for the signed-in "
                                                 "account"_qs;
        // Anything else is not echoed: it may be a token pasted in the wrong place.
        QTest::newRow("not a link") << QStringList {u"s3cr3t-token"_qs}
                                    << u"agent-console: unexpected argument (options start with --; the token goes in "
                                       "--token-file or AGENT_CONSOLE_TOKEN)"_qs;
    }
    void commandLineRefusesBadLinks()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const auto parsed = parseCommandLine(QStringList {u"agent-console"_qs} + arguments, QString());
        QVERIFY(std::holds_alternative<EarlyExit>(parsed));
        const EarlyExit &exit = std::get<EarlyExit>(parsed);
        QCOMPARE(exit.code, 2);
        QCOMPARE(exit.text.section(u'\n', 0, 0), message);
        QVERIFY(!exit.text.contains(u"s3cr3t"));
    }
};

QTEST_GUILESS_MAIN(TestConsoleLink)
#include "tst_consolelink.moc"
