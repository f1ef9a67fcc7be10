// Which of a customer's files the console hands to the desktop (AttachmentRules::typeToOpen): the
// desktop picks a program by the name, so only a name with one of its type's usual extensions whose
// bytes say the same type gets through. A script that holds plain text (.vbs, .py, .reg, .desktop) is
// never "a text file".
#include "attachment.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

class TestAttachmentRules : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void typeToOpen_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("type");
        const QByteArray pdf = "%PDF-1.4\n% a price list\n%%EOF\n";
        const QByteArray png = QByteArray::fromHex("89504e470d0a1a0a0000000d4948445200000001000000010806000000");
        const QByteArray text = "Dim shell\nSet shell = CreateObject(\"WScript.Shell\")\n";
        QTest::newRow("pdf") << u"prices.pdf"_qs << pdf << u"application/pdf"_qs;
        QTest::newRow("PDF in capitals") << u"PRICES.PDF"_qs << pdf << u"application/pdf"_qs;
        QTest::newRow("png") << u"photo.png"_qs << png << u"image/png"_qs;
        QTest::newRow("text") << u"notes.txt"_qs << QByteArray("see you soon\n") << u"text/plain"_qs;
        QTest::newRow("vbs holding text") << u"invoice.vbs"_qs << text << QString();
        QTest::newRow("py holding text") << u"invoice.py"_qs << QByteArray("import os\n") << QString();
        QTest::newRow("reg holding text") << u"invoice.reg"_qs << QByteArray("Windows Registry Editor Version 5.00\n")
                                          << QString();
        QTest::newRow("desktop entry") << u"invoice.pdf.desktop"_qs
                                       << QByteArray("[Desktop Entry]\nType=Application\nExec=sh\n") << QString();
        QTest::newRow("shell script") << u"invoice.sh"_qs << QByteArray("#!/bin/sh\necho hi\n") << QString();
        QTest::newRow("csv") << u"orders.csv"_qs << QByteArray("=cmd|' /C calc'!A0\n") << QString();
        QTest::newRow("picture named exe") << u"photo.exe"_qs << png << QString();
        QTest::newRow("pdf named png") << u"photo.png"_qs << pdf << QString();
        QTest::newRow("no extension") << u"README"_qs << QByteArray("plain words\n") << QString();
    }
    void typeToOpen()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, type);
        const QString folder = m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()));
        QVERIFY(QDir().mkpath(folder));
        QFile file(folder + u'/' + name);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size());
        file.close();
        QCOMPARE(AttachmentRules::typeToOpen(file.fileName()), type);
    }
};

QTEST_GUILESS_MAIN(TestAttachmentRules)
#include "tst_attachmentrules.moc"
