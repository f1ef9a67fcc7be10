// Composer: Enter sends the trimmed text, Shift+Enter breaks the line, blank text never leaves, and a
// reply over the 4,096-character limit stays in the editor with a red counter and a reason.
#include "composer.h"
#include "consolecolours.h"
#include "statusmark.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTextCursor>
#include <QToolButton>

class TestComposer : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void enterSendsTrimmedTextAndClears();
    void shiftEnterInsertsNewlineWithoutSending();
    void multiLineTextIsSentWithItsNewlines();
    void whitespaceOnlyIsNotSent_data();
    void whitespaceOnlyIsNotSent();
    void sendButtonFollowsText();
    void sendButtonSends();
    void editorGrowsUpToSixLines();
    void focusGoesToEditor();
    void counterNearTheLimit_data();
    void counterNearTheLimit();
    void lengthCountsTrimmedUtf16Units_data();
    void lengthCountsTrimmedUtf16Units();
    void pastedOverlongTextIsKeptButNotSent();
    void shorteningBelowTheLimitSendsAgain();

private:
    std::unique_ptr<Composer> m_composer;
};

void TestComposer::init()
{
    m_composer = std::make_unique<Composer>();
    m_composer->resize(400, 60);
    m_composer->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_composer.get()));
    m_composer->editor()->setFocus();
}

void TestComposer::cleanup()
{
    m_composer.reset();
}

void TestComposer::enterSendsTrimmedTextAndClears()
{
    QSignalSpy spy(m_composer.get(), &Composer::sendRequested);
    QTest::keyClicks(m_composer->editor(), "  hello there  ");
    QTest::keyClick(m_composer->editor(), Qt::Key_Return);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("hello there"));
    QVERIFY(m_composer->editor()->toPlainText().isEmpty());
    QVERIFY(!m_composer->sendButton()->isEnabled());

    QTest::keyClicks(m_composer->editor(), "again");
    QTest::keyClick(m_composer->editor(), Qt::Key_Enter, Qt::KeypadModifier); // the keypad's Enter too
    QCOMPARE(spy.count(), 2);
    QCOMPARE(spy.at(1).at(0).toString(), QStringLiteral("again"));
}

void TestComposer::shiftEnterInsertsNewlineWithoutSending()
{
    QSignalSpy spy(m_composer.get(), &Composer::sendRequested);
    QTest::keyClicks(m_composer->editor(), "first");
    QTest::keyClick(m_composer->editor(), Qt::Key_Return, Qt::ShiftModifier);
    QTest::keyClicks(m_composer->editor(), "second");
    QCOMPARE(spy.count(), 0);
    QCOMPARE(m_composer->editor()->toPlainText(), QStringLiteral("first\nsecond"));
}

void TestComposer::multiLineTextIsSentWithItsNewlines()
{
    QSignalSpy spy(m_composer.get(), &Composer::sendRequested);
    QTest::keyClicks(m_composer->editor(), "a");
    QTest::keyClick(m_composer->editor(), Qt::Key_Return, Qt::ShiftModifier);
    QTest::keyClicks(m_composer->editor(), "b");
    QTest::keyClick(m_composer->editor(), Qt::Key_Return, Qt::ShiftModifier);
    QTest::keyClick(m_composer->editor(), Qt::Key_Return);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("a\nb"));
}

void TestComposer::whitespaceOnlyIsNotSent_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("spaces") << QStringLiteral("   ");
    QTest::newRow("tabs and newlines") << QStringLiteral("\t\n \n");
}

void TestComposer::whitespaceOnlyIsNotSent()
{
    QFETCH(QString, text);
    QSignalSpy spy(m_composer.get(), &Composer::sendRequested);
    m_composer->editor()->setPlainText(text);
    QVERIFY(!m_composer->sendButton()->isEnabled());
    QTest::keyClick(m_composer->editor(), Qt::Key_Return);
    QVERIFY(!m_composer->send());
    QCOMPARE(spy.count(), 0);
}

void TestComposer::sendButtonFollowsText()
{
    QVERIFY(!m_composer->sendButton()->isEnabled());
    QTest::keyClicks(m_composer->editor(), "x");
    QVERIFY(m_composer->sendButton()->isEnabled());
    QTest::keyClick(m_composer->editor(), Qt::Key_Backspace);
    QVERIFY(!m_composer->sendButton()->isEnabled());
    QCOMPARE(m_composer->sendButton()->accessibleName(), QStringLiteral("Send reply"));
    QCOMPARE(m_composer->editor()->placeholderText(), QStringLiteral("Write a reply…"));
}

void TestComposer::sendButtonSends()
{
    QSignalSpy spy(m_composer.get(), &Composer::sendRequested);
    QTest::keyClicks(m_composer->editor(), "by mouse ");
    QTest::mouseClick(m_composer->sendButton(), Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("by mouse"));
    QVERIFY(m_composer->editor()->toPlainText().isEmpty());
}

void TestComposer::editorGrowsUpToSixLines()
{
    QPlainTextEdit *editor = m_composer->editor();
    const int oneLine = editor->height();
    editor->setPlainText("1\n2\n3");
    QTRY_VERIFY(editor->height() > oneLine);
    const int threeLines = editor->height();
    editor->setPlainText("1\n2\n3\n4\n5\n6");
    QTRY_VERIFY(editor->height() > threeLines);
    const int sixLines = editor->height();
    editor->setPlainText("1\n2\n3\n4\n5\n6\n7\n8\n9\n10");
    QCoreApplication::processEvents();
    QCOMPARE(editor->height(), sixLines);
    editor->clear();
    QTRY_COMPARE(editor->height(), oneLine);
}

