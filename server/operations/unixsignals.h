// Turns POSIX signals (SIGTERM, SIGINT, SIGHUP...) into a Qt signal on the event loop. The handler
// only write()s the signal number to a socketpair, the one async-signal-safe thing it may do; a
// QSocketNotifier reads it on the main thread, where any Qt code may run. One instance per process.
//
//     UnixSignals signals;
//     signals.watch(SIGHUP);
//     connect(&signals, &UnixSignals::received, &registry, [&](int signal) { if (signal == SIGHUP) reload(); });
//
// unixsignals.cpp is the POSIX implementation (Linux, macOS). On Windows (unixsignals_win.cpp) there are
// no such signals: the console's control events arrive as SIGINT (Ctrl+C) and SIGTERM (Ctrl+Break, the
// console window closed, logoff, shutdown), the only two numbers watch() accepts there; SIGHUP does not exist.
#pragma once

#include <QList>
#include <QObject>

class QSocketNotifier;

class UnixSignals : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignals(QObject *parent = nullptr);
    ~UnixSignals() override; // restores the default action of every watched signal

    bool watch(int signal); // false (and a warning) when the handler cannot be installed

signals:
    void received(int signal);

private:
    void readPending();

    QSocketNotifier *m_notifier = nullptr;
    QList<int> m_watched;
};
