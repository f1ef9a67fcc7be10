#include "appicon.h"

QString appIconPath()
{
    return QStringLiteral(":/icons/agent-console.svg");
}

QIcon appIcon()
{
    return QIcon(appIconPath());
}
