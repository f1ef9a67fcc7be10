#include "pollingsessiontransport.h"

#include "serverlog.h"

#include <QTcpSocket>

using namespace Protocol;

namespace {

const QByteArray TextPlain = QByteArrayLiteral("text/plain; charset=UTF-8");

// engine.io-protocol's payload: the packets separated by the record separator, binary ones as "b" + base64.
QByteArray encodePayload(const QList<OutgoingPacket> &packets)
{
    QByteArray out;
    for (const OutgoingPacket &packet : packets) {
        if (!out.isEmpty())
            out.append('\x1e');
        if (packet.isBinary())
            out.append('b').append(packet.payload().toByteArray().toBase64());
        else
            out.append(packet.payload());
    }
    return out;
}

void answer(QHttpServerResponder &responder, int status, const QByteArray &body, const QByteArray &contentType,
    HttpFront::HeaderList headers)
{
    headers.emplaceBack(QByteArrayLiteral("Content-Type"), contentType);
    HttpFront::write(responder, status, body, headers);
}

} // namespace

PollingSessionTransport::PollingSessionTransport(int maxPayload, QObject *parent)
    : SessionTransport(parent)
    , m_maxPayload(maxPayload)
{
}

PollingSessionTransport::~PollingSessionTransport()
{
    if (m_poll)
        disconnect(m_poll->dropped);
}

void PollingSessionTransport::onPoll(QHttpServerResponder &&responder, const HttpFront::HeaderList &headers)
{
    if (m_closed) {
        answer(responder, 400, QByteArrayLiteral("{\"code\":1,\"message\":\"Session ID unknown\"}"),
            QByteArrayLiteral("application/json"), headers);
        return;
    }
    if (m_poll) {
        // engine.io answers an overlapping GET with an error and closes the session: two polls in
        // flight mean two clients share a sid, or a client lost track of its own requests.
        answer(responder, 400, QByteArrayLiteral("{\"code\":3,\"message\":\"Bad request\"}"),
            QByteArrayLiteral("application/json"), headers);
        emit failed(QStringLiteral("overlapping polls"));
        return;
    }
    QTcpSocket *socket = responder.socket();
    m_poll = std::make_unique<PendingPoll>(PendingPoll {std::move(responder), socket, headers, {}});
    // A client that gives up on its poll is gone (engine.io: "poll connection closed prematurely").
    m_poll->dropped = connect(socket, &QTcpSocket::disconnected, this, [this] {
        m_poll.reset();
        emit failed(QStringLiteral("poll connection closed prematurely"));
    });
    emit writable();
}

void PollingSessionTransport::onData(
    const QByteArray &body, QHttpServerResponder &&responder, const HttpFront::HeaderList &headers)
{
    if (m_closed) {
        answer(responder, 400, QByteArrayLiteral("{\"code\":1,\"message\":\"Session ID unknown\"}"),
            QByteArrayLiteral("application/json"), headers);
        return;
    }
    // Qt 6.4 has read the body already (PLATFORM.md); the cap still keeps it from being decoded.
    if (body.size() > m_maxPayload) {
        answer(responder, 413, QByteArrayLiteral("{\"code\":3,\"message\":\"Payload too large\"}"),
            QByteArrayLiteral("application/json"), headers);
        return;
    }
    QString error;
    const auto frames = decodePayload(QString::fromUtf8(body), &error);
    if (!frames) {
        // Record boundaries of a payload that does not parse cannot be trusted: engine.io closes.
        answer(responder, 400, QByteArrayLiteral("{\"code\":3,\"message\":\"Bad request\"}"),
            QByteArrayLiteral("application/json"), headers);
        emit failed(QStringLiteral("parse error: %1").arg(error));
        return;
    }
    answer(responder, 200, QByteArrayLiteral("ok"), QByteArrayLiteral("text/html"), headers);
    for (const EngineFrame &frame : *frames) {
        if (m_closed)
            break; // a close packet in the batch ends it
        emit frameReceived(frame);
    }
}

void PollingSessionTransport::refusePoll()
{
    if (!m_poll)
        return;
    const std::unique_ptr<PendingPoll> poll = std::move(m_poll);
    disconnect(poll->dropped);
    if (poll->socket && poll->socket->state() == QAbstractSocket::ConnectedState) {
        answer(poll->responder, 400, QByteArrayLiteral("{\"code\":3,\"message\":\"Bad request\"}"),
            QByteArrayLiteral("application/json"), poll->headers);
    }
}

void PollingSessionTransport::send(const QList<OutgoingPacket> &packets)
{
    if (!isWritable() || packets.isEmpty())
        return;
    answerPoll(encodePayload(packets));
}

void PollingSessionTransport::answerPoll(const QByteArray &payload)
{
    const std::unique_ptr<PendingPoll> poll = std::move(m_poll);
    disconnect(poll->dropped);
    if (!poll->socket || poll->socket->state() != QAbstractSocket::ConnectedState) {
        qCDebug(lcServer) << "a poll went away before its answer";
        return;
    }
    answer(poll->responder, 200, payload, TextPlain, poll->headers);
}

void PollingSessionTransport::close(bool clientInitiated, const QString &reason)
{
    Q_UNUSED(reason);
    if (m_closed)
        return;
    // A waiting poll ends cleanly: a noop after the client's own close, a close packet otherwise.
    if (m_poll)
        answerPoll(encodeEnginePacket(clientInitiated ? EnginePacketType::Noop : EnginePacketType::Close).toUtf8());
    m_closed = true;
    emit closed();
}

void PollingSessionTransport::abort()
{
    if (m_poll) {
        disconnect(m_poll->dropped);
        if (m_poll->socket)
            m_poll->socket->abort();
        m_poll.reset();
    }
    m_closed = true;
    emit closed();
}
