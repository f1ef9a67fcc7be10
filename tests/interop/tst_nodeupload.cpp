// WidgetApiClient's uploads and media downloads (CONTRACT.md §5) against a backend that is not ours:
// upload-server.js, express with multer (pinned in package.json). The multipart request multer reads
// (the part `file`, its exact file name and type), Idempotency-Key = messageId giving the same answer
// and one stored copy, 413 from the request head failing at once, 415 for bytes that are not what they
// claim, and the media fetched back with the token in a header, never in a URL.
#include "nodeserver.h"
#include "widgetapiclient.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QByteArray Png = QByteArray::fromBase64(
    "iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAFElEQVR4nGP4z8Dwn4GBgYGJAQoAJ+gD/XtkIzQAAAAASUVORK5CYII=");
const QString Token = QStringLiteral("node-secret");

} // namespace

class TestNodeUpload : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    std::unique_ptr<WidgetApiClient> client(const NodeServer &server) const
    {
        auto c = std::make_unique<WidgetApiClient>();
        c->setConfig(ApiConfig {QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.port())), QStringLiteral("t1"),
            QStringLiteral("i1"), Token, 5000});
        return c;
    }
    OutgoingUpload upload(const QString &messageId, const QString &name, const QByteArray &bytes,
        const QString &type = QStringLiteral("image/png"))
    {
        QFile file(m_dir.filePath(messageId + u'-' + name));
        file.open(QIODevice::WriteOnly);
        file.write(bytes);
        Attachment a;
        a.fileName = name;
        a.mimeType = type;
        a.size = bytes.size();
        a.localPath = file.fileName();
        return OutgoingUpload {messageId, QStringLiteral("c1"), a};
    }

private slots:
    void uploadsAndFetchesBack()
    {
        NodeServer server(nodeEnvironment(Token, {QStringLiteral("TENANT=t1")}), QStringLiteral("upload-server.js"));
        REQUIRE(server.waitUntilListening());
        auto api = client(server);
        QSignalSpy accepted(api.get(), &WidgetApiClient::uploadAccepted);
        api->upload(upload(QStringLiteral("msg_1_node0001"), QStringLiteral("Quittung März.png"), Png));
        QVERIFY(accepted.wait());
        const auto result = accepted.first().at(1).value<Wire::UploadResult>();
        QVERIFY(api->isOwnOrigin(QUrl(result.mediaUrl)));
        QCOMPARE(result.attachment.fileName, u"Quittung März.png"); // multer read the exact name
        QCOMPARE(result.attachment.mimeType, u"image/png");
        QCOMPARE(result.attachment.size, Png.size());
        QCOMPARE(result.attachment.width, 3);
        QCOMPARE(result.attachment.height, 2);
        QTRY_COMPARE(server.count(u"upload"), 1);
        const QJsonObject seen = server.events(u"upload").first();
        QCOMPARE(seen.value(u"key").toString(), u"msg_1_node0001");
        QVERIFY(seen.value(u"auth").toBool());
        QVERIFY(!seen.value(u"tokenInUrl").toBool());

        // The same messageId again: the same answer, nothing stored anew.
        QSignalSpy again(api.get(), &WidgetApiClient::uploadAccepted);
        api->upload(upload(QStringLiteral("msg_1_node0001"), QStringLiteral("Quittung März.png"), Png));
        QVERIFY(again.wait());
        QCOMPARE(again.first().at(1).value<Wire::UploadResult>().mediaUrl, result.mediaUrl);
        QTRY_COMPARE(server.count(u"upload"), 2);
        QCOMPARE(server.events(u"upload").last().value(u"stored").toBool(), false);

        QSignalSpy fetched(api.get(), &WidgetApiClient::mediaFetched);
        const QString target = m_dir.filePath(QStringLiteral("back.png"));
        QVERIFY(api->fetchMedia(QUrl(result.mediaUrl), target) > 0);
        QVERIFY(fetched.wait());
        QFile back(target);
        QVERIFY(back.open(QIODevice::ReadOnly));
        QCOMPARE(back.readAll(), Png);
        QTRY_COMPARE(server.count(u"media"), 1);
        QVERIFY(server.events(u"media").first().value(u"auth").toBool());
        QVERIFY(!server.events(u"media").first().value(u"tokenInUrl").toBool());
    }

    // Every upload's multipart is read as such: its boundary is a valid token (Qt's own may hold a '/',
    // and then express sees no multipart body at all, one upload in a few).
    void everyBoundaryIsReadByMulter()
    {
        NodeServer server(nodeEnvironment(Token, {QStringLiteral("TENANT=t1")}), QStringLiteral("upload-server.js"));
        REQUIRE(server.waitUntilListening());
        auto api = client(server);
        QSignalSpy accepted(api.get(), &WidgetApiClient::uploadAccepted);
        QSignalSpy failed(api.get(), &WidgetApiClient::uploadFailed);
        for (int i = 0; i < 20; ++i)
            api->upload(upload(QStringLiteral("msg_%1_node1000").arg(i + 10), QStringLiteral("a.png"), Png));
        QTRY_COMPARE(accepted.size() + failed.size(), 20);
        QCOMPARE(failed.size(), 0);
    }

    // 413 from the head is final (one attempt, the server's words); 415 for a PNG that is not one.
    void refusalsAreFinal()
    {
        NodeServer server(nodeEnvironment(Token, {QStringLiteral("TENANT=t1"), QStringLiteral("MAX_UPLOAD_BYTES=500")}),
            QStringLiteral("upload-server.js"));
        REQUIRE(server.waitUntilListening());
        auto api = client(server);
        QSignalSpy attempts(api.get(), &WidgetApiClient::uploadAttemptStarted);
        QSignalSpy failed(api.get(), &WidgetApiClient::uploadFailed);
        api->upload(upload(QStringLiteral("msg_2_node0002"), QStringLiteral("big.png"), Png + QByteArray(1000, 'x')));
        QVERIFY(failed.wait());
        QCOMPARE(attempts.size(), 1);
        QCOMPARE(failed.first().at(1).value<Wire::ApiError>().httpStatus, 413);
        QCOMPARE(failed.first().at(1).value<Wire::ApiError>().code, u"MEDIA_TOO_LARGE");

        failed.clear();
        api->upload(upload(QStringLiteral("msg_3_node0003"), QStringLiteral("fake.png"), QByteArray("MZ not a png"),
            QStringLiteral("image/png")));
        QVERIFY(failed.wait());
        QCOMPARE(failed.first().at(1).value<Wire::ApiError>().httpStatus, 415);
        QCOMPARE(failed.first().at(1).value<Wire::ApiError>().code, u"MEDIA_TYPE_NOT_ALLOWED");
    }
};

QTEST_GUILESS_MAIN(TestNodeUpload)
#include "tst_nodeupload.moc"
