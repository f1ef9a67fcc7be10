// RowHeights: offsets and binary search stay right through measuring, inserting and removing.
#include "rowheights.h"

#include <QTest>

class TestRowHeights : public QObject
{
    Q_OBJECT

private slots:
    void estimatesUntilMeasured();
    void changedHeightMovesOnlyLaterRows();
    void rowAtFindsTheRowContainingY_data();
    void rowAtFindsTheRowContainingY();
    void insertAndRemoveKeepOffsets();
    void invalidateAllForgetsEveryHeight();
    void shapesStayWithTheirRows();
};

void TestRowHeights::estimatesUntilMeasured()
{
    RowHeights h;
    h.reset(3, 10);
    QCOMPARE(h.total(), 30);
    QCOMPARE(h.unmeasuredCount(), 3);
    QVERIFY(h.setHeight(1, 25));
    QVERIFY(!h.setHeight(2, 10)); // same as the estimate it counted as: nothing moved
    QCOMPARE(h.unmeasuredCount(), 1);
    QCOMPARE(h.total(), 45);
    QCOMPARE(h.previousUnmeasured(2), 0);
}

void TestRowHeights::changedHeightMovesOnlyLaterRows()
{
    RowHeights h;
    h.reset(5, 10);
    for (int r = 0; r < 5; ++r)
        h.setHeight(r, 10);
    QCOMPARE(h.offset(4), 40); // prefix built
    h.setHeight(2, 30);
    QCOMPARE(h.offset(2), 20);
    QCOMPARE(h.offset(3), 50);
    QCOMPARE(h.offset(4), 60);
    QCOMPARE(h.rowAt(49), 2);
    QCOMPARE(h.rowAt(50), 3);
}

void TestRowHeights::rowAtFindsTheRowContainingY_data()
{
    QTest::addColumn<qint64>("y");
    QTest::addColumn<int>("row");
    // Rows of 5, 10, 20: tops 0, 5, 15; total 35.
    QTest::newRow("above") << qint64(-4) << 0;
    QTest::newRow("first top") << qint64(0) << 0;
    QTest::newRow("first bottom") << qint64(4) << 0;
    QTest::newRow("second top") << qint64(5) << 1;
    QTest::newRow("third") << qint64(20) << 2;
    QTest::newRow("last pixel") << qint64(34) << 2;
    QTest::newRow("below") << qint64(500) << 2;
}

void TestRowHeights::rowAtFindsTheRowContainingY()
{
    QFETCH(qint64, y);
    QFETCH(int, row);
    RowHeights h;
    h.reset(3, 1);
    h.setHeight(0, 5);
    h.setHeight(1, 10);
    h.setHeight(2, 20);
    QCOMPARE(h.rowAt(y), row);
}

void TestRowHeights::insertAndRemoveKeepOffsets()
{
    RowHeights h;
    h.reset(3, 10);
    for (int r = 0; r < 3; ++r)
        h.setHeight(r, 10 * (r + 1)); // 10, 20, 30
    QCOMPARE(h.total(), 60);
    h.insert(0, 2); // a history page: unmeasured, counted at the estimate
    QCOMPARE(h.count(), 5);
    QCOMPARE(h.offset(2), 20);
    h.setHeight(0, 7);
    h.setHeight(1, 8);
    QCOMPARE(h.offset(2), 15);
    QCOMPARE(h.total(), 75);
    h.remove(2, 2); // drops the rows of 10 and 20
    QCOMPARE(h.count(), 3);
    QCOMPARE(h.height(2), 30);
    QCOMPARE(h.total(), 45);
    QCOMPARE(h.unmeasuredCount(), 0);
    QCOMPARE(RowHeights().rowAt(0), -1);
}

void TestRowHeights::invalidateAllForgetsEveryHeight()
{
    RowHeights h;
    h.reset(4, 10);
    for (int r = 0; r < 4; ++r)
        h.setHeight(r, 50);
    h.invalidateAll();
    QCOMPARE(h.unmeasuredCount(), 4);
    QCOMPARE(h.total(), 40);
    h.setEstimate(12);
    QCOMPARE(h.total(), 48);
}

// What a row was measured with moves with it when pages come and rows go.
void TestRowHeights::shapesStayWithTheirRows()
{
    RowHeights h;
    h.reset(3, 10);
    for (int r = 0; r < 3; ++r)
        h.setHeight(r, 10, quint8(r + 1));
    h.insert(1, 2);
    QCOMPARE(h.shape(0), 1);
    QCOMPARE(h.shape(1), 0); // not measured yet
    QCOMPARE(h.shape(3), 2);
    QCOMPARE(h.shape(4), 3);
    h.remove(0, 3);
    QCOMPARE(h.count(), 2);
    QCOMPARE(h.shape(0), 2);
    QCOMPARE(h.shape(1), 3);
    h.setHeight(0, 10, 0);
    QCOMPARE(h.shape(0), 0);
}

QTEST_GUILESS_MAIN(TestRowHeights)
#include "tst_rowheights.moc"
