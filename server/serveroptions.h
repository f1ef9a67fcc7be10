// The widget-server command line, parsed and validated without side effects (nothing listens, nothing
// is opened but the token file), so every case is unit-tested; main() applies the result.
#pragma once

#include "amqpsettings.h"
#include "postgressettings.h"

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>
#include <variant>

struct ServerOptions
{
    struct Conversation
    {
        QString tenant;
        QString conversation;
        QString customerName; // the conversation id when the spec names none
    };

    quint16 port = 8080;
    bool portGiven = false; // --conformance-fixture listens on 3000 unless --port is given
    QHostAddress host = QHostAddress(QHostAddress::LocalHost);
    bool conformanceFixture = false;

    // Tokens: either a tokens file (per tenant) or one token for every tenant.
    QString tokensFile;
    QString token; // from --token-file or WIDGET_SERVER_TOKEN; never an argument value
    QString cannedResponsesFile; // --canned-responses: loaded (and its errors named) by the server

    QString dataDir; // empty: in memory
    std::optional<PostgresSettings> database; // --database: conversations in PostgreSQL instead
    bool seedDemo = false; // create the demo conversation (always without a data dir)
    QString demoTenant = QStringLiteral("demo");
    QString demoConversation = QStringLiteral("demo");
    int inboundIntervalMs = 0; // the demo's customer messages; 0 = off
    QList<Conversation> newConversations; // --add-conversation, in order
    std::optional<AmqpSettings> amqp; // none: the simulated upstream
    bool outbox = false; // --outbox: accepted replies go through the transactional outbox
    int outboxLeaseMs = 30000;

    int pingIntervalMs = 25000;
    int pingTimeoutMs = 20000;
    int maxPayload = 1000000;
    bool strictProtocol = false;

    double sendRate = 10;
    double sendBurst = 20;
    qint64 maxBodyBytes = 65536;
    qint64 maxUploadBytes = 16 * 1024 * 1024; // CONTRACT.md §5
    QStringList mediaTypes; // empty: the contract's defaults
    int maxConnectionsPerAddress = 64;
    bool jsonLogs = true;
    QList<std::pair<QHostAddress, int>> metricsAllowed; // subnets that may GET /metrics
    int shutdownTimeoutMs = 10000;

    QStringList warnings; // to print on stderr before starting
};

// What to do instead of starting: print `text` to stdout (code 0) or stderr (otherwise) and exit.
// Usage errors exit with 2 and name the bad value.
struct ServerEarlyExit
{
    int code = 0;
    QString text;
};

// The environment variables the server reads.
struct ServerEnvironment
{
    std::optional<QString> token; // WIDGET_SERVER_TOKEN, when set
    QString amqpPassword; // WIDGET_SERVER_AMQP_PASSWORD: keeps the broker password out of argv
    QString databasePassword; // WIDGET_SERVER_DB_PASSWORD: the same for PostgreSQL
    static ServerEnvironment fromProcess();
};

// arguments[0] is the program name. The token file, if any, is read here, so an unreadable one is a
// usage error before anything starts.
std::variant<ServerOptions, ServerEarlyExit> parseServerOptions(
    const QStringList &arguments, const ServerEnvironment &environment);
