// Composer: Enter sends the trimmed text, Shift+Enter breaks the line, blank text never leaves, and a
// reply over the 4,096-character limit stays in the editor with a red counter and a reason.
#include "attachmentchip.h"
#include "composer.h"
#include "consolecolours.h"
#include "statusmark.h"

#include <QBuffer>
#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QLocale>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
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
    void anAttachmentGoesWithItsCaption();
    void aPictureAloneIsAReply();
    void whatTheContractRefusesIsRefusedBeforeUpload_data();
    void whatTheContractRefusesIsRefusedBeforeUpload();
    void pastedFilesAndPicturesAreAttached();
    void theChipsCrossTakesItOff();

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

namespace {
QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    QFile file(dir.filePath(name));
    file.open(QIODevice::WriteOnly);
    file.write(bytes);
    return file.fileName();
}
QByteArray png(QSize size = QSize(80, 60))
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::red);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}
} // namespace

void TestComposer::anAttachmentGoesWithItsCaption()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("receipt.png"), png());
    QSignalSpy spy(m_composer.get(), &Composer::sendRequested);
    QVERIFY(m_composer->attach(path));
    QVERIFY(m_composer->attachmentChip()->isVisible());
    QCOMPARE(m_composer->attachmentChip()->title()->text(), u"receipt.png");
    QTest::keyClicks(m_composer->editor(), QStringLiteral("  the receipt "));
    QTest::keyClick(m_composer->editor(), Qt::Key_Return);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.first().at(0).toString(), u"the receipt");
    const Attachment sent = spy.first().at(1).value<Attachment>();
    QCOMPARE(sent.localPath, QFileInfo(path).absoluteFilePath());
    QCOMPARE(sent.mimeType, u"image/png");
    QCOMPARE(sent.width, 80); // read from the header: the bubble's box is right before any decoding
    QCOMPARE(sent.height, 60);
    QVERIFY(!m_composer->attachmentChip()->isVisible());
    QVERIFY(m_composer->attachment().isEmpty());
}

void TestComposer::aPictureAloneIsAReply()
{
    QTemporaryDir dir;
    QVERIFY(!m_composer->sendButton()->isEnabled());
    QVERIFY(m_composer->attach(writeFile(dir, QStringLiteral("a.png"), png())));
    QVERIFY(m_composer->sendButton()->isEnabled());
    QSignalSpy spy(m_composer.get(), &Composer::sendRequested);
    QTest::keyClick(m_composer->editor(), Qt::Key_Return);
    QCOMPARE(spy.size(), 1);
    QVERIFY(spy.first().at(0).toString().isEmpty());
    QVERIFY(!m_composer->sendButton()->isEnabled());
}

void TestComposer::whatTheContractRefusesIsRefusedBeforeUpload_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qint64>("size");
    QTest::newRow("a program") << u"setup.exe"_qs << QByteArray("MZ\x90\0\3\0\0\0\4\0", 10) << qint64(0);
    QTest::newRow("a web page named .png")
        << u"photo.png"_qs << QByteArray("<!DOCTYPE html><html></html>") << qint64(0);
    QTest::newRow("over 16 MiB") << u"huge.pdf"_qs << QByteArray("%PDF-1.4\n") << AttachmentRules::MaxBytes + 1;
    QTest::newRow("empty") << u"empty.txt"_qs << QByteArray() << qint64(0);
}

void TestComposer::whatTheContractRefusesIsRefusedBeforeUpload()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    QFETCH(qint64, size);
    QTemporaryDir dir;
    const QString path = writeFile(dir, name, bytes);
    if (size > 0)
        QVERIFY(QFile(path).resize(size));
    QTest::keyClicks(m_composer->editor(), QStringLiteral("caption"));
    QVERIFY(!m_composer->attach(path));
    QVERIFY(m_composer->attachment().isEmpty());
    QVERIFY(!m_composer->attachmentChip()->isVisible());
    QVERIFY(m_composer->attachmentProblem()->isVisible());
    QVERIFY2(
        m_composer->attachmentProblem()->text().contains(name), qPrintable(m_composer->attachmentProblem()->text()));
    QCOMPARE(m_composer->editor()->toPlainText(), u"caption"); // nothing the agent wrote is lost
    // A good file afterwards clears the complaint.
    QVERIFY(m_composer->attach(writeFile(dir, QStringLiteral("ok.png"), png())));
    QVERIFY(!m_composer->attachmentProblem()->isVisible());
}

void TestComposer::pastedFilesAndPicturesAreAttached()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("notes.txt"), "line one\nline two\n");
    auto *files = new QMimeData;
    files->setUrls({QUrl::fromLocalFile(path)});
    QGuiApplication::clipboard()->setMimeData(files);
    m_composer->editor()->paste();
    QCOMPARE(m_composer->attachment().fileName, u"notes.txt");
    QCOMPARE(m_composer->attachment().mimeType, u"text/plain");
    QVERIFY(m_composer->editor()->toPlainText().isEmpty()); // not its path as text

    QImage screenshot(120, 90, QImage::Format_RGB32);
    screenshot.fill(Qt::blue);
    QGuiApplication::clipboard()->setImage(screenshot);
    m_composer->editor()->paste(); // written as PNG off the UI thread, then attached
    QTRY_COMPARE(m_composer->attachment().mimeType, u"image/png");
    QCOMPARE(m_composer->attachment().width, 120);
    const QString pasted = m_composer->attachment().localPath;
    QVERIFY(QFile::exists(pasted));
    QSignalSpy spy(m_composer.get(), &Composer::sendRequested);
    QTest::keyClick(m_composer->editor(), Qt::Key_Return);
    QCOMPARE(spy.size(), 1);
    QVERIFY(!QFile::exists(pasted)); // taken: the outbox has its own copy; ours goes

    QGuiApplication::clipboard()->setText(QStringLiteral("just text"));
    m_composer->editor()->paste();
    QCOMPARE(m_composer->editor()->toPlainText(), u"just text");
    QVERIFY(m_composer->attachment().isEmpty());

    // A pasted picture never sent goes with the composer (its conversation closed, the app quit).
    m_composer->editor()->clear();
    QGuiApplication::clipboard()->setImage(screenshot);
    m_composer->editor()->paste();
    QTRY_COMPARE(m_composer->attachment().mimeType, u"image/png");
    const QString unsent = m_composer->attachment().localPath;
    QVERIFY(QFile::exists(unsent));
    m_composer.reset();
    QVERIFY(!QFile::exists(unsent));
}

void TestComposer::theChipsCrossTakesItOff()
{
    QTemporaryDir dir;
    QVERIFY(m_composer->attach(writeFile(dir, QStringLiteral("a.png"), png())));
    QVERIFY(!m_composer->attachmentChip()->removeButton()->accessibleName().isEmpty());
    QTest::mouseClick(m_composer->attachmentChip()->removeButton(), Qt::LeftButton);
    QVERIFY(m_composer->attachment().isEmpty());
    QVERIFY(!m_composer->attachmentChip()->isVisible());
    QVERIFY(m_composer->editor()->hasFocus());
}

QTEST_MAIN(TestComposer)
#include "tst_composer.moc"
