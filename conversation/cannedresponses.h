// CannedResponses: the signed-in account's canned responses for this session (CONTRACT.md §6). Loaded
// once when the console opens, again when a conversation's connection comes back and when the agent asks;
// while a load is on its way the list in hand stays usable, and a failed load keeps it and says why.
#pragma once

#include "cannedresponse.h"

#include <QObject>

class WidgetApiClient;
struct ConversationConfig;

class CannedResponses : public QObject
{
    Q_OBJECT

public:
    // Server, tenant, token and TLS from `config` (its conversation is not used).
    explicit CannedResponses(const ConversationConfig &config, QObject *parent = nullptr);
    // For tests: over a client they configure (owned from here on).
    explicit CannedResponses(WidgetApiClient *api, QObject *parent = nullptr);

    const CannedList &list() const { return m_list; }
    bool isLoading() const { return m_loading; }

public slots:
    // Loads unless a load is on its way. The first call of a session is the load; later ones refresh.
    void load();

signals:
    void changed(const CannedList &list);

private:
    void set(const CannedList &list);

    WidgetApiClient *m_api;
    CannedList m_list;
    bool m_loading = false;
};
