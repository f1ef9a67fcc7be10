// A test case that needs something this machine may lack (Node.js, RabbitMQ, a D-Bus session with a
// keychain, Qt's own catalogues, a session without a notification server) skips saying what is missing, and ctest shows
// its suite as Skipped (SKIP_REGULAR_EXPRESSION, tests/CMakeLists.txt). With AGENT_CONSOLE_REQUIRE_ALL=1, which .ci/run
// and the README's test command set, the same case fails instead: a green run there means every suite ran. Where the
// platform cannot have the thing at all (D-Bus on Windows or macOS), tests skip with QSKIP.
#pragma once

#include <QByteArray>
#include <QString>
#include <QTest>

namespace MissingDependency {

inline bool fails()
{
    return qEnvironmentVariable("AGENT_CONSOLE_REQUIRE_ALL") == u"1";
}

inline QByteArray failureText(const QString &why)
{
    return (why + QStringLiteral(" (AGENT_CONSOLE_REQUIRE_ALL=1: every case must run, so this fails)")).toLocal8Bit();
}

} // namespace MissingDependency

#define SKIP_MISSING_DEPENDENCY(why)                                                                                   \
    do {                                                                                                               \
        const QString missingDependency_ = (why);                                                                      \
        if (MissingDependency::fails())                                                                                \
            QFAIL(MissingDependency::failureText(missingDependency_).constData());                                     \
        QSKIP(qPrintable(missingDependency_));                                                                         \
    } while (false)
