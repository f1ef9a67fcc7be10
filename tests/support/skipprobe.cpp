// A Qt Test suite that skips or fails on demand, for skipreport.cmake: SKIPPROBE_MISSING=1 takes away the
// dependency of one case (SKIP_MISSING_DEPENDENCY), SKIPPROBE_FAILS=1 makes another case fail.
#include "missingdependency.h"

#include <QTest>

class SkipProbe : public QObject
{
    Q_OBJECT

private slots:
    void needsADependency()
    {
        if (qEnvironmentVariable("SKIPPROBE_MISSING") == u"1")
            SKIP_MISSING_DEPENDENCY("the probe's dependency is missing");
    }

    void failsOnDemand() { QVERIFY2(qEnvironmentVariable("SKIPPROBE_FAILS") != u"1", "failing on demand"); }
};

QTEST_APPLESS_MAIN(SkipProbe)
#include "skipprobe.moc"
