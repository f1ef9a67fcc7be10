// The logging category of the reference server ("agentconsole.server"). Tokens are never logged.
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcServer)

// Qt's own HTTP server debug output prints whole requests, Authorization header and token included: this
// keeps it off whatever QT_LOGGING_RULES says. Installs a category filter once; later calls do nothing.
void keepQtHttpServerDebugOff();
