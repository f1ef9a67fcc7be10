// The catalogues: German and Arabic complete and well-formed (placeholders, plural forms,
// accelerators), embedded under :/i18n, chosen from the locale with Qt's own catalogue beside them,
// and the layout mirrored for Arabic. The widgets speak the language that was installed.
#include "composer.h"
#include "conversationview.h"
#include "failedrepliesbar.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"
#include "missingdependency.h"
#include "translations.h"

#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QLibraryInfo>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QToolButton>
#include <QTranslator>
#include <QXmlStreamReader>

namespace {
struct Entry
{
    QString context;
    QString source;
    bool numerus = false;
    bool unfinished = false;
    QStringList forms; // one unless numerus
};

QList<Entry> readCatalogue(const QString &path, QString *language)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<Entry> entries;
    QXmlStreamReader xml(&file);
    QString context;
    Entry current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == u"TS") {
            *language = xml.attributes().value(QLatin1String("language")).toString();
        } else if (name == u"name") {
            context = xml.readElementText();
        } else if (name == u"message") {
            if (!current.source.isNull())
                entries << current;
            current = Entry();
            current.context = context;
            current.numerus = xml.attributes().value(QLatin1String("numerus")) == u"yes";
        } else if (name == u"source") {
            current.source = xml.readElementText();
        } else if (name == u"translation") {
            current.unfinished = xml.attributes().value(QLatin1String("type")) == u"unfinished"
                || xml.attributes().value(QLatin1String("type")) == u"vanished"
                || xml.attributes().value(QLatin1String("type")) == u"obsolete";
            if (!current.numerus)
                current.forms << xml.readElementText();
        } else if (name == u"numerusform") {
            current.forms << xml.readElementText();
        }
    }
    if (!current.source.isNull())
        entries << current;
    return xml.hasError() ? QList<Entry>() : entries;
}

QSet<QString> placeholders(const QString &text, bool withCount)
{
    QSet<QString> found;
    static const QRegularExpression re(QStringLiteral("%L?(\\d+|n)"));
    for (auto it = re.globalMatch(text); it.hasNext();) {
        const QString p = it.next().captured(0).remove(u'L');
        if (withCount || p != u"%n")
            found.insert(p);
    }
    return found;
}

int accelerators(const QString &text)
{
    return int(text.count(u'&') - 2 * text.count(QLatin1String("&&")));
}

QString tsPath(const QString &language)
{
    return QStringLiteral(AGENT_CONSOLE_TS_DIR "/agent-console_%1.ts").arg(language);
}
} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private slots:
    void cleanup();

    void cataloguesAreEmbedded();
    void catalogueIsCompleteAndWellFormed_data();
    void catalogueIsCompleteAndWellFormed();
    void germanLocaleGetsGerman();
    void regionalLocaleFindsItsLanguage();
    void arabicIsRightToLeft();
    void arabicPluralForms_data();
    void arabicPluralForms();
    void otherLocaleGetsEnglishPlurals();
    void reinstallingReplacesTheCatalogue();
    void widgetsSpeakTheInstalledLanguage();

private:
    static int ourTranslators();
};

void TestTranslations::cleanup()
{
    installTranslations(*qApp, QLocale(QLocale::English));
}

int TestTranslations::ourTranslators()
{
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    return int(qApp->findChildren<QTranslator *>(QString(), Qt::FindDirectChildrenOnly).size());
}

void TestTranslations::cataloguesAreEmbedded()
{
    for (const char *language : {"de", "ar", "en"}) {
        const QString path = QStringLiteral(":/i18n/agent-console_%1.qm").arg(QLatin1String(language));
        QVERIFY2(QFile::exists(path), qPrintable(path));
        QTranslator translator;
        QVERIFY(translator.load(path));
        QCOMPARE(translator.language(), QLatin1String(language));
    }
}

void TestTranslations::catalogueIsCompleteAndWellFormed_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<int>("pluralForms");
    QTest::newRow("German") << QStringLiteral("de") << 2;
    QTest::newRow("Arabic") << QStringLiteral("ar") << 6;
    QTest::newRow("English plurals") << QStringLiteral("en") << 2;
}

