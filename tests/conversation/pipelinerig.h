// The reply pipeline of one console process, wired as Conversation wires it, on a fake network and
// a hand-run clock (fakenetwork.h), without the socket: its events are played by the test.
#pragma once

#include "fakenetwork.h"
#include "historysync.h"
#include "messagelistmodel.h"
#include "outbox.h"
#include "replysender.h"
#include "widgetapiclient.h"

inline const QString Tenant = QStringLiteral("t1");
inline const QString ConversationId = QStringLiteral("c1");

struct PipelineRig
{
    PipelineRig(OutboxStore *store, ManualScheduler *scheduler, int pageSize = 5,
        const QString &conversation = ConversationId)
        : network(new FakeNetwork)
        , api(network, scheduler)
        , outbox(store, Tenant, conversation)
        , history(&model, &outbox, &api, scheduler)
        , sender(&outbox, &model, &api)
    {
        api.setConfig(ApiConfig {QUrl(QStringLiteral("http://backend.test")), Tenant, QStringLiteral("i1"),
            QStringLiteral("token")});
        model.setOutbox(&outbox);
        QObject::connect(
            &history, &HistorySync::opened, &sender, [this, conversation] { sender.start(conversation); });
        QObject::connect(&sender, &ReplySender::retriedReplyAccepted, &history, &HistorySync::catchUp);
        history.setRandomSource([] { return 0.5; });
        history.open(conversation, pageSize);
    }
    FakeNetwork *network; // owned by api
    MessageListModel model;
    WidgetApiClient api;
    Outbox outbox;
    HistorySync history;
    ReplySender sender;
};

