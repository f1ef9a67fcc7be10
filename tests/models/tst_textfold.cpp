// TextFold and MessageSearch (issue 18): what find in a conversation matches — case and accents ignored
// in Latin, Greek and Arabic scripts, compatibility forms read as their letters — where each match lies
// in the text as written (for the marks), and a search kept in step with the model it searches.
#include "messagelistmodel.h"
#include "messagesearch.h"
#include "textfold.h"

#include <QSignalSpy>
#include <QTest>

class TestTextFold : public QObject
{
    Q_OBJECT

private slots:
    void fold_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("folded");
        QTest::newRow("ASCII case") << u"Refund ID RF-77120"_qs << u"refund id rf-77120"_qs;
        QTest::newRow("precomposed accents") << u"Crème Brûlée À"_qs << u"creme brulee a"_qs;
        QTest::newRow("combining accent") << u"cafe\u0301"_qs << u"cafe"_qs;
        QTest::newRow("German") << u"Übergröße"_qs << u"ubergroße"_qs;
        QTest::newRow("Greek final sigma") << u"ΟΔΟΣ"_qs << u"οδοσ"_qs;
        QTest::newRow("ligature") << u"ﬁle"_qs << u"file"_qs;
        QTest::newRow("ligatures in a row") << u"ﬃﬁﬂ ﬁle ﬀ"_qs << u"ffififl file ff"_qs;
        QTest::newRow("full-width") << u"ＡＢＣ１"_qs << u"abc1"_qs;
        // Arabic: harakat and the tatweel are ignored, hamza forms of alef read as alef, presentation
        // forms as their letters.
        QTest::newRow("Arabic harakat") << u"مَرْحَبًا"_qs << u"مرحبا"_qs;
        QTest::newRow("Arabic alef with hamza") << u"أحمد إلى آخر"_qs << u"احمد الى اخر"_qs;
        QTest::newRow("Arabic tatweel") << u"شـــكرا"_qs << u"شكرا"_qs;
        QTest::newRow("Arabic presentation forms") << u"\uFEB7\uFEDC\uFEAE"_qs << u"شكر"_qs;
        QTest::newRow("emoji kept") << u"Ok 👍"_qs << u"ok 👍"_qs;
        QTest::newRow("empty") << QString() << QString();
    }
    void fold()
    {
        QFETCH(QString, text);
        QFETCH(QString, folded);
        QCOMPARE(TextFold::fold(text), folded);
        QList<int> origin;
        QCOMPARE(TextFold::fold(text, &origin), folded);
        QCOMPARE(origin.size(), folded.size() + 1);
        QCOMPARE(origin.last(), int(text.size()));
        QVERIFY(std::is_sorted(origin.cbegin(), origin.cend()));
    }

    // Where a match lies in the text as written: what the bubble marks.
    void textRanges_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("query");
        QTest::addColumn<QStringList>("marked");
        QTest::newRow("each occurrence") << u"Order 4711, order 4712"_qs << u"ORDER"_qs
                                         << QStringList {"Order", "order"};
        QTest::newRow("é found by e") << u"Le café est prêt"_qs << u"cafe"_qs << QStringList {u"café"_qs};
        QTest::newRow("combining mark kept with its letter")
            << u"cafe\u0301!"_qs << u"cafe"_qs << QStringList {u"cafe\u0301"_qs};
        QTest::newRow("e finds é") << u"Crème"_qs << u"e"_qs << QStringList {u"è"_qs, u"e"_qs};
        QTest::newRow("Arabic") << u"شكرًا لك، شكرا"_qs << u"شكرا"_qs << QStringList {u"شكرًا"_qs, u"شكرا"_qs};
        QTest::newRow("nothing") << u"hello"_qs << u"bye"_qs << QStringList {};
    }
    void textRanges()
    {
        QFETCH(QString, text);
        QFETCH(QString, query);
        QFETCH(QStringList, marked);
        QStringList got;
        for (const auto &[start, length] : MessageSearch::textRanges(text, MessageSearch::prepare(query)))
            got.append(text.mid(start, length));
        QCOMPARE(got, marked);
    }

    void searchFollowsTheModel()
    {
        MessageListModel model;
        const auto message = [](const char *id, const QString &text) {
            Message m;
            m.id = QString::fromLatin1(id);
            m.text = text;
            m.timestamp = QDateTime::currentDateTimeUtc();
            return m;
        };
        model.append(message("a", u"Where is my parcel?"_qs));
        model.append(message("b", u"Your PARCEL left today, parcel 2 tomorrow"_qs));
        MessageSearch search(&model);
        QCOMPARE(search.foldedRowCount(), 0); // folded when a search first reaches a row
        QCOMPARE(search.findAll(u"parcel"_qs), (QList<MessageSearch::Match> {{0, 12}, {1, 5}, {1, 24}}));
        QCOMPARE(search.foldedRowCount(), 2);
        QCOMPARE(search.findAll(u"   "_qs), QList<MessageSearch::Match> {});

        // An older page at the top shifts the rows; a new message comes at the bottom.
        QSignalSpy changed(&search, &MessageSearch::contentChanged);
        model.prepend({message("old", u"I ordered a parcel last week"_qs)});
        model.append(message("c", u"Parcèl?"_qs));
        QCOMPARE(changed.size(), 2);
        QCOMPARE(search.foldedRowCount(), 3); // the older page folded in front, the rows below kept
        QCOMPARE(
            search.findAll(u"parcel"_qs), (QList<MessageSearch::Match> {{0, 12}, {1, 12}, {2, 5}, {2, 24}, {3, 0}}));
        QCOMPARE(search.foldedRowCount(), 4);
        model.remove(QStringLiteral("a"));
        QCOMPARE(search.foldedRowCount(), 1); // what follows a removed row is folded again, the rows before kept
        QCOMPARE(search.findAll(u"parcel"_qs), (QList<MessageSearch::Match> {{0, 12}, {1, 5}, {1, 24}, {2, 0}}));
        // A range of rows only: what a slice of a long search covers.
        QList<MessageSearch::Match> some;
        search.find(MessageSearch::prepare(u"parcel"_qs), 1, 2, &some);
        QCOMPARE(some, (QList<MessageSearch::Match> {{1, 5}, {1, 24}}));
        // Latin-1 queries are scanned in a one-byte copy of the texts, the others in UTF-16: both find
        // their matches at the same offsets (in the folded text), and a unit past Latin-1 is never taken
        // for another.
        model.append(message("mixed", u"Order شكرًا number 7, straße \u0001 end"_qs));
        QCOMPARE(search.findAll(u"number"_qs), (QList<MessageSearch::Match> {{3, 11}}));
        QCOMPARE(search.findAll(u"strasse"_qs), QList<MessageSearch::Match> {}); // ß stays ß
        QCOMPARE(search.findAll(u"STRAßE"_qs), (QList<MessageSearch::Match> {{3, 21}}));
        QCOMPARE(search.findAll(u"شكرا"_qs), (QList<MessageSearch::Match> {{3, 6}}));
        QCOMPARE(search.findAll(u"\u0001"_qs), (QList<MessageSearch::Match> {{3, 28}}));
        QCOMPARE(search.findAll(u"r \u0001"_qs), QList<MessageSearch::Match> {});
        model.remove(QStringLiteral("mixed"));
        // The end of one message and the start of the next are never one match.
        QCOMPARE(search.findAll(u"tomorrowparc"_qs), QList<MessageSearch::Match> {});
        QCOMPARE(search.findAll(u"tomorrow"_qs), (QList<MessageSearch::Match> {{1, 33}}));
    }
};

QTEST_GUILESS_MAIN(TestTextFold)
#include "tst_textfold.moc"
