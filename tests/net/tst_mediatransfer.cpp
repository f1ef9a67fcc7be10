// WidgetApiClient's uploads and media downloads (CONTRACT.md §5) against the real widget-server on
// 127.0.0.1:0: the multipart request the contract names, Idempotency-Key = messageId on every attempt,
// progress, 413 failing at once and 5xx retried, cancel, the token only in a header and only to the
// backend's own origin; and the media fields' parser.
#include "mediadesk.h"
#include "mediajson.h"
#include "mediastore.h"
#include "widgetapiclient.h"
#include "widgetserver.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QByteArray Png = QByteArray::fromBase64(
    "iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAFElEQVR4nGP4z8Dwn4GBgYGJAQoAJ+gD/XtkIzQAAAAASUVORK5CYII=");

} // namespace

class TestMediaTransfer : public QObject
{
    Q_OBJECT

    std::unique_ptr<WidgetServer> m_server;
    QTemporaryDir m_dir;

    std::unique_ptr<WidgetApiClient> client(const QUrl &url = {}) const
    {
        auto c = std::make_unique<WidgetApiClient>();
        c->setConfig(ApiConfig {url.isEmpty() ? m_server->baseUrl() : url, QStringLiteral("t1"), QStringLiteral("i1"),
            QStringLiteral("secret"), 5000});
        return c;
    }
    OutgoingUpload upload(
        const QString &name, const QByteArray &bytes, const QString &type = QStringLiteral("image/png"))
    {
        QFile file(m_dir.filePath(name));
        file.open(QIODevice::WriteOnly);
        file.write(bytes);
        Attachment a;
        a.fileName = name;
        a.mimeType = type;
        a.size = bytes.size();
        a.localPath = file.fileName();
        return OutgoingUpload {QStringLiteral("msg_1_cafe0001"), QStringLiteral("c1"), a};
    }

private slots:
    void init()
    {
        m_server = std::make_unique<WidgetServer>();
        m_server->setToken(QStringLiteral("secret"));
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
        m_server->addConversation(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("Ana"));
    }

    void uploadsAsTheContractSays()
    {
        auto api = client();
        QSignalSpy accepted(api.get(), &WidgetApiClient::uploadAccepted);
        QSignalSpy progress(api.get(), &WidgetApiClient::uploadProgress);
        api->upload(upload(QStringLiteral("Quittung März.png"), Png));
        QVERIFY(api->isUploading(QStringLiteral("msg_1_cafe0001")));
        QVERIFY(accepted.wait());
        QVERIFY(!api->isUploading(QStringLiteral("msg_1_cafe0001")));
        QCOMPARE(accepted.first().at(0).toString(), u"msg_1_cafe0001");
        const auto result = accepted.first().at(1).value<Wire::UploadResult>();
        QVERIFY(api->isOwnOrigin(QUrl(result.mediaUrl)));
        QCOMPARE(result.attachment.fileName, u"Quittung März.png"); // the exact name, through filename*
        QCOMPARE(result.attachment.mimeType, u"image/png");
        QCOMPARE(result.attachment.size, Png.size());
        QCOMPARE(result.attachment.width, 3);
        QCOMPARE(result.attachment.height, 2);
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(1).toLongLong(), progress.last().at(2).toLongLong()); // all of it went

        // The same messageId again: the same answer, stored once.
        QSignalSpy again(api.get(), &WidgetApiClient::uploadAccepted);
        api->upload(upload(QStringLiteral("Quittung März.png"), Png));
        QVERIFY(again.wait());
        QCOMPARE(again.first().at(1).value<Wire::UploadResult>().mediaUrl, result.mediaUrl);
        QCOMPARE(m_server->mediaDesk()->store().memoryBytes(), Png.size());

