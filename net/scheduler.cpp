#include "scheduler.h"

#include <QTimer>

namespace {

class TimerScheduler final : public Scheduler
{
public:
    void after(int delayMs, QObject *context, std::function<void()> call) override
    {
        QTimer::singleShot(delayMs, context, std::move(call));
    }
};

} // namespace

Scheduler *Scheduler::system()
{
    static TimerScheduler scheduler;
    return &scheduler;
}
