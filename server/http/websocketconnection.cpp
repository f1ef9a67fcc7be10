#include "websocketconnection.h"

#include "serverlog.h"

#include <QCryptographicHash>
#include <QtEndian>

#include <cerrno>
#include <cstring>

#ifdef Q_OS_WIN
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#endif

namespace {

constexpr quint8 OpContinuation = 0x0;
constexpr quint8 OpText = 0x1;
constexpr quint8 OpBinary = 0x2;
constexpr quint8 OpClose = 0x8;
constexpr quint8 OpPing = 0x9;
constexpr quint8 OpPong = 0xA;
constexpr qsizetype ReadChunk = 64 * 1024;
constexpr int MaxIovecs = 64;

// The platform's socket calls, for the few this class makes.
#ifdef Q_OS_WIN
using NativeSocket = SOCKET;
bool wouldBlock()
{
    return WSAGetLastError() == WSAEWOULDBLOCK;
}
qint64 nativeRead(qintptr socket, char *buffer, qsizetype size)
{
    return ::recv(SOCKET(socket), buffer, int(size), 0);
}
struct Chunk
{
    WSABUF buffer;
    void set(const char *data, qsizetype size)
    {
        buffer.buf = const_cast<char *>(data);
        buffer.len = ULONG(size);
    }
};
qint64 nativeWrite(qintptr socket, Chunk *chunks, int count)
{
    DWORD sent = 0;
    if (::WSASend(SOCKET(socket), reinterpret_cast<WSABUF *>(chunks), DWORD(count), &sent, 0, nullptr, nullptr) != 0)
        return -1;
    return qint64(sent);
}
void nativeClose(qintptr socket)
{
    ::closesocket(SOCKET(socket));
}
#else
bool wouldBlock()
{
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}
qint64 nativeRead(qintptr socket, char *buffer, qsizetype size)
{
    return ::read(int(socket), buffer, size_t(size));
}
struct Chunk
{
    iovec buffer;
    void set(const char *data, qsizetype size)
    {
        buffer.iov_base = const_cast<char *>(data);
        buffer.iov_len = size_t(size);
    }
};
qint64 nativeWrite(qintptr socket, Chunk *chunks, int count)
{
    msghdr message {};
    message.msg_iov = reinterpret_cast<iovec *>(chunks);
    message.msg_iovlen = count;
#ifdef MSG_NOSIGNAL
    return ::sendmsg(int(socket), &message, MSG_NOSIGNAL); // a peer gone is an error, not a SIGPIPE
#else
    return ::sendmsg(int(socket), &message, 0); // SO_NOSIGPIPE is set on the socket instead
#endif
}
void nativeClose(qintptr socket)
{
    ::close(int(socket));
}
#endif

void prepareSocket(qintptr socket)
{
    // Each frame is a message of its own: Nagle's algorithm would hold it behind the previous one's ACK.
    int on = 1;
#ifdef Q_OS_WIN
    ::setsockopt(SOCKET(socket), IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char *>(&on), sizeof on);
    u_long nonBlocking = 1;
    ::ioctlsocket(SOCKET(socket), FIONBIO, &nonBlocking);
#else
    ::setsockopt(int(socket), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
#ifdef SO_NOSIGPIPE
    ::setsockopt(int(socket), SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof on);
#endif
    ::fcntl(int(socket), F_SETFL, ::fcntl(int(socket), F_GETFL) | O_NONBLOCK);
#endif
}

QByteArray frameHeader(quint8 opcode, qsizetype length)
{
    QByteArray header;
    header.reserve(10);
    header.append(char(0x80 | opcode)); // FIN: the server never fragments
    if (length < 126) {
        header.append(char(length));
    } else if (length <= 0xffff) {
        header.append(char(126));
        header.append(char(length >> 8)).append(char(length & 0xff));
    } else {
        header.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            header.append(char((quint64(length) >> shift) & 0xff));
    }
    return header;
}

QByteArray controlFrame(quint8 opcode, QByteArrayView payload)
{
    return frameHeader(opcode, payload.size()) + payload.toByteArray();
}

bool validCloseCode(quint16 code)
{
    // RFC 6455 §7.4: the codes an endpoint may send; 1005, 1006 and 1015 never appear in a frame.
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) || (code >= 3000 && code <= 4999);
}

} // namespace

