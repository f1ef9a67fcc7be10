#include "replysender.h"

#include "messagelistmodel.h"
#include "outbox.h"
#include "serverword.h"
#include "widgetapiclient.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcReplies, "agentconsole.replies")

ReplySender::ReplySender(Outbox *outbox, MessageListModel *model, WidgetApiClient *api, QObject *parent)
    : QObject(parent)
    , m_outbox(outbox)
    , m_model(model)
    , m_api(api)
{
    // Whatever changed in the outbox (a reply written, retried, gone), the head may be free to go now.
    connect(m_outbox, &Outbox::added, this, &ReplySender::pump);
    connect(m_outbox, &Outbox::changed, this, &ReplySender::pump);
    connect(m_outbox, &Outbox::left, this, &ReplySender::pump);
    connect(m_api, &WidgetApiClient::sendAccepted, this, &ReplySender::onAccepted);
    connect(m_api, &WidgetApiClient::sendFailed, this, [this](const QString &messageId, const Wire::ApiError &error) {
        qCInfo(lcReplies) << "reply" << messageId << "failed:" << error.message;
        m_outbox->postFailed(messageId, error.message);
    });
    connect(m_api, &WidgetApiClient::uploadProgress, m_outbox, &Outbox::uploadProgress);
    connect(m_api, &WidgetApiClient::uploadAccepted, this, &ReplySender::onUploaded);
    connect(m_api, &WidgetApiClient::uploadFailed, this, [this](const QString &messageId, const Wire::ApiError &error) {
        qCInfo(lcReplies) << "upload of reply" << messageId << "failed:" << error.message;
        m_outbox->postFailed(messageId, error.message);
    });
}

void ReplySender::start(const QString &conversationId)
{
    m_conversation = conversationId;
    m_started = true;
    pump();
}

void ReplySender::pump()
{
    if (!m_started)
        return; // nothing leaves before the conversation is open: the integration id may be unknown
    const auto next = m_outbox->takeNext();
    if (!next)
        return;
    // The attachment first, unless an earlier attempt (or run) got it to the server already.
    if (!next->attachment.isEmpty() && next->mediaUrl.isEmpty()) {
        m_outbox->uploadStarted(next->id);
        m_api->upload(OutgoingUpload {next->id, m_conversation, next->attachment});
        return;
    }
    m_api->send(OutgoingReply {next->id, m_conversation, next->text, next->mediaUrl});
}

void ReplySender::onUploaded(const QString &messageId, const Wire::UploadResult &result)
{
    const Outbox::Entry *entry = m_outbox->find(messageId);
    if (!entry || !entry->uploading)
        return;
    const QString caption = entry->message.text; // before uploaded(): its signals may touch the outbox
    m_outbox->uploaded(messageId, result.mediaUrl, result.attachment);
    m_api->send(OutgoingReply {messageId, m_conversation, caption, result.mediaUrl});
}

void ReplySender::onAccepted(const QString &messageId, const QString &serverId)
{
    // Receipts that arrived under the server's id before this answer apply now. For a reply the agent
    // retried, only a delivery or read receipt received since: a "sent" or "failed" may speak of the
    // attempt before (the outbox ignored them for the same reason while it held the reply).
    const Outbox::Entry *entry = m_outbox->find(messageId);
    const quint64 since = entry ? entry->since : 0;
    const bool retried = entry && entry->retried;
    m_outbox->accepted(messageId, serverId);
    std::deque<EarlyEvent> waiting;
    waiting.swap(m_earlyEvents);
    for (const EarlyEvent &early : waiting) {
        const Wire::StatusUpdate &update = early.update;
        if (update.messageId != serverId && update.messageId != messageId) {
            m_earlyEvents.push_back(early);
            continue;
        }
        const auto event = serverEvent(update.status);
        const bool ambiguous = retried && (event == StatusEvent::ServerSent || event == StatusEvent::ServerFailed);
        if (early.stamp > since && !ambiguous)
            applyServerWord(*m_outbox, *m_model, update.messageId, event, update.error, nextChangeStamp());
    }
    if (retried)
        emit retriedReplyAccepted();
}

void ReplySender::onStatusUpdate(const Wire::StatusUpdate &update)
{
    const auto event = serverEvent(update.status);
    if (!event)
        return;
    if (applyServerWord(*m_outbox, *m_model, update.messageId, event, update.error, nextChangeStamp()))
        return;
    m_earlyEvents.push_back(EarlyEvent {update, nextChangeStamp()});
    if (m_earlyEvents.size() > MaxEarlyEvents)
        m_earlyEvents.pop_front();
}

bool ReplySender::send(const QString &text, const Attachment &attachment, QString *error)
{
    return m_outbox->add(text, attachment, error).has_value();
}

bool ReplySender::cancelUpload(const QString &messageId)
{
    const int row = m_model->rowOf(messageId);
    const QString id = row < 0 ? messageId : m_model->at(row).id;
    const Outbox::Entry *entry = m_outbox->find(id);
    if (!entry || !entry->uploading)
        return false;
    m_api->cancelUpload(id); // first: nothing of the aborted request reaches the outbox afterwards
    return m_outbox->cancelUpload(id);
}

void ReplySender::retry(const QString &messageId)
{
    const int row = m_model->rowOf(messageId);
    if (row < 0)
        return;
    const Message shown = m_model->at(row);
    if (shown.status != MessageStatus::Failed)
        return;
    // A reply the upstream failed after acceptance is no longer in the outbox: it queues again.
    if (!m_outbox->retry(shown.id))
        m_outbox->requeue(shown);
}

bool ReplySender::canDiscard(const QString &messageId) const
{
    const int row = m_model->rowOf(messageId);
    if (row < 0)
        return false;
    const Message shown = m_model->at(row);
    if (m_outbox->contains(shown.id))
        return m_outbox->canDiscard(shown.id);
    return shown.status == MessageStatus::Failed;
}

void ReplySender::discard(const QString &messageId)
{
    if (!canDiscard(messageId))
        return;
    const QString id = m_model->at(m_model->rowOf(messageId)).id;
    // A reply the upstream failed after acceptance is the server's: only its bubble goes, for good.
    if (!m_outbox->discard(id))
        m_model->dismiss(id);
}

void ReplySender::retryAll()
{
    for (const QString &id : m_model->unsentIds())
        retry(id);
}

void ReplySender::discardAll()
{
    // The queued ones first: discarding a failed head would let the next one go out at once.
    const QStringList unsent = m_model->unsentIds();
    for (const QString &id : unsent) {
        const int row = m_model->rowOf(id);
        if (row >= 0 && m_model->at(row).queued)
            discard(id);
    }
    for (const QString &id : unsent)
        discard(id);
}
