#include "configfile.h"

#include <QFile>

std::optional<QByteArray> readConfigFile(const QString &path, const QString &what, qint64 maxBytes, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1 file '%2': %3").arg(what, path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > maxBytes) {
        *error = QStringLiteral("%1 file '%2' is larger than %3 bytes").arg(what, path).arg(maxBytes);
        return std::nullopt;
    }
    return file.read(maxBytes + 1);
}
