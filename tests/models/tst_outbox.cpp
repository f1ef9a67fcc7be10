// Outbox: the one owner of every unsent reply. Replies leave in the order written, only the head is
// ever on the wire, a failed head holds back everything behind it (CONTRACT.md §3 "Order"), every
// change is on disk in a real SQLite file before the call returns, and a new Outbox restores it.
#include "outbox.h"
#include "outboxstore.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using S = MessageStatus;
using E = StatusEvent;
using Outcome = Outbox::Outcome;

namespace {

QStringList idsOf(const Outbox &outbox)
{
    QStringList ids;
    for (const Outbox::Entry &e : outbox.entries())
        ids.append(e.message.id);
    return ids;
}

// A file the agent attaches: PNG bytes (its type is read from them) under `name` in `dir`.
QString writePng(const QTemporaryDir &dir, const QString &name, int extra = 100)
{
    QFile file(dir.filePath(name));
    file.open(QIODevice::WriteOnly);
    file.write(QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + QByteArray(extra, 'p'));
    return file.fileName();
}

QByteArray contentOf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QStringList textsOf(const QList<Message> &messages)
{
    QStringList texts;
    for (const Message &m : messages)
        texts.append(m.text);
    return texts;
}

} // namespace

class tst_Outbox : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<OutboxStore> m_store;

    std::unique_ptr<Outbox> outbox(const QString &conversation = QStringLiteral("c"))
    {
        return std::make_unique<Outbox>(m_store.get(), QStringLiteral("t"), conversation);
    }
    QList<Message> stored(const QString &conversation = QStringLiteral("c")) const
    {
        return m_store->replies(QStringLiteral("t"), conversation);
    }
    // a, b, c written; a on the wire and failed when asked.
    QStringList abc(Outbox &o, bool failHead)
    {
        QStringList ids;
        for (const char *text : {"a", "b", "c"})
            ids.append(o.add(QString::fromLatin1(text))->id);
        if (failHead) {
            o.takeNext();
            o.postFailed(ids[0], QStringLiteral("Upstream unavailable"));
        }
        return ids;
    }

