// PollingTransport: Engine.IO v4 HTTP long-polling over QNetworkAccessManager, the fallback for when a
// WebSocket cannot be opened (a proxy strips Upgrade). One GET outstanding to receive, one POST at a
// time to send, packets batched with the record separator and never more than maxPayload bytes a POST.
#pragma once

#include "enginetransport.h"

#include <QPointer>
#include <QSslConfiguration>
#include <QStringList>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

class PollingTransport : public EngineTransport
{
    Q_OBJECT

public:
    // url: http(s)://host/socket.io/?EIO=4&transport=polling&...; the sid is added from the open packet.
    PollingTransport(
        const QUrl &url, const QSslConfiguration &ssl, QNetworkAccessManager *network, QObject *parent = nullptr);
    ~PollingTransport() override;

    QString name() const override { return QStringLiteral("polling"); }
    void open() override;
    void send(const QStringList &packets) override;
    void abort() override;
    void closeGracefully() override;
    void pause() override;
    void resume() override;
    // A GET stays open up to one ping interval; longer than ping window + margin means the link is dead.
    void setRequestTimeout(int ms) { m_timeoutMs = ms; }

    // Takes from the front of `packets` as many as fit in one payload of at most maxPayload UTF-8 bytes
    // (separators included) and returns them joined. A first packet that alone is too large is dropped.
    static QString takeBatch(QStringList &packets, int maxPayload);

private:
    QNetworkRequest request();
    void poll();
    void onPollFinished(QNetworkReply *reply);
    void flushOutbox();
    void onPostFinished(QNetworkReply *reply);
    QString replyError(QNetworkReply *reply) const;
    void fail(const QString &reason, bool tls);
    void maybePaused();

    QUrl m_url;
    QSslConfiguration m_ssl;
    QNetworkAccessManager *m_network;
    QPointer<QNetworkReply> m_poll;
    QPointer<QNetworkReply> m_post;
    QStringList m_outbox;
    QString m_sid;
    QString m_tlsReason;
    int m_timeoutMs = 50000;
    int m_requestCount = 0;
    bool m_stopped = false;
    bool m_pausing = false;
    bool m_closing = false;
};
