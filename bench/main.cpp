// agent-console-bench: prints one JSON object of figures measured on this machine in this run.
// Not a test: nothing here asserts a timing (machines are shared and noisy); README reports the figures.
#include "composer.h"
#include "conversationcontroller.h"
#include "conversationview.h"
#include "mainwindow.h"
#include "messagedelegate.h"
#include "protocol.h"
#include "simulatedupstream.h"
#include "socketioclient.h"
#include "widgetserver.h"
#include "wirejson.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <cstdio>

static double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype i = std::min<qsizetype>(values.size() - 1, qsizetype(p * double(values.size())));
    return values[i];
}

static QList<Message> outboundMessages(int count)
{
    QList<Message> messages;
    messages.reserve(count);
    const QDateTime start = QDateTime::currentDateTimeUtc().addDays(-1);
    for (int i = 0; i < count; ++i) {
        Message m;
        m.id = QStringLiteral("msg_%1").arg(i);
        m.direction = i % 3 == 0 ? Direction::Inbound : Direction::Outbound;
        m.status = m.direction == Direction::Outbound ? MessageStatus::Pending : MessageStatus::None;
        m.text = QStringLiteral("Message number %1 of a long conversation, with some words to wrap.").arg(i);
        m.timestamp = start.addSecs(i);
        messages.append(m);
    }
    return messages;
}

struct StatusFigures
{
    double medianUs = 0;
    double otherRowSizeCallsPerUpdate = 0;
};

// Applies status events to random outbound rows of a model of `count` messages shown in a view.
static StatusFigures measureStatusUpdates(int count)
{
    MessageListModel model;
    model.prepend(outboundMessages(count));
    ConversationView view;
    view.resize(480, 800);
    view.setModel(&model);
    view.show();
    // Let the view measure every row first: the figure is the steady-state cost of one event.
    QElapsedTimer settle;
    settle.start();
    while (view.unmeasuredRowCount() > 0 && settle.elapsed() < 120000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    MessageDelegate *delegate = view.messageDelegate();

    QList<int> rows;
    for (int r = 0; r < count && rows.size() < 2000; r += std::max(1, count / 2000)) {
        if (model.at(r).direction == Direction::Outbound)
            rows.append(r);
    }
    QList<double> samples;
    int otherRowCalls = 0;
    int updates = 0;
    for (StatusEvent event : {StatusEvent::ServerSent, StatusEvent::ServerDelivered, StatusEvent::ServerRead}) {
        delegate->resetSizeHintCounter();
        for (int row : rows) {
            const QString id = model.at(row).id;
            QElapsedTimer timer;
            timer.start();
            model.applyEvent(id, event);
            samples.append(double(timer.nsecsElapsed()) / 1000.0);
            ++updates;
        }
        QCoreApplication::processEvents(); // let the view repaint what the updates asked for
        for (int row : delegate->sizeHintRowsSinceReset()) {
            if (!rows.contains(row))
                ++otherRowCalls;
        }
    }
    return StatusFigures{percentile(samples, 0.5), double(otherRowCalls) / updates};
}

// Enter in the composer until the new bubble has been painted, with the real window and backend.
static QList<double> measureEnterToPaint(int sends)
{
    WidgetServer server;
    server.setToken(QStringLiteral("bench"));
    server.listen(QHostAddress::LocalHost, 0);
    server.addConversation(QStringLiteral("t"), QStringLiteral("c"), QStringLiteral("Bench"));
    ConversationController controller;
    MainWindow window(&controller);
    window.resize(520, 760);
    window.show();
    QSignalSpy connected(controller.socket(), &SocketIoClient::connected);
    ConversationConfig config;
    config.baseUrl = server.baseUrl();
    config.tenant = QStringLiteral("t");
    config.conversation = QStringLiteral("c");
    config.token = QStringLiteral("bench");
    controller.start(config);
    connected.wait(5000);

    struct PaintWatch : QObject
    {
        bool painted = false;
        bool eventFilter(QObject *, QEvent *event) override
        {
            if (event->type() == QEvent::Paint)
                painted = true;
            return false;
        }
    } watch;
    window.view()->viewport()->installEventFilter(&watch);
    QPlainTextEdit *editor = window.composer()->editor();
    QList<double> samples;
    for (int i = 0; i < sends; ++i) {
        QTest::keyClicks(editor, QStringLiteral("Reply number %1").arg(i));
        QCoreApplication::processEvents();
        watch.painted = false;
        const int before = controller.model()->rowCount();
        QElapsedTimer timer;
        timer.start();
        QTest::keyClick(editor, Qt::Key_Return);
        while (!(watch.painted && controller.model()->rowCount() > before) && timer.elapsed() < 1000)
            QCoreApplication::processEvents(QEventLoop::AllEvents);
        samples.append(double(timer.nsecsElapsed()) / 1e6);
    }
    return samples;
}

static double measureDecodeUs(int frames)
{
    const QString frame = QStringLiteral(
        R"(42["status_update",{"messageId":"msg_1763892000000_1a2b3c4d","status":"delivered","timestamp":"2026-11-23T10:00:00Z"}])");
    int decoded = 0;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < frames; ++i) {
        const auto engine = Protocol::decodeEnginePacket(frame);
        const auto socket = Protocol::decodeSocketPacket(engine->data);
        const auto event = Protocol::eventOf(*socket);
        if (Wire::parseStatusUpdate(event->payload.toArray().at(1)))
            ++decoded;
    }
    const double us = double(timer.nsecsElapsed()) / 1000.0 / frames;
    return decoded == frames ? us : -1;
}

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    measureStatusUpdates(1000); // warm-up: first paints, font caches
    const StatusFigures small = measureStatusUpdates(1000);
    const StatusFigures large = measureStatusUpdates(100000);
    const QList<double> enter = measureEnterToPaint(60);
    QJsonObject figures{
        {QStringLiteral("status_update_us_1k"), small.medianUs},
        {QStringLiteral("status_update_us_100k"), large.medianUs},
        {QStringLiteral("other_row_size_calls_per_update"), std::max(small.otherRowSizeCallsPerUpdate, large.otherRowSizeCallsPerUpdate)},
        {QStringLiteral("enter_to_paint_ms_p50"), percentile(enter, 0.5)},
        {QStringLiteral("enter_to_paint_ms_p99"), percentile(enter, 0.99)},
        {QStringLiteral("decode_us_per_frame"), measureDecodeUs(100000)},
    };
    std::printf("%s\n", QJsonDocument(figures).toJson(QJsonDocument::Compact).constData());
    return 0;
}
