// WebSocketTransport: Engine.IO v4 over one QWebSocket, one packet per text frame (CONTRACT.md §2).
#pragma once

#include "enginetransport.h"

#include <QSslConfiguration>

class QWebSocket;

class WebSocketTransport : public EngineTransport
{
    Q_OBJECT

public:
    WebSocketTransport(const QUrl &url, const QSslConfiguration &ssl, QObject *parent = nullptr);
    ~WebSocketTransport() override;

    QString name() const override { return QStringLiteral("websocket"); }
    void open() override;
    void send(const QStringList &packets) override;
    void abort() override;
    void closeGracefully() override;

private:
    void fail(const QString &reason);

    QUrl m_url;
    QWebSocket *m_socket;
    QString m_tlsReason; // set by sslErrors, reported when the socket gives up
    bool m_connected = false;
    bool m_failed = false;
};
