// Turns POSIX signals (SIGTERM, SIGINT, SIGHUP...) into a Qt signal on the event loop. The handler
// only write()s the signal number to a socketpair, the one async-signal-safe thing it may do; a
// QSocketNotifier reads it on the main thread, where any Qt code may run. One instance per process.
//
//     UnixSignals signals;
//     signals.watch(SIGHUP);
//     connect(&signals, &UnixSignals::received, &registry, [&](int signal) { if (signal == SIGHUP) reload(); });
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
