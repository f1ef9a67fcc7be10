// The network and the clock of the reply pipeline, in the test's hands: every request the real
// WidgetApiClient makes stops at the QNetworkAccessManager boundary as a FakeReply that the test
// answers when and how it likes (any status, any body, a network error, never); every retry delay
// waits in a ManualScheduler until the test moves time on. Nothing waits for the machine's clock, so
// a sequence of events replays exactly from its seed.
#pragma once

#include "scheduler.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QUrlQuery>

#include <algorithm>
#include <functional>
#include <vector>

class FakeReply : public QNetworkReply
{
public:
    FakeReply(QNetworkAccessManager::Operation operation, const QNetworkRequest &request, QByteArray body,
        QObject *parent)
        : QNetworkReply(parent)
        , requestBody(std::move(body))
    {
        setOperation(operation);
        setRequest(request);
        setUrl(request.url());
    }

    const QByteArray requestBody;

    QString path() const { return url().path(); }
    bool isSend() const { return operation() == QNetworkAccessManager::PostOperation && path().endsWith(u"/send"); }
    bool isUpload() const { return operation() == QNetworkAccessManager::PostOperation && path().endsWith(u"/upload"); }
    QByteArray idempotencyKey() const { return request().rawHeader("Idempotency-Key"); }
    // The bytes of the multipart part of an upload (CONTRACT.md §5: one part, named "file").
    QByteArray uploadedFile() const
    {
        const QByteArray type = request().header(QNetworkRequest::ContentTypeHeader).toByteArray();
        const qsizetype b = type.indexOf("boundary=");
        if (!isUpload() || b < 0)
            return {};
        const QByteArray boundary = "--" + type.mid(b + 9);
        const qsizetype start = requestBody.indexOf("\r\n\r\n", requestBody.indexOf(boundary));
        const qsizetype end = requestBody.indexOf("\r\n" + boundary + "--", start);
        return start < 0 || end < 0 ? QByteArray() : requestBody.mid(start + 4, end - start - 4);
    }
    // The headers of that part, as one string.
    QByteArray uploadedPartHead() const
    {
        const qsizetype end = requestBody.indexOf("\r\n\r\n");
        return end < 0 ? QByteArray() : requestBody.left(end);
    }
    bool isHistory() const { return path().endsWith(u"/history"); }
    bool isContext() const { return path().contains(u"/context/"); }
    int offset() const { return QUrlQuery(url()).queryItemValue(QStringLiteral("offset")).toInt(); }
    int limit() const { return QUrlQuery(url()).queryItemValue(QStringLiteral("limit")).toInt(); }
    QJsonObject json() const { return QJsonDocument::fromJson(requestBody).object(); }

    // An HTTP answer. The caller must not touch the reply afterwards: its owner deletes it.
    void respond(int status, const QByteArray &body)
    {
        setAttribute(QNetworkRequest::HttpStatusCodeAttribute, status);
        setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        if (status >= 400)
            setError(status >= 500 ? InternalServerError : ContentAccessDenied, QStringLiteral("HTTP %1").arg(status));
        m_body = body;
        finish();
    }
    // No HTTP answer: the connection failed, or (OperationCanceledError) the transfer timed out.
    void failNetwork(NetworkError code)
    {
        setError(code, code == OperationCanceledError ? QStringLiteral("Operation canceled")
                                                      : QStringLiteral("Connection refused"));
        finish();
    }

    void abort() override
    {
        if (!isFinished())
            failNetwork(OperationCanceledError);
    }
    qint64 bytesAvailable() const override { return m_body.size() - m_read + QIODevice::bytesAvailable(); }
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = std::min<qint64>(maxSize, m_body.size() - m_read);
        if (n <= 0)
            return -1;
        memcpy(data, m_body.constData() + m_read, size_t(n));
        m_read += n;
        return n;
    }

private:
    void finish()
    {
        open(QIODevice::ReadOnly);
        setFinished(true);
        emit metaDataChanged();
        if (error() != NoError)
            emit errorOccurred(error());
        emit finished();
    }

    QByteArray m_body;
    qint64 m_read = 0;
};

class FakeNetwork : public QNetworkAccessManager
{
public:
    // Every request as it is made, before anyone else sees it.
    std::function<void(FakeReply *)> onRequest;

    // The requests still waiting for an answer, oldest first.
    std::vector<FakeReply *> pending() const
    {
        std::vector<FakeReply *> out;
        for (const QPointer<FakeReply> &reply : m_replies) {
            if (reply && !reply->isFinished())
                out.push_back(reply);
        }
        return out;
    }

protected:
    QNetworkReply *createRequest(Operation op, const QNetworkRequest &request, QIODevice *outgoingData) override
    {
        auto *reply = new FakeReply(op, request, outgoingData ? outgoingData->readAll() : QByteArray(), this);
        m_replies.erase(std::remove_if(m_replies.begin(), m_replies.end(),
                            [](const QPointer<FakeReply> &r) { return !r || r->isFinished(); }),
            m_replies.end());
        m_replies.push_back(reply);
        if (onRequest)
            onRequest(reply);
        return reply;
    }

private:
    std::vector<QPointer<FakeReply>> m_replies;
};

// Time by hand: calls wait until advance() reaches them, then run in the order they fall due.
class ManualScheduler : public Scheduler
{
public:
    void after(int delayMs, QObject *context, std::function<void()> call) override
    {
        m_calls.push_back(Call {m_now + delayMs, m_sequence++, context, std::move(call)});
    }
    void advance(qint64 ms)
    {
        const qint64 until = m_now + ms;
        while (true) {
            auto next = std::min_element(m_calls.begin(), m_calls.end(), [](const Call &a, const Call &b) {
                return a.due != b.due ? a.due < b.due : a.sequence < b.sequence;
            });
            if (next == m_calls.end() || next->due > until)
                break;
            Call call = std::move(*next);
            m_calls.erase(next);
            m_now = std::max(m_now, call.due);
            if (call.context)
                call.call();
        }
        m_now = until;
    }
    bool idle() const
    {
        return std::none_of(m_calls.begin(), m_calls.end(), [](const Call &c) { return !c.context.isNull(); });
    }
    qint64 now() const { return m_now; }

private:
    struct Call
    {
        qint64 due;
        quint64 sequence;
        QPointer<QObject> context;
        std::function<void()> call;
    };
    std::vector<Call> m_calls;
    qint64 m_now = 0;
    quint64 m_sequence = 0;
};
