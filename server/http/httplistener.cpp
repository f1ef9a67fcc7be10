#include "httplistener.h"

#include "httpconnection.h"

#include <QTcpSocket>

HttpListener::HttpListener(std::shared_ptr<HttpConnectionBook> book, QObject *parent)
    : QTcpServer(parent)
    , m_book(std::move(book))
{
}

void HttpListener::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    const QHostAddress peer = HttpConnection::normalized(socket->peerAddress());
    const bool refused = m_book->maxPerAddress > 0 && m_book->perAddress.value(peer) >= m_book->maxPerAddress;
    new HttpConnection(socket, m_book, refused);
    if (!refused)
        addPendingConnection(socket); // Qt's HTTP server takes it from here
}