WebSocketConnection::WebSocketConnection(qintptr socket, std::unique_ptr<ConnectionSlot> slot, EventPoller *poller,
    const QUrl &requestUrl, const QByteArray &handshakeKey)
    : m_socket(socket)
    , m_slot(std::move(slot))
    , m_poller(poller)
    , m_requestUrl(requestUrl)
{
    prepareSocket(socket);
    if (!m_poller || !m_poller->add(socket, this)) {
        m_state = State::Closed;
        nativeClose(socket);
        return;
    }
    queue(handshakeResponse(handshakeKey));
}

WebSocketConnection::~WebSocketConnection()
{
    m_receiver = nullptr;
    if (m_state != State::Closed)
        closeSocket();
}

QByteArray WebSocketConnection::encodeFrame(bool binary, QByteArrayView payload)
{
    QByteArray frame = frameHeader(binary ? OpBinary : OpText, payload.size());
    frame.append(payload);
    return frame;
}

QByteArray WebSocketConnection::handshakeResponse(const QByteArray &key)
{
    const QByteArray accept = QCryptographicHash::hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
        QCryptographicHash::Sha1)
                                  .toBase64();
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: "
        + accept + "\r\n\r\n";
}

bool WebSocketConnection::isValidUtf8(QByteArrayView bytes)
{
    const auto *s = reinterpret_cast<const uchar *>(bytes.data());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        if (i + 8 <= n) { // eight ASCII bytes at a time: most of what the console sends
            quint64 eight;
            std::memcpy(&eight, s + i, 8);
            if ((eight & 0x8080808080808080ULL) == 0) {
                i += 8;
                continue;
            }
        }
        const uchar c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int length;
        quint32 code;
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
            code = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            length = 3;
            code = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            code = c & 0x07;
        } else {
            return false; // a continuation byte first, an overlong lead (C0, C1) or beyond U+10FFFF
        }
        if (i + length > n)
            return false;
        for (int k = 1; k < length; ++k) {
            const uchar next = s[i + k];
            if ((next & 0xC0) != 0x80)
                return false;
            code = (code << 6) | (next & 0x3F);
        }
        if ((length == 3 && (code < 0x800 || (code >= 0xD800 && code <= 0xDFFF)))
            || (length == 4 && (code < 0x10000 || code > 0x10FFFF)))
            return false; // overlong, a surrogate, or beyond Unicode
        i += length;
    }
    return true;
}

qintptr WebSocketConnection::duplicateSocket(qintptr socket)
{
#ifdef Q_OS_WIN
    WSAPROTOCOL_INFOW info;
    if (::WSADuplicateSocketW(SOCKET(socket), ::GetCurrentProcessId(), &info) != 0)
        return -1;
    const SOCKET copy = ::WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    return copy == INVALID_SOCKET ? -1 : qintptr(copy);
#else
    return ::fcntl(int(socket), F_DUPFD_CLOEXEC, 0);
#endif
}

void WebSocketConnection::setReceiver(Receiver *receiver)
{
    m_receiver = receiver;
    if (m_receiver && !m_in.isEmpty() && m_state != State::Closed) {
        const qsizetype used = parseFrames(m_in.constData(), m_in.size());
        m_in = used >= m_in.size() ? QByteArray() : m_in.sliced(used);
    }
}

void WebSocketConnection::pollEvent(bool readable, bool writable)
{
    if (writable)
        writeQueued();
    if (readable && m_state != State::Closed)
        readAvailable();
}

void WebSocketConnection::readAvailable()
{
    // One buffer per thread for every connection: an idle connection holds none.
    static thread_local char buffer[ReadChunk];
    const qint64 read = nativeRead(m_socket, buffer, ReadChunk);
    if (read == 0 || (read < 0 && !wouldBlock()))
        return closeSocket(); // the peer went away without a close frame (or the connection broke)
    if (read < 0)
        return;
    if (m_in.isEmpty()) {
        const qsizetype used = parseFrames(buffer, read);
        if (used < read && m_state != State::Closed)
            m_in = QByteArray(buffer + used, read - used);
        return;
    }
    m_in.append(buffer, read);
    const qsizetype used = parseFrames(m_in.constData(), m_in.size());
    // Released when done with, so an idle connection keeps no buffer.
    m_in = used >= m_in.size() ? QByteArray() : m_in.sliced(used);
}

