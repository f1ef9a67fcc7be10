// HistorySync: what the server holds of one conversation, brought into the model. It opens the
// conversation (the context, then the newest page), trying again by itself with the socket's backoff
// while the backend is unreachable or overloaded; it catches up after every (re)connect (the newest
// page, then further back until the pages meet what is shown); and it loads older pages on demand.
// Every request remembers what it was for and when it was asked, so a late answer is never taken for
// another and a page never undoes what the agent did after asking for it.
#pragma once

#include "wirejson.h"

#include <QHash>
#include <QObject>

#include <functional>

class MessageListModel;
class Outbox;
class Scheduler;
class WidgetApiClient;

class HistorySync : public QObject
{
    Q_OBJECT

public:
    // After a long outage the newest page may not reach what is shown: read back this many pages at most.
    static constexpr int MaxCatchUpPages = 50;

    HistorySync(MessageListModel *model, Outbox *outbox, WidgetApiClient *api, Scheduler *scheduler,
        QObject *parent = nullptr);

    void open(const QString &conversationId, int pageSize);
    // Tries to open at once: after a final failure, or instead of waiting for the next try.
    void openNow();
    // After every (re)connect of the socket: events missed meanwhile are read back (CONTRACT.md §2).
    void catchUp();
    void loadOlder();

    bool isOpen() const { return m_open; }
    bool hasOlder() const { return m_hasOlder; }
    bool isLoadingOlder() const { return m_loadingOlder; }
    const Wire::ConversationContext &context() const { return m_context; }
    // Source of the jitter of the open retries, in [0, 1); tests pin it.
    void setRandomSource(std::function<double()> random) { m_random = std::move(random); }

signals:
    void contextLoaded(const Wire::ConversationContext &context);
    void opened();
    void openFailed(const QString &message); // for good: the server said no (4xx) or answered nonsense
    void openRetrying(const QString &message, int delayMs); // the next try comes by itself
    void olderLoaded(int added);
    void notice(const QString &message);

private:
    enum class Purpose { Open, Newest, CatchUp, Older };
    struct Request
    {
        Purpose purpose;
        int offset;
        quint64 stamp; // nextChangeStamp() when it was asked for
    };

    void requestContext();
    void request(Purpose purpose, int offset);
    void onPage(quint64 id, const Wire::HistoryPage &page);
    void onPageFailed(quint64 id, const Wire::ApiError &error);
    void openFailedWith(const QString &message, const Wire::ApiError &error);
    int apply(const QList<Message> &page, quint64 stamp);
    int serverKnownCount() const;

    MessageListModel *m_model;
    Outbox *m_outbox;
    WidgetApiClient *m_api;
    Scheduler *m_scheduler;
    QString m_conversation;
    int m_pageSize = 20;
    Wire::ConversationContext m_context;
    QHash<quint64, Request> m_requests;
    std::function<double()> m_random;
    int m_openAttempt = 0; // failed tries so far, for the backoff
    int m_openTry = 0; // the try a scheduled retry belongs to
    bool m_opening = false; // a request of the opening is on its way
    bool m_open = false;
    bool m_loadingOlder = false;
    bool m_hasOlder = true;
};
