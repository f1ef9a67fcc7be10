#include "conversation.h"

#include "historysync.h"
#include "mediafetcher.h"
#include "messagelistmodel.h"
#include "outbox.h"
#include "replysender.h"
#include "scheduler.h"
#include "widgetapiclient.h"

Conversation::Conversation(const ConversationConfig &config, OutboxStore *store, QObject *parent)
    : Conversation(config, store, new WidgetApiClient, Scheduler::system(), parent)
{
}

Conversation::Conversation(
    const ConversationConfig &config, OutboxStore *store, WidgetApiClient *api, Scheduler *scheduler, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_model(new MessageListModel(this))
    , m_outbox(new Outbox(store, config.tenant, config.conversation, this))
    , m_api(api)
    , m_socket(new SocketIoClient(this))
    , m_history(new HistorySync(m_model, m_outbox, m_api, scheduler, this))
    , m_sender(new ReplySender(m_outbox, m_model, m_api, this))
    , m_media(new MediaFetcher(m_api,
          config.mediaCacheDir == ConversationConfig::MediaCacheDefault ? MediaFetcher::defaultCacheDir()
                                                                        : config.mediaCacheDir,
          this))
{
    m_api->setParent(this);
    ApiConfig apiConfig {config.baseUrl, config.tenant, config.integration, config.token};
    apiConfig.ssl = config.ssl;
    m_api->setConfig(apiConfig);
    m_model->setOutbox(m_outbox);

    connect(m_model, &MessageListModel::unsentCountChanged, this, &Conversation::unsentCountChanged);
    connect(m_outbox, &Outbox::storageFailed, this, &Conversation::warnStorage);
    // An uploaded attachment's copy becomes the cached file of its mediaUrl: no download to show it again.
    connect(m_outbox, &Outbox::left, m_media, [this](const Message &reply, Outbox::Outcome outcome) {
        if (outcome != Outbox::Outcome::Discarded && !reply.mediaUrl.isEmpty())
            m_media->adopt(reply.mediaUrl, reply.attachment.localPath);
    });
    connect(m_media, &MediaFetcher::mediaReady, this, &Conversation::mediaReady);
    connect(m_media, &MediaFetcher::mediaFailed, this, &Conversation::mediaFailed);
    connect(m_history, &HistorySync::contextLoaded, this, [this](const Wire::ConversationContext &context) {
        if (m_config.integration.isEmpty() && !context.integrationId.isEmpty()) {
            m_config.integration = context.integrationId;
            ApiConfig api = m_api->config();
            api.integrationId = context.integrationId;
            m_api->setConfig(api);
        }
        emit customerKnown(context);
    });
    connect(m_history, &HistorySync::opened, this, &Conversation::onOpened);
    connect(m_history, &HistorySync::openFailed, this, &Conversation::openFailed);
    connect(m_history, &HistorySync::openRetrying, this, &Conversation::openRetrying);
    connect(m_history, &HistorySync::olderLoaded, this, &Conversation::olderLoaded);
    connect(m_history, &HistorySync::notice, this, &Conversation::notice);

    connect(m_socket, &SocketIoClient::statusUpdate, m_sender, &ReplySender::onStatusUpdate);
    connect(m_sender, &ReplySender::retriedReplyAccepted, m_history, &HistorySync::catchUp);
    connect(m_socket, &SocketIoClient::inboundMessage, this, [this](const Message &m) {
        m_model->append(m);
        emit inboundMessage(m);
    });
    // Events missed while the socket was down are recovered from the newest history page (CONTRACT.md §2).
    connect(m_socket, &SocketIoClient::connected, this, [this] {
        m_history->catchUp();
        emit connected();
    });
    connect(m_socket, &SocketIoClient::stateChanged, this, &Conversation::connectionStateChanged);
    connect(m_socket, &SocketIoClient::reconnectScheduled, this, &Conversation::reconnectScheduled);
    connect(m_socket, &SocketIoClient::disconnected, this, &Conversation::disconnected);
    connect(m_socket, &SocketIoClient::connectError, this, &Conversation::connectError);
}

Conversation::~Conversation() = default;

QString Conversation::customerName() const
{
    return m_history->context().customerName;
}

Wire::ConversationContext Conversation::context() const
{
    return m_history->context();
}

void Conversation::start()
{
    m_history->open(m_config.conversation, m_config.pageSize);
}

bool Conversation::isOpen() const
{
    return m_history->isOpen();
}

void Conversation::reopen()
{
    m_history->openNow();
}

void Conversation::onOpened()
{
    if (const QString problem = m_outbox->storageProblem(); !problem.isEmpty())
        warnStorage(problem);
    emit opened();
    SocketConfig socket {m_config.baseUrl, m_config.tenant, m_config.conversation, m_config.token};
    socket.ssl = m_config.ssl;
    m_socket->open(socket);
    m_sender->start(m_config.conversation);
}

void Conversation::warnStorage(const QString &problem)
{
    if (m_storageWarned)
        return;
    m_storageWarned = true;
    emit notice(tr("%1 Replies are kept in memory only until they are sent.").arg(problem));
}

QString Conversation::attachmentStagingFolder() const
{
    return m_outbox->stagingFolder();
}

bool Conversation::sendReply(const QString &text, const Attachment &attachment, QString *error)
{
    return m_sender->send(text, attachment, error);
}

bool Conversation::cancelUpload(const QString &messageId)
{
    return m_sender->cancelUpload(messageId);
}

void Conversation::fetchMedia(const QString &url, const QString &fileName)
{
    m_media->fetch(url, fileName);
}

QString Conversation::cachedMedia(const QString &url) const
{
    return m_media->cachedPath(url);
}

bool Conversation::isOwnMedia(const QString &url) const
{
    return m_api->isOwnOrigin(QUrl(url, QUrl::StrictMode));
}

void Conversation::retry(const QString &messageId)
{
    m_sender->retry(messageId);
}

bool Conversation::canDiscard(const QString &messageId) const
{
    return m_sender->canDiscard(messageId);
}

void Conversation::discard(const QString &messageId)
{
    m_sender->discard(messageId);
}

void Conversation::retryAll()
{
    m_sender->retryAll();
}

void Conversation::discardAll()
{
    m_sender->discardAll();
}

int Conversation::unsentCount() const
{
    return m_model->unsentCount();
}

void Conversation::loadOlder()
{
    m_history->loadOlder();
}

bool Conversation::hasOlder() const
{
    return m_history->hasOlder();
}

bool Conversation::isLoadingOlder() const
{
    return m_history->isLoadingOlder();
}

SocketIoClient::State Conversation::connectionState() const
{
    return m_socket->state();
}

void Conversation::reconnectNow()
{
    m_socket->reconnectNow();
}

void Conversation::setRandomSource(const std::function<double()> &random)
{
    m_socket->setRandomSource(random);
    m_history->setRandomSource(random);
}
