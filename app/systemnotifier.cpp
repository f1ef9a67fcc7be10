#include "systemnotifier.h"

#include "traynotifier.h"

#ifdef AGENT_CONSOLE_HAVE_DBUS
#include "freedesktopnotifier.h"
#endif

Notifier *createSystemNotifier(QSystemTrayIcon *tray, QObject *parent)
{
    auto *balloons = new TrayNotifier(tray, parent);
#ifdef AGENT_CONSOLE_HAVE_DBUS
    return new FreedesktopNotifier(balloons, parent);
#else
    return balloons;
#endif
}
