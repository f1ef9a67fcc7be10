// A WebSocket client on a bare QTcpSocket for the server's bounds tests: it writes masked frames
// (RFC 6455 §5) and, after the handshake answer, can stop reading altogether — the peer that fills a
// server's write buffers, which QWebSocket cannot be made into.
#pragma once

#include <QByteArray>
#include <QNetworkProxy>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTest>

class RawWebSocket
{
public:
    RawWebSocket() { m_socket.setProxy(QNetworkProxy::NoProxy); }

    // Connects and upgrades; true once the 101 answer arrived (received() holds what came with it).
    bool open(quint16 port, const QByteArray &pathAndQuery, int timeoutMs = 10000)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        m_socket.write("GET " + pathAndQuery
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        return QTest::qWaitFor(
                   [this] {
                       m_received += m_socket.readAll();
                       return m_received.contains("\r\n\r\n") || m_socket.state() == QAbstractSocket::UnconnectedState;
                   },
                   timeoutMs)
            && m_received.startsWith("HTTP/1.1 101");
    }
    // Reads nothing more: once Qt's 1-byte read buffer is full the kernel's fill, then the server's.
    void stopReading()
    {
        m_received += m_socket.readAll();
        m_socket.setReadBufferSize(1);
    }
    // Waits until `needle` arrived (while still reading).
    bool waitFor(const QByteArray &needle, int timeoutMs = 10000)
    {
        return QTest::qWaitFor(
            [&] {
                m_received += m_socket.readAll();
                return m_received.contains(needle);
            },
            timeoutMs);
    }
    void sendText(const QByteArray &utf8) { sendFrame(0x1, utf8); }
    void sendBinary(const QByteArray &bytes) { sendFrame(0x2, bytes); }
    // Any frame, as a broken or fragmenting client would write it (RFC 6455 §5.2).
    void sendFrame(quint8 opcode, const QByteArray &payload, bool fin = true, bool masked = true)
    {
        m_socket.write(encodeFrame(opcode, payload, fin, masked));
    }
    // Only the head of a frame announcing `length` bytes, none of which follow.
    void sendFrameHead(quint8 opcode, quint64 length)
    {
        QByteArray head = encodeFrame(opcode, {}, true, true);
        head[1] = char(0x80 | 127);
        head.insert(2, 8, '\0');
        for (int i = 0; i < 8; ++i)
            head[2 + i] = char((length >> (56 - 8 * i)) & 0xff);
        m_socket.write(head);
    }

    const QByteArray &received() const { return m_received; }
    qint64 bytesToWrite() const { return m_socket.bytesToWrite(); }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    QTcpSocket &socket() { return m_socket; }

private:
    static QByteArray encodeFrame(quint8 opcode, const QByteArray &payload, bool fin, bool masked)
    {
        QByteArray frame;
        frame.append(char((fin ? 0x80 : 0) | opcode));
        const char maskBit = masked ? char(0x80) : char(0); // every client frame must be masked
        const qsizetype size = payload.size();
        if (size < 126) {
            frame.append(char(maskBit | size));
        } else if (size <= 0xffff) {
            frame.append(char(maskBit | 126));
            frame.append(char(size >> 8)).append(char(size & 0xff));
        } else {
            frame.append(char(maskBit | 127));
            for (int shift = 56; shift >= 0; shift -= 8)
                frame.append(char((quint64(size) >> shift) & 0xff));
        }
        if (!masked)
            return frame + payload;
        const quint32 key = QRandomGenerator::global()->generate();
        const char mask[4] = {char(key >> 24), char(key >> 16), char(key >> 8), char(key)};
        frame.append(mask, 4);
        const qsizetype start = frame.size();
        frame.append(payload);
        char *data = frame.data() + start;
        for (qsizetype i = 0; i < size; ++i)
            data[i] = char(data[i] ^ mask[i & 3]);
        return frame;
    }

    QTcpSocket m_socket;
    QByteArray m_received;
};
