// widget-upstream-simulator: plays WhatsApp on the far side of RabbitMQ for the integration tests and
// the demo. It consumes the durable queue widget.outbound and answers every reply with "sent",
// "delivered" and "read" on widget.events (topology: server/brokermessages.h), in that order. It
// deduplicates by message id, as a real consumer must: a reply published twice (through two instances,
// or again after a lost confirm) gets its statuses once. It prints one JSON line per thing it does:
//   {"event":"ready"}  {"event":"outbound","messageId","deliveryId",...}  {"event":"duplicate","messageId"}
//   {"event":"malformed","problem"}
//
// usage: widget-upstream-simulator --upstream amqp://user:pass@host:port/vhost [--delay ms] [--fail-text prefix]

#include "amqpconnection.h"
#include "brokermessages.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QThread>
#include <QTimer>

#include <cstdio>

namespace {

void report(const QJsonObject &line)
{
    std::fprintf(stdout, "%s\n", QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Answers replies on widget.outbound with sent/delivered/read."));
    parser.addHelpOption();
    const QCommandLineOption upstreamOption(
        QStringLiteral("upstream"), QStringLiteral("amqp://user:pass@host:port/vhost"), QStringLiteral("url"));
    const QCommandLineOption delayOption(QStringLiteral("delay"),
        QStringLiteral("Milliseconds between one status and the next."), QStringLiteral("ms"), QStringLiteral("0"));
    const QCommandLineOption failOption(QStringLiteral("fail-text"),
        QStringLiteral("A reply whose text starts with this is answered \"failed\" the first time; an agent's Retry "
                       "of it (a new deliveryId) goes through."),
        QStringLiteral("prefix"));
    parser.addOptions({upstreamOption, delayOption, failOption});
    if (!parser.parse(QCoreApplication::arguments()) || !parser.isSet(upstreamOption)) {
        std::fprintf(stderr, "widget-upstream-simulator: %s\n",
            qPrintable(parser.errorText().isEmpty() ? QStringLiteral("--upstream is required") : parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    const auto settings = AmqpSettings::fromUrl(parser.value(upstreamOption));
    if (const auto *problem = std::get_if<QString>(&settings)) {
        std::fprintf(stderr, "widget-upstream-simulator: %s\n", qPrintable(*problem));
        return 2;
    }
    bool ok = false;
    const int delay = parser.value(delayOption).toInt(&ok);
    if (!ok || delay < 0) {
        std::fprintf(stderr, "widget-upstream-simulator: invalid delay\n");
        return 2;
    }

    QThread thread;
    auto *connection = new AmqpConnection(std::get<AmqpSettings>(settings),
        {QString::fromLatin1(BrokerMessages::OutboundQueue), QString::fromLatin1(BrokerMessages::OutboundExchange)});
    connection->moveToThread(&thread);
    QObject::connect(&thread, &QThread::finished, connection, &QObject::deleteLater);

    QSet<QString> seen;
    quint64 request = 0;
    const auto publish = [connection, &request](const BrokerMessages::StatusEvent &event) {
        QMetaObject::invokeMethod(
            connection,
            [connection, id = ++request, key = BrokerMessages::routingKey(event.tenantId, event.conversationId),
                body = BrokerMessages::encodeEvent(event), messageId = event.messageId] {
                connection->publish(id, QString::fromLatin1(BrokerMessages::EventsExchange), key, body, messageId,
                    QString::fromLatin1(BrokerMessages::StatusType));
            },
            Qt::QueuedConnection);
    };
    QObject::connect(connection, &AmqpConnection::connected, &app, [] { report({{"event", "ready"}}); });
    QObject::connect(
        connection, &AmqpConnection::received, &app, [&](const QString &, const QString &, const QByteArray &body) {
            const auto decoded = BrokerMessages::decodeOutbound(body);
            if (const auto *problem = std::get_if<QString>(&decoded)) {
                report({{"event", "malformed"}, {"problem", *problem}});
                return;
            }
            const OutboundMessage &message = std::get<OutboundMessage>(decoded);
            // By the delivery: an agent's Retry of a failed reply is a new one (deliveryId), a repeat is not.
            const QString delivery = message.deliveryId.isEmpty() ? message.id : message.deliveryId;
            if (seen.contains(delivery)) {
                report({{"event", "duplicate"}, {"messageId", message.id}});
                return;
            }
            seen.insert(delivery);
            report({{"event", "outbound"}, {"messageId", message.id}, {"deliveryId", delivery},
                {"clientMessageId", message.clientMessageId}, {"tenantId", message.tenantId},
                {"conversationId", message.conversationId}, {"text", message.text}});
            const bool fails = parser.isSet(failOption) && message.deliveryId.isEmpty()
                && message.text.startsWith(parser.value(failOption));
            const QStringList statuses = fails
                ? QStringList {QStringLiteral("sent"), QStringLiteral("failed")}
                : QStringList {QStringLiteral("sent"), QStringLiteral("delivered"), QStringLiteral("read")};
            for (qsizetype i = 0; i < statuses.size(); ++i) {
                const BrokerMessages::StatusEvent event {message.tenantId, message.conversationId, message.id,
                    statuses.at(i), statuses.at(i) == u"failed" ? QStringLiteral("Number unreachable") : QString(),
                    QDateTime::currentDateTimeUtc()};
                // One channel keeps them in order; a delay only spaces them out for people watching.
                QTimer::singleShot(int(i) * delay, &app, [publish, event] { publish(event); });
            }
        });
    thread.start();
    QMetaObject::invokeMethod(connection, &AmqpConnection::start, Qt::QueuedConnection);
    const int status = QCoreApplication::exec();
    thread.quit();
    thread.wait();
    return status;
}
