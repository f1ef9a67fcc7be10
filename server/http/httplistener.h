// The listening socket of the HTTP front: a QTcpServer that wraps every accepted socket in an
// HttpConnection before Qt's HTTP server sees it, and keeps the connections over the per-address limit
// to itself (they get a 429 and are closed).
#pragma once

#include <QTcpServer>

#include <memory>

struct HttpConnectionBook;

class HttpListener : public QTcpServer
{
    Q_OBJECT
public:
    HttpListener(std::shared_ptr<HttpConnectionBook> book, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    std::shared_ptr<HttpConnectionBook> m_book;
};
