// The application's own icon (resources/icons/agent-console.svg), compiled into agentconsole_resources.
// A window or tray icon takes it from here, so every part of the app shows the same mark.
#pragma once

#include <QIcon>
#include <QString>

// The icon's path in the Qt resource system: ":/icons/agent-console.svg".
QString appIconPath();

// The app icon, rendered from the SVG at whatever size and device pixel ratio it is drawn.
QIcon appIcon();
