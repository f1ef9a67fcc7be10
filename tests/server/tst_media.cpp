// Uploads and media of widget-server (CONTRACT.md §5), in-process on 127.0.0.1: the answer and the bytes
// back, limits before the body is read, idempotency on Idempotency-Key (also across a restart on a data
// dir), the type read from the bytes, tenant isolation of media URLs, traversal attempts, the memory cap,
// the media fields in history, and a media reply going through the simulated upstream like text.
#include "conversationstore.h"
#include "demoseed.h"
#include "mediadesk.h"
#include "rawhttp.h"
#include "simulatedupstream.h"
#include "testclient.h"
#include "tokenregistry.h"

#include <QBuffer>
#include <QImage>
#include <QTemporaryDir>

namespace {

QByteArray encoded(const char *format, QSize size = QSize(40, 30))
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::darkCyan);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, format);
    return bytes;
}

const QByteArray Boundary = "----agentconsole-test-boundary";

QByteArray multipart(const QByteArray &data, const QByteArray &type, const QByteArray &fileName = "photo.png",
    const QByteArray &name = "file")
{
    QByteArray head = "--" + Boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
        + fileName + "\"\r\n";
    if (!type.isEmpty())
        head += "Content-Type: " + type + "\r\n";
    return head + "\r\n" + data + "\r\n--" + Boundary + "--\r\n";
}

using Headers = QList<std::pair<QByteArray, QByteArray>>;

} // namespace

class TestMedia : public QObject
{
    Q_OBJECT

    std::unique_ptr<WidgetServer> m_server;
    std::unique_ptr<HttpClient> m_http;
    QTemporaryDir m_tokens;

    void start(const QString &dataDir = {})
    {
        m_server = std::make_unique<WidgetServer>();
        if (!dataDir.isEmpty())
            QVERIFY(m_server->setDataDir(dataDir));
        QFile tokens(m_tokens.filePath(QStringLiteral("tokens")));
        QVERIFY(tokens.open(QIODevice::WriteOnly));
        tokens.write(TestToken.toUtf8() + " t1\nother-token t2\n");
        tokens.close();
        QVERIFY(m_server->tokenRegistry()->loadFile(tokens.fileName()));
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
        m_server->addConversation(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("Ana"));
        m_server->addConversation(QStringLiteral("t2"), QStringLiteral("c1"), QStringLiteral("Bo"));
        m_http = std::make_unique<HttpClient>(m_server->baseUrl());
    }
    HttpResult upload(const QByteArray &body, const QByteArray &key = "msg_1", const Headers &extra = {},
        const QString &conversation = QStringLiteral("c1"))
    {
        Headers headers {{"Content-Type", "multipart/form-data; boundary=" + Boundary}, {"Idempotency-Key", key}};
        headers += extra;
        return m_http->request(
            "POST", QStringLiteral("/api/v1/widget/upload?conversationId=") + conversation, body, headers);
    }
    HttpResult fetch(const QString &mediaUrl, const Headers &headers = {})
    {
        return m_http->request("GET", QUrl(mediaUrl).path(QUrl::FullyEncoded), {}, headers);
    }
    double metric(const QByteArray &line)
    {
        const QByteArray text = m_http->get(QStringLiteral("/metrics")).body;
        for (const QByteArray &l : text.split('\n')) {
            if (l.startsWith(line + ' '))
                return l.mid(line.size() + 1).toDouble();
        }
        return 0;
    }

private slots:
    void init() { start(); }
    void cleanup()
    {
        m_http.reset();
        m_server.reset();
    }

