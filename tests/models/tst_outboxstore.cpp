// OutboxStore against real SQLite files in a temporary folder.
#include "outboxstore.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

static Message reply(const QString &id, const QString &text, qint64 ms = 1763892000000)
{
    Message m;
    m.id = id;
    m.direction = Direction::Outbound;
    m.text = text;
    m.timestamp = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    m.status = MessageStatus::Pending;
    return m;
}

static QStringList ids(const QList<Message> &messages)
{
    QStringList out;
    for (const Message &m : messages)
        out.append(m.id);
    return out;
}

class TestOutboxStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString &name = QStringLiteral("outbox.sqlite")) const { return m_dir.filePath(name); }

private slots:
    void keepsOrderAndSurvivesReopening()
    {
        {
            OutboxStore store;
            QVERIFY2(store.open(path()), qPrintable(store.error()));
            QVERIFY(store.add(QStringLiteral("t"), QStringLiteral("c"), reply(QStringLiteral("m3"), QStringLiteral("third"), 3)));
            QVERIFY(store.add(QStringLiteral("t"), QStringLiteral("c"), reply(QStringLiteral("m1"), QStringLiteral("first"), 1)));
            QVERIFY(store.add(QStringLiteral("t"), QStringLiteral("c"), reply(QStringLiteral("m2"), QStringLiteral("<b>second</b>"), 2)));
            QVERIFY(store.markFailed(QStringLiteral("m1"), QStringLiteral("Upstream unavailable")));
        }
        OutboxStore reopened;
        QVERIFY(reopened.open(path()));
        const QList<Message> restored = reopened.replies(QStringLiteral("t"), QStringLiteral("c"));
        // The order they were written in, not the timestamps' order.
        QCOMPARE(ids(restored), (QStringList{QStringLiteral("m3"), QStringLiteral("m1"), QStringLiteral("m2")}));
        QCOMPARE(restored[1].status, MessageStatus::Failed);
        QCOMPARE(restored[1].error, u"Upstream unavailable");
        QCOMPARE(restored[0].status, MessageStatus::Pending);
        QCOMPARE(restored[2].text, u"<b>second</b>");
        QCOMPARE(restored[0].timestamp.toMSecsSinceEpoch(), 3);
        QCOMPARE(restored[0].direction, Direction::Outbound);
    }

    void stateChangesAndRemoval()
    {
        OutboxStore store;
        QVERIFY(store.open(path(QStringLiteral("states.sqlite"))));
        QVERIFY(store.add(QStringLiteral("t"), QStringLiteral("c"), reply(QStringLiteral("a"), QStringLiteral("a"))));
        QVERIFY(store.add(QStringLiteral("t"), QStringLiteral("c"), reply(QStringLiteral("b"), QStringLiteral("b"))));
        QVERIFY(store.markFailed(QStringLiteral("a"), QStringLiteral("boom")));
        QVERIFY(store.markWaiting(QStringLiteral("a")));
        QCOMPARE(store.replies(QStringLiteral("t"), QStringLiteral("c")).first().status, MessageStatus::Pending);
        QVERIFY(store.replies(QStringLiteral("t"), QStringLiteral("c")).first().error.isEmpty());
        QVERIFY(store.remove(QStringLiteral("a")));
        QCOMPARE(ids(store.replies(QStringLiteral("t"), QStringLiteral("c"))), QStringList{QStringLiteral("b")});
    }

    void duplicateIdIsStoredOnce()
    {
        OutboxStore store;
        QVERIFY(store.open(path(QStringLiteral("dupes.sqlite"))));
        QVERIFY(store.add(QStringLiteral("t"), QStringLiteral("c"), reply(QStringLiteral("x"), QStringLiteral("one"))));
        QVERIFY(store.add(QStringLiteral("t"), QStringLiteral("c"), reply(QStringLiteral("x"), QStringLiteral("two"))));
        const auto all = store.replies(QStringLiteral("t"), QStringLiteral("c"));
        QCOMPARE(all.size(), 1);
        QCOMPARE(all.first().text, u"one");
    }

    void conversationsAreSeparate()
    {
        OutboxStore store;
        QVERIFY(store.open(path(QStringLiteral("separate.sqlite"))));
        QVERIFY(store.add(QStringLiteral("t1"), QStringLiteral("c"), reply(QStringLiteral("a"), QStringLiteral("a"))));
        QVERIFY(store.add(QStringLiteral("t2"), QStringLiteral("c"), reply(QStringLiteral("b"), QStringLiteral("b"))));
        QVERIFY(store.add(QStringLiteral("t1"), QStringLiteral("d"), reply(QStringLiteral("c"), QStringLiteral("c"))));
        QCOMPARE(ids(store.replies(QStringLiteral("t1"), QStringLiteral("c"))), QStringList{QStringLiteral("a")});
        QCOMPARE(ids(store.replies(QStringLiteral("t2"), QStringLiteral("c"))), QStringList{QStringLiteral("b")});
        QCOMPARE(ids(store.replies(QStringLiteral("t1"), QStringLiteral("d"))), QStringList{QStringLiteral("c")});
    }

    void usesTheWriteAheadLog()
    {
        OutboxStore store;
        QVERIFY(store.open(path(QStringLiteral("wal.sqlite"))));
        QVERIFY(store.add(QStringLiteral("t"), QStringLiteral("c"), reply(QStringLiteral("a"), QStringLiteral("a"))));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("probe"));
            db.setDatabaseName(path(QStringLiteral("wal.sqlite")));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
            QCOMPARE(q.value(0).toString(), u"wal");
        }
        QSqlDatabase::removeDatabase(QStringLiteral("probe"));
    }

    // A file written before attachments existed gains their columns; its replies come back as they were.
    void anEarlierVersionsFileGainsTheAttachmentColumns()
    {
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("old"));
            db.setDatabaseName(path(QStringLiteral("old.sqlite")));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE replies (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                                          " tenant TEXT NOT NULL, conversation TEXT NOT NULL,"
                                          " message_id TEXT NOT NULL UNIQUE, text TEXT NOT NULL, media_url TEXT NOT NULL,"
                                          " created_ms INTEGER NOT NULL, failed INTEGER NOT NULL DEFAULT 0,"
                                          " error TEXT NOT NULL DEFAULT '')")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO replies (tenant, conversation, message_id, text, media_url,"
                                          " created_ms) VALUES ('t', 'c', 'm1', 'from before', '', 5)")));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("old"));
        OutboxStore store;
        QVERIFY2(store.open(path(QStringLiteral("old.sqlite"))), qPrintable(store.error()));
        QList<Message> restored = store.replies(QStringLiteral("t"), QStringLiteral("c"));
        QCOMPARE(ids(restored), QStringList {u"m1"_qs});
        QCOMPARE(restored[0].text, u"from before");
        QVERIFY(restored[0].attachment.isEmpty());

        Message withFile = reply(QStringLiteral("m2"), QString());
        withFile.attachment = Attachment {QStringLiteral("a.pdf"), QStringLiteral("application/pdf"), 1234, 0, 0, {}};
        QVERIFY(store.add(QStringLiteral("t"), QStringLiteral("c"), withFile));
        Attachment atServer = withFile.attachment;
        atServer.size = 1200;
        QVERIFY(store.markUploaded(QStringLiteral("m2"), QStringLiteral("http://b/media/2"), atServer));
        restored = store.replies(QStringLiteral("t"), QStringLiteral("c"));
        QCOMPARE(restored[1].mediaUrl, u"http://b/media/2");
        QCOMPARE(restored[1].attachment.fileName, u"a.pdf");
        QCOMPARE(restored[1].attachment.size, 1200);
        QCOMPARE(restored[1].attachment.localPath, store.copies()->pathFor(QStringLiteral("m2"), QStringLiteral("a.pdf")));
    }

    void corruptFileIsAClearErrorNotACrash()
    {
        const QString file = path(QStringLiteral("corrupt.sqlite"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x')); // not a database
        f.close();
        OutboxStore store;
        QVERIFY(!store.open(file));
        QVERIFY(!store.isOpen());
        QVERIFY2(store.error().contains(u"cannot be saved"), qPrintable(store.error()));
        QVERIFY(!store.add(QStringLiteral("t"), QStringLiteral("c"), reply(QStringLiteral("a"), QStringLiteral("a"))));
        QVERIFY(store.replies(QStringLiteral("t"), QStringLiteral("c")).isEmpty());
    }

    void unwritableLocationIsAClearError()
    {
        const QString blocker = path(QStringLiteral("a-file"));
        QFile f(blocker);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        OutboxStore store;
        QVERIFY(!store.open(blocker + QStringLiteral("/sub/outbox.sqlite"))); // its folder would be inside a file
        QVERIFY(!store.error().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestOutboxStore)
#include "tst_outboxstore.moc"