qsizetype WebSocketConnection::parseFrames(const char *data, qsizetype size)
{
    const auto *bytes = reinterpret_cast<const uchar *>(data);
    qsizetype pos = 0;
    while (m_state == State::Open || m_state == State::Closing) {
        if (size - pos < 2)
            break;
        const bool fin = bytes[pos] & 0x80;
        const quint8 opcode = bytes[pos] & 0x0F;
        const bool masked = bytes[pos + 1] & 0x80;
        quint64 length = bytes[pos + 1] & 0x7F;
        qsizetype header = 2;
        if (length == 126) {
            if (size - pos < 4)
                break;
            length = qFromBigEndian<quint16>(bytes + pos + 2);
            header = 4;
        } else if (length == 127) {
            if (size - pos < 10)
                break;
            length = qFromBigEndian<quint64>(bytes + pos + 2);
            header = 10;
            if (length >> 63) {
                fail(CloseProtocolError, "a frame length over 2^63");
                break;
            }
        }
        if (bytes[pos] & 0x70) {
            fail(CloseProtocolError, "reserved bits set (no extension was agreed)");
            break;
        }
        if (!masked) {
            fail(CloseProtocolError, "an unmasked frame from a client");
            break;
        }
        if (opcode >= OpClose) {
            if (!fin || length > 125 || opcode > OpPong) {
                fail(CloseProtocolError, "a malformed control frame");
                break;
            }
        } else if (opcode > OpBinary) {
            fail(CloseProtocolError, "a reserved opcode");
            break;
        } else if ((opcode == OpContinuation ? quint64(m_message.size()) : 0) + length > quint64(m_maxMessage)) {
            fail(CloseTooBig, "a message over the size limit");
            break;
        }
        header += 4;
        if (quint64(size - pos - header) < length)
            break; // the rest of the frame has not arrived
        const uchar *mask = bytes + pos + header - 4;
        QByteArray payload(qsizetype(length), Qt::Uninitialized);
        const uchar *in = bytes + pos + header;
        char *out = payload.data();
        for (qsizetype i = 0; i < qsizetype(length); ++i)
            out[i] = char(in[i] ^ mask[i & 3]);
        pos += header + qsizetype(length);
        frameReceived(opcode, fin, std::move(payload));
    }
    return m_state == State::Closed ? size : pos;
}

void WebSocketConnection::frameReceived(quint8 opcode, bool fin, QByteArray payload)
{
    switch (opcode) {
    case OpPing:
        if (!m_closeSent)
            queue(controlFrame(OpPong, payload));
        return;
    case OpPong:
        return;
    case OpClose:
        return closeReceived(payload);
    case OpContinuation:
        if (m_messageOpcode == 0)
            return fail(CloseProtocolError, "a continuation with no message under way");
        m_message.append(payload);
        if (fin)
            deliver(std::exchange(m_messageOpcode, quint8(0)), std::exchange(m_message, {}));
        return;
    default: // text or binary
        if (m_messageOpcode != 0)
            return fail(CloseProtocolError, "a new message inside a fragmented one");
        if (fin)
            return deliver(opcode, payload);
        m_messageOpcode = opcode;
        m_message = std::move(payload);
        return;
    }
}

void WebSocketConnection::deliver(quint8 opcode, const QByteArray &message)
{
    if (m_state != State::Open || !m_receiver)
        return; // after our close frame, what the peer still sends goes nowhere
    if (opcode == OpBinary)
        return m_receiver->binaryMessage(message);
    if (!isValidUtf8(message))
        return fail(CloseInvalidData, "a text message that is not UTF-8");
    m_receiver->textMessage(message);
}

