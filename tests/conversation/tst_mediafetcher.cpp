// The media cache every conversation shares (MediaFetcher over MediaCache), against an HTTP server on
// 127.0.0.1:0 that can hold a download halfway: nothing but finished files is ever handed out, one
// conversation's trim never removes what another one is downloading, the cache keeps within its limit
// by least recent use (files found on disk at start included) while the file just fetched stays, and a
// download cut short by a crash is gone at the next start.
#include "mediacache.h"
#include "mediafetcher.h"
#include "widgetapiclient.h"

#include <QDir>
#include <QDirIterator>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <ctime>
#include <utime.h>

namespace {

// Answers GET /media/<name> with <name>'s bytes; a name starting with "slow" gets its first half at once
// and the rest only when release() is called.
class MediaServer : public QObject
{
public:
    MediaServer()
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { answer(socket); });
        });
    }
    QUrl base() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort())); }
    QString url(const QString &name) const { return base().toString() + QStringLiteral("/media/") + name; }
    static QByteArray bytesOf(const QString &name, int size)
    {
        QByteArray bytes(size, Qt::Uninitialized);
        for (int i = 0; i < size; ++i)
            bytes[i] = char('a' + (i + name.size()) % 26);
        return bytes;
    }
    void setSize(const QString &name, int size) { m_sizes.insert(name, size); }
    void release()
    {
        for (const auto &[socket, rest] : std::as_const(m_held))
            socket->write(rest);
        m_held.clear();
    }
    int held() const { return int(m_held.size()); }
    int requests = 0;

private:
    void answer(QTcpSocket *socket)
    {
        m_heads[socket] += socket->readAll();
        if (!m_heads[socket].contains("\r\n\r\n"))
            return;
        const QByteArray head = m_heads.take(socket);
        const QString path = QString::fromLatin1(head.split(' ').value(1));
        const QString name = path.section(u'/', -1);
        const QByteArray body = bytesOf(name, m_sizes.value(name, 1000));
        ++requests;
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n");
        if (name.startsWith(u"slow")) {
            socket->write(body.left(body.size() / 2));
            m_held.emplace_back(socket, body.mid(body.size() / 2));
        } else {
            socket->write(body);
        }
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_heads;
    QHash<QString, int> m_sizes;
    std::vector<std::pair<QTcpSocket *, QByteArray>> m_held;
};

QStringList finishedFiles(const QString &dir) // every file outside the hidden folders
{
    QStringList files;
    for (const QString &folder : QDir(dir).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        for (QDirIterator it(dir + u'/' + folder, QDir::Files | QDir::Hidden); it.hasNext();)
            files.append(it.next());
    }
    return files;
}

} // namespace

class TestMediaFetcher : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_cacheDir;
    std::unique_ptr<MediaServer> m_server;
    std::unique_ptr<WidgetApiClient> m_api;

    QString cacheDir() const { return m_cacheDir->path(); }

