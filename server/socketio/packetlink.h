// What a NamespaceSocket needs of the Socket.IO connection it belongs to. SocketIoConnection implements
// it; the sockets see only this, so the dependency runs one way (connection -> socket).
#pragma once

#include "outgoingpacket.h"
#include "protocol.h"

#include <QList>
#include <QUrlQuery>

class PacketLink
{
public:
    virtual ~PacketLink() = default;
    // Sends a packet; binary ones are followed by their attachments.
    virtual void sendPacket(const Protocol::SocketPacket &packet, const QList<QByteArray> &attachments = {}) = 0;
    // Sends an Engine.IO message packet encoded already (a room's broadcast, encoded once for every member).
    virtual void sendEncoded(const OutgoingPacket &packet) = 0;
    virtual void close(const QString &reason) = 0; // ends the Engine.IO session
    virtual QUrlQuery query() const = 0; // of the request that opened the session
};
