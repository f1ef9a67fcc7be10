// Raw HTTP over a QTcpSocket for the limits, observability and shutdown tests: sends bytes exactly as
// given (malformed ones included) and reads one answer, waiting with QSignalSpy, never sleeping.
#pragma once

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTcpSocket>

struct RawResponse
{
    bool complete = false; // a whole answer (head and Content-Length body) arrived
    bool closedByServer = false;
    int status = 0;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QJsonObject json;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    // The error code of either shape: {"error":{"code":".."}} or Engine.IO's {"code":N}.
    QString errorCode() const
    {
        const QJsonValue nested = json.value(u"error").toObject().value(u"code");
        if (nested.isString())
            return nested.toString();
        const QJsonValue flat = json.value(u"code");
        return flat.isDouble() ? QString::number(flat.toInt()) : QString();
    }
};

class RawConnection
{
public:
    RawConnection() { m_socket.setProxy(QNetworkProxy::NoProxy); }

    bool connectTo(quint16 port, const QHostAddress &from = {})
    {
        if (!from.isNull() && !m_socket.bind(from))
            return false;
        QSignalSpy connected(&m_socket, &QTcpSocket::connected);
        QSignalSpy failed(&m_socket, &QTcpSocket::errorOccurred);
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        QDeadlineTimer deadline(10000);
        while (connected.isEmpty() && failed.isEmpty() && !deadline.hasExpired())
            connected.wait(100);
        return !connected.isEmpty();
    }
    QTcpSocket &socket() { return m_socket; }
    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }

    // Reads one answer; stops at its end, when the server closes, or after timeoutMs.
    RawResponse read(int timeoutMs = 10000)
    {
        RawResponse r;
        QDeadlineTimer deadline(timeoutMs);
        QSignalSpy readyRead(&m_socket, &QTcpSocket::readyRead);
        QSignalSpy disconnected(&m_socket, &QTcpSocket::disconnected);
        for (;;) {
            m_buffer += m_socket.readAll();
            if (parse(&r))
                break;
            if (m_socket.state() != QAbstractSocket::ConnectedState || !disconnected.isEmpty()) {
                m_buffer += m_socket.readAll();
                parse(&r);
                r.closedByServer = true;
                break;
            }
            if (deadline.hasExpired())
                break;
            readyRead.wait(50);
        }
        return r;
    }
    // Waits for the server to close the connection.
    bool waitClosed(int timeoutMs = 10000)
    {
        QSignalSpy disconnected(&m_socket, &QTcpSocket::disconnected);
        if (m_socket.state() == QAbstractSocket::UnconnectedState)
            return true;
        return disconnected.wait(timeoutMs) || m_socket.state() == QAbstractSocket::UnconnectedState;
    }

private:
    bool parse(RawResponse *r)
    {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return false;
        const QList<QByteArray> lines = m_buffer.left(end).split('\n');
        r->status = lines.value(0).split(' ').value(1).toInt();
        r->headers.clear();
        qsizetype length = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            r->headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
            if (line.left(colon).trimmed().compare("content-length", Qt::CaseInsensitive) == 0)
                length = line.mid(colon + 1).trimmed().toLongLong();
        }
        if (m_buffer.size() < end + 4 + length)
            return false;
        r->body = m_buffer.mid(end + 4, length);
        r->json = QJsonDocument::fromJson(r->body).object();
        r->complete = true;
        m_buffer.remove(0, end + 4 + length);
        return true;
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

// One request on a fresh connection.
inline RawResponse rawRequest(quint16 port, const QByteArray &bytes)
{
    RawConnection connection;
    if (!connection.connectTo(port))
        return {};
    connection.send(bytes);
    return connection.read();
}
