// AttachmentCopies: the outbox's own copies of the files attached to unsent replies, one folder per
// reply (<root>/<messageId>/<file name>), so deleting or moving the original loses nothing. A copy is
// complete and flushed to disk (QSaveFile) before keep() returns; a crash mid-copy leaves no file.
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
    // Copies attachment.localPath for the reply `messageId`; the copy's description (its path, and its
    // size as copied) or nothing, with `error` saying why in words for the agent.
    std::optional<Attachment> keep(const QString &messageId, const Attachment &attachment, QString *error);
    void remove(const QString &messageId);
    // Removes the folders of replies not in `keepIds`: copies a crash left before their reply was written.
    int sweep(const QSet<QString> &keepIds);

private:
    QString m_root;
};
