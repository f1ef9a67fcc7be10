// Engine.IO HTTP long-polling (engine.io-protocol, "HTTP long-polling"): the client's GET waits here
// until the session has packets for it, its POSTs carry packets in; both batch packets with the
// record separator. At most one GET may wait at a time.
#pragma once

#include "httpfront.h"
#include "sessiontransport.h"

#include <QPointer>

#include <memory>

class QTcpSocket;

class PollingSessionTransport : public SessionTransport
{
    Q_OBJECT
public:
    explicit PollingSessionTransport(int maxPayload, QObject *parent = nullptr);
    ~PollingSessionTransport() override;

    QString name() const override { return QStringLiteral("polling"); }
    bool isWritable() const override { return m_poll && !m_closed; }
    void send(const QList<OutgoingPacket> &packets) override;
    void close(bool clientInitiated, const QString &reason) override;
    void abort() override;

    // headers: the CORS headers of this request, sent with whatever answers it.
    void onPoll(QHttpServerResponder &&responder, const HttpFront::HeaderList &headers);
    // Answers a waiting GET with 400: a poll still open when the session switches to WebSocket
    // belongs to no client that followed the upgrade rules, like any later poll for this sid.
    void refusePoll();
    void onData(const QByteArray &body, QHttpServerResponder &&responder, const HttpFront::HeaderList &headers);

private:
    struct PendingPoll
    {
        QHttpServerResponder responder;
        QPointer<QTcpSocket> socket; // the responder keeps a raw pointer; this one tells when it is gone
        HttpFront::HeaderList headers;
        QMetaObject::Connection dropped;
    };
    void answerPoll(const QByteArray &payload);

    int m_maxPayload;
    std::unique_ptr<PendingPoll> m_poll;
    bool m_closed = false;
};