    void anUploadAndItsBytesBack()
    {
        const QByteArray png = encoded("png");
        const HttpResult r = upload(multipart(png, "image/png", "receipt.png"));
        QCOMPARE(r.status, 200);
        const QString url = r.json.value(u"mediaUrl").toString();
        QVERIFY2(
            url.startsWith(m_server->baseUrl().toString() + QStringLiteral("/api/v1/widget/media/")), qPrintable(url));
        QCOMPARE(r.json.value(u"mimeType").toString(), u"image/png");
        QCOMPARE(r.json.value(u"size").toInt(), png.size());
        QCOMPARE(r.json.value(u"fileName").toString(), u"receipt.png");
        QCOMPARE(r.json.value(u"width").toInt(), 40);
        QCOMPARE(r.json.value(u"height").toInt(), 30);
        const HttpResult back = fetch(url);
        QCOMPARE(back.status, 200);
        QCOMPARE(back.body, png);
        QCOMPARE(back.contentType, QByteArray("image/png"));
        QCOMPARE(back.header("Content-Length"), QByteArray::number(png.size()));
        QCOMPARE(back.header("X-Content-Type-Options"), QByteArray("nosniff"));
        QVERIFY(!back.header("Content-Disposition").startsWith("attachment"));

        // Anything not an image is an attachment: a browser never shows it in its own page.
        const QByteArray pdf = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
        const HttpResult file = upload(multipart(pdf, "application/pdf", "Invoice \\\"März\\\".pdf"), "msg_2");
        QCOMPARE(file.status, 200);
        QVERIFY(!file.json.contains(u"width"));
        const HttpResult pdfBack = fetch(file.json.value(u"mediaUrl").toString());
        QCOMPARE(pdfBack.body, pdf);
        QVERIFY2(pdfBack.header("Content-Disposition").startsWith("attachment; filename=\"Invoice _M_rz_.pdf\""),
            pdfBack.header("Content-Disposition").constData());
        QVERIFY(pdfBack.header("Content-Disposition").contains("filename*=UTF-8''Invoice%20_M%C3%A4rz_.pdf"));
        QCOMPARE(pdfBack.header("X-Content-Type-Options"), QByteArray("nosniff"));
    }

