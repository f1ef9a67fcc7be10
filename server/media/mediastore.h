// MediaStore: the files uploaded to the reference server (CONTRACT.md §5). Content-addressed per tenant
// (the same bytes are kept once however often they come), each upload a record named by a hash of
// (tenant, conversation, Idempotency-Key), so the same key again finds the first answer, also across
// instances sharing a data dir and after a restart. On disk under <data-dir>/media:
//   <sha256(tenant)>/blobs/<sha256 of the bytes>   <sha256(tenant)>/uploads/<media id>.json
// Nothing a client sends becomes part of a path. Without a dir everything is in memory, up to a cap.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <optional>

struct MediaRecord
{
    QString id; // 32 lower-case hex digits: the last segment of the mediaUrl
    QString tenant;
    QString conversation;
    QString sha256; // of the bytes
    QString fileName;
    QString mimeType;
    qint64 size = 0;
    int width = 0; // images only; 0 when unknown
    int height = 0;
};

class MediaStore
{
public:
    static constexpr qint64 DefaultMemoryCap = 256 * 1024 * 1024;

    MediaStore() = default; // in memory
    // Keeps media under `dir` (created if missing) instead; false, with error() saying why, when it cannot.
    bool open(const QString &dir);
    bool isOnDisk() const { return !m_dir.isEmpty(); }
    QString error() const { return m_error; }
    void setMemoryCap(qint64 bytes) { m_memoryCap = bytes; }
    qint64 memoryCap() const { return m_memoryCap; }
    qint64 memoryBytes() const { return m_memoryBytes; } // what the in-memory blobs hold

    static QString idFor(const QString &tenant, const QString &conversation, const QString &key);
    static bool isMediaId(const QString &text);

    enum class Outcome { Stored, Repeated, Full, Failed };
    struct Result
    {
        Outcome outcome = Outcome::Failed;
        MediaRecord record; // Stored: the new one; Repeated: the first upload's
    };
    // Keeps `bytes` as `draft` (tenant, conversation, file name, type, size) under `key`: the first call
    // for (tenant, conversation, key) stores it, every later one gets the first one's record back.
    Result store(const MediaRecord &draft, const QString &key, const QByteArray &bytes);
    // The upload `id` of `tenant`; nothing for another tenant's, an unknown or a malformed id.
    std::optional<MediaRecord> find(const QString &tenant, const QString &id) const;
    std::optional<QByteArray> bytes(const MediaRecord &record) const;

private:
    QString tenantDir(const QString &tenant) const;
    Result storeOnDisk(MediaRecord record, const QByteArray &bytes);
    Result storeInMemory(MediaRecord record, const QByteArray &bytes);

    QString m_dir;
    QString m_error;
    qint64 m_memoryCap = DefaultMemoryCap;
    qint64 m_memoryBytes = 0;
    QHash<QString, QByteArray> m_blobs; // tenant hash + sha256 -> bytes
    QHash<QString, MediaRecord> m_records; // tenant hash + id -> record
};
