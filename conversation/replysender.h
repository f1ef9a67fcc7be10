// ReplySender: sends what the Outbox holds through WidgetApiClient, the head only, so replies leave in
// the order they were written; gives each POST's answer to the outbox, and each status event to the
// outbox or, once a reply has left it, to the model. A receipt under the upstream's id can overtake the
// POST answer that tells us that id (CONTRACT.md §1): it waits, bounded, until an answer names it.
// A reply with an attachment goes in two steps, both of the head: the upload, then the POST with the
// upload's mediaUrl (CONTRACT.md §5); it stays on the wire, and pending, through both.
#pragma once

#include "attachment.h"
#include "mediajson.h"
#include "wirejson.h"

#include <QObject>

#include <deque>

class MessageListModel;
class Outbox;
class WidgetApiClient;

class ReplySender : public QObject
{
    Q_OBJECT

public:
    static constexpr size_t MaxEarlyEvents = 256;

    ReplySender(Outbox *outbox, MessageListModel *model, WidgetApiClient *api, QObject *parent = nullptr);

    // The conversation is open (the integration id is known): replies may leave from now on.
    void start(const QString &conversationId);
    void onStatusUpdate(const Wire::StatusUpdate &update);

    // The agent's commands. Ids may be the client's or the server's.
    bool send(const QString &text, const Attachment &attachment = {}, QString *error = nullptr);
    void retry(const QString &messageId);
    // Cancels the upload of a reply's attachment, and with it the reply (it becomes a discarded one).
    bool cancelUpload(const QString &messageId);
    bool canDiscard(const QString &messageId) const;
    void discard(const QString &messageId);
    void retryAll(); // oldest first, so they leave in the order they were written
    void discardAll(); // every failed or queued reply, none on the wire

signals:
    // A reply the agent retried was accepted: what the server said of it while the POST was on its way
    // may have been about the attempt before and was not taken; a fresh page settles it.
    void retriedReplyAccepted();

private:
    void pump();
    void onAccepted(const QString &messageId, const QString &serverId);
    void onUploaded(const QString &messageId, const Wire::UploadResult &result);

    struct EarlyEvent
    {
        Wire::StatusUpdate update;
        quint64 stamp; // nextChangeStamp() when it arrived
    };

    Outbox *m_outbox;
    MessageListModel *m_model;
    WidgetApiClient *m_api;
    QString m_conversation;
    bool m_started = false;
    std::deque<EarlyEvent> m_earlyEvents;
};