void TestComposer::focusGoesToEditor()
{
    m_composer->sendButton()->setFocus();
    m_composer->setFocus();
    QTRY_VERIFY(m_composer->editor()->hasFocus());
}

void TestComposer::counterNearTheLimit_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<bool>("counterShown");
    QTest::addColumn<bool>("red");
    QTest::addColumn<bool>("sendable");
    QTest::newRow("short") << 10 << false << false << true;
    QTest::newRow("just below the counter") << Composer::counterFrom - 1 << false << false << true;
    QTest::newRow("counter appears") << Composer::counterFrom << true << false << true;
    QTest::newRow("near the limit") << 3650 << true << false << true;
    QTest::newRow("at the limit") << Composer::maxLength << true << false << true;
    QTest::newRow("one over") << Composer::maxLength + 1 << true << true << false;
    QTest::newRow("far over") << 10000 << true << true << false;
}

void TestComposer::counterNearTheLimit()
{
    QFETCH(int, length);
    QFETCH(bool, counterShown);
    QFETCH(bool, red);
    QFETCH(bool, sendable);
    m_composer->editor()->setPlainText(QString(length, u'a'));
    QCOMPARE(m_composer->counter()->isVisible(), counterShown);
    QCOMPARE(m_composer->sendButton()->isEnabled(), sendable);
    QCOMPARE(m_composer->isOverLimit(), !sendable);
    QCOMPARE(m_composer->limitMessage()->isVisible(), !sendable);
    if (counterShown) {
        const QLocale locale;
        QCOMPARE(m_composer->counter()->text(),
            QStringLiteral("%1 / %2").arg(locale.toString(length), locale.toString(Composer::maxLength)));
        QCOMPARE(m_composer->counter()->palette().color(QPalette::WindowText)
                == ConsoleColours::failedText(m_composer->palette()),
            red);
    }
    if (!sendable) {
        const QString why = m_composer->limitMessage()->text();
        QVERIFY2(why.contains(QLocale().toString(length - Composer::maxLength)), qPrintable(why));
        QVERIFY2(why.contains(QLocale().toString(Composer::maxLength)), qPrintable(why));
        QCOMPARE(m_composer->limitMessage()->palette().color(QPalette::WindowText),
            ConsoleColours::failedText(m_composer->palette()));
    }
}

void TestComposer::lengthCountsTrimmedUtf16Units_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("length");
    QTest::newRow("surrounding whitespace is free") << QStringLiteral("  \n\tabc \n") << 3;
    QTest::newRow("inner whitespace counts") << QStringLiteral("a  b\nc") << 6;
    QTest::newRow("emoji is a surrogate pair") << QStringLiteral("\U0001F600") << 2;
    QTest::newRow("ZWJ family") << QStringLiteral("\U0001F468\u200D\U0001F469\u200D\U0001F467") << 8;
    QTest::newRow("limit plus padding") << (QStringLiteral("   ") + QString(Composer::maxLength, u'x') + u'\n')
                                        << Composer::maxLength;
}

void TestComposer::lengthCountsTrimmedUtf16Units()
{
    QFETCH(QString, text);
    QFETCH(int, length);
    QCOMPARE(Composer::lengthOf(text), length);
    m_composer->editor()->setPlainText(text);
    QCOMPARE(m_composer->isOverLimit(), length > Composer::maxLength);
}

void TestComposer::pastedOverlongTextIsKeptButNotSent()
{
    const QString longText = QString(Composer::maxLength + 150, u'p');
    QGuiApplication::clipboard()->setText(longText);
    QSignalSpy spy(m_composer.get(), &Composer::sendRequested);
    m_composer->editor()->paste();
    QCOMPARE(m_composer->editor()->toPlainText(), longText); // not truncated
    QVERIFY(m_composer->limitMessage()->isVisible());
    QVERIFY(m_composer->limitMessage()->text().contains(QLocale().toString(150)));
    QVERIFY(!m_composer->sendButton()->isEnabled());

    QTest::keyClick(m_composer->editor(), Qt::Key_Return);
    QTest::mouseClick(m_composer->sendButton(), Qt::LeftButton);
    QVERIFY(!m_composer->send());
    QCOMPARE(spy.count(), 0);
    QCOMPARE(m_composer->editor()->toPlainText(), longText); // still there to be shortened
}

void TestComposer::shorteningBelowTheLimitSendsAgain()
{
    QSignalSpy spy(m_composer.get(), &Composer::sendRequested);
    m_composer->editor()->setPlainText(QString(Composer::maxLength, u's') + u's');
    QVERIFY(m_composer->isOverLimit());
    QTextCursor cursor = m_composer->editor()->textCursor();
    cursor.movePosition(QTextCursor::End);
    m_composer->editor()->setTextCursor(cursor);
    QTest::keyClick(m_composer->editor(), Qt::Key_Backspace);
    QVERIFY(!m_composer->isOverLimit());
    QVERIFY(!m_composer->limitMessage()->isVisible());
    QVERIFY(m_composer->sendButton()->isEnabled());
    QCOMPARE(m_composer->counter()->text(), QStringLiteral("%1 / %1").arg(QLocale().toString(Composer::maxLength)));
    QTest::keyClick(m_composer->editor(), Qt::Key_Return);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString().size(), Composer::maxLength);
    QVERIFY(!m_composer->counter()->isVisible()); // cleared after sending
}

QTEST_MAIN(TestComposer)
#include "tst_composer.moc"
