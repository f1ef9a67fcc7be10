// The files widget-server reads at start and again on SIGHUP (tokens, canned responses): read whole,
// up to a bound, or refused with a reason that names the file.
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

// The file's bytes; nullopt and *error ("cannot read <what> file 'PATH': …", "<what> file 'PATH' is larger
// than N bytes") when it cannot be read or is over `maxBytes`.
std::optional<QByteArray> readConfigFile(const QString &path, const QString &what, qint64 maxBytes, QString *error);
