// Composer: Enter sends the trimmed text, Shift+Enter breaks the line, blank text never leaves.
#include "composer.h"

#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
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

QTEST_MAIN(TestComposer)
#include "tst_composer.moc"