private slots:
    void init()
    {
        m_cacheDir = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<MediaServer>();
        m_api = std::make_unique<WidgetApiClient>();
        ApiConfig config;
        config.baseUrl = m_server->base();
        config.tenant = QStringLiteral("t1");
        config.token = QStringLiteral("media-fetcher-token");
        m_api->setConfig(config);
    }
    void cleanup()
    {
        m_api.reset();
        m_server.reset();
        m_cacheDir.reset();
    }

    // Halfway through a download nothing of it is where the cache looks; at the end the whole file is.
    void onlyFinishedFilesAreHandedOut()
    {
        MediaFetcher fetcher(m_api.get(), cacheDir());
        QSignalSpy ready(&fetcher, &MediaFetcher::mediaReady);
        const QString url = m_server->url(u"slow-receipt.pdf"_qs);
        m_server->setSize(u"slow-receipt.pdf"_qs, 512 * 1024);
        fetcher.fetch(url, u"receipt.pdf"_qs);
        QTRY_COMPARE(m_server->held(), 1);
        // Something that must not happen cannot be waited for: give the first half time to arrive.
        QTest::qWait(50);
        QVERIFY(fetcher.cachedPath(url).isEmpty());
        QCOMPARE(finishedFiles(cacheDir()), QStringList());
        m_server->release();
        QVERIFY(ready.wait(5000));
        const QString path = ready.first().at(1).toString();
        QCOMPARE(fetcher.cachedPath(url), path);
        QCOMPARE(finishedFiles(cacheDir()), QStringList {path});
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), MediaServer::bytesOf(u"slow-receipt.pdf"_qs, 512 * 1024));
        QVERIFY(QDir(cacheDir() + u"/.incoming"_qs).isEmpty());
    }

    // Two conversations share the cache: one finishing a download and trimming the cache does not take
    // away the other's download on its way, nor the file it has just fetched.
    void aTrimNeverTakesAnotherConversationsDownload()
    {
        MediaFetcher first(m_api.get(), cacheDir());
        MediaFetcher second(m_api.get(), cacheDir());
        QCOMPARE(&first.cache(), &second.cache());
        first.cache().setLimit(1); // everything but the newest goes
        QSignalSpy firstReady(&first, &MediaFetcher::mediaReady);
        QSignalSpy firstFailed(&first, &MediaFetcher::mediaFailed);
        QSignalSpy secondReady(&second, &MediaFetcher::mediaReady);
        m_server->setSize(u"slow-photo.pdf"_qs, 256 * 1024);
        first.fetch(m_server->url(u"slow-photo.pdf"_qs), u"photo.pdf"_qs);
        QTRY_COMPARE(m_server->held(), 1);
        second.fetch(m_server->url(u"quick.pdf"_qs), u"quick.pdf"_qs);
        QVERIFY(secondReady.wait(5000));
        QVERIFY(QFile::exists(secondReady.first().at(1).toString())); // the file just fetched stays
        m_server->release();
        QVERIFY(firstReady.wait(5000));
        QCOMPARE(firstFailed.size(), 0);
        const QString photo = firstReady.first().at(1).toString();
        QCOMPARE(QFileInfo(photo).size(), 256 * 1024);
        QCOMPARE(finishedFiles(cacheDir()), QStringList {photo}); // now the quick one was the older
    }

    // The cache keeps within its limit by least recent use, counting what earlier sessions left.
    void theLeastRecentlyUsedGoFirst()
    {
        {
            MediaFetcher earlier(m_api.get(), cacheDir());
            QSignalSpy ready(&earlier, &MediaFetcher::mediaReady);
            int minutesAgo = 30;
            for (const QString &name : {u"a.pdf"_qs, u"b.pdf"_qs, u"c.pdf"_qs}) {
                earlier.fetch(m_server->url(name), name);
                QVERIFY(ready.wait(5000));
                QFile file(ready.last().at(1).toString()); // last used in that order, minutes apart
                QVERIFY(file.open(QIODevice::ReadWrite));
                QVERIFY(file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-60 * minutesAgo--),
                    QFileDevice::FileModificationTime));
            }
            QCOMPARE(earlier.cache().totalBytes(), 3000);
        }
        {
            MediaFetcher fetcher(m_api.get(), cacheDir()); // a new session: the index is read from disk
            QCOMPARE(fetcher.cache().totalBytes(), 3000);
            QVERIFY(!fetcher.cachedPath(m_server->url(u"a.pdf"_qs)).isEmpty()); // a is used again now
            fetcher.cache().setLimit(2500);
            QSignalSpy ready(&fetcher, &MediaFetcher::mediaReady);
            fetcher.fetch(m_server->url(u"d.pdf"_qs), u"d.pdf"_qs);
            QVERIFY(ready.wait(5000));
            QFile d(ready.last().at(1).toString()); // fetched a minute before a is used below
            QVERIFY(d.open(QIODevice::ReadWrite));
            QVERIFY(d.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-60), QFileDevice::FileModificationTime));
            QCOMPARE(fetcher.cache().totalBytes(), 2000); // a and d (asking for d would use it now)
            QVERIFY(fetcher.cachedPath(m_server->url(u"b.pdf"_qs)).isEmpty());
            QVERIFY(fetcher.cachedPath(m_server->url(u"c.pdf"_qs)).isEmpty());
            QCOMPARE(finishedFiles(cacheDir()).size(), 2);
            const int requests = m_server->requests;
            fetcher.fetch(m_server->url(u"a.pdf"_qs), u"a.pdf"_qs); // cached: not asked again, used after d
            QVERIFY(ready.wait(5000));
            QCOMPARE(m_server->requests, requests);
        }
        // The session after knows that a was used after d was fetched: d goes first.
        MediaFetcher fetcher(m_api.get(), cacheDir());
        fetcher.cache().setLimit(1000);
        QVERIFY(fetcher.cachedPath(m_server->url(u"d.pdf"_qs)).isEmpty());
        QVERIFY(!fetcher.cachedPath(m_server->url(u"a.pdf"_qs)).isEmpty());
    }

    // A reply's uploaded copy becomes the cached file of its mediaUrl; a file removed behind the cache's
    // back is fetched again; what a crash left in .incoming goes when the cache opens.
    void adoptedFilesAndLeftovers()
    {
        QTemporaryDir outbox;
        const QString copy = outbox.filePath(u"screenshot.png"_qs);
        QFile file(copy);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write("png bytes") == 9);
        file.close();
        const QString url = m_server->url(u"uploaded.png"_qs);
        QString adopted;
        {
            MediaFetcher fetcher(m_api.get(), cacheDir());
            fetcher.adopt(url, copy);
            adopted = fetcher.cachedPath(url);
            QVERIFY(adopted.startsWith(cacheDir()));
            QVERIFY(!QFile::exists(copy));
            QVERIFY(QDir().mkpath(cacheDir() + u"/.incoming/cut-short-1"_qs));
            QFile half(cacheDir() + u"/.incoming/cut-short-1/half.pdf"_qs);
            QVERIFY(half.open(QIODevice::WriteOnly) && half.write("half") == 4);
            half.close();
            // Left by a crash two hours ago.
            const utimbuf twoHoursAgo {std::time(nullptr) - 7200, std::time(nullptr) - 7200};
            QCOMPARE(::utime(QFile::encodeName(cacheDir() + u"/.incoming/cut-short-1"_qs).constData(), &twoHoursAgo), 0);
            // One of another process running now is left alone.
            QVERIFY(QDir().mkpath(cacheDir() + u"/.incoming/running-1"_qs));
        }
        MediaFetcher fetcher(m_api.get(), cacheDir());
        QVERIFY(!QFile::exists(cacheDir() + u"/.incoming/cut-short-1"_qs));
        QVERIFY(QFile::exists(cacheDir() + u"/.incoming/running-1"_qs));
        QCOMPARE(fetcher.cachedPath(url), adopted);
        QVERIFY(QFile::remove(adopted));
        QVERIFY(fetcher.cachedPath(url).isEmpty());
        QCOMPARE(fetcher.cache().totalBytes(), 0);
        QSignalSpy ready(&fetcher, &MediaFetcher::mediaReady);
        fetcher.fetch(url, u"screenshot.png"_qs);
        QVERIFY(ready.wait(5000));
        QCOMPARE(m_server->requests, 1);
    }
};

QTEST_GUILESS_MAIN(TestMediaFetcher)
#include "tst_mediafetcher.moc"
