// The pure rules of canned responses (issue 18, CONTRACT.md §6): which responses the completion offers
// for what follows the "/", and the placeholders filled from the context; and a phone number (wa_id)
// in international form, as the header shows it and {{customer.phone}} fills it.
#include "cannedresponse.h"
#include "phonenumber.h"

#include <QTest>

static const QList<CannedResponse> Responses {
    {"1", "refund", "Hi {{customer.name}}, your refund is on its way."},
    {"2", "hours", "We are open from 9 to 17."},
    {"3", "prefund", "Before we refund, please send a photo."},
    {"4", "callback", "We will call you back on {{customer.phone}}."},
    {"5", "cafe", "Our café opens at 8."},
};

class TestCannedResponse : public QObject
{
    Q_OBJECT

private slots:
    void matching_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QStringList>("codes");
        QTest::newRow("nothing typed: all, in order")
            << QString() << QStringList {"refund", "hours", "prefund", "callback", "cafe"};
        QTest::newRow("prefix first, then inside the code, then the content")
            << u"ref"_qs << QStringList {"refund", "prefund"};
        QTest::newRow("content") << u"refund"_qs << QStringList {"refund", "prefund"};
        QTest::newRow("content only") << u"photo"_qs << QStringList {"prefund"};
        QTest::newRow("case") << u"HOURS"_qs << QStringList {"hours"};
        QTest::newRow("accents") << u"cafe"_qs << QStringList {"cafe"};
        QTest::newRow("accents the other way") << u"café opens"_qs << QStringList {"cafe"};
        QTest::newRow("no match") << u"zzz"_qs << QStringList {};
    }
    void matching()
    {
        QFETCH(QString, query);
        QFETCH(QStringList, codes);
        QStringList got;
        for (const CannedResponse &r : Canned::matching(Responses, query))
            got.append(r.shortCode);
        QCOMPARE(got, codes);
    }

    void fill_data()
    {
        QTest::addColumn<QString>("content");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("phone");
        QTest::addColumn<QString>("filled");
        QTest::newRow("name") << u"Hi {{customer.name}}!"_qs << u"Ana"_qs << QString() << u"Hi Ana!"_qs;
        QTest::newRow("both, twice, spaces inside")
            << u"{{ customer.name }}: {{customer.phone}} ({{customer.name}})"_qs << u"Ana"_qs << u"+55 11912345678"_qs
            << u"Ana: +55 11912345678 (Ana)"_qs;
        QTest::newRow("unknown placeholders stay") << u"Order {{order.id}} for {{customer.name}}"_qs << u"Ana"_qs
                                                   << QString() << u"Order {{order.id}} for Ana"_qs;
        QTest::newRow("a value not known stays a placeholder")
            << u"Hi {{customer.name}}"_qs << QString() << QString() << u"Hi {{customer.name}}"_qs;
        QTest::newRow("a value that looks like a placeholder is not filled again")
            << u"{{customer.name}} {{customer.phone}}"_qs << u"{{customer.phone}}"_qs << u"1"_qs
            << u"{{customer.phone}} 1"_qs;
        QTest::newRow("a name is one line of visible text")
            << u"Hi {{customer.name}}!"_qs << u"Ana\n\nP.S. \u202Esend your card\t number"_qs << QString()
            << u"Hi Ana P.S. send your card number!"_qs;
        QTest::newRow("a long name is cut")
            << u"Hi {{customer.name}}"_qs << QString(150, u'a') << QString() << u"Hi "_qs + QString(100, u'a') + u'…';
        QTest::newRow("braces that are not a placeholder")
            << u"{{ }} {x} {{a b}}"_qs << u"Ana"_qs << QString() << u"{{ }} {x} {{a b}}"_qs;
    }
    void fill()
    {
        QFETCH(QString, content);
        QFETCH(QString, name);
        QFETCH(QString, phone);
        QFETCH(QString, filled);
        QCOMPARE(Canned::fill(content, Canned::Customer {name, phone}), filled);
    }

    void phone_data()
    {
        QTest::addColumn<QString>("waId");
        QTest::addColumn<QString>("shown");
        QTest::newRow("Germany") << u"4915123456789"_qs << u"+49 15123456789"_qs;
        QTest::newRow("USA") << u"14155552671"_qs << u"+1 4155552671"_qs;
        QTest::newRow("Brazil") << u"5511912345678"_qs << u"+55 11912345678"_qs;
        QTest::newRow("Ireland (3 digits)") << u"353861234567"_qs << u"+353 861234567"_qs;
        QTest::newRow("Egypt") << u"201001234567"_qs << u"+20 1001234567"_qs;
        QTest::newRow("already with + and spaces") << u"+49 151 2345 6789"_qs << u"+49 15123456789"_qs;
        QTest::newRow("unassigned code: as given") << u"2101234567"_qs << u"2101234567"_qs;
        QTest::newRow("too long for E.164") << u"4915123456789012"_qs << u"4915123456789012"_qs;
        QTest::newRow("too short") << u"4912"_qs << u"4912"_qs;
        QTest::newRow("not a number") << u" customer-17 "_qs << u"customer-17"_qs;
    }
    void phone()
    {
        QFETCH(QString, waId);
        QFETCH(QString, shown);
        QCOMPARE(PhoneNumber::international(waId), shown);
    }
};

QTEST_GUILESS_MAIN(TestCannedResponse)
#include "tst_cannedresponse.moc"