void TestTranslations::catalogueIsCompleteAndWellFormed()
{
    QFETCH(QString, language);
    QFETCH(int, pluralForms);
    QString declared;
    const QList<Entry> entries = readCatalogue(tsPath(language), &declared);
    QVERIFY2(!entries.isEmpty(), qPrintable(tsPath(language)));
    QCOMPARE(declared, language);
    QStringList problems;
    for (const Entry &e : entries) {
        const QString where = QStringLiteral("%1::\"%2\"").arg(e.context, e.source);
        if (e.unfinished) {
            problems << QStringLiteral("untranslated: %1").arg(where);
            continue;
        }
        if (e.numerus != (e.forms.size() > 1 || e.numerus) || (e.numerus && e.forms.size() != pluralForms)) {
            problems
                << QStringLiteral("%1 plural forms, %2 expected: %3").arg(e.forms.size()).arg(pluralForms).arg(where);
            continue;
        }
        for (const QString &form : e.forms) {
            if (form.trimmed().isEmpty() && !e.source.trimmed().isEmpty())
                problems << QStringLiteral("empty: %1").arg(where);
            // %1, %2 ... all kept; %n may be left out of a form (Arabic says "one reply" in words).
            if (placeholders(form, false) != placeholders(e.source, false))
                problems << QStringLiteral("placeholders differ: %1 -> %2").arg(where, form);
            if (placeholders(form, true).contains(QStringLiteral("%n")) && !e.numerus)
                problems << QStringLiteral("%n outside a plural: %1").arg(where);
            if (e.context != u"QGuiApplication" && accelerators(form) != accelerators(e.source))
                problems << QStringLiteral("accelerator lost: %1 -> %2").arg(where, form);
        }
        if (e.numerus && placeholders(e.source, true).contains(QStringLiteral("%n"))
            && !placeholders(e.forms.last(), true).contains(QStringLiteral("%n"))) {
            problems << QStringLiteral("the general plural form must show the count: %1").arg(where);
        }
    }
    QVERIFY2(problems.isEmpty(),
        qPrintable(QStringLiteral("%1 (run the update_translations target, then translate in %2):\n")
                       .arg(problems.size())
                       .arg(tsPath(language))
            + problems.join(u'\n')));
}

void TestTranslations::germanLocaleGetsGerman()
{
    installTranslations(*qApp, QLocale(QLocale::German, QLocale::Germany));
    QCOMPARE(installedTranslationLanguage(), QStringLiteral("de"));
    QCOMPARE(QCoreApplication::translate("MessageDelegate", "Read"), QStringLiteral("Gelesen"));
    QCOMPARE(QCoreApplication::translate("FailedRepliesBar", "%n replies not sent", nullptr, 1),
        QStringLiteral("1 Antwort nicht gesendet"));
    QCOMPARE(QCoreApplication::translate("FailedRepliesBar", "%n replies not sent", nullptr, 3),
        QStringLiteral("3 Antworten nicht gesendet"));
    QCOMPARE(QGuiApplication::layoutDirection(), Qt::LeftToRight);
    // Qt's own strings (the editor's context menu) in the same language, where Qt ships them.
    if (!QFile::exists(QLibraryInfo::path(QLibraryInfo::TranslationsPath) + QStringLiteral("/qtbase_de.qm")))
        SKIP_MISSING_DEPENDENCY("Qt's German catalogue (qt6-translations-l10n) is not installed");
    QCOMPARE(QCoreApplication::translate("QLineEdit", "&Copy"), QStringLiteral("&Kopieren"));
}

void TestTranslations::regionalLocaleFindsItsLanguage()
{
    installTranslations(*qApp, QLocale(QLocale::German, QLocale::Austria));
    QCOMPARE(installedTranslationLanguage(), QStringLiteral("de"));
    installTranslations(*qApp, QLocale(QLocale::Arabic, QLocale::Morocco));
    QCOMPARE(installedTranslationLanguage(), QStringLiteral("ar"));
}

void TestTranslations::arabicIsRightToLeft()
{
    installTranslations(*qApp, QLocale(QLocale::Arabic, QLocale::Egypt));
    QCOMPARE(installedTranslationLanguage(), QStringLiteral("ar"));
    QCOMPARE(QGuiApplication::layoutDirection(), Qt::RightToLeft);
    QCOMPARE(QCoreApplication::translate("MessageDelegate", "Read"), QStringLiteral("مقروءة"));
    // Qt's own marker agrees, so a catalogue loaded any other way mirrors the layout as well.
    QCOMPARE(QCoreApplication::translate("QGuiApplication", "QT_LAYOUT_DIRECTION"), QStringLiteral("RTL"));
    QWidget widget;
    QCOMPARE(widget.layoutDirection(), Qt::RightToLeft);

    installTranslations(*qApp, QLocale(QLocale::German));
    QCOMPARE(QGuiApplication::layoutDirection(), Qt::LeftToRight);
}

