// The session's canned responses (issue 18, CONTRACT.md §6) as CannedResponses loads them from the real
// widget-server on 127.0.0.1:0: the list as the server orders it, a load on its way not asked twice,
// a failure that says why and keeps what was loaded before, and a server's error message carried up.
#include "cannedresponses.h"
#include "cannedresponsetable.h"
#include "conversation.h"
#include "widgetserver.h"

#include <QSignalSpy>
#include <QTest>

static const QString Token = QStringLiteral("canned-list-token");

class TestCannedList : public QObject
{
    Q_OBJECT

    std::unique_ptr<WidgetServer> m_server;

    ConversationConfig config(const QString &tenant = QStringLiteral("t1")) const
    {
        ConversationConfig c;
        c.baseUrl = m_server->baseUrl();
        c.tenant = tenant;
        c.token = Token;
        return c;
    }
    static QStringList codes(const CannedList &list)
    {
        QStringList codes;
        for (const CannedResponse &r : list.responses)
            codes.append(r.shortCode);
        return codes;
    }

private slots:
    void init()
    {
        m_server = std::make_unique<WidgetServer>();
        m_server->setToken(Token);
        QVERIFY(m_server->listen());
        m_server->cannedResponses()->setForTenant(QStringLiteral("t1"),
            {{u"1"_qs, u"refund"_qs, u"Hi {{customer.name}}, your refund is on its way."_qs},
                {u"2"_qs, u"hours"_qs, u"We are open 9-17."_qs}});
    }
    void cleanup() { m_server.reset(); }

    void loadsTheTenantsList()
    {
        CannedResponses canned(config());
        QSignalSpy changed(&canned, &CannedResponses::changed);
        canned.load();
        canned.load(); // on its way already: not asked twice
        QVERIFY(canned.isLoading());
        QVERIFY(changed.wait(5000));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(canned.list().state, CannedList::State::Ready);
        QCOMPARE(codes(canned.list()), (QStringList {u"refund"_qs, u"hours"_qs}));
        QCOMPARE(canned.list().responses.first().content, u"Hi {{customer.name}}, your refund is on its way.");
        QVERIFY(!canned.isLoading());
    }

    void aTenantWithoutResponsesHasAnEmptyList()
    {
        CannedResponses canned(config(QStringLiteral("t2")));
        QSignalSpy changed(&canned, &CannedResponses::changed);
        canned.load();
        QVERIFY(changed.wait(5000));
        QCOMPARE(canned.list().state, CannedList::State::Ready);
        QVERIFY(canned.list().responses.isEmpty());
    }

    // The server cannot be reached: the agent is told why; what was loaded stays usable.
    void aFailedLoadSaysWhyAndKeepsTheList()
    {
        CannedResponses canned(config());
        QSignalSpy changed(&canned, &CannedResponses::changed);
        canned.load();
        QVERIFY(changed.wait(5000));
        m_server.reset();
        canned.load();
        QVERIFY(changed.wait(10000));
        QCOMPARE(canned.list().state, CannedList::State::Failed);
        QVERIFY2(canned.list().error.contains(u"Cannot reach the server"), qPrintable(canned.list().error));
        QCOMPARE(codes(canned.list()), (QStringList {u"refund"_qs, u"hours"_qs}));
    }

    // A 4xx carries the server's own message up.
    void theServersErrorIsShown()
    {
        ConversationConfig wrong = config();
        wrong.token = QStringLiteral("not-a-token");
        CannedResponses canned(wrong);
        QSignalSpy changed(&canned, &CannedResponses::changed);
        canned.load();
        QVERIFY(changed.wait(5000));
        QCOMPARE(canned.list().state, CannedList::State::Failed);
        QCOMPARE(canned.list().error, u"Unauthorized");
        QVERIFY(canned.list().responses.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCannedList)
#include "tst_cannedlist.moc"
