// The platform's notifier: desktop notifications over D-Bus where the platform has them (Linux and
// the BSDs), falling back to the tray icon's balloons; balloons alone elsewhere (Windows, macOS).
#pragma once

class Notifier;
class QObject;
class QSystemTrayIcon;

Notifier *createSystemNotifier(QSystemTrayIcon *tray, QObject *parent);