void TestTranslations::arabicPluralForms_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("text");
    QTest::newRow("1") << 1 << QStringLiteral("لم يُرسَل رد واحد");
    QTest::newRow("2") << 2 << QStringLiteral("لم يُرسَل ردّان");
    QTest::newRow("3") << 3 << QStringLiteral("لم تُرسَل 3 ردود");
    QTest::newRow("10") << 10 << QStringLiteral("لم تُرسَل 10 ردود");
    QTest::newRow("11") << 11 << QStringLiteral("لم يُرسَل 11 ردًا");
    QTest::newRow("100") << 100 << QStringLiteral("لم يُرسَل 100 رد");
}

void TestTranslations::arabicPluralForms()
{
    QFETCH(int, count);
    QFETCH(QString, text);
    installTranslations(*qApp, QLocale(QLocale::Arabic));
    QCOMPARE(QCoreApplication::translate("FailedRepliesBar", "%n replies not sent", nullptr, count), text);
}

void TestTranslations::otherLocaleGetsEnglishPlurals()
{
    installTranslations(*qApp, QLocale(QLocale::French, QLocale::France));
    QCOMPARE(installedTranslationLanguage(), QStringLiteral("en"));
    QCOMPARE(QGuiApplication::layoutDirection(), Qt::LeftToRight);
    QCOMPARE(QCoreApplication::translate("MessageDelegate", "Read"), QStringLiteral("Read"));
    QCOMPARE(QCoreApplication::translate("FailedRepliesBar", "%n replies not sent", nullptr, 1),
        QStringLiteral("1 reply not sent"));
    QCOMPARE(QCoreApplication::translate("FailedRepliesBar", "%n replies not sent", nullptr, 4),
        QStringLiteral("4 replies not sent"));
    // Hebrew has no catalogue: English text, so a left-to-right layout.
    installTranslations(*qApp, QLocale(QLocale::Hebrew));
    QCOMPARE(QGuiApplication::layoutDirection(), Qt::LeftToRight);
}

void TestTranslations::reinstallingReplacesTheCatalogue()
{
    installTranslations(*qApp, QLocale(QLocale::German));
    const int once = ourTranslators();
    QVERIFY(once >= 1);
    installTranslations(*qApp, QLocale(QLocale::Arabic));
    installTranslations(*qApp, QLocale(QLocale::German));
    QCOMPARE(ourTranslators(), once);
    QCOMPARE(QCoreApplication::translate("MessageDelegate", "Sent"), QStringLiteral("Gesendet"));
}

void TestTranslations::widgetsSpeakTheInstalledLanguage()
{
    installTranslations(*qApp, QLocale(QLocale::German));
    FailedRepliesBar bar;
    bar.setUnsentCount(3, true);
    QCOMPARE(bar.text(), QStringLiteral("Verbindung wiederhergestellt · 3 Antworten nicht gesendet"));
    QCOMPARE(bar.retryAllButton()->text(), QStringLiteral("Alle erneut senden"));
    Composer composer;
    QCOMPARE(composer.sendButton()->text(), QStringLiteral("Senden"));
    composer.editor()->setPlainText(QString(Composer::maxLength + 1, u'x'));
    QVERIFY2(composer.limitMessage()->text().startsWith(QStringLiteral("Diese Antwort ist 1 Zeichen zu lang")),
        qPrintable(composer.limitMessage()->text()));

    MessageListModel model;
    Message failed;
    failed.id = QStringLiteral("f");
    failed.direction = Direction::Outbound;
    failed.text = QStringLiteral("x");
    failed.status = MessageStatus::Failed;
    model.append(failed);
    QCOMPARE(MessageDelegate::stateText(model.index(0)), QStringLiteral("Fehlgeschlagen: Nicht gesendet"));

    installTranslations(*qApp, QLocale(QLocale::Arabic));
    FailedRepliesBar arabicBar;
    arabicBar.setUnsentCount(2);
    QCOMPARE(arabicBar.text(), QStringLiteral("لم يُرسَل ردّان"));
    QCOMPARE(MessageDelegate::stateText(model.index(0)), QStringLiteral("فشل الإرسال: لم تُرسَل"));
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
