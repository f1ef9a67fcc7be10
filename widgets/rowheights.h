// RowHeights: the height of every row of a long list and their running offsets, so a view can find
// the rows under a y coordinate by binary search instead of laying out every row.
#pragma once

#include <QtGlobal>

#include <vector>

class RowHeights
{
public:
    int count() const { return int(m_heights.size()); }
    // Forgets every height (e.g. after a width change): rows count as `estimate` until measured.
    void reset(int count, int estimate);
    void invalidateAll();
    void setEstimate(int estimate);

    // Inserted rows are unmeasured; removing rows drops their heights.
    void insert(int row, int count);
    void remove(int row, int count);

    bool isMeasured(int row) const { return m_heights[size_t(row)] >= 0; }
    // The measured height, or the estimate for a row not measured yet.
    int height(int row) const;
    // Returns true when the height differs from what the row counted as before. `shape`: what else the
    // height was measured with (MessageDelegate::heightShape()), so a change that keeps it needs no new
    // measurement.
    bool setHeight(int row, int height, quint32 shape = 0);
    quint32 shape(int row) const { return m_shapes[size_t(row)]; }

    qint64 offset(int row) const; // top of `row`; offset(count()) is the total height
    qint64 total() const { return offset(count()); }
    // The row containing y (clamped to the first / last row); -1 when there are no rows.
    int rowAt(qint64 y) const;

    int unmeasuredCount() const { return m_unmeasured; }
    // The last unmeasured row at or before `from`, or -1.
    int previousUnmeasured(int from) const;

private:
    // Tops up to and including row `row` stay valid.
    void invalidateFrom(int row) { m_validUpTo = qMin(m_validUpTo, row); }
    void ensurePrefix(int row) const;

    std::vector<int> m_heights; // -1 = not measured yet
    std::vector<quint32> m_shapes; // in step with m_heights
    // m_prefix[i] = top of row i, valid for i <= m_validUpTo. Rebuilt lazily from the first change:
    // a Fenwick tree would make a single change O(log n), but a history page inserted at row 0 needs
    // an O(n) rebuild either way, and summing 100,000 ints takes well under a millisecond.
    mutable std::vector<qint64> m_prefix {0};
    mutable int m_validUpTo = 0;
    int m_estimate = 40;
    int m_unmeasured = 0;
};
