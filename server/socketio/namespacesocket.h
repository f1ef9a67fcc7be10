// A client's membership of one Socket.IO namespace (socket.io's server-side Socket): events both ways,
// acknowledgements both ways (the server answers the client's acks, and may ask for its own), binary
// attachments, and the namespace's DISCONNECT.
#pragma once

#include "packetlink.h"
#include "protocol.h"

#include <QHash>
#include <QObject>
#include <QUrlQuery>

#include <functional>

class NamespaceSocket : public QObject
{
    Q_OBJECT
public:
    struct Event
    {
        QString name;
        QJsonArray args; // binary arguments appear as {"_placeholder":true,"num":N}
        QList<QByteArray> attachments; // attachment N of the placeholders
    };
    using Reply = std::function<void(const QJsonArray &args, const QList<QByteArray> &attachments)>;
    // ack is empty when the client asked for none; calling it more than once sends one ACK.
    using Handler = std::function<void(const Event &event, const Reply &ack)>;

    // link: the connection it belongs to (not owned; the parent, which outlives it).
    NamespaceSocket(const QString &nsp, const QJsonObject &auth, PacketLink *link, QObject *parent);

    QString id() const { return m_id; }
    QString nsp() const { return m_nsp; }
    QJsonObject auth() const { return m_auth; }
    QUrlQuery query() const;
    bool isConnected() const { return m_connected; }

    void on(const QString &event, Handler handler);
    // With ack set, the client is asked to acknowledge and ack gets its answer.
    void emitEvent(
        const QString &event, const QJsonArray &args = {}, const QList<QByteArray> &attachments = {}, Reply ack = {});
    // An event without attachments or ack, encoded once for many sockets of namespace nsp (a room's
    // broadcast): emitEncoded() sends the same frame to each of them.
    static OutgoingPacket encodeEvent(const QString &nsp, const QString &event, const QJsonArray &args);
    void emitEncoded(const OutgoingPacket &packet);
    // Sends DISCONNECT for this namespace; closeConnection also ends the Engine.IO session (socket.io's
    // socket.disconnect(true)).
    void disconnectFromServer(bool closeConnection = false);

signals:
    void disconnected(const QString &reason); // once

private:
    friend class SocketIoConnection;
    void onEvent(const Protocol::SocketPacket &packet, const QList<QByteArray> &attachments);
    void onAck(const Protocol::SocketPacket &packet, const QList<QByteArray> &attachments);
    void markDisconnected(const QString &reason);

    PacketLink *m_link;
    QString m_id;
    QString m_nsp;
    QJsonObject m_auth;
    bool m_connected = true;
    QHash<QString, Handler> m_handlers;
    QHash<qint64, Reply> m_pendingAcks;
    qint64 m_nextAckId = 0;
};
