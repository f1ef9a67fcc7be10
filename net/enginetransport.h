// EngineTransport: one way of carrying Engine.IO v4 packets (WebSocket or HTTP long-polling), as seen by
// EngineConnection. A transport knows nothing of pings, upgrades or Socket.IO; it moves frames and says
// when it is open and when it has failed.
#pragma once

#include "protocol.h"

#include <QObject>
#include <QSslError>
#include <QUrl>

class EngineTransport : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    virtual QString name() const = 0;
    virtual void open() = 0;
    // Text packets ("2", "40{...}"), in order. Each is already known to fit maxPayload on its own.
    virtual void send(const QStringList &packets) = 0;
    // Stops at once: no more requests, frames or signals. The owner then deletes it (deleteLater: this
    // may run inside one of its signals).
    virtual void abort() = 0;
    // Flushes and lets go: the transport finishes writing what it holds (best effort), then deletes
    // itself. Emits nothing more.
    virtual void closeGracefully() = 0;
    // Stop reading so the connection can switch transports: emits paused() once nothing is in flight
    // (CONTRACT.md §2 upgrade; engine.io-client "pause"). Only polling needs it.
    virtual void pause() { emit paused(); }
    // Reading again after a pause whose upgrade probe failed.
    virtual void resume() { }
    void setMaxPayload(int bytes) { m_maxPayload = bytes; }

    // A certificate error is never ignored: it fails the transport and names the host and the reason.
    static QString tlsReason(const QString &host, const QList<QSslError> &errors)
    {
        QStringList reasons;
        for (const QSslError &error : errors) {
            if (!reasons.contains(error.errorString()))
                reasons.append(error.errorString());
        }
        return QStringLiteral("The certificate of %1 is not trusted: %2").arg(host, reasons.join(u"; "));
    }

signals:
    void opened();
    void frameReceived(const Protocol::EngineFrame &frame);
    // tls: the failure is a TLS one, which another transport would only repeat.
    void failed(const QString &reason, bool tls);
    void paused();

protected:
    int m_maxPayload = 1000000;
};
