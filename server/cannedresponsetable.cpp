#include "cannedresponsetable.h"

#include "configfile.h"
#include "serverlog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace {

// Far above any real file of responses; keeps a wrong path (a log, a disk image) from being read whole.
constexpr qint64 MaxFileBytes = 4 * 1024 * 1024;

bool hasSpace(const QString &text)
{
    return std::any_of(text.cbegin(), text.cend(), [](QChar c) { return c.isSpace(); });
}

std::optional<CannedResponseTable::Entry> entryOf(const QJsonValue &value, int position, QString *why)
{
    if (!value.isObject()) {
        *why = QStringLiteral("not an object");
        return std::nullopt;
    }
    const QJsonObject o = value.toObject();
    CannedResponseTable::Entry entry;
    const QJsonValue id = o.value(u"id");
    if (id.isString() && !id.toString().isEmpty())
        entry.id = id.toString();
    else if (id.isDouble())
        entry.id = QString::number(id.toDouble(), 'g', 15);
    else if (id.isUndefined() || id.isNull())
        entry.id = QString::number(position);
    else {
        *why = QStringLiteral("\"id\" must be a string or a number");
        return std::nullopt;
    }
    entry.shortCode = o.value(u"shortCode").toString();
    entry.content = o.value(u"content").toString();
    if (entry.shortCode.isEmpty() || hasSpace(entry.shortCode)
        || entry.shortCode.size() > CannedResponseTable::MaxShortCodeLength) {
        *why = QStringLiteral("\"shortCode\" must be one word of at most %1 characters")
                   .arg(CannedResponseTable::MaxShortCodeLength);
        return std::nullopt;
    }
    if (entry.content.trimmed().isEmpty() || entry.content.size() > CannedResponseTable::MaxContentLength) {
        *why = QStringLiteral("\"content\" must be text of at most %1 characters")
                   .arg(CannedResponseTable::MaxContentLength);
        return std::nullopt;
    }
    return entry;
}

} // namespace

CannedResponseTable::CannedResponseTable(QObject *parent)
    : QObject(parent)
{
}

std::optional<CannedResponseTable::Table> CannedResponseTable::parse(const QByteArray &text, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("not JSON at offset %1: %2").arg(parseError.offset).arg(parseError.errorString());
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error = QStringLiteral("expected an object of tenant ids, each with a list of responses");
        return std::nullopt;
    }
    Table table;
    const QJsonObject tenants = document.object();
    for (auto it = tenants.begin(); it != tenants.end(); ++it) {
        const QString tenant = it.key();
        if (tenant.isEmpty() || !it.value().isArray()) {
            *error = QStringLiteral("tenant '%1': expected a list of responses").arg(tenant);
            return std::nullopt;
        }
        QList<Entry> entries;
        QSet<QString> codes;
        QSet<QString> ids;
        const QJsonArray list = it.value().toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            QString why;
            const std::optional<Entry> entry = entryOf(list.at(i), int(i) + 1, &why);
            if (entry && codes.contains(entry->shortCode.toCaseFolded()))
                why = QStringLiteral("the short code '%1' again").arg(entry->shortCode);
            else if (entry && ids.contains(entry->id))
                why = QStringLiteral("the id '%1' again").arg(entry->id);
            if (!why.isEmpty()) {
                *error = QStringLiteral("tenant '%1', entry %2: %3").arg(tenant).arg(i + 1).arg(why);
                return std::nullopt;
            }
            codes.insert(entry->shortCode.toCaseFolded());
            ids.insert(entry->id);
            entries.append(*entry);
        }
        table.insert(tenant, entries);
    }
    return table;
}

bool CannedResponseTable::loadFile(const QString &path)
{
    m_fileName = path;
    const std::optional<QByteArray> text =
        readConfigFile(path, QStringLiteral("canned responses"), MaxFileBytes, &m_error);
    if (!text)
        return false;
    QString why;
    std::optional<Table> table = parse(*text, &why);
    if (!table) {
        m_error = QStringLiteral("canned responses file '%1', %2").arg(path, why);
        return false;
    }
    m_table = std::move(*table);
    m_error.clear();
    return true;
}

bool CannedResponseTable::reload()
{
    if (m_fileName.isEmpty())
        return false;
    if (!loadFile(m_fileName)) {
        qCWarning(lcServer).noquote() << "canned responses not reloaded, the previous ones stay:" << m_error;
        return false;
    }
    qsizetype count = 0;
    for (const QList<Entry> &entries : std::as_const(m_table))
        count += entries.size();
    qCInfo(lcServer).noquote() << "canned responses reloaded from" << m_fileName << "-" << count << "responses for"
                               << m_table.size() << "tenants";
    return true;
}

void CannedResponseTable::setForTenant(const QString &tenant, const QList<Entry> &entries)
{
    m_table.insert(tenant, entries);
}