void WebSocketConnection::closeReceived(const QByteArray &payload)
{
    quint16 code = 0; // none given
    if (payload.size() == 1)
        return fail(CloseProtocolError, "a close frame of one byte");
    if (payload.size() >= 2) {
        code = qFromBigEndian<quint16>(payload.constData());
        if (!validCloseCode(code) || !isValidUtf8(QByteArrayView(payload).sliced(2)))
            return fail(CloseProtocolError, "an invalid close frame");
    }
    if (m_closeSent) // the answer to ours: the handshake is done, and the server closes the TCP connection
        return closeSocket();
    // The peer's close: answered with its code, then the connection ends.
    m_closeSent = true;
    QByteArray answer;
    if (code != 0) {
        answer.resize(2);
        qToBigEndian<quint16>(code, answer.data());
    }
    queue(controlFrame(OpClose, answer));
    m_state = State::ClosingAfterFlush;
    writeQueued();
}

void WebSocketConnection::fail(quint16 code, const char *why)
{
    qCInfo(lcServer) << "closing a WebSocket with" << code << "on" << why;
    m_messageOpcode = 0;
    m_message.clear();
    if (!m_closeSent) {
        m_closeSent = true;
        QByteArray payload(2, Qt::Uninitialized);
        qToBigEndian<quint16>(code, payload.data());
        queue(controlFrame(OpClose, payload));
    }
    m_state = State::ClosingAfterFlush;
    writeQueued();
}

void WebSocketConnection::send(const QByteArray &frame)
{
    if (m_state == State::Open)
        queue(frame);
}

void WebSocketConnection::close(quint16 code, const QString &reason)
{
    if (m_state != State::Open)
        return;
    m_closeSent = true;
    m_state = State::Closing;
    QByteArray payload(2, Qt::Uninitialized);
    qToBigEndian<quint16>(code, payload.data());
    payload.append(reason.toUtf8().left(123)); // a control frame carries at most 125 bytes
    queue(controlFrame(OpClose, payload));
}

void WebSocketConnection::abort()
{
    if (m_state != State::Closed)
        closeSocket();
}

void WebSocketConnection::queue(QByteArray frame)
{
    m_outBytes += frame.size();
    m_out.append(std::move(frame));
    if (m_flushRequested || m_waitingForWritable || !m_poller)
        return;
    m_flushRequested = true;
    m_poller->flushAtEndOfTurn(this);
}

void WebSocketConnection::endOfTurn()
{
    m_flushRequested = false;
    writeQueued();
}

void WebSocketConnection::writeQueued()
{
    if (m_state == State::Closed)
        return;
    while (!m_out.isEmpty()) {
        Chunk chunks[MaxIovecs];
        int count = 0;
        qint64 offered = 0;
        for (qsizetype i = 0; i < m_out.size() && count < MaxIovecs; ++i) {
            const QByteArray &frame = m_out.at(i);
            const qsizetype skip = i == 0 ? m_outOffset : 0;
            chunks[count++].set(frame.constData() + skip, frame.size() - skip);
            offered += frame.size() - skip;
        }
        qint64 written = nativeWrite(m_socket, chunks, count);
        if (written < 0) {
            if (!wouldBlock())
                return closeSocket(); // the peer is gone
            written = 0;
        }
        const bool full = written < offered;
        while (written > 0) {
            const qsizetype left = m_out.first().size() - m_outOffset;
            if (written < left) {
                m_outOffset += written;
                break;
            }
            written -= left;
            m_outBytes -= m_out.first().size();
            m_outOffset = 0;
            m_out.removeFirst();
        }
        if (full) {
            // The kernel's buffer is full: on when it has room again.
            if (!m_waitingForWritable && m_poller) {
                m_waitingForWritable = true;
                m_poller->setWriteInterest(m_socket, this, true);
            }
            return;
        }
    }
    m_out = QList<QByteArray>(); // released: an idle connection keeps no queue
    if (m_waitingForWritable && m_poller) {
        m_waitingForWritable = false;
        m_poller->setWriteInterest(m_socket, this, false);
    }
    if (m_state == State::ClosingAfterFlush)
        return closeSocket();
    if (m_receiver)
        m_receiver->drained();
}

void WebSocketConnection::closeSocket()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    if (m_poller)
        m_poller->remove(m_socket, this);
    nativeClose(m_socket);
    m_out = QList<QByteArray>();
    m_outBytes = 0;
    m_outOffset = 0;
    m_in = QByteArray();
    m_message = QByteArray();
    if (Receiver *receiver = std::exchange(m_receiver, nullptr))
        receiver->disconnected();
}
