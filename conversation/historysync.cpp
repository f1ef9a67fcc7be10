#include "historysync.h"

#include "messagelistmodel.h"
#include "outbox.h"
#include "retryschedule.h"
#include "scheduler.h"
#include "serverword.h"
#include "widgetapiclient.h"

#include <QRandomGenerator>

HistorySync::HistorySync(
    MessageListModel *model, Outbox *outbox, WidgetApiClient *api, Scheduler *scheduler, QObject *parent)
    : QObject(parent)
    , m_model(model)
    , m_outbox(outbox)
    , m_api(api)
    , m_scheduler(scheduler)
    , m_random([] { return QRandomGenerator::global()->generateDouble(); })
{
    connect(m_api, &WidgetApiClient::contextLoaded, this, [this](const Wire::ConversationContext &context) {
        if (!m_opening || m_open)
            return;
        m_context = context;
        emit contextLoaded(context);
        request(Purpose::Open, 0);
    });
    connect(m_api, &WidgetApiClient::contextFailed, this, [this](const Wire::ApiError &error) {
        if (m_opening && !m_open)
            openFailedWith(tr("Cannot open the conversation: %1").arg(error.message), error);
    });
    connect(m_api, &WidgetApiClient::historyLoaded, this, &HistorySync::onPage);
    connect(m_api, &WidgetApiClient::historyFailed, this, &HistorySync::onPageFailed);
}

void HistorySync::open(const QString &conversationId, int pageSize)
{
    m_conversation = conversationId;
    m_pageSize = pageSize;
    openNow();
}

void HistorySync::openNow()
{
    if (m_open || m_opening)
        return;
    ++m_openTry; // a retry already scheduled is this one
    requestContext();
}

void HistorySync::requestContext()
{
    m_opening = true;
    m_api->fetchContext(m_conversation);
}

void HistorySync::request(Purpose purpose, int offset)
{
    const quint64 id = m_api->fetchHistory(m_conversation, m_pageSize, offset);
    m_requests.insert(id, Request {purpose, offset, nextChangeStamp()});
}

// Network errors, timeouts, 408, 429 and 5xx pass (a deploy, an outage): the next try comes by itself,
// with the socket's backoff. Any other answer will not change by waiting.
void HistorySync::openFailedWith(const QString &message, const Wire::ApiError &error)
{
    m_opening = false;
    const RetrySchedule::AttemptFailure failure {error.httpStatus, std::nullopt, error.code == u"TLS"};
    if (!RetrySchedule::isRetryable(failure) || error.code == u"BAD_REPLY" || error.code == u"TOO_LARGE") {
        m_openAttempt = 0;
        emit openFailed(message);
        return;
    }
    const int delay = RetrySchedule::reconnectDelayMs(m_openAttempt++, m_random());
    m_scheduler->after(delay, this, [this, attempt = m_openTry] {
        if (attempt == m_openTry && !m_open && !m_opening)
            requestContext();
    });
    emit openRetrying(message, delay);
}

// Each message goes to whoever owns its state; the ones nobody knows are inserted where they belong.
// Returns how many were known before.
int HistorySync::apply(const QList<Message> &page, quint64 stamp)
{
    int known = 0;
    QList<Message> fresh;
    for (const Message &m : page) {
        auto event = serverEvent(m.status);
        // The server has it: for a reply of ours that is proof it was accepted, whatever else it says.
        if (!event && m.direction == Direction::Outbound)
            event = StatusEvent::ServerSent;
        if (applyServerWord(*m_outbox, *m_model, m.id, event, m.error, stamp))
            ++known;
        else
            fresh.append(m);
    }
    m_model->merge(fresh);
    return known;
}

void HistorySync::onPage(quint64 id, const Wire::HistoryPage &page)
{
    const auto it = m_requests.constFind(id);
    if (it == m_requests.cend())
        return;
    const Request request = *it;
    m_requests.erase(it);
    switch (request.purpose) {
    case Purpose::Open:
        apply(page.messages, request.stamp);
        m_opening = false;
        m_open = true;
        m_openAttempt = 0;
        m_hasOlder
            = page.messages.size() >= m_pageSize && (page.total < 0 || page.total > page.messages.size());
        emit opened();
        return;
    case Purpose::Older: {
        m_loadingOlder = false;
        const int added = m_model->prepend(page.messages);
        m_hasOlder = page.messages.size() >= m_pageSize && (page.total < 0 || serverKnownCount() < page.total);
        emit olderLoaded(added);
        return;
    }
    case Purpose::Newest:
    case Purpose::CatchUp: {
        const int known = apply(page.messages, request.stamp);
        // A full page of nothing we knew: more arrived while offline than one page holds. Read further
        // back until the pages meet what is on screen, so no message is missing in between. A page of
        // this chain is merged by time wherever it lands, even after a newer reconnect's newest page.
        const int next = request.offset + m_pageSize;
        if (known == 0 && page.messages.size() >= m_pageSize
            && m_model->rowCount() > page.messages.size() && next < MaxCatchUpPages * m_pageSize)
            this->request(Purpose::CatchUp, next);
        return;
    }
    }
}

void HistorySync::onPageFailed(quint64 id, const Wire::ApiError &error)
{
    const auto it = m_requests.constFind(id);
    if (it == m_requests.cend())
        return;
    const Purpose purpose = it->purpose;
    m_requests.erase(it);
    if (purpose == Purpose::Open) {
        openFailedWith(tr("Cannot load the conversation: %1").arg(error.message), error);
        return;
    }
    if (purpose == Purpose::Older)
        m_loadingOlder = false;
    emit notice(tr("Could not load messages: %1").arg(error.message));
}

void HistorySync::catchUp()
{
    if (!m_open)
        return; // the opening reads the newest page anyway
    request(Purpose::Newest, 0);
}

// Offsets count back from the newest message the server has; replies still in the outbox are not there.
int HistorySync::serverKnownCount() const
{
    return m_model->rowCount() - int(m_outbox->size());
}

void HistorySync::loadOlder()
{
    if (!m_open || m_loadingOlder || !m_hasOlder)
        return;
    m_loadingOlder = true;
    request(Purpose::Older, serverKnownCount());
}
