// Scheduler: where the console's timed retries wait (a send's next attempt, the next try to open a
// conversation). The system scheduler is a QTimer on the event loop; a test can run time by hand.
#pragma once

#include <QObject>

#include <functional>

class Scheduler
{
public:
    virtual ~Scheduler() = default;
    // Calls `call` once, `delayMs` from now, unless `context` is destroyed first.
    virtual void after(int delayMs, QObject *context, std::function<void()> call) = 0;

    static Scheduler *system();
};