        // Back with the token in a header (the URL carries none), into a file.
        QSignalSpy fetched(api.get(), &WidgetApiClient::mediaFetched);
        const QString target = m_dir.filePath(QStringLiteral("back.png"));
        QVERIFY(!result.mediaUrl.contains(u"secret"));
        const quint64 request = api->fetchMedia(QUrl(result.mediaUrl), target);
        QVERIFY(request > 0);
        QVERIFY(fetched.wait());
        QCOMPARE(fetched.first().at(0).toULongLong(), request);
        QFile back(target);
        QVERIFY(back.open(QIODevice::ReadOnly));
        QCOMPARE(back.readAll(), Png);
    }

    // 413 is final: one attempt, failed at once with the server's words.
    void tooLargeFailsAtOnce()
    {
        m_server->setMaxUploadBytes(10);
        auto api = client();
        QSignalSpy attempts(api.get(), &WidgetApiClient::uploadAttemptStarted);
        QSignalSpy failed(api.get(), &WidgetApiClient::uploadFailed);
        api->upload(upload(QStringLiteral("a.png"), Png));
        QVERIFY(failed.wait());
        QCOMPARE(attempts.size(), 1);
        const auto error = failed.first().at(1).value<Wire::ApiError>();
        QCOMPARE(error.httpStatus, 413);
        QCOMPARE(error.code, u"MEDIA_TOO_LARGE");
        QVERIFY(!QTest::qWaitFor([&] { return attempts.size() > 1; }, 600));
    }

    // 5xx is retried like a send (100, 200, 400 ms), with the same Idempotency-Key, then fails.
    void serverErrorsAreRetriedThenFail()
    {
        m_server->mediaDesk()->store().setMemoryCap(1); // 507 to every upload
        auto api = client();
        QSignalSpy attempts(api.get(), &WidgetApiClient::uploadAttemptStarted);
        QSignalSpy failed(api.get(), &WidgetApiClient::uploadFailed);
        api->upload(upload(QStringLiteral("a.png"), Png));
        QVERIFY(failed.wait(5000));
        QCOMPARE(attempts.size(), 4);
        QCOMPARE(failed.first().at(1).value<Wire::ApiError>().httpStatus, 507);
    }

    void aCancelledUploadReportsNothing()
    {
        auto api = client();
        QSignalSpy accepted(api.get(), &WidgetApiClient::uploadAccepted);
        QSignalSpy failed(api.get(), &WidgetApiClient::uploadFailed);
        api->upload(upload(QStringLiteral("a.png"), Png));
        api->cancelUpload(QStringLiteral("msg_1_cafe0001"));
        QVERIFY(!api->isUploading(QStringLiteral("msg_1_cafe0001")));
        QVERIFY(!QTest::qWaitFor([&] { return !accepted.isEmpty() || !failed.isEmpty(); }, 500));
    }

    void aMissingFileFailsWithoutARequest()
    {
        auto api = client();
        QSignalSpy attempts(api.get(), &WidgetApiClient::uploadAttemptStarted);
        QSignalSpy failed(api.get(), &WidgetApiClient::uploadFailed);
        OutgoingUpload gone = upload(QStringLiteral("a.png"), Png);
        QFile::remove(gone.attachment.localPath);
        api->upload(gone);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().at(1).value<Wire::ApiError>().code, u"FILE");
        QCOMPARE(attempts.size(), 0);
    }

    // The token goes only to the backend's own origin: a mediaUrl naming any other is not fetched.
    void theTokenStaysWithTheBackend_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("own");
        const QString base = QStringLiteral("http://127.0.0.1:%1").arg(8080);
        QTest::newRow("same") << base + QStringLiteral("/api/v1/widget/media/x") << true;
        QTest::newRow("other port") << u"http://127.0.0.1:8081/m"_qs << false;
        QTest::newRow("other host") << u"http://evil.example/m"_qs << false;
        QTest::newRow("https") << u"https://127.0.0.1:8080/m"_qs << false;
        QTest::newRow("user info") << u"http://x@127.0.0.1:8080/m"_qs << false;
        QTest::newRow("file") << u"file:///etc/passwd"_qs << false;
        QTest::newRow("relative") << u"/api/v1/widget/media/x"_qs << false;
    }
    void theTokenStaysWithTheBackend()
    {
        QFETCH(QString, url);
        QFETCH(bool, own);
        auto api = client(QUrl(QStringLiteral("http://127.0.0.1:8080")));
        QCOMPARE(api->isOwnOrigin(QUrl(url)), own);
        if (!own)
            QCOMPARE(api->fetchMedia(QUrl(url), m_dir.filePath(QStringLiteral("x"))), 0);
    }

    void aMissingMediaIsAFailure()
    {
        auto api = client();
        QSignalSpy failed(api.get(), &WidgetApiClient::mediaFetchFailed);
        const QString target = m_dir.filePath(QStringLiteral("none"));
        api->fetchMedia(QUrl(m_server->baseUrl().toString()
                            + QStringLiteral("/api/v1/widget/media/0123456789abcdef0123456789abcdef")),
            target);
        QVERIFY(failed.wait());
        QCOMPARE(failed.first().at(1).value<Wire::ApiError>().httpStatus, 404);
        QVERIFY(!QFile::exists(target));
    }

    void uploadAnswersAreRead_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("width");
        QTest::addColumn<QString>("fileName");
        QTest::newRow("full") << QByteArray("{\"mediaUrl\":\"http://h/m/1\",\"mimeType\":\"image/"
                                            "png\",\"size\":5,\"fileName\":\"a.png\",\"width\":8,\"height\":6}")
                              << true << 8 << u"a.png"_qs;
        QTest::newRow("no name: from the URL")
            << QByteArray("{\"mediaUrl\":\"http://h/m/b.pdf\"}") << true << 0 << u"b.pdf"_qs;
        QTest::newRow("absurd size") << QByteArray("{\"mediaUrl\":\"http://h/m/1\",\"width\":1e300,\"height\":5}")
                                     << true << 0 << u"1"_qs;
        QTest::newRow("one side") << QByteArray("{\"mediaUrl\":\"http://h/m/1\",\"width\":5}") << true << 0 << u"1"_qs;
        QTest::newRow("path in name") << QByteArray("{\"mediaUrl\":\"http://h/m/1\",\"fileName\":\"../../x.png\"}")
                                      << true << 0 << u"_.._x.png"_qs;
        QTest::newRow("relative") << QByteArray("{\"mediaUrl\":\"/m/1\"}") << false << 0 << QString();
        QTest::newRow("no url") << QByteArray("{\"size\":1}") << false << 0 << QString();
        QTest::newRow("not json") << QByteArray("<html>") << false << 0 << QString();
    }
    void uploadAnswersAreRead()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, ok);
        QFETCH(int, width);
        QFETCH(QString, fileName);
        const auto result = Wire::parseUploadReply(body);
        QCOMPARE(bool(result), ok);
        if (result) {
            QCOMPARE(result->attachment.width, width);
            QCOMPARE(result->attachment.fileName, fileName);
        }
    }
};

QTEST_GUILESS_MAIN(TestMediaTransfer)
#include "tst_mediatransfer.moc"