private slots:
    void init()
    {
        m_store = std::make_unique<OutboxStore>();
        // A folder per test: attachment copies live beside the database file.
        QVERIFY(m_store->open(m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()) + "/outbox.sqlite")));
    }

    void addIsOnDiskBeforeItIsShown()
    {
        auto o = outbox();
        QStringList storedWhenAdded;
        connect(o.get(), &Outbox::added, this, [&] { storedWhenAdded = textsOf(stored()); });
        const auto reply = o->add(QStringLiteral("  hello  "));
        QVERIFY(reply);
        QCOMPARE(reply->text, u"hello");
        QCOMPARE(reply->status, S::Pending);
        QCOMPARE(reply->direction, Direction::Outbound);
        QVERIFY(reply->id.startsWith(u"msg_"));
        QCOMPARE(storedWhenAdded, QStringList {u"hello"_qs});
        QVERIFY(!o->add(QStringLiteral(" \n\t")));
        QCOMPARE(o->size(), 1);
    }

    void onlyTheHeadGoesAndTheyLeaveInOrder()
    {
        auto o = outbox();
        const QStringList ids = abc(*o, false);
        const auto first = o->takeNext();
        QVERIFY(first);
        QCOMPARE(first->id, ids[0]);
        QVERIFY(!o->takeNext()); // the head is on the wire: nothing else goes
        QSignalSpy left(o.get(), &Outbox::left);
        o->accepted(ids[0], QStringLiteral("wamid.A"));
        QCOMPARE(left.size(), 1);
        QCOMPARE(left.first().at(0).value<Message>().status, S::Sent);
        QCOMPARE(left.first().at(1).value<Outcome>(), Outcome::Accepted);
        QCOMPARE(left.first().at(2).toString(), u"wamid.A");
        QCOMPARE(o->takeNext()->id, ids[1]);
        QCOMPARE(textsOf(stored()), (QStringList {u"b"_qs, u"c"_qs}));
    }

    void aFailedHeadBlocksTheRestUntilRetried()
    {
        auto o = outbox();
        const QStringList ids = abc(*o, true);
        QCOMPARE(o->find(ids[0])->message.status, S::Failed);
        QCOMPARE(o->find(ids[0])->message.error, u"Upstream unavailable");
        QVERIFY(!o->find(ids[0])->blocked);
        QVERIFY(o->find(ids[1])->blocked);
        QVERIFY(o->find(ids[2])->blocked);
        QVERIFY(!o->takeNext());
        QCOMPARE(stored().first().status, S::Failed); // the failure is on disk too

        QSignalSpy changed(o.get(), &Outbox::changed);
        QVERIFY(o->retry(ids[0]));
        QCOMPARE(o->find(ids[0])->message.status, S::Pending);
        QVERIFY(o->find(ids[0])->message.error.isEmpty());
        QVERIFY(!o->find(ids[1])->blocked);
        QCOMPARE(changed.size(), 3); // the retried head, and the two no longer blocked
        QCOMPARE(stored().first().status, S::Pending);
        QCOMPARE(o->takeNext()->id, ids[0]);
        QVERIFY(!o->retry(ids[0])); // on the wire: nothing to retry
    }

    void discardLetsTheNextOneGoButNeverOneOnTheWire()
    {
        auto o = outbox();
        const QStringList ids = abc(*o, true);
        QSignalSpy left(o.get(), &Outbox::left);
        QVERIFY(o->discard(ids[0]));
        QCOMPARE(left.first().at(1).value<Outcome>(), Outcome::Discarded);
        QVERIFY(!o->find(ids[1])->blocked);
        QCOMPARE(o->takeNext()->id, ids[1]);
        QVERIFY(!o->canDiscard(ids[1]));
        QVERIFY(!o->discard(ids[1]));
        QVERIFY(o->discard(ids[2])); // waiting behind: may go
        QCOMPARE(idsOf(*o), QStringList {ids[1]});
        QCOMPARE(textsOf(stored()), QStringList {u"b"_qs});
    }

    // Replies left by an earlier run come back first, in the order written, failed ones failed; what
    // is typed now queues behind them.
    void restoresWhatAnEarlierRunLeft()
    {
        QStringList ids;
        {
            auto before = outbox();
            ids = abc(*before, true);
            auto other = outbox(QStringLiteral("other"));
            other->add(QStringLiteral("elsewhere"));
        }
        auto o = outbox();
        QCOMPARE(idsOf(*o), ids);
        QCOMPARE(o->find(ids[0])->message.status, S::Failed);
        QCOMPARE(o->find(ids[0])->message.error, u"Upstream unavailable");
        QVERIFY(o->find(ids[2])->blocked);
        const QString later = o->add(QStringLiteral("d"))->id;
        QCOMPARE(idsOf(*o), ids + QStringList {later});
        QVERIFY(o->find(later)->blocked);
    }

    // A reply on the wire when the run ended comes back waiting: it is sent again under the same id.
    void aReplyOnTheWireComesBackWaiting()
    {
        QString id;
        {
            auto before = outbox();
            id = before->add(QStringLiteral("a"))->id;
            QVERIFY(before->takeNext());
        }
        auto o = outbox();
        QCOMPARE(o->find(id)->message.status, S::Pending);
        QCOMPARE(o->takeNext()->id, id);
    }

    void aReceiptProvesArrival()
    {
        auto o = outbox();
        const QStringList ids = abc(*o, false);
        QSignalSpy left(o.get(), &Outbox::left);
        // On the wire: it stays until the POST answers, but shows what the server said.
        o->takeNext();
        QVERIFY(o->applyServer(ids[0], E::ServerDelivered, {}, nextChangeStamp()));
        QCOMPARE(o->find(ids[0])->message.status, S::Delivered);
        QCOMPARE(left.size(), 0);
        o->postFailed(ids[0], QStringLiteral("timeout")); // the answer was lost; it arrived all the same
        QCOMPARE(left.size(), 1);
        QCOMPARE(left.first().at(0).value<Message>().status, S::Delivered);
        QCOMPARE(left.first().at(1).value<Outcome>(), Outcome::Arrived);
        QVERIFY(!o->find(ids[1])->blocked);
        // Not on the wire: it leaves at once.
        QVERIFY(o->applyServer(ids[2], E::ServerSent, {}, nextChangeStamp()));
        QCOMPARE(left.size(), 2);
        QCOMPARE(left.last().at(0).value<Message>().status, S::Sent);
        QCOMPARE(textsOf(stored()), QStringList {u"b"_qs});
        QVERIFY(!o->applyServer(QStringLiteral("unknown"), E::ServerSent, {}, nextChangeStamp()));
    }

    // §3: "sent" does not prove that a failed reply arrived, delivered and read do.
    void aFailedReplyNeedsMoreThanSent()
    {
        auto o = outbox();
        const QStringList ids = abc(*o, true);
        o->applyServer(ids[0], E::ServerSent, {}, nextChangeStamp());
        QCOMPARE(o->find(ids[0])->message.status, S::Failed);
        o->applyServer(ids[0], E::ServerRead, {}, nextChangeStamp());
        QVERIFY(!o->contains(ids[0]));
        QVERIFY(!o->find(ids[1])->blocked);
    }

    // A page asked for before the agent's Retry must not undo it; nor may a "failed" or "sent" that can
    // be about the attempt before the Retry. Delivered or read still prove it arrived.
    void nothingFromBeforeARetryUndoesIt()
    {
        auto o = outbox();
        const QStringList ids = abc(*o, true);
        const quint64 pageAsked = nextChangeStamp();
        QVERIFY(o->retry(ids[0]));
        o->takeNext();
        QVERIFY(o->applyServer(ids[0], E::ServerRead, {}, pageAsked)); // older than the Retry: ignored
        QVERIFY(o->applyServer(ids[0], E::ServerFailed, QStringLiteral("late"), nextChangeStamp()));
        QVERIFY(o->applyServer(ids[0], E::ServerSent, {}, nextChangeStamp()));
        QCOMPARE(o->find(ids[0])->message.status, S::Pending);
        QVERIFY(o->applyServer(ids[0], E::ServerDelivered, {}, nextChangeStamp()));
        QCOMPARE(o->find(ids[0])->message.status, S::Delivered);
        QSignalSpy left(o.get(), &Outbox::left);
        o->accepted(ids[0], ids[0]);
        QCOMPARE(left.first().at(0).value<Message>().status, S::Delivered);
    }

    // A reply the upstream failed after accepting it is queued again at the end for Retry.
    void requeueForARetryAfterAcceptance()
    {
        auto o = outbox();
        const QString a = o->add(QStringLiteral("a"))->id;
        o->takeNext();
        Message handed;
        connect(o.get(), &Outbox::left, this, [&](const Message &m) { handed = m; });
        o->accepted(a, a);
        handed.status = S::Failed; // the upstream's word, later
        handed.error = QStringLiteral("Not on WhatsApp");
        const QString b = o->add(QStringLiteral("b"))->id;
        QVERIFY(o->requeue(handed));
        QVERIFY(!o->requeue(handed)); // once
        QCOMPARE(idsOf(*o), (QStringList {b, a}));
        QCOMPARE(o->find(a)->message.status, S::Pending);
        QVERIFY(o->find(a)->message.error.isEmpty());
        QCOMPARE(textsOf(stored()), (QStringList {u"b"_qs, u"a"_qs}));
        handed.status = S::Read;
        QVERIFY(!outbox(QStringLiteral("x"))->requeue(handed)); // only a failed reply is retried
    }

    // A reply the upstream failed after acceptance comes back in its place, before the replies written
    // after it, and holds them; so it does after a restart. Discarding it dismisses it (the server has it).
    void aReplyFailedUpstreamComesBackInItsPlace()
    {
        QString a;
        QStringList later;
        {
            auto o = outbox();
            a = o->add(QStringLiteral("a"))->id;
            o->takeNext();
            Message handed;
            connect(o.get(), &Outbox::left, this, [&](const Message &m) { handed = m; });
            o->accepted(a, a);
            later << o->add(QStringLiteral("b"))->id << o->add(QStringLiteral("c"))->id;
            o->takeNext(); // b is on the wire when the upstream's "failed" for a comes
            handed.status = S::Failed;
            handed.error = QStringLiteral("Window closed");
            QVERIFY(o->holdFailed(handed));
            QVERIFY(!o->holdFailed(handed));
            QCOMPARE(idsOf(*o), (QStringList {later[0], a, later[1]})); // never before the one on the wire
            QVERIFY(o->find(later[1])->blocked);
            o->accepted(later[0], later[0]);
            QVERIFY(!o->takeNext()); // c waits behind the failed a
        }
        auto o = outbox();
        QCOMPARE(idsOf(*o), (QStringList {a, later[1]}));
        QCOMPARE(o->find(a)->message.status, S::Failed);
        QCOMPARE(o->find(a)->message.error, u"Window closed");
        QVERIFY(o->find(later[1])->blocked);
        QSignalSpy left(o.get(), &Outbox::left);
        QVERIFY(o->discard(a));
        QCOMPARE(left.first().at(1).value<Outcome>(), Outcome::Discarded); // restored: not known to be the server's
    }

    // The file is copied before the reply is shown: deleting the original loses nothing, the copy comes
    // back with the reply after a restart, and it goes when the reply leaves.
    void anAttachmentIsCopiedBeforeTheReplyIsShown()
    {
        QTemporaryDir source;
        const QString original = writePng(source, QStringLiteral("receipt.png"));
        const QByteArray bytes = contentOf(original);
        Attachment chosen = AttachmentRules::describe(original);
        QCOMPARE(chosen.mimeType, u"image/png");
        QCOMPARE(chosen.fileName, u"receipt.png");
        chosen.width = 800;
        chosen.height = 600;
        auto o = outbox();
        bool copiedWhenShown = false;
        connect(o.get(), &Outbox::added, this, [&](const Message &m) {
            copiedWhenShown = contentOf(m.attachment.localPath) == bytes && stored().size() == 1;
        });
        const auto reply = o->add(QStringLiteral(" the receipt "), chosen);
        QVERIFY(reply);
        QVERIFY(copiedWhenShown);
        QCOMPARE(reply->text, u"the receipt");
        QVERIFY(reply->attachment.localPath != original);
        QVERIFY(reply->attachment.localPath.startsWith(m_store->copies()->root()));
        QVERIFY(QFile::remove(original));

        o.reset();
        auto restored = outbox();
        const Attachment back = restored->find(reply->id)->message.attachment;
        QCOMPARE(back.fileName, u"receipt.png");
        QCOMPARE(back.mimeType, u"image/png");
        QCOMPARE(back.size, qint64(bytes.size()));
        QCOMPARE(back.width, 800);
        QCOMPARE(contentOf(back.localPath), bytes);
        QVERIFY(restored->takeNext());
        restored->uploaded(reply->id, QStringLiteral("http://b/m/1"), Attachment {});
        restored->accepted(reply->id, reply->id);
        QVERIFY(!QFile::exists(back.localPath));
        QVERIFY(QDir(m_store->copies()->root()).isEmpty());
    }

    void whatTheContractRefusesIsNeitherWrittenNorCopied()
    {
        QTemporaryDir source;
        QFile page(source.filePath(QStringLiteral("page.png"))); // the name says PNG, the bytes say HTML
        QVERIFY(page.open(QIODevice::WriteOnly));
        page.write("<!DOCTYPE html><html><script>alert(1)</script></html>");
        page.close();
        QFile huge(source.filePath(QStringLiteral("huge.png")));
        QVERIFY(huge.open(QIODevice::WriteOnly));
        huge.write(QByteArray("\x89PNG\r\n\x1a\n", 8));
        QVERIFY(huge.resize(AttachmentRules::MaxBytes + 1));
        huge.close();
        auto o = outbox();
        for (const QString &path : {page.fileName(), huge.fileName(), source.filePath(QStringLiteral("gone.png"))}) {
            QString error;
            QVERIFY(!o->add(QStringLiteral("x"), AttachmentRules::describe(path), &error));
            QVERIFY2(error.contains(QFileInfo(path).fileName()), qPrintable(error));
        }
        QVERIFY(o->isEmpty());
        QVERIFY(stored().isEmpty());
        QVERIFY(QDir(m_store->copies()->root()).isEmpty());
        // A picture alone, without words, is a reply.
        QVERIFY(o->add(QString(), AttachmentRules::describe(writePng(source, QStringLiteral("a.png")))));
    }

    // The upload is the first step of the head's sending: the reply stays on the wire and pending through
    // it; its mediaUrl is on disk before the POST, so a restart sends without uploading again.
    void theUploadIsAStepOfTheHeadsSending()
    {
        QTemporaryDir source;
        auto o = outbox();
        const QString id = o->add(QString(), AttachmentRules::describe(writePng(source, QStringLiteral("a.png"))))->id;
        o->add(QStringLiteral("behind"));
        QVERIFY(o->takeNext());
        QSignalSpy progressed(o.get(), &Outbox::uploadProgressed);
        o->uploadStarted(id);
        o->uploadProgress(id, 50, 200);
        o->uploadProgress(id, 50, 200); // no news
        QCOMPARE(progressed.size(), 2);
        QVERIFY(o->find(id)->uploading);
        QCOMPARE(o->find(id)->uploadSent, 50);
        QVERIFY(!o->canDiscard(id)); // on the wire
        Attachment atServer;
        atServer.mimeType = QStringLiteral("image/png");
        atServer.size = 116;
        atServer.width = 3;
        atServer.height = 2;
        o->uploaded(id, QStringLiteral("http://b/media/1"), atServer);
        QVERIFY(!o->find(id)->uploading);
        QVERIFY(o->find(id)->inFlight); // the POST follows
        QCOMPARE(o->find(id)->message.status, S::Pending);
        QCOMPARE(stored().first().mediaUrl, u"http://b/media/1");
        QCOMPARE(stored().first().attachment.width, 3);
        QVERIFY(!o->cancelUpload(id)); // uploaded: the POST cannot be called back
    }

    void aFailedUploadFailsTheReplyAndRetryUploadsAgain()
    {
        QTemporaryDir source;
        auto o = outbox();
        const QString id = o->add(QString(), AttachmentRules::describe(writePng(source, QStringLiteral("a.png"))))->id;
        QVERIFY(o->takeNext());
        o->uploadStarted(id);
        o->postFailed(id, QStringLiteral("File too large"));
        QVERIFY(!o->find(id)->uploading);
        QCOMPARE(o->find(id)->message.status, S::Failed);
        QVERIFY(o->retry(id));
        const auto again = o->takeNext();
        QCOMPARE(again->id, id); // the same id: the same Idempotency-Key
        QVERIFY(again->mediaUrl.isEmpty());
        QVERIFY(QFile::exists(again->attachment.localPath));
    }

    void aCancelledUploadIsADiscardedReply()
    {
        QTemporaryDir source;
        auto o = outbox();
        const auto reply = o->add(QString(), AttachmentRules::describe(writePng(source, QStringLiteral("a.png"))));
        QVERIFY(!o->cancelUpload(reply->id)); // not uploading yet
        QVERIFY(o->takeNext());
        o->uploadStarted(reply->id);
        QSignalSpy left(o.get(), &Outbox::left);
        QVERIFY(o->cancelUpload(reply->id));
        QCOMPARE(left.first().at(1).value<Outcome>(), Outcome::Discarded);
        QVERIFY(o->isEmpty());
        QVERIFY(stored().isEmpty());
        QVERIFY(!QFile::exists(reply->attachment.localPath));
    }

    // A crash between the copy and the row leaves a folder no reply names: the next start removes it.
    void copiesACrashLeftBehindAreSwept()
    {
        QTemporaryDir source;
        const QString kept
            = outbox()->add(QString(), AttachmentRules::describe(writePng(source, QStringLiteral("a.png"))))->id;
        const QString root = m_store->copies()->root();
        QVERIFY(QDir().mkpath(root + QStringLiteral("/msg_1_deadbeef")));
        QFile orphan(root + QStringLiteral("/msg_1_deadbeef/b.png"));
        QVERIFY(orphan.open(QIODevice::WriteOnly));
        orphan.close();
        const QString path = m_store->copies()->pathFor(kept, QStringLiteral("a.png"));
        m_store = std::make_unique<OutboxStore>();
        QVERIFY(m_store->open(QFileInfo(root).absolutePath() + QStringLiteral("/outbox.sqlite")));
        QVERIFY(!QFile::exists(orphan.fileName()));
        QVERIFY(QFile::exists(path));
    }

    void aBrokenStoreSaysSoOnceAndKeepsWorking()
    {
        QFile corrupt(m_dir.filePath(QStringLiteral("corrupt.sqlite")));
        QVERIFY(corrupt.open(QIODevice::WriteOnly));
        corrupt.write(QByteArray(4096, 'z'));
        corrupt.close();
        OutboxStore broken;
        QVERIFY(!broken.open(corrupt.fileName()));
        Outbox o(&broken, QStringLiteral("t"), QStringLiteral("c"));
        QVERIFY(!o.storageProblem().isEmpty());
        QSignalSpy failed(&o, &Outbox::storageFailed);
        QVERIFY(o.add(QStringLiteral("a")));
        QVERIFY(o.add(QStringLiteral("b")));
        QCOMPARE(failed.size(), 1);
        QCOMPARE(o.size(), 2);
        QVERIFY(o.takeNext());

        Outbox memoryOnly(nullptr, QStringLiteral("t"), QStringLiteral("c"));
        QVERIFY(memoryOnly.storageProblem().isEmpty());
        QVERIFY(memoryOnly.add(QStringLiteral("a")));
    }
};

QTEST_GUILESS_MAIN(tst_Outbox)
#include "tst_outbox.moc"
