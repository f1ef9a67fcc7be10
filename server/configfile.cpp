#include "configfile.h"

#include <QFile>
#include <QFileInfo>

std::optional<QByteArray> readConfigFile(const QString &path, const QString &what, qint64 maxBytes, QString *error)
{
    // Only a regular file: opening a FIFO (or a device) would wait for a writer and stop the server.
    if (const QFileInfo info(path); info.exists() && !info.isFile()) {
        *error = QStringLiteral("%1 file '%2' is not a regular file").arg(what, path);
        return std::nullopt;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1 file '%2': %3").arg(what, path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > maxBytes) {
        *error = QStringLiteral("%1 file '%2' is larger than %3 bytes").arg(what, path).arg(maxBytes);
        return std::nullopt;
    }
    QByteArray data = file.read(maxBytes + 1);
    if (data.size() > maxBytes) { // it grew since the size was asked
        *error = QStringLiteral("%1 file '%2' is larger than %3 bytes").arg(what, path).arg(maxBytes);
        return std::nullopt;
    }
    return data;
}
