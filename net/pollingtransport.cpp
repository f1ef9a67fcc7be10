#include "pollingtransport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrlQuery>

Q_DECLARE_LOGGING_CATEGORY(lcSocket)

using namespace Protocol;

PollingTransport::PollingTransport(
    const QUrl &url, const QSslConfiguration &ssl, QNetworkAccessManager *network, QObject *parent)
    : EngineTransport(parent)
    , m_url(url)
    , m_ssl(ssl)
    , m_network(network)
{
}

PollingTransport::~PollingTransport()
{
    abort();
}

QString PollingTransport::takeBatch(QStringList &packets, int maxPayload)
{
    QString batch;
    qsizetype bytes = 0;
    while (!packets.isEmpty()) {
        const qsizetype size = packets.first().toUtf8().size();
        if (batch.isEmpty() && size > maxPayload) {
            qCWarning(lcSocket) << "dropped a packet of" << size << "bytes: the server's maxPayload is" << maxPayload;
            packets.removeFirst();
            continue;
        }
        const qsizetype needed = batch.isEmpty() ? size : bytes + 1 + size;
        if (needed > maxPayload)
            break;
        if (!batch.isEmpty())
            batch.append(QChar(PayloadSeparator));
        batch.append(packets.takeFirst());
        bytes = needed;
    }
    return batch;
}

QNetworkRequest PollingTransport::request()
{
    QUrl url = m_url;
    QUrlQuery query(url);
    if (!m_sid.isEmpty())
        query.addQueryItem(QStringLiteral("sid"), m_sid);
    // A cache-buster as engine.io-client sends: a caching proxy must not answer a poll from its cache.
    query.addQueryItem(QStringLiteral("t"), QString::number(++m_requestCount, 36));
    url.setQuery(query);
    QNetworkRequest req(url);
    req.setSslConfiguration(m_ssl);
    req.setTransferTimeout(m_timeoutMs);
    return req;
}

void PollingTransport::open()
{
    poll();
}

void PollingTransport::poll()
{
    if (m_stopped || m_pausing || m_closing || m_poll)
        return;
    QNetworkReply *reply = m_network->get(request());
    m_poll = reply;
    connect(reply, &QNetworkReply::sslErrors, this,
        [this, reply](const QList<QSslError> &errors) { m_tlsReason = tlsReason(reply->url().host(), errors); });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onPollFinished(reply); });
}

// Redirects are not followed (the network manager's policy is manual): one answers as a failure, so
// neither the poll nor the POST with the CONNECT and its token ever reaches the place it points to.
static bool isRedirect(QNetworkReply *reply)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    return status >= 300 && status < 400;
}

QString PollingTransport::replyError(QNetworkReply *reply) const
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 300 && status < 400)
        return QStringLiteral("HTTP %1: the server redirected the request; redirects are not followed").arg(status);
    if (status == 0 || status == 200)
        return reply->error() == QNetworkReply::OperationCanceledError ? QStringLiteral("poll timeout")
                                                                       : reply->errorString();
    // engine.io answers {"code":1,"message":"Session ID unknown"}: the agent reads the server's words.
    const QString message = QJsonDocument::fromJson(reply->readAll()).object().value(u"message").toString();
    return message.isEmpty() ? QStringLiteral("HTTP %1").arg(status)
                             : QStringLiteral("HTTP %1: %2").arg(status).arg(message);
}

void PollingTransport::onPollFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    if (m_poll != reply || m_stopped)
        return;
    m_poll = nullptr;
    if (m_closing)
        return;
    if (reply->error() != QNetworkReply::NoError || isRedirect(reply)) {
        fail(replyError(reply), !m_tlsReason.isEmpty() || reply->error() == QNetworkReply::SslHandshakeFailedError);
        return;
    }
    QString error;
    const auto frames = decodePayload(QString::fromUtf8(reply->readAll()), &error);
    if (!frames) {
        fail(QStringLiteral("invalid polling payload: %1").arg(error), false);
        return;
    }
    // The receiver may abort or pause this transport from inside frameReceived.
    QPointer<PollingTransport> self(this);
    for (const EngineFrame &frame : *frames) {
        if (m_sid.isEmpty() && !frame.binary && frame.text.startsWith(u'0')) {
            if (const auto open = decodeOpen(QStringView(frame.text).mid(1))) {
                m_sid = open->sid;
                emit opened();
            }
        }
        if (!self || m_stopped)
            return;
        emit frameReceived(frame);
        if (!self || m_stopped)
            return;
    }
    if (m_sid.isEmpty()) {
        fail(QStringLiteral("the first poll carried no open packet"), false);
        return;
    }
    poll();
    maybePaused();
}

void PollingTransport::send(const QStringList &packets)
{
    m_outbox.append(packets);
    flushOutbox();
}

void PollingTransport::flushOutbox()
{
    if (m_stopped || m_post || m_sid.isEmpty())
        return;
    const QString batch = takeBatch(m_outbox, m_maxPayload);
    if (batch.isEmpty()) {
        if (m_closing) {
            abort();
            deleteLater();
        }
        return;
    }
    QNetworkRequest req = request();
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/plain;charset=UTF-8"));
    QNetworkReply *reply = m_network->post(req, batch.toUtf8());
    m_post = reply;
    connect(reply, &QNetworkReply::sslErrors, this,
        [this, reply](const QList<QSslError> &errors) { m_tlsReason = tlsReason(reply->url().host(), errors); });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onPostFinished(reply); });
}

void PollingTransport::onPostFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    if (m_post != reply || m_stopped)
        return;
    m_post = nullptr;
    if ((reply->error() != QNetworkReply::NoError || isRedirect(reply)) && !m_closing) {
        fail(replyError(reply), !m_tlsReason.isEmpty() || reply->error() == QNetworkReply::SslHandshakeFailedError);
        return;
    }
    flushOutbox();
    maybePaused();
}

void PollingTransport::abort()
{
    m_stopped = true;
    for (QNetworkReply *reply : {m_poll.data(), m_post.data()}) {
        if (reply) {
            reply->disconnect(this);
            reply->abort();
            reply->deleteLater();
        }
    }
    m_poll = nullptr;
    m_post = nullptr;
}

void PollingTransport::closeGracefully()
{
    disconnect(); // emits nothing more
    // The Engine.IO close packet tells the server the session is over rather than merely idle. The
    // pending GET stays open until the POST is through: engine.io takes a poll that ends early for a
    // "transport error" and would not read the DISCONNECT before it.
    m_closing = true;
    m_outbox.append(encodeEnginePacket(EnginePacketType::Close));
    if (m_sid.isEmpty() || m_stopped)
        deleteLater();
    else
        flushOutbox();
}

void PollingTransport::pause()
{
    m_pausing = true;
    maybePaused();
}

void PollingTransport::resume()
{
    m_pausing = false;
    poll();
    flushOutbox();
}

void PollingTransport::maybePaused()
{
    // The server ends the pending GET with a noop once the probe has succeeded (engine.io "upgrade").
    if (m_pausing && !m_poll && !m_post && !m_stopped)
        emit paused();
}

void PollingTransport::fail(const QString &reason, bool tls)
{
    abort();
    emit failed(m_tlsReason.isEmpty() ? reason : m_tlsReason, tls);
}
