// Workspace: the conversations the agent has open. One Conversation per conversation, all
// made from one base configuration and sharing the outbox store; the list the sidebar shows; which one
// is current; unread counts for live messages the agent has not seen; the open list kept in QSettings;
// the account's canned responses, loaded once with the first conversation and again when a connection
// comes back.
#pragma once

#include "conversation.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>

class CannedResponses;
class ConversationListModel;
class OutboxStore;
class QSettings;

class Workspace : public QObject
{
    Q_OBJECT

public:
    // `base` carries server, tenant, token and TLS; its conversation id is replaced per conversation.
    // `store` (may be null: memory only) must outlive the workspace.
    explicit Workspace(const ConversationConfig &base, OutboxStore *store = nullptr, QObject *parent = nullptr);
    ~Workspace() override;

    // Where the open list is kept (`conversations/open`, `conversations/current`), saved on every change.
    // Not owned; null: not kept (the demo, whose conversations exist for one run only).
    void setSettings(QSettings *settings) { m_settings = settings; }
    static QStringList savedConversations(const QSettings &settings);
    static QString savedCurrent(const QSettings &settings);
    // Opens `ids` in order and makes `current` (or, when it is not among them, the first) current.
    // Every conversation with replies an earlier run left unsent opens too, after them: closed, its
    // replies would never leave.
    void restore(const QStringList &ids, const QString &current = QString());

    ConversationListModel *model() const { return m_model; }
    CannedResponses *cannedResponses() const { return m_canned; }
    QStringList conversationIds() const;
    bool isOpen(const QString &conversationId) const { return m_conversations.contains(conversationId); }
    Conversation *conversation(const QString &conversationId) const;
    QString currentId() const { return m_current; }
    Conversation *currentConversation() const { return conversation(m_current); }
    // The customer's name once the context endpoint told it, else the id.
    QString displayName(const QString &conversationId) const;

    int unreadCount(const QString &conversationId) const;
    int unreadTotal() const;
    int unsentTotal() const;

    // Whether the agent can see the window: with it inactive even the current conversation collects unread.
    void setWindowActive(bool active);
    bool isWindowActive() const { return m_windowActive; }

    void setCurrent(const QString &conversationId);
    void selectNext();
    void selectPrevious();
    // Closes it and deletes its Conversation; the next one (or the previous, at the end) becomes current.
    void closeConversation(const QString &conversationId);

public slots:
    // Opens the conversation (or finds it open) and makes it current: what a clicked notification calls.
    void openConversation(const QString &conversationId);

signals:
    // After the row is in the model and before the conversation starts loading.
    void conversationAdded(const QString &conversationId, Conversation *conversation);
    // Before the conversation is deleted (later, from the event loop).
    void conversationRemoved(const QString &conversationId);
    void currentChanged(const QString &conversationId);
    // A customer message that arrived live. onScreen: it is the current conversation and the window is active.
    void inboundMessage(const QString &conversationId, const QString &customerName, const QString &text, bool onScreen);
    void unreadTotalChanged(int total);
    void unsentTotalChanged(int total);

private:
    struct Entry
    {
        Conversation *conversation = nullptr;
        // Messages a socket event must not count (again): those the conversation opened with, and those
        // counted already (the socket may repeat one after a reconnect). A live message that a history
        // re-read brought in first still counts: it arrived while the agent was looking elsewhere.
        QSet<QString> notNews;
    };

    bool open(const QString &conversationId);
    void watch(const QString &conversationId, Conversation *conversation);
    void onLiveInbound(const QString &conversationId, const Message &message);
    void updateLastMessage(const QString &conversationId);
    void markSeen(const QString &conversationId);
    void setUnread(const QString &conversationId, int count);
    void setUnsent(const QString &conversationId, int count);
    void step(int delta);
    void save();

    ConversationConfig m_base;
    OutboxStore *m_store;
    QSettings *m_settings = nullptr;
    ConversationListModel *m_model;
    CannedResponses *m_canned;
    bool m_cannedAsked = false;
    QHash<QString, Entry> m_conversations;
    QString m_current;
    bool m_windowActive = true;
    bool m_restoring = false;
};
