// The logging category of the reference server ("agentconsole.server"). Tokens are never logged.
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcServer)