    // The same Idempotency-Key again gets the same answer and stores nothing more; the same bytes under
    // another key are kept once too (content-addressed), with an answer of their own.
    void theSameKeyIsStoredOnce()
    {
        const QByteArray png = encoded("png");
        const HttpResult first = upload(multipart(png, "image/png"), "msg_1");
        const HttpResult again = upload(multipart(png, "image/png"), "msg_1");
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json, first.json);
        QCOMPARE(m_server->mediaDesk()->store().memoryBytes(), png.size());
        const HttpResult other = upload(multipart(png, "image/png"), "msg_2");
        QVERIFY(other.json.value(u"mediaUrl") != first.json.value(u"mediaUrl"));
        QCOMPARE(m_server->mediaDesk()->store().memoryBytes(), png.size());
        QCOMPARE(metric(R"(widget_server_uploads_total{result="stored"})"), 2);
        QCOMPARE(metric(R"(widget_server_uploads_total{result="deduplicated"})"), 1);
        QCOMPARE(metric("widget_server_upload_bytes_total"), 2.0 * png.size());
        QCOMPARE(metric("widget_server_media_memory_bytes"), double(png.size()));
    }

    void theKeyHoldsAcrossARestartOnADataDir()
    {
        QTemporaryDir data;
        start(data.path());
        const QByteArray jpeg = encoded("jpeg", QSize(64, 48));
        const HttpResult first = upload(multipart(jpeg, "image/jpeg", "a.jpg"), "msg_7");
        QCOMPARE(first.status, 200);
        QCOMPARE(first.json.value(u"width").toInt(), 64);
        QCOMPARE(first.json.value(u"height").toInt(), 48);
        start(data.path()); // a new process on the same data dir
        const HttpResult again = upload(multipart(jpeg, "image/jpeg", "a.jpg"), "msg_7");
        QCOMPARE(again.json.value(u"mediaUrl").toString().section(u'/', -1),
            first.json.value(u"mediaUrl").toString().section(u'/', -1));
        QCOMPARE(fetch(again.json.value(u"mediaUrl").toString()).body, jpeg);
        QCOMPARE(metric(R"(widget_server_uploads_total{result="deduplicated"})"), 1);
        QCOMPARE(metric("widget_server_media_memory_bytes"), 0); // on disk
    }

    // Over the limit: refused from the request head, before a byte of the body is sent.
    void tooLargeIsRefusedBeforeTheBody()
    {
        m_server->setMaxUploadBytes(1000);
        RawConnection connection;
        QVERIFY(connection.connectTo(m_server->port()));
        connection.send("POST /api/v1/widget/upload?conversationId=c1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + TestToken.toUtf8() + "\r\nX-Tenant-ID: t1\r\nContent-Type: multipart/form-data; boundary=" + Boundary
            + "\r\nContent-Length: 900000000\r\n\r\n");
        const RawResponse refused = connection.read();
        QCOMPARE(refused.status, 413);
        QCOMPARE(refused.errorCode(), u"MEDIA_TOO_LARGE");
        // Chunked, without a length: refused once the chunks pass the limit.
        RawConnection chunked;
        QVERIFY(chunked.connectTo(m_server->port()));
        chunked.send("POST /api/v1/widget/upload?conversationId=c1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + TestToken.toUtf8() + "\r\nX-Tenant-ID: t1\r\nTransfer-Encoding: chunked\r\n\r\n"
            + QByteArray::number(200000, 16) + "\r\n" + QByteArray(200000, 'x') + "\r\n");
        QCOMPARE(chunked.read().errorCode(), u"MEDIA_TOO_LARGE");
        // A file just over the limit in a body within the framing allowance: refused by the route.
        const HttpResult over
            = upload(multipart(QByteArray("\x89PNG\r\n\x1a\n", 8) + QByteArray(1000, 'p'), "image/png"));
        QCOMPARE(over.status, 413);
        QCOMPARE(over.json.value(u"error").toObject().value(u"code").toString(), u"MEDIA_TOO_LARGE");
        QCOMPARE(metric(R"(widget_server_uploads_total{result="too_large"})"), 3);
        // Other routes keep the REST body cap: the upload's allowance is the upload's alone.
        QCOMPARE(m_http->request("POST", QStringLiteral("/api/v1/widget/send"), QByteArray(70000, ' ')).status, 413);
    }

    // Without a known token nothing of an upload's body is read: 401 from the head, as for a large one.
    void aStrangerIsRefusedBeforeTheBody()
    {
        for (const QByteArray &authorization : {QByteArray("Bearer not-a-token"), QByteArray("Basic abc"), QByteArray()}) {
            RawConnection connection;
            QVERIFY(connection.connectTo(m_server->port()));
            connection.send("POST /api/v1/widget/upload?conversationId=c1 HTTP/1.1\r\nHost: x\r\n"
                + (authorization.isEmpty() ? QByteArray() : "Authorization: " + authorization + "\r\n")
                + "X-Tenant-ID: t1\r\nContent-Type: multipart/form-data; boundary=" + Boundary
                + "\r\nContent-Length: 1000000\r\n\r\n");
            const RawResponse refused = connection.read(); // answered with the body still to come
            QCOMPARE(refused.status, 401);
            QCOMPARE(refused.errorCode(), u"UNAUTHORIZED");
        }
        // However the path is spelt, and a second Authorization is not a way round the first.
        for (const QByteArray &target : {QByteArray("/api/v1/widget/%75pload"), QByteArray("//api/v1/widget/upload/")}) {
            RawConnection spelt;
            QVERIFY(spelt.connectTo(m_server->port()));
            spelt.send("POST " + target + "?conversationId=c1 HTTP/1.1\r\nHost: x\r\nX-Tenant-ID: t1\r\n"
                       "Content-Length: 1000000\r\n\r\n");
            QCOMPARE(spelt.read().status, 401);
        }
        RawConnection twice;
        QVERIFY(twice.connectTo(m_server->port()));
        twice.send("POST /api/v1/widget/upload?conversationId=c1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer x\r\n"
                   "Authorization: Bearer " + TestToken.toUtf8() + "\r\nContent-Length: 1000000\r\n\r\n");
        QCOMPARE(twice.read().status, 400);
        // The same for a chunked body; a known token's upload still goes through.
        RawConnection chunked;
        QVERIFY(chunked.connectTo(m_server->port()));
        chunked.send("POST /api/v1/widget/upload?conversationId=c1 HTTP/1.1\r\nHost: x\r\nX-Tenant-ID: t1\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n");
        QCOMPARE(chunked.read().status, 401);
        QCOMPARE(upload(multipart(QByteArray("\x89PNG\r\n\x1a\n", 8) + QByteArray(100, 'p'), "image/png")).status, 200);
    }

    void typesAreReadFromTheBytes_data()
    {
        QTest::addColumn<QByteArray>("type");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("stored");
        const QByteArray png = encoded("png");
        QTest::newRow("png") << QByteArray("image/png") << png << 200 << u"image/png"_qs;
        QTest::newRow("jpeg") << QByteArray("image/jpeg") << encoded("jpeg") << 200 << u"image/jpeg"_qs;
        QTest::newRow("webp") << QByteArray("image/webp") << encoded("webp") << 200 << u"image/webp"_qs;
        QTest::newRow("png named jpeg") << QByteArray("image/jpeg") << png << 415 << QString();
        QTest::newRow("jpeg named png") << QByteArray("image/png") << encoded("jpeg") << 415 << QString();
        QTest::newRow("html named png") << QByteArray("image/png") << QByteArray("<html><script>x</script>") << 415
                                        << QString();
        QTest::newRow("html") << QByteArray("text/html") << QByteArray("<html></html>") << 415 << QString();
        QTest::newRow("gif, not allowed")
            << QByteArray("image/gif") << QByteArray("GIF89a\1\0\1\0") << 415 << QString();
        QTest::newRow("svg") << QByteArray("image/svg+xml") << QByteArray("<svg onload=x/>") << 415 << QString();
        QTest::newRow("an executable") << QByteArray("application/octet-stream") << QByteArray("MZ\x90\0\3\0\0\0", 8)
                                       << 415 << QString();
        QTest::newRow("no type: sniffed") << QByteArray() << png << 200 << u"image/png"_qs;
        QTest::newRow("pdf") << QByteArray("application/pdf") << QByteArray("%PDF-1.7\n") << 200
                             << u"application/pdf"_qs;
        QTest::newRow("text") << QByteArray("text/plain") << QByteArray("Grüße\r\nline 2\t!") << 200
                              << u"text/plain"_qs;
        QTest::newRow("text with NUL") << QByteArray("text/plain") << QByteArray("a\0b", 3) << 415 << QString();
        QTest::newRow("text, bad UTF-8") << QByteArray("text/plain") << QByteArray("a\xff\xfe") << 415 << QString();
        QTest::newRow("ogg") << QByteArray("audio/ogg") << QByteArray("OggS\0\2", 6) << 200 << u"audio/ogg"_qs;
        QTest::newRow("mp3") << QByteArray("audio/mpeg") << QByteArray("ID3\3\0") << 200 << u"audio/mpeg"_qs;
        QTest::newRow("mp4") << QByteArray("video/mp4")
                             << QByteArray("\0\0\0\x18"
                                           "ftypmp42",
                                    12)
                             << 200 << u"video/mp4"_qs;
    }
    void typesAreReadFromTheBytes()
    {
        QFETCH(QByteArray, type);
        QFETCH(QByteArray, bytes);
        QFETCH(int, status);
        QFETCH(QString, stored);
        const HttpResult r = upload(multipart(bytes, type));
        QCOMPARE(r.status, status);
        if (status == 200)
            QCOMPARE(r.json.value(u"mimeType").toString(), stored);
        else
            QCOMPARE(r.json.value(u"error").toObject().value(u"code").toString(), u"MEDIA_TYPE_NOT_ALLOWED");
    }

    void malformedUploadsGetClearErrors()
    {
        const QByteArray png = encoded("png");
        QCOMPARE(upload(multipart(png, "image/png"), "k", {}, QString())
                     .json.value(u"error")
                     .toObject()
                     .value(u"code")
                     .toString(),
            u"MISSING_FIELD");
        QCOMPARE(upload(multipart(png, "image/png"), "k", {}, QStringLiteral("nope")).status, 404);
        QCOMPARE(upload(multipart(png, "image/png", "a.png", "other"))
                     .json.value(u"error")
                     .toObject()
                     .value(u"code")
                     .toString(),
            u"MISSING_FIELD");
        const HttpResult cut = upload(multipart(png, "image/png").chopped(20));
        QCOMPARE(cut.status, 400);
        QCOMPARE(cut.json.value(u"error").toObject().value(u"code").toString(), u"INVALID_BODY");
        QCOMPARE(upload(png, "k", {{"Content-Type", "image/png"}}).status, 400);
        QCOMPARE(upload(multipart(png, "image/png"), "k", {{"Authorization", "Bearer wrong"}}).status, 401);
        QCOMPARE(m_http->request("GET", QStringLiteral("/api/v1/widget/upload")).status, 405);
    }

    // A media URL reaches only its tenant's token: another tenant's gets 404, whatever tenant it claims.
    void anotherTenantGets404()
    {
        const HttpResult r = upload(multipart(encoded("png"), "image/png"));
        const QString url = r.json.value(u"mediaUrl").toString();
        QCOMPARE(fetch(url).status, 200);
        QCOMPARE(fetch(url, {{"Authorization", "Bearer other-token"}, {"X-Tenant-ID", "t2"}}).status, 404);
        QCOMPARE(fetch(url, {{"Authorization", "Bearer other-token"}, {"X-Tenant-ID", "t1"}}).status, 404);
        QCOMPARE(fetch(url, {{"Authorization", "Bearer wrong"}}).status, 401);
        QCOMPARE(fetch(url, {{"X-Tenant-ID", QByteArray()}}).status, 400);
        // The same key from the other tenant is an upload of its own.
        const HttpResult theirs = upload(multipart(encoded("png"), "image/png"), "msg_1",
            {{"Authorization", "Bearer other-token"}, {"X-Tenant-ID", "t2"}});
        QCOMPARE(theirs.status, 200);
        QVERIFY(theirs.json.value(u"mediaUrl") != r.json.value(u"mediaUrl"));
    }

    void traversalAttempts_data()
    {
        QTest::addColumn<QByteArray>("path");
        for (const char *path :
            {"/api/v1/widget/media/../../../../etc/passwd", "/api/v1/widget/media/..%2F..%2Fetc%2Fpasswd",
                "/api/v1/widget/media/%2e%2e/%2e%2e/widget-server.sqlite", "/api/v1/widget/media/%2Fetc%2Fpasswd",
                "/api/v1/widget/media/..\\..\\tokens", "/api/v1/widget/media/ABCDEF0123456789ABCDEF0123456789",
                "/api/v1/widget/media/0123456789abcdef0123456789abcde",
                "/api/v1/widget/media/0123456789abcdef0123456789abcdef0", "/api/v1/widget/media/.json",
                "/api/v1/widget/media/%00", "/api/v1/widget/media/", "/api/v1/widget/media/blobs%2F0123456789abcdef"})
            QTest::newRow(path) << QByteArray(path);
    }
    void traversalAttempts()
    {
        QFETCH(QByteArray, path);
        QTemporaryDir data;
        start(data.path());
        const HttpResult stored = upload(multipart(encoded("png"), "image/png"));
        QCOMPARE(stored.status, 200);
        RawConnection connection;
        QVERIFY(connection.connectTo(m_server->port()));
        connection.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestToken.toUtf8()
            + "\r\nX-Tenant-ID: t1\r\n\r\n");
        const RawResponse r = connection.read();
        QVERIFY2(r.status == 404 || r.status == 400, qPrintable(QString::number(r.status)));
        QVERIFY(!r.body.contains("root:"));
        QVERIFY(!r.body.contains("SQLite"));
        QVERIFY(!r.body.contains("PNG"));
    }

    void theMemoryIsCapped()
    {
        m_server->mediaDesk()->store().setMemoryCap(100);
        const HttpResult full = upload(multipart(encoded("png", QSize(300, 300)), "image/png"));
        QCOMPARE(full.status, 507);
        QCOMPARE(full.json.value(u"error").toObject().value(u"code").toString(), u"MEDIA_STORAGE_FULL");
        QCOMPARE(m_server->mediaDesk()->store().memoryBytes(), 0);
    }

    // A reply with media goes through the simulated upstream like text (sent, delivered, read), and history
    // names its media with type, name, size and pixel size.
    void aMediaReplyTravelsLikeText()
    {
        m_server->upstream()->setDelays(0, 10, 20);
        const HttpResult stored = upload(multipart(encoded("png"), "image/png", "jacket.png"), "msg_1_aa");
        const QString url = stored.json.value(u"mediaUrl").toString();
        const HttpResult sent = m_http->post(QStringLiteral("/api/v1/widget/send"),
            QJsonObject {{QStringLiteral("messageId"), QStringLiteral("msg_1_aa")},
                {QStringLiteral("conversationId"), QStringLiteral("c1")},
                {QStringLiteral("integrationId"), QStringLiteral("i")}, {QStringLiteral("mediaUrl"), url}});
        QCOMPARE(sent.status, 200);
        QTRY_COMPARE(
            m_server->store()->message(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("msg_1_aa"))->status,
            u"read"_qs);
        const HttpResult history = m_http->get(QStringLiteral("/api/v1/widget/conversation/c1/history"));
        const QJsonObject m = history.json.value(u"messages").toArray().last().toObject();
        QCOMPARE(m.value(u"mediaUrl").toString(), url);
        QCOMPARE(m.value(u"mimeType").toString(), u"image/png");
        QCOMPARE(m.value(u"fileName").toString(), u"jacket.png");
        QCOMPARE(m.value(u"width").toInt(), 40);
        QCOMPARE(m.value(u"status").toString(), u"read");
        // A file stored as the demo's is (a path), answered as an absolute URL of this server.
        const QString path = m_server->addMedia(QStringLiteral("t1"), QStringLiteral("c1"), QStringLiteral("p.png"),
            QStringLiteral("image/png"), encoded("png"));
        StoredMessage photo {QStringLiteral("in_photo"), true, QString(), path, QDateTime::currentDateTimeUtc(), {}};
        m_server->addHistoryMessage(QStringLiteral("t1"), QStringLiteral("c1"), photo);
        const QJsonObject in = m_http->get(QStringLiteral("/api/v1/widget/conversation/c1/history"))
                                   .json.value(u"messages")
                                   .toArray()
                                   .last()
                                   .toObject();
        QCOMPARE(in.value(u"mediaUrl").toString(), m_server->baseUrl().toString() + path);
        QCOMPARE(fetch(in.value(u"mediaUrl").toString()).body, encoded("png"));
    }

    // The demo's Ana Souza shows the jacket that arrived: a photo in her history, served like an upload.
    void theDemoCustomerSendsAPhoto()
    {
        const QString ana = seedMoreDemoConversations(*m_server, QStringLiteral("t1"), QStringLiteral("demo")).first();
        const QJsonArray messages = m_http->get(QStringLiteral("/api/v1/widget/conversation/%1/history").arg(ana))
                                        .json.value(u"messages")
                                        .toArray();
        const auto photo = std::find_if(messages.cbegin(), messages.cend(),
            [](const QJsonValue &m) { return !m.toObject().value(u"mediaUrl").isNull(); });
        QVERIFY(photo != messages.cend());
        const QJsonObject m = photo->toObject();
        QCOMPARE(m.value(u"direction").toString(), u"inbound");
        QCOMPARE(m.value(u"mimeType").toString(), u"image/jpeg");
        QCOMPARE(m.value(u"fileName").toString(), u"orange-jacket.jpg");
        QCOMPARE(m.value(u"width").toInt(), 800);
        QCOMPARE(m.value(u"height").toInt(), 600);
        const HttpResult bytes = fetch(m.value(u"mediaUrl").toString());
        QCOMPARE(bytes.status, 200);
        QVERIFY(QImage::fromData(bytes.body).size() == QSize(800, 600));
    }
};

QTEST_MAIN(TestMedia)
#include "tst_media.moc"
