// `widget-server --conformance-fixture`: exactly the server the socketio organisation's protocol test
// suites expect (their READMEs give it in Node.js): a raw Engine.IO endpoint on /engine.io/ that echoes
// every message (engine.io-protocol/test-suite), and Socket.IO on /socket.io/ with the namespaces "/"
// and "/custom" (socket.io-protocol/test-suite); pingInterval 300, pingTimeout 200, maxPayload 1e6.
#pragma once

#include <QHostAddress>
#include <QObject>

class EngineServer;
class HttpFront;
class SocketIoServer;

class ConformanceFixture : public QObject
{
    Q_OBJECT
public:
    static constexpr quint16 DefaultPort = 3000; // both suites use http://localhost:3000

    explicit ConformanceFixture(QObject *parent = nullptr);

    // The suites connect to "localhost", which Node may resolve to ::1 or 127.0.0.1: listen on both.
    bool listen(quint16 port = DefaultPort);
    quint16 port() const { return m_port; }

private:
    EngineServer *engineFor(const QUrl &url) const;
    void setUpSocketIo();

    EngineServer *m_engineIo;
    EngineServer *m_socketIoEngine;
    SocketIoServer *m_socketIo;
    HttpFront *m_http;
    quint16 m_port = 0;
};
