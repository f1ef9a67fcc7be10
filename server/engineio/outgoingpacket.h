// One Engine.IO packet on its way out, encoded once: a ready WebSocket frame (RFC 6455: a server's
// frames are not masked, so the same bytes serve every socket) whose payload is the packet's text in
// UTF-8, or its binary bytes. Copies share the bytes: a room's broadcast is one encoding and one
// allocation however many members it has, and a polling answer reads the payload out of the same frame.
#pragma once

#include "websocketconnection.h"

#include <QByteArray>
#include <QStringView>

class OutgoingPacket
{
public:
    OutgoingPacket() = default;
    static OutgoingPacket text(QStringView packet) { return OutgoingPacket(false, packet.toUtf8()); }
    static OutgoingPacket binary(QByteArrayView bytes) { return OutgoingPacket(true, bytes); }

    bool isBinary() const { return m_binary; }
    QByteArrayView payload() const { return QByteArrayView(m_frame).sliced(m_headerSize); }
    qsizetype size() const { return m_frame.size() - m_headerSize; } // what the output caps count
    const QByteArray &webSocketFrame() const { return m_frame; }

private:
    OutgoingPacket(bool binary, QByteArrayView payload)
        : m_frame(WebSocketConnection::encodeFrame(binary, payload))
        , m_headerSize(qint8(m_frame.size() - payload.size()))
        , m_binary(binary)
    {
    }

    QByteArray m_frame;
    qint8 m_headerSize = 0;
    bool m_binary = false;
};
