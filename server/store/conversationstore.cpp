#include "conversationstore.h"

#include "serverlog.h"
#include "statuslattice.h"
#include "storeschema.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QTimer>
#include <QUuid>

namespace {

// Every status a stored outbound message can have; "" before the backend accepted it.
const QStringList StoredStatuses {
    QString(), QStringLiteral("sent"), QStringLiteral("delivered"), QStringLiteral("read"), QStringLiteral("failed")};

const QString MessageColumns = QStringLiteral("message_id, inbound, text, media_url, ts_ms, status, error");
const QString ConversationIdOf
    = QStringLiteral("(SELECT id FROM conversations WHERE tenant = :tenant AND conversation = :conversation)");

// A null QString binds as SQL NULL; the columns are NOT NULL, so text is never null.
QString notNull(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

// The stores of each file in this process, so a read also sees what another store of the same file queued
// (two servers on one data dir in one process: the tests, a console's --demo beside a server).
struct OpenStores
{
    QMutex mutex;
    QMultiHash<QString, std::pair<ConversationStore *, QThread *>> byFile;
};

OpenStores &openStores()
{
    static OpenStores stores;
    return stores;
}

StoredMessage readMessage(const QSqlQuery &q)
{
    StoredMessage m;
    m.id = q.value(0).toString();
    m.inbound = q.value(1).toBool();
    m.text = q.value(2).toString();
    m.mediaUrl = q.value(3).toString();
    m.timestamp = QDateTime::fromMSecsSinceEpoch(q.value(4).toLongLong(), Qt::UTC);
    m.status = q.value(5).toString();
    m.error = q.value(6).toString();
    return m;
}

} // namespace

// The statements of the send path (what every POST /send and every status does) take the conversation's
// row id, which the store keeps once read, and bind by position; the others bind by name, so a statement
// can use a value twice.
struct ConversationStore::Statements
{
    explicit Statements(const QSqlDatabase &db)
        : db(db)
        , postgres(db.driverName() == u"QPSQL")
    {
    }
    bool prepare(QSqlQuery &q, const QString &sql)
    {
        q = QSqlQuery(db);
        q.setForwardOnly(true);
        if (!q.prepare(sql) && error.isEmpty())
            error = q.lastError().text();
        return error.isEmpty();
    }
    bool prepareAll()
    {
        // PostgreSQL prepares no transaction control: its BEGIN, COMMIT and ROLLBACK are run as text
        // (transaction()). Its plain BEGIN is enough: the unique constraints make a second insert of a key
        // wait for the first transaction and then do nothing, and READ COMMITTED lets the next statement
        // read what the first committed.
        return (postgres
                   || (prepare(begin, QStringLiteral("BEGIN IMMEDIATE")) && prepare(commit, QStringLiteral("COMMIT"))
                       && prepare(rollback, QStringLiteral("ROLLBACK"))))
            && prepare(upsertConversation,
                QStringLiteral(
                    "INSERT INTO conversations (tenant, conversation, customer_name, wa_id, created_ms)"
                    " VALUES (:tenant, :conversation, :name, :wa_id, :now)"
                    " ON CONFLICT (tenant, conversation) DO UPDATE SET customer_name = excluded.customer_name"))
            && prepare(customer,
                QStringLiteral("SELECT customer_name, wa_id FROM conversations"
                               " WHERE tenant = :tenant AND conversation = :conversation"))
            && prepare(conversations, QStringLiteral("SELECT tenant, conversation FROM conversations ORDER BY id"))
            && prepare(conversationId,
                QStringLiteral("SELECT id FROM conversations WHERE tenant = :tenant AND conversation = :conversation"))
            && prepare(insertMessage,
                QStringLiteral("INSERT INTO messages (conversation_id, %1) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                               " ON CONFLICT (conversation_id, message_id) DO NOTHING")
                    .arg(MessageColumns))
            && prepare(message,
                QStringLiteral("SELECT %1 FROM messages WHERE conversation_id = ? AND message_id = ?")
                    .arg(MessageColumns))
            && prepare(
                count, QStringLiteral("SELECT count(*) FROM messages WHERE conversation_id = %1").arg(ConversationIdOf))
            // Newest first through the messages_by_time index; the page is reversed in C++.
            && prepare(history,
                QStringLiteral("SELECT %1 FROM messages WHERE conversation_id = %2"
                               " ORDER BY ts_ms DESC, seq DESC LIMIT :limit OFFSET :offset")
                    .arg(MessageColumns, ConversationIdOf))
            && prepareStatusUpdates()
            && prepare(resetStatus,
                QStringLiteral("UPDATE messages SET status = :to, error = ''"
                               " WHERE conversation_id = %1 AND message_id = :id")
                    .arg(ConversationIdOf))
            && prepare(reviveFailed,
                QStringLiteral("UPDATE messages SET status = 'sent', error = ''"
                               " WHERE conversation_id = %1 AND message_id = :id AND status = 'failed'")
                    .arg(ConversationIdOf))
            && prepare(acceptedId,
                QStringLiteral(
                    "SELECT message_id FROM accepted_sends WHERE conversation_id = ? AND client_message_id = ?"))
            && prepare(recordAccepted,
                QStringLiteral(
                    "INSERT INTO accepted_sends (conversation_id, client_message_id, message_id, accepted_ms)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (conversation_id, client_message_id) DO NOTHING"))
            && prepare(acceptedIds,
                QStringLiteral("SELECT client_message_id FROM accepted_sends WHERE conversation_id = %1 ORDER BY seq")
                    .arg(ConversationIdOf))
            && prepareOutbox();
    }
    bool prepareOutbox()
    {
        // The claim reads the head of each conversation whose lease ran out, and only when no other row of
        // the conversation is leased: a row committed late with a lower seq (two instances accepting for one
        // conversation at once) waits until the one in flight is done, so a conversation never has two
        // replies in flight. On PostgreSQL the rows are locked as they are read, and rows another instance
        // is claiming right now are skipped, not waited for; a skipped head hides the rest of its
        // conversation. SQLite has one writer at a time (BEGIN IMMEDIATE), which gives the same.
        // Lease times are the database's clock on PostgreSQL (hosts' clocks may differ), this host's on SQLite.
        return prepare(insertOutbox,
                   QStringLiteral("INSERT INTO outbox (conversation_id, message_id, client_message_id, integration_id,"
                                  " text, media_url, ts_ms, created_ms, revival) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"))
            && prepare(claimableOutbox,
                QStringLiteral("SELECT o.seq, c.tenant, c.conversation, o.message_id, o.client_message_id,"
                               " o.integration_id, o.text, o.media_url, o.ts_ms, o.created_ms, o.attempts, o.refusals,"
                               " o.revival"
                               " FROM outbox o JOIN conversations c ON c.id = o.conversation_id"
                               " WHERE o.claimed_until_ms < :now"
                               " AND o.seq = (SELECT min(h.seq) FROM outbox h WHERE h.conversation_id = o.conversation_id)"
                               " AND NOT EXISTS (SELECT 1 FROM outbox l WHERE l.conversation_id = o.conversation_id"
                               " AND l.seq <> o.seq AND l.claimed_until_ms >= :now)"
                               " ORDER BY o.seq LIMIT :limit%1")
                    .arg(postgres ? QStringLiteral(" FOR UPDATE OF o SKIP LOCKED") : QString()))
            && prepare(claimOutbox,
                QStringLiteral(
                    "UPDATE outbox SET claimed_until_ms = ?, claim_token = ?, attempts = attempts + 1 WHERE seq = ?"))
            && prepare(renewOutbox,
                QStringLiteral("UPDATE outbox SET claimed_until_ms = ? WHERE seq = ? AND claim_token = ?"))
            && prepare(removeOutbox, QStringLiteral("DELETE FROM outbox WHERE seq = ?"))
            && prepare(releaseOutbox,
                QStringLiteral("UPDATE outbox SET claimed_until_ms = ?, claim_token = '', refusals = refusals + ?"
                               " WHERE seq = ? AND claim_token = ?"))
            && prepare(outboxState, QStringLiteral("SELECT count(*), coalesce(min(created_ms), 0) FROM outbox"))
            && (!postgres
                || prepare(databaseNow, QStringLiteral("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint")));
    }
    // One UPDATE per status a message can be moved to, its IN list the states it may move from (the
    // lattice's): one statement decides and writes, so two processes applying statuses cannot interleave.
    bool prepareStatusUpdates()
    {
        for (const QString &to : StoredStatuses) {
            QStringList from;
            for (const QString &f : StoredStatuses) {
                if (statusMayFollow(f, to))
                    from.append(u'\'' + f + u'\''); // the fixed names above, never input
            }
            if (from.isEmpty())
                continue; // nothing moves to it
            QSqlQuery &q = statusUpdates[to];
            if (!prepare(q,
                    QStringLiteral("UPDATE messages SET status = ?, error = ? WHERE conversation_id = ?"
                                   " AND message_id = ? AND inbound = 0 AND status IN (%1)")
                        .arg(from.join(u", "))))
                return false;
        }
        return true;
    }
    static void bindConversation(QSqlQuery &q, const QString &tenant, const QString &conversation)
    {
        q.bindValue(QStringLiteral(":tenant"), notNull(tenant));
        q.bindValue(QStringLiteral(":conversation"), notNull(conversation));
    }

    QSqlDatabase db;
    bool postgres = false;
    QString error;
    QSqlQuery begin, commit, rollback; // SQLite only
    QSqlQuery upsertConversation, customer, conversations, conversationId;
    QSqlQuery insertMessage, message, count, history;
    QHash<QString, QSqlQuery> statusUpdates; // by the status set
    QSqlQuery resetStatus, reviveFailed;
    QSqlQuery acceptedId, recordAccepted, acceptedIds;
    QSqlQuery insertOutbox, claimableOutbox, claimOutbox, renewOutbox, removeOutbox, releaseOutbox, outboxState;
    QSqlQuery databaseNow; // PostgreSQL only
};

ConversationStore::ConversationStore()
{
    open(QStringLiteral(":memory:"));
    m_path.clear();
}

ConversationStore::ConversationStore(const QString &path)
{
    open(path);
}

ConversationStore::ConversationStore(const PostgresSettings &settings)
{
    openPostgres(settings);
}

ConversationStore::~ConversationStore()
{
    close();
}

void ConversationStore::close()
{
    commitQueued(); // nothing queued is lost to a closed or replaced store
    if (!m_file.isEmpty()) {
        QMutexLocker lock(&openStores().mutex);
        openStores().byFile.remove(m_file, {this, QThread::currentThread()});
        m_file.clear();
    }
    m_statements.reset(); // the queries go before their connection
    if (m_connection.isEmpty())
        return;
    QSqlDatabase::database(m_connection, false).close();
    QSqlDatabase::removeDatabase(m_connection);
    m_connection.clear();
}

bool ConversationStore::open(const QString &path)
{
    close();
    m_postgres.reset();
    m_lost = false;
    m_path = path;
    const bool inMemory = path == u":memory:";
    return openWith(
        inMemory ? QString() : QFileInfo(path).absoluteFilePath(), [&path, inMemory](const QString &connection) {
            if (!inMemory && !QDir().mkpath(QFileInfo(path).absolutePath()))
                return QStringLiteral("the folder %1 cannot be created").arg(QFileInfo(path).absolutePath());
            return StoreSchema::open(connection, path);
        });
}

bool ConversationStore::openPostgres(const PostgresSettings &settings)
{
    close();
    m_postgres = settings;
    m_lost = false;
    m_path = settings.redactedUrl();
    return openWith(
        m_path, [&settings](const QString &connection) { return StoreSchema::openPostgres(connection, settings); });
}

// `location` keys the stores of one database in this process (see OpenStores); empty for a private one.
bool ConversationStore::openWith(
    const QString &location, const std::function<QString(const QString &connection)> &connect)
{
    m_error.clear();
    // Many stores live in one process (tests, the console's --demo): each has its own connection.
    const QString connection = QStringLiteral("widget-server-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    QString why = connect(connection);
    auto statements = std::make_unique<Statements>(QSqlDatabase::database(connection, false));
    if (why.isEmpty() && !statements->prepareAll())
        why = statements->error;
    if (!why.isEmpty()) {
        statements.reset();
        QSqlDatabase::database(connection, false).close();
        QSqlDatabase::removeDatabase(connection);
        return fail(QStringLiteral("opening %1").arg(m_path), why);
    }
    m_connection = connection;
    m_statements = std::move(statements);
    if (!location.isEmpty()) {
        m_file = location;
        QMutexLocker lock(&openStores().mutex);
        openStores().byFile.insert(m_file, {this, QThread::currentThread()});
    }
    return true;
}

void ConversationStore::commitOtherStoresOfFile() const
{
    if (m_file.isEmpty())
        return;
    QList<ConversationStore *> others;
    {
        QMutexLocker lock(&openStores().mutex);
        for (auto it = openStores().byFile.constFind(m_file); it != openStores().byFile.cend() && it.key() == m_file; ++it) {
            // Only those of this thread: a connection is used by the thread that opened it.
            if (it->first != this && it->second == QThread::currentThread() && !it->first->m_queue.empty())
                others.append(it->first);
        }
    }
    for (ConversationStore *other : others)
        other->commitOwnQueue();
}

int ConversationStore::schemaVersion() const
{
    return m_connection.isEmpty() ? 0 : StoreSchema::recordedVersion(m_connection);
}

bool ConversationStore::fail(const QString &what, const QString &why) const
{
    m_error = QStringLiteral("conversation store: %1 failed: %2").arg(what, why);
    qCWarning(lcServer).noquote() << m_error;
    return false;
}

bool ConversationStore::ready(const QString &what) const
{
    m_error.clear();
    if (m_lost)
        return fail(what, QStringLiteral("the database is unavailable, reconnecting"));
    return m_statements || fail(what, QStringLiteral("the store is not open"));
}

namespace {

// Moves the window of the slowest statement on to this minute.
void rollLatencyWindow(ConversationStore::Latency &latency)
{
    const qint64 minute = QDateTime::currentMSecsSinceEpoch() / 60000;
    if (minute == latency.minute)
        return;
    latency.maxMinuteBefore = minute == latency.minute + 1 ? latency.maxThisMinute : 0;
    latency.maxThisMinute = 0;
    latency.minute = minute;
}

} // namespace

void ConversationStore::measure(qint64 nanoseconds) const
{
    const double seconds = double(nanoseconds) / 1e9;
    ++m_latency.count;
    m_latency.totalSeconds += seconds;
    rollLatencyWindow(m_latency);
    m_latency.maxThisMinute = std::max(m_latency.maxThisMinute, seconds);
}

double ConversationStore::recentMaxLatency() const
{
    rollLatencyWindow(m_latency);
    return std::max(m_latency.maxThisMinute, m_latency.maxMinuteBefore);
}

bool ConversationStore::run(QSqlQuery &query, const char *what) const
{
    QElapsedTimer clock;
    clock.start();
    const bool ok = query.exec();
    measure(clock.nsecsElapsed());
    if (ok)
        return true;
    const QSqlError error = query.lastError();
    query.finish();
    m_sqlState = error.nativeErrorCode();
    noticeLost(error);
    return fail(QString::fromLatin1(what), error.text());
}

bool ConversationStore::transaction(Step step, const char *what) const
{
    Statements &s = *m_statements;
    if (!s.postgres)
        return run(step == Step::Begin ? s.begin : step == Step::Commit ? s.commit : s.rollback, what);
    QSqlQuery q(s.db);
    QElapsedTimer clock;
    clock.start();
    const bool ok
        = q.exec(QString::fromLatin1(step == Step::Begin ? "BEGIN" : step == Step::Commit ? "COMMIT" : "ROLLBACK"));
    measure(clock.nsecsElapsed());
    if (ok)
        return true;
    m_sqlState = q.lastError().nativeErrorCode();
    noticeLost(q.lastError());
    return fail(QString::fromLatin1(what), q.lastError().text());
}

bool ConversationStore::endTransaction(bool keep, const char *what) const
{
    if (keep && m_error.isEmpty() && transaction(Step::Commit, what))
        return true;
    const QString error = m_error; // the first failure is the one to report, not the rollback's
    transaction(Step::Rollback, what);
    m_error = error;
    return false;
}

void ConversationStore::noticeLost(const QSqlError &error) const
{
    if (!m_postgres || m_lost)
        return;
    // SQLSTATE class 08 (connection exception), 57P (the server shutting down or restarting), or no
    // SQLSTATE at all (libpq had no answer from the server): the connection is gone, not the statement wrong.
    const QString code = error.nativeErrorCode();
    if (!code.isEmpty() && !code.startsWith(u"08") && !code.startsWith(u"57P"))
        return;
    m_lost = true;
    qCWarning(lcServer).noquote() << "conversation store: lost the connection to" << m_path << "- reconnecting";
    scheduleReconnect();
}

void ConversationStore::scheduleReconnect() const
{
    if (m_reconnectScheduled)
        return;
    m_reconnectScheduled = true;
    if (!m_turnEnd)
        m_turnEnd = std::make_unique<QObject>();
    QTimer::singleShot(m_backoffMs, m_turnEnd.get(), [this] { const_cast<ConversationStore *>(this)->reconnect(); });
}

// A new connection, schema check and prepared statements, as at start. Each attempt that fails doubles the
// wait before the next, up to 5 s. An attempt blocks the thread for as long as libpq needs to connect
// (connect_timeout, 5 s at most on an unanswering host; a refused or local one fails at once).
void ConversationStore::reconnect()
{
    m_reconnectScheduled = false;
    if (!m_lost || !m_postgres)
        return;
    const PostgresSettings settings = *m_postgres;
    const auto keys = m_conversationKeys; // the rows' ids do not change with the connection
    if (openPostgres(settings)) {
        m_conversationKeys = keys;
        m_backoffMs = 100;
        qCInfo(lcServer).noquote() << "conversation store: reconnected to" << m_path;
        return;
    }
    m_lost = true;
    m_backoffMs = std::min(m_backoffMs * 2, 5000);
    scheduleReconnect();
}

bool ConversationStore::statusMayFollow(const QString &from, const QString &to)
{
    // The console's lattice, shared through the protocol library: "" is a reply not accepted yet, the
    // console's pending; only what a server may report (sent, delivered, read, failed) is an event.
    const std::optional<MessageStatus> current = from.isEmpty() ? MessageStatus::Pending : statusFromName(from);
    const std::optional<MessageStatus> reported = statusFromName(to);
    const std::optional<StatusEvent> event = reported ? serverEvent(*reported) : std::nullopt;
    return current && event && nextStatus(*current, *event).has_value();
}

void ConversationStore::addConversation(const QString &tenant, const QString &conversation, const QString &customerName)
{
    if (!ready(QStringLiteral("adding a conversation")))
        return;
    QSqlQuery &q = m_statements->upsertConversation;
    Statements::bindConversation(q, tenant, conversation);
    q.bindValue(QStringLiteral(":name"), notNull(customerName));
    // A stable, phone-number-like wa_id derived from the ids; stored, so it never changes afterwards.
    const size_t digits = qHash(QString(tenant + u'\n' + conversation), 0) % 100000000u;
    q.bindValue(QStringLiteral(":wa_id"), QStringLiteral("4915%1").arg(qulonglong(digits), 8, 10, QLatin1Char('0')));
    q.bindValue(QStringLiteral(":now"), QDateTime::currentMSecsSinceEpoch());
    run(q, "adding a conversation");
}

bool ConversationStore::hasConversation(const QString &tenant, const QString &conversation) const
{
    if (!ready(QStringLiteral("reading a conversation")))
        return false;
    return conversationKey(tenant, conversation).has_value();
}

std::optional<qint64> ConversationStore::conversationKey(const QString &tenant, const QString &conversation) const
{
    // Kept once read: a conversation's row is never deleted and its id never changes, in this process or
    // another sharing the file. One not found is asked again next time (another process may add it).
    const std::pair<QString, QString> key {tenant, conversation};
    if (const auto it = m_conversationKeys.constFind(key); it != m_conversationKeys.cend())
        return *it;
    QSqlQuery &q = m_statements->conversationId;
    Statements::bindConversation(q, tenant, conversation);
    if (!run(q, "reading a conversation"))
        return std::nullopt;
    std::optional<qint64> out;
    if (q.next())
        out = q.value(0).toLongLong();
    q.finish(); // an unfinished SELECT would pin this connection to an old snapshot of a shared file
    if (out)
        m_conversationKeys.insert(key, *out);
    return out;
}

std::optional<ConversationStore::Customer> ConversationStore::customer(
    const QString &tenant, const QString &conversation) const
{
    if (!ready(QStringLiteral("reading a conversation")))
        return std::nullopt;
    QSqlQuery &q = m_statements->customer;
    Statements::bindConversation(q, tenant, conversation);
    if (!run(q, "reading a conversation"))
        return std::nullopt;
    std::optional<Customer> out;
    if (q.next())
        out = Customer {q.value(0).toString(), q.value(1).toString()};
    q.finish(); // an unfinished SELECT would pin this connection to an old snapshot of a shared file
    return out;
}

QList<std::pair<QString, QString>> ConversationStore::conversations() const
{
    QList<std::pair<QString, QString>> out;
    if (!ready(QStringLiteral("listing conversations")))
        return out;
    QSqlQuery &q = m_statements->conversations;
    if (!run(q, "listing conversations"))
        return out;
    while (q.next())
        out.append({q.value(0).toString(), q.value(1).toString()});
    q.finish();
    return out;
}

bool ConversationStore::addMessage(const QString &tenant, const QString &conversation, const StoredMessage &message)
{
    commitQueued(); // the queued sends' messages come first, in the order they were accepted
    return insertMessage(tenant, conversation, message);
}

bool ConversationStore::insertMessage(const QString &tenant, const QString &conversation, const StoredMessage &message)
{
    if (!ready(QStringLiteral("adding a message")))
        return false;
    if (message.id.isEmpty())
        return false;
    const std::optional<qint64> key = conversationKey(tenant, conversation);
    if (!key)
        return false; // an unknown conversation, or a storage error (error() says which)
    QSqlQuery &q = m_statements->insertMessage;
    q.bindValue(0, *key);
    q.bindValue(1, message.id);
    q.bindValue(2, message.inbound ? 1 : 0);
    q.bindValue(3, notNull(message.text));
    q.bindValue(4, notNull(message.mediaUrl));
    q.bindValue(5, message.timestamp.toMSecsSinceEpoch());
    q.bindValue(6, notNull(message.status));
    q.bindValue(7, notNull(message.error));
    // No row: the id is taken (ON CONFLICT DO NOTHING).
    return run(q, "adding a message") && q.numRowsAffected() == 1;
}

std::optional<StoredMessage> ConversationStore::message(
    const QString &tenant, const QString &conversation, const QString &id) const
{
    commitQueued();
    if (!ready(QStringLiteral("reading a message")))
        return std::nullopt;
    const std::optional<qint64> key = conversationKey(tenant, conversation);
    if (!key)
        return std::nullopt;
    QSqlQuery &q = m_statements->message;
    q.bindValue(0, *key);
    q.bindValue(1, notNull(id));
    if (!run(q, "reading a message"))
        return std::nullopt;
    std::optional<StoredMessage> out;
    if (q.next())
        out = readMessage(q);
    q.finish();
    return out;
}

int ConversationStore::messageCount(const QString &tenant, const QString &conversation) const
{
    commitQueued();
    if (!ready(QStringLiteral("counting messages")))
        return 0;
    QSqlQuery &q = m_statements->count;
    Statements::bindConversation(q, tenant, conversation);
    if (!run(q, "counting messages"))
        return 0;
    const int n = q.next() ? q.value(0).toInt() : 0;
    q.finish();
    return n;
}

ConversationStore::Page ConversationStore::history(
    const QString &tenant, const QString &conversation, int limit, int offset) const
{
    Page page;
    page.total = messageCount(tenant, conversation);
    if (!m_error.isEmpty() || page.total == 0)
        return page;
    QSqlQuery &q = m_statements->history;
    Statements::bindConversation(q, tenant, conversation);
    q.bindValue(QStringLiteral(":limit"), std::max(0, limit));
    q.bindValue(QStringLiteral(":offset"), std::max(0, offset));
    if (!run(q, "reading history"))
        return page;
    while (q.next())
        page.messages.prepend(readMessage(q)); // newest first from SQLite, oldest first in the page
    q.finish();
    return page;
}

bool ConversationStore::applyStatus(
    const QString &tenant, const QString &conversation, const QString &id, const QString &status, const QString &error)
{
    commitQueued();
    return updateStatus(tenant, conversation, id, status, error);
}

bool ConversationStore::updateStatus(
    const QString &tenant, const QString &conversation, const QString &id, const QString &status, const QString &error)
{
    if (!ready(QStringLiteral("storing a status")))
        return false;
    const auto update = m_statements->statusUpdates.find(status);
    if (update == m_statements->statusUpdates.end())
        return false; // a status nothing may move to (or no status at all)
    const std::optional<qint64> key = conversationKey(tenant, conversation);
    if (!key)
        return false;
    QSqlQuery &q = *update;
    q.bindValue(0, status);
    q.bindValue(1, status == u"failed" ? notNull(error) : QStringLiteral(""));
    q.bindValue(2, *key);
    q.bindValue(3, notNull(id));
    return run(q, "storing a status") && q.numRowsAffected() == 1;
}

void ConversationStore::resetStatus(
    const QString &tenant, const QString &conversation, const QString &id, const QString &status)
{
    commitQueued();
    if (!ready(QStringLiteral("resetting a status")))
        return;
    QSqlQuery &q = m_statements->resetStatus;
    Statements::bindConversation(q, tenant, conversation);
    q.bindValue(QStringLiteral(":id"), notNull(id));
    q.bindValue(QStringLiteral(":to"), notNull(status));
    run(q, "resetting a status");
}

bool ConversationStore::reviveFailed(const QString &tenant, const QString &conversation, const QString &id)
{
    commitQueued();
    if (!ready(QStringLiteral("resending a message")))
        return false;
    QSqlQuery &q = m_statements->reviveFailed;
    Statements::bindConversation(q, tenant, conversation);
    q.bindValue(QStringLiteral(":id"), notNull(id));
    return run(q, "resending a message") && q.numRowsAffected() == 1;
}

std::optional<QString> ConversationStore::acceptedId(
    const QString &tenant, const QString &conversation, const QString &clientMessageId) const
{
    // This store's own queued sends are in flight with their caller, who knows them; another store's in
    // this process are not: they are committed first, so a second server here sees the first's record.
    commitOtherStoresOfFile();
    return readAcceptedId(tenant, conversation, clientMessageId);
}

std::optional<QString> ConversationStore::readAcceptedId(
    const QString &tenant, const QString &conversation, const QString &clientMessageId) const
{
    if (!ready(QStringLiteral("reading a send record")))
        return std::nullopt;
    const std::optional<qint64> key = conversationKey(tenant, conversation);
    if (!key)
        return std::nullopt;
    QSqlQuery &q = m_statements->acceptedId;
    q.bindValue(0, *key);
    q.bindValue(1, notNull(clientMessageId));
    if (!run(q, "reading a send record"))
        return std::nullopt;
    std::optional<QString> out;
    if (q.next())
        out = q.value(0).toString();
    q.finish();
    return out;
}

void ConversationStore::recordAccepted(
    const QString &tenant, const QString &conversation, const QString &clientMessageId, const QString &storedId)
{
    commitQueued();
    insertAccepted(tenant, conversation, clientMessageId, storedId);
}

bool ConversationStore::insertAccepted(
    const QString &tenant, const QString &conversation, const QString &clientMessageId, const QString &storedId)
{
    if (!ready(QStringLiteral("recording a send")))
        return false;
    const std::optional<qint64> key = conversationKey(tenant, conversation);
    if (!key)
        return false;
    QSqlQuery &q = m_statements->recordAccepted;
    q.bindValue(0, *key);
    q.bindValue(1, notNull(clientMessageId));
    q.bindValue(2, notNull(storedId));
    q.bindValue(3, QDateTime::currentMSecsSinceEpoch());
    // A second record of the same messageId keeps the first (DO NOTHING): false then.
    return run(q, "recording a send") && q.numRowsAffected() == 1;
}

QStringList ConversationStore::acceptedMessageIds(const QString &tenant, const QString &conversation) const
{
    commitQueued();
    QStringList out;
    if (!ready(QStringLiteral("listing send records")))
        return out;
    QSqlQuery &q = m_statements->acceptedIds;
    Statements::bindConversation(q, tenant, conversation);
    if (!run(q, "listing send records"))
        return out;
    while (q.next())
        out.append(q.value(0).toString());
    q.finish();
    return out;
}

std::optional<ConversationStore::Accepted> ConversationStore::acceptSend(
    const QString &tenant, const QString &conversation, const QString &clientMessageId, const StoredMessage &message)
{
    commitQueued();
    if (!ready(QStringLiteral("accepting a send")))
        return std::nullopt;
    // IMMEDIATE: the write lock is taken (or waited for, busy_timeout) before anything is read, so the
    // loser of a race between two processes sees the winner's committed record, never a half.
    if (!transaction(Step::Begin, "accepting a send"))
        return std::nullopt;
    std::optional<Accepted> out = acceptInTransaction(tenant, conversation, clientMessageId, message);
    // Rolled back on a storage error, or for an unknown conversation (no record was written).
    if (!endTransaction(out.has_value(), "accepting a send"))
        return std::nullopt;
    return out;
}

// The record and the message of one send inside an open transaction: nullopt for an unknown conversation
// or a storage error (error() says which).
std::optional<ConversationStore::Accepted> ConversationStore::acceptInTransaction(
    const QString &tenant, const QString &conversation, const QString &clientMessageId, const StoredMessage &message)
{
    const bool recorded = insertAccepted(tenant, conversation, clientMessageId, message.id);
    if (!m_error.isEmpty())
        return std::nullopt;
    if (recorded) {
        // A stored message with this id already (history of the same id) keeps its row; the send is
        // recorded either way, as an in-memory store did.
        insertMessage(tenant, conversation, message);
        return m_error.isEmpty() ? std::optional<Accepted>(Accepted {message.id, true}) : std::nullopt;
    }
    if (const std::optional<QString> winner = readAcceptedId(tenant, conversation, clientMessageId))
        return Accepted {*winner, false};
    return std::nullopt;
}

void ConversationStore::acceptSendDeferred(const QString &tenant, const QString &conversation,
    const QString &clientMessageId, const StoredMessage &message, AcceptDone done)
{
    enqueue(Queued {tenant, conversation, clientMessageId, message, std::move(done), std::nullopt});
}

void ConversationStore::acceptSendToOutbox(const QString &tenant, const QString &conversation,
    const QString &clientMessageId, const QString &integrationId, const StoredMessage &message, AcceptDone done)
{
    enqueue(Queued {tenant, conversation, clientMessageId, message, std::move(done), integrationId});
}

bool ConversationStore::reviveFailedToOutbox(const QString &tenant, const QString &conversation,
    const QString &clientMessageId, const QString &integrationId, const StoredMessage &message)
{
    commitQueued();
    if (!ready(QStringLiteral("resending a message")) || !transaction(Step::Begin, "resending a message"))
        return false;
    QSqlQuery &q = m_statements->reviveFailed;
    Statements::bindConversation(q, tenant, conversation);
    q.bindValue(QStringLiteral(":id"), notNull(message.id));
    const bool revived = run(q, "resending a message") && q.numRowsAffected() == 1;
    if (revived)
        insertOutbox(tenant, conversation, clientMessageId, integrationId, message, true);
    if (!endTransaction(true, "resending a message"))
        return false;
    return revived;
}

bool ConversationStore::insertOutbox(const QString &tenant, const QString &conversation,
    const QString &clientMessageId, const QString &integrationId, const StoredMessage &message, bool revival)
{
    const std::optional<qint64> key = conversationKey(tenant, conversation);
    if (!key)
        return false;
    QSqlQuery &q = m_statements->insertOutbox;
    q.bindValue(0, *key);
    q.bindValue(1, notNull(message.id));
    q.bindValue(2, notNull(clientMessageId));
    q.bindValue(3, notNull(integrationId));
    q.bindValue(4, notNull(message.text));
    q.bindValue(5, notNull(message.mediaUrl));
    q.bindValue(6, message.timestamp.toMSecsSinceEpoch());
    q.bindValue(7, QDateTime::currentMSecsSinceEpoch());
    q.bindValue(8, revival ? 1 : 0);
    return run(q, "writing an outbox row");
}

std::optional<qint64> ConversationStore::outboxNow() const
{
    if (!m_statements->postgres)
        return QDateTime::currentMSecsSinceEpoch();
    QSqlQuery &q = m_statements->databaseNow;
    if (!run(q, "reading the database's clock"))
        return std::nullopt;
    std::optional<qint64> now;
    if (q.next())
        now = q.value(0).toLongLong();
    q.finish();
    return now;
}

std::vector<OutboxEntry> ConversationStore::claimOutbox(int limit, qint64 leaseMs, const QString &token)
{
    commitQueued();
    std::vector<OutboxEntry> out;
    if (limit <= 0 || !ready(QStringLiteral("claiming outbox rows")) || !transaction(Step::Begin, "claiming outbox rows"))
        return out;
    const std::optional<qint64> now = outboxNow();
    QSqlQuery &select = m_statements->claimableOutbox;
    select.bindValue(QStringLiteral(":now"), now.value_or(0));
    select.bindValue(QStringLiteral(":limit"), limit);
    if (now && run(select, "claiming outbox rows")) {
        while (select.next()) {
            OutboxEntry e;
            e.seq = select.value(0).toLongLong();
            e.tenant = select.value(1).toString();
            e.conversation = select.value(2).toString();
            e.id = select.value(3).toString();
            e.clientMessageId = select.value(4).toString();
            e.integrationId = select.value(5).toString();
            e.text = select.value(6).toString();
            e.mediaUrl = select.value(7).toString();
            e.timestamp = QDateTime::fromMSecsSinceEpoch(select.value(8).toLongLong(), Qt::UTC);
            e.createdMs = select.value(9).toLongLong();
            e.attempts = select.value(10).toInt() + 1;
            e.refusals = select.value(11).toInt();
            e.revival = select.value(12).toInt() != 0;
            out.push_back(std::move(e));
        }
        select.finish();
    }
    QSqlQuery &claim = m_statements->claimOutbox;
    for (size_t i = 0; i < out.size() && m_error.isEmpty(); ++i) {
        claim.bindValue(0, *now + leaseMs);
        claim.bindValue(1, notNull(token));
        claim.bindValue(2, out[i].seq);
        run(claim, "claiming outbox rows");
    }
    if (!endTransaction(true, "claiming outbox rows"))
        return {};
    return out;
}

void ConversationStore::renewOutbox(const std::vector<qint64> &seqs, qint64 leaseMs, const QString &token)
{
    commitQueued();
    if (seqs.empty() || !ready(QStringLiteral("renewing outbox leases"))
        || !transaction(Step::Begin, "renewing outbox leases"))
        return;
    const std::optional<qint64> now = outboxNow();
    QSqlQuery &q = m_statements->renewOutbox;
    for (size_t i = 0; now && i < seqs.size() && m_error.isEmpty(); ++i) {
        q.bindValue(0, *now + leaseMs);
        q.bindValue(1, seqs[i]);
        q.bindValue(2, notNull(token));
        run(q, "renewing outbox leases");
    }
    endTransaction(true, "renewing outbox leases");
}

void ConversationStore::removeOutbox(qint64 seq)
{
    commitQueued();
    if (!ready(QStringLiteral("removing an outbox row")))
        return;
    QSqlQuery &q = m_statements->removeOutbox;
    q.bindValue(0, seq);
    run(q, "removing an outbox row");
}

bool ConversationStore::failOutbox(
    qint64 seq, const QString &tenant, const QString &conversation, const QString &id, const QString &error)
{
    commitQueued();
    if (!ready(QStringLiteral("failing an outbox row")) || !transaction(Step::Begin, "failing an outbox row"))
        return false;
    QSqlQuery &q = m_statements->removeOutbox;
    q.bindValue(0, seq);
    if (run(q, "failing an outbox row"))
        updateStatus(tenant, conversation, id, QStringLiteral("failed"), error);
    return endTransaction(true, "failing an outbox row");
}

void ConversationStore::releaseOutbox(qint64 seq, const QString &token, qint64 delayMs, bool refused)
{
    commitQueued();
    if (!ready(QStringLiteral("releasing an outbox row")))
        return;
    const std::optional<qint64> now = outboxNow();
    if (!now)
        return;
    QSqlQuery &q = m_statements->releaseOutbox;
    q.bindValue(0, delayMs > 0 ? *now + delayMs : 0);
    q.bindValue(1, refused ? 1 : 0);
    q.bindValue(2, seq);
    q.bindValue(3, notNull(token));
    run(q, "releasing an outbox row");
}

std::optional<ConversationStore::OutboxState> ConversationStore::outboxState() const
{
    commitQueued();
    if (!ready(QStringLiteral("reading the outbox")))
        return std::nullopt;
    QSqlQuery &q = m_statements->outboxState;
    if (!run(q, "reading the outbox"))
        return std::nullopt;
    OutboxState out;
    if (q.next()) {
        out.rows = q.value(0).toInt();
        out.oldestCreatedMs = q.value(1).toLongLong();
    }
    q.finish();
    return out;
}

void ConversationStore::queueStatus(
    const QString &tenant, const QString &conversation, const QString &id, const QString &status, const QString &error)
{
    StoredMessage update;
    update.id = id;
    update.status = status;
    update.error = error;
    enqueue(Queued {tenant, conversation, {}, update, {}, std::nullopt});
}

void ConversationStore::enqueue(Queued queued)
{
    m_queue.push_back(std::move(queued));
    if (m_commitScheduled)
        return;
    m_commitScheduled = true;
    if (!m_turnEnd)
        m_turnEnd = std::make_unique<QObject>();
    // Posted: it runs once the events of this turn that were already waiting (other requests read in
    // the same poll, timers due together) have queued their writes too.
    QMetaObject::invokeMethod(m_turnEnd.get(), [this] { commitQueued(); }, Qt::QueuedConnection);
}

void ConversationStore::commitQueued() const
{
    commitOwnQueue(); // first: each store empties its queue before it asks the others to, so this ends
    commitOtherStoresOfFile();
}

void ConversationStore::commitOwnQueue() const
{
    m_commitScheduled = false;
    if (m_queue.empty())
        return;
    std::vector<Queued> queue = std::exchange(m_queue, {});
    std::vector<std::optional<Accepted>> accepted(queue.size());
    QString error;
    // PostgreSQL: two instances whose groups take the same messageIds in different orders wait for each
    // other; the server breaks the deadlock by failing one transaction (40P01), which then runs again and
    // finds the other's records. Likewise a serialization failure (40001).
    for (int attempt = 0; attempt < 3; ++attempt) {
        error = commitGroup(queue, accepted);
        if (error.isEmpty() || !m_statements || !m_statements->postgres || m_lost
            || (m_sqlState != u"40P01" && m_sqlState != u"40001"))
            break;
        qCInfo(lcServer).noquote() << "conversation store: committing a group again after" << m_sqlState;
    }
    m_error = error;
    for (size_t i = 0; i < queue.size(); ++i) {
        if (queue[i].done)
            queue[i].done(error.isEmpty() ? accepted[i] : std::nullopt, error);
    }
}

// One transaction of the whole group: empty, or the error that rolled it back.
QString ConversationStore::commitGroup(
    const std::vector<Queued> &queue, std::vector<std::optional<Accepted>> &accepted) const
{
    auto *self = const_cast<ConversationStore *>(this); // see m_queue: the commit is invisible to readers
    QString error;
    m_sqlState.clear();
    if (!ready(QStringLiteral("committing a group")) || !transaction(Step::Begin, "committing a group")) {
        error = m_error;
    } else {
        for (size_t i = 0; i < queue.size() && error.isEmpty(); ++i) {
            const Queued &q = queue[i];
            if (q.clientMessageId.isEmpty())
                self->updateStatus(q.tenant, q.conversation, q.message.id, q.message.status, q.message.error);
            else
                accepted[i] = self->acceptInTransaction(q.tenant, q.conversation, q.clientMessageId, q.message);
            if (m_error.isEmpty() && q.outboxIntegration && accepted[i] && accepted[i]->fresh)
                self->insertOutbox(q.tenant, q.conversation, q.clientMessageId, *q.outboxIntegration, q.message, false);
            error = m_error;
        }
        if (error.isEmpty() && !transaction(Step::Commit, "committing a group"))
            error = m_error;
        if (!error.isEmpty()) {
            const QString state = m_sqlState;
            transaction(Step::Rollback, "committing a group");
            m_sqlState = state;
        } else {
            ++m_groupCommits;
        }
    }
    return error;
}

QString ConversationStore::backendName() const
{
    if (m_postgres)
        return QStringLiteral("postgresql");
    return m_path.isEmpty() ? QStringLiteral("memory") : QStringLiteral("sqlite");
}
