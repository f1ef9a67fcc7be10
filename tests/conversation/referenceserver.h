// The reference backend of tst_replyproperty: what a server that follows CONTRACT.md §1, §3 and §5 would
// hold after the requests the pipeline made, kept as plain values so each step can be checked against it.
#pragma once

#include "messagestatus.h"
#include "statuslattice.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QStringList>

// The backend: keeps each messageId once, in the order it first accepted them, and each upload once
// per Idempotency-Key (CONTRACT.md §5).
struct ServerModel
{
    struct Stored
    {
        QString id; // the client's id (inbound: the server's)
        QString upstreamId; // what status events may use instead
        QString text;
        QString mediaUrl; // as the send named it
        bool inbound = false;
        MessageStatus status = MessageStatus::Sent;
        QString error;
        qint64 ms = 0;
    };
    QList<Stored> messages;
    // Status events sent since each reply last went out, as "id|status|error": they may come again, in
    // any order. A Retry of a reply the upstream failed sends it out again (widget-server revives it).
    QStringList emitted;
    // Replies the agent pressed Retry on: their next POST sends them out again if the upstream had
    // failed them. A transport's repeat of the same POST (its answer was lost) only gets the answer.
    QSet<QString> retried;
    qint64 clock = 1763892000000;

    struct Upload
    {
        QString mediaUrl;
        QByteArray bytes;
        int requests = 0; // how often the key was asked for, repeats included
    };
    QHash<QString, Upload> uploads; // by Idempotency-Key
    QStringList uploadOrder; // keys in the order first stored
    // What went wrong that only the server can see: a send naming no upload of its key, an upload of other
    // bytes under a key already stored. Empty while all is well.
    QString broken;

    // Stores an upload (idempotent on the key); returns its answer.
    QByteArray upload(const QString &key, const QByteArray &bytes)
    {
        Upload &u = uploads[key];
        if (++u.requests == 1) {
            u.mediaUrl = QStringLiteral("http://backend.test/api/v1/widget/media/m%1").arg(uploads.size());
            u.bytes = bytes;
            uploadOrder.append(key);
        } else if (u.bytes != bytes && broken.isEmpty()) {
            broken = QStringLiteral("the upload %1 came again with other bytes").arg(key);
        }
        return QJsonDocument(QJsonObject {{QStringLiteral("mediaUrl"), u.mediaUrl},
                                 {QStringLiteral("mimeType"), QStringLiteral("image/png")},
                                 {QStringLiteral("size"), int(u.bytes.size())},
                                 {QStringLiteral("fileName"), QStringLiteral("photo.png")},
                                 {QStringLiteral("width"), 3}, {QStringLiteral("height"), 2}})
            .toJson(QJsonDocument::Compact);
    }

    int indexOf(const QString &id) const
    {
        for (int i = 0; i < messages.size(); ++i) {
            if (messages[i].id == id)
                return i;
        }
        return -1;
    }
    QStringList acceptedTexts() const
    {
        QStringList texts;
        for (const Stored &m : messages) {
            if (!m.inbound)
                texts.append(m.text);
        }
        return texts;
    }
    // Accepts a send (idempotent on messageId); returns the id the answer names.
    QString accept(const QJsonObject &send, bool assignIds)
    {
        const QString id = send.value(u"messageId").toString();
        const int known = indexOf(id);
        if (known >= 0) {
            Stored &m = messages[known];
            if (m.status == MessageStatus::Failed && retried.remove(id)) { // out again, an attempt of its own
                m.status = MessageStatus::Sent;
                m.error.clear();
                emitted.removeIf(
                    [&](const QString &e) { return e.startsWith(m.id + u'|') || e.startsWith(m.upstreamId + u'|'); });
            }
            return m.upstreamId;
        }
        // Its first arrival is no "out again": a Retry pressed before any POST of it got here is spent.
        retried.remove(id);
        Stored m;
        m.id = id;
        m.upstreamId = assignIds ? QStringLiteral("wamid.%1").arg(messages.size()) : id;
        m.text = send.value(u"text").toString();
        m.mediaUrl = send.value(u"mediaUrl").toString();
        // A send with an attachment names what its own upload stored, and nothing else (CONTRACT.md §5).
        if (!m.mediaUrl.isEmpty() && uploads.value(id).mediaUrl != m.mediaUrl && broken.isEmpty())
            broken = QStringLiteral("%1 was sent with %2, not its upload's URL").arg(id, m.mediaUrl);
        m.ms = ++clock;
        messages.append(m);
        return m.upstreamId;
    }
    void inbound(int n)
    {
        Stored m;
        m.id = QStringLiteral("in%1").arg(n);
        m.upstreamId = m.id;
        m.text = m.id;
        m.inbound = true;
        m.status = MessageStatus::None;
        m.ms = ++clock;
        messages.append(m);
    }
    QByteArray history(int offset, int limit) const
    {
        const qsizetype end = std::max<qsizetype>(0, messages.size() - offset);
        const qsizetype begin = std::max<qsizetype>(0, end - limit);
        QJsonArray page;
        for (qsizetype i = begin; i < end; ++i) {
            const Stored &m = messages[i];
            QJsonObject o {{QStringLiteral("id"), m.id}, {QStringLiteral("text"), m.text},
                {QStringLiteral("direction"), m.inbound ? QStringLiteral("inbound") : QStringLiteral("outbound")},
                {QStringLiteral("timestamp"), m.ms}};
            if (!m.mediaUrl.isEmpty())
                o.insert(QStringLiteral("mediaUrl"), m.mediaUrl);
            if (!m.inbound)
                o.insert(QStringLiteral("status"), statusName(m.status));
            if (!m.error.isEmpty())
                o.insert(QStringLiteral("error"), QJsonObject {{QStringLiteral("message"), m.error}});
            page.append(o);
        }
        return QJsonDocument(
            QJsonObject {{QStringLiteral("messages"), page}, {QStringLiteral("total"), int(messages.size())}})
            .toJson(QJsonDocument::Compact);
    }
};
