#include "cannedresponses.h"

#include "conversation.h"
#include "widgetapiclient.h"

CannedResponses::CannedResponses(const ConversationConfig &config, QObject *parent)
    : CannedResponses(new WidgetApiClient, parent)
{
    ApiConfig api {config.baseUrl, config.tenant, config.integration, config.token};
    api.ssl = config.ssl;
    m_api->setConfig(api);
}

CannedResponses::CannedResponses(WidgetApiClient *api, QObject *parent)
    : QObject(parent)
    , m_api(api)
{
    m_api->setParent(this);
    connect(m_api, &WidgetApiClient::cannedResponsesLoaded, this, [this](const QList<CannedResponse> &responses) {
        m_loading = false;
        set(CannedList {CannedList::State::Ready, responses, QString()});
    });
    connect(m_api, &WidgetApiClient::cannedResponsesFailed, this, [this](const Wire::ApiError &error) {
        m_loading = false;
        // What was loaded before stays usable; the agent is told the list may be out of date.
        set(CannedList {CannedList::State::Failed, m_list.responses, error.message});
    });
}

void CannedResponses::load()
{
    if (m_loading)
        return;
    m_loading = true;
    if (m_list.responses.isEmpty() && m_list.state != CannedList::State::Loading)
        set(CannedList {CannedList::State::Loading, {}, QString()});
    m_api->fetchCannedResponses();
}

void CannedResponses::set(const CannedList &list)
{
    if (list == m_list)
        return;
    m_list = list;
    emit changed(m_list);
}
