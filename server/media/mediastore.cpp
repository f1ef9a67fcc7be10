#include "mediastore.h"

#include "serverlog.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSaveFile>

namespace {

QString sha256Hex(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QString tenantKey(const QString &tenant)
{
    return sha256Hex(tenant.toUtf8()).left(32);
}

QJsonObject toJson(const MediaRecord &r)
{
    return QJsonObject {{QStringLiteral("id"), r.id}, {QStringLiteral("tenant"), r.tenant},
        {QStringLiteral("conversation"), r.conversation}, {QStringLiteral("sha256"), r.sha256},
        {QStringLiteral("fileName"), r.fileName}, {QStringLiteral("mimeType"), r.mimeType},
        {QStringLiteral("size"), double(r.size)}, {QStringLiteral("width"), r.width},
        {QStringLiteral("height"), r.height}};
}

std::optional<MediaRecord> fromJson(const QByteArray &json)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    MediaRecord r {o.value(u"id").toString(), o.value(u"tenant").toString(), o.value(u"conversation").toString(),
        o.value(u"sha256").toString(), o.value(u"fileName").toString(), o.value(u"mimeType").toString(),
        qint64(o.value(u"size").toDouble()), o.value(u"width").toInt(), o.value(u"height").toInt()};
    if (!MediaStore::isMediaId(r.id) || r.sha256.size() != 64)
        return std::nullopt;
    return r;
}

std::optional<QByteArray> readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    return file.readAll();
}

} // namespace

bool MediaStore::open(const QString &dir)
{
    if (!QDir().mkpath(dir)) {
        m_error = QStringLiteral("cannot create %1").arg(dir);
        return false;
    }
    m_dir = QDir(dir).absolutePath();
    m_error.clear();
    return true;
}

QString MediaStore::idFor(const QString &tenant, const QString &conversation, const QString &key)
{
    const QByteArray material = tenant.toUtf8() + '\0' + conversation.toUtf8() + '\0' + key.toUtf8();
    return sha256Hex(material).left(32);
}

bool MediaStore::isMediaId(const QString &text)
{
    return text.size() == 32 && std::all_of(text.cbegin(), text.cend(), [](QChar c) {
        return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f');
    });
}

QString MediaStore::tenantDir(const QString &tenant) const
{
    return m_dir + u'/' + tenantKey(tenant);
}

MediaStore::Result MediaStore::store(const MediaRecord &draft, const QString &key, const QByteArray &bytes)
{
    MediaRecord record = draft;
    record.id = idFor(draft.tenant, draft.conversation, key);
    record.sha256 = sha256Hex(bytes);
    record.size = bytes.size();
    return isOnDisk() ? storeOnDisk(record, bytes) : storeInMemory(record, bytes);
}

MediaStore::Result MediaStore::storeInMemory(MediaRecord record, const QByteArray &bytes)
{
    const QString tenant = tenantKey(record.tenant);
    if (const auto known = m_records.constFind(tenant + record.id); known != m_records.cend())
        return Result {Outcome::Repeated, *known};
    const QString blob = tenant + record.sha256;
    if (!m_blobs.contains(blob)) {
        if (m_memoryBytes + bytes.size() > m_memoryCap)
            return Result {Outcome::Full, record};
        m_blobs.insert(blob, bytes);
        m_memoryBytes += bytes.size();
    }
    m_records.insert(tenant + record.id, record);
    return Result {Outcome::Stored, record};
}

MediaStore::Result MediaStore::storeOnDisk(MediaRecord record, const QByteArray &bytes)
{
    const QString dir = tenantDir(record.tenant);
    const QString recordPath = dir + QStringLiteral("/uploads/") + record.id + QStringLiteral(".json");
    if (const auto known = find(record.tenant, record.id))
        return Result {Outcome::Repeated, *known};
    const auto failed = [&](const QString &why) {
        m_error = why;
        qCWarning(lcServer).noquote() << "media not stored:" << why;
        return Result {Outcome::Failed, record};
    };
    if (!QDir().mkpath(dir + QStringLiteral("/blobs")) || !QDir().mkpath(dir + QStringLiteral("/uploads")))
        return failed(QStringLiteral("cannot create %1").arg(dir));
    // The bytes first, under their hash: an instance writing the same ones at the same moment writes
    // the same file, and a crash leaves at most bytes no record names.
    const QString blobPath = dir + QStringLiteral("/blobs/") + record.sha256;
    if (!QFile::exists(blobPath)) {
        QSaveFile blob(blobPath);
        if (!blob.open(QIODevice::WriteOnly) || blob.write(bytes) != bytes.size() || !blob.commit())
            return failed(blob.errorString());
    }
    // Then the record, created only if absent: of two instances storing one key, the first one's stays
    // and both answer with it.
    const QString temporary
        = recordPath + QStringLiteral(".%1.tmp").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    QFile file(temporary);
    const QByteArray json = QJsonDocument(toJson(record)).toJson(QJsonDocument::Compact);
    if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size() || !file.flush())
        return failed(file.errorString());
    file.close();
    if (!QFile::rename(temporary, recordPath)) {
        QFile::remove(temporary);
        if (const auto first = find(record.tenant, record.id))
            return Result {Outcome::Repeated, *first};
        return failed(QStringLiteral("cannot write %1").arg(recordPath));
    }
    m_error.clear();
    return Result {Outcome::Stored, record};
}

std::optional<MediaRecord> MediaStore::find(const QString &tenant, const QString &id) const
{
    if (!isMediaId(id))
        return std::nullopt;
    if (!isOnDisk()) {
        const auto it = m_records.constFind(tenantKey(tenant) + id);
        return it == m_records.cend() ? std::nullopt : std::optional<MediaRecord>(*it);
    }
    const auto json = readAll(tenantDir(tenant) + QStringLiteral("/uploads/") + id + QStringLiteral(".json"));
    const auto record = json ? fromJson(*json) : std::nullopt;
    if (!record || record->tenant != tenant)
        return std::nullopt;
    return record;
}

std::optional<QByteArray> MediaStore::bytes(const MediaRecord &record) const
{
    if (!isOnDisk()) {
        const auto it = m_blobs.constFind(tenantKey(record.tenant) + record.sha256);
        return it == m_blobs.cend() ? std::nullopt : std::optional<QByteArray>(*it);
    }
    return readAll(tenantDir(record.tenant) + QStringLiteral("/blobs/") + record.sha256);
}
