// AttachmentCopies: the outbox's own copies of the files attached to unsent replies, one folder per
// reply (<root>/<messageId>/<file name>), so deleting or moving the original loses nothing. A copy is
// complete and flushed to disk (QSaveFile) before keep() returns; a crash mid-copy leaves no file.
//
// The copy is made while the file is still in the composer: stage() (any thread; the composer runs it
// off the UI thread, since a file on a slow or network drive takes a while) copies it into
// <root>/.staging/<n>/, and keep() only renames that folder into the reply's. A file not staged is
// copied by keep() itself. What is left in .staging at the next start goes with sweep().
#pragma once

#include "attachment.h"

#include <QSet>
#include <QString>

#include <optional>

class AttachmentCopies
{
public:
    explicit AttachmentCopies(const QString &root);

    QString root() const { return m_root; }
    QString pathFor(const QString &messageId, const QString &fileName) const;
    QString stagingFolder() const { return m_root + QStringLiteral("/.staging"); }

    // Copies attachment.localPath into a new folder of `stagingFolder`; the staged description (its
    // path and size as copied, everything else as given) or nothing, with `error` saying why. Touches no
    // member: safe on any thread.
    static std::optional<Attachment> stage(const Attachment &attachment, const QString &stagingFolder, QString *error);
    bool isStaged(const Attachment &attachment) const;
    static void unstage(const Attachment &staged); // a staged copy no reply took
    // Copies attachment.localPath for the reply `messageId` (a staged one is moved, not copied); the
    // copy's description (its path, and its size as copied) or nothing, with `error` saying why in words
    // for the agent.
    std::optional<Attachment> keep(const QString &messageId, const Attachment &attachment, QString *error);
    void remove(const QString &messageId);
    // Removes the folders of replies not in `keepIds`: copies a crash left before their reply was written.
    int sweep(const QSet<QString> &keepIds);

private:
    static std::optional<Attachment> copy(const Attachment &attachment, const QString &target, QString *error);

    QString m_root;
};
