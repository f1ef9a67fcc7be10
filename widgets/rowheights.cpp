#include "rowheights.h"

#include <algorithm>

void RowHeights::reset(int count, int estimate)
{
    m_estimate = estimate;
    m_heights.assign(size_t(qMax(0, count)), -1);
    m_shapes.assign(m_heights.size(), 0);
    m_prefix.assign(m_heights.size() + 1, 0);
    m_unmeasured = count;
    m_validUpTo = 0;
}

void RowHeights::invalidateAll()
{
    std::fill(m_heights.begin(), m_heights.end(), -1);
    m_unmeasured = count();
    m_validUpTo = 0;
}

void RowHeights::setEstimate(int estimate)
{
    if (estimate == m_estimate)
        return;
    m_estimate = estimate;
    if (m_unmeasured > 0)
        m_validUpTo = 0;
}

void RowHeights::insert(int row, int n)
{
    if (n <= 0)
        return;
    m_heights.insert(m_heights.begin() + row, size_t(n), -1);
    m_shapes.insert(m_shapes.begin() + row, size_t(n), 0);
    m_prefix.resize(m_heights.size() + 1);
    m_unmeasured += n;
    invalidateFrom(row);
}

void RowHeights::remove(int row, int n)
{
    if (n <= 0)
        return;
    const auto first = m_heights.begin() + row;
    m_unmeasured -= int(std::count(first, first + n, -1));
    m_heights.erase(first, first + n);
    m_shapes.erase(m_shapes.begin() + row, m_shapes.begin() + row + n);
    m_prefix.resize(m_heights.size() + 1);
    invalidateFrom(row);
}

int RowHeights::height(int row) const
{
    const int h = m_heights[size_t(row)];
    return h >= 0 ? h : m_estimate;
}

bool RowHeights::setHeight(int row, int h, quint32 shape)
{
    m_shapes[size_t(row)] = shape;
    int &slot = m_heights[size_t(row)];
    const int before = slot >= 0 ? slot : m_estimate;
    if (slot < 0)
        --m_unmeasured;
    slot = qMax(0, h);
    if (slot == before)
        return false;
    invalidateFrom(row); // the top of `row` stands; every later top moves
    return true;
}

void RowHeights::ensurePrefix(int row) const
{
    for (int i = m_validUpTo; i < row; ++i)
        m_prefix[size_t(i) + 1] = m_prefix[size_t(i)] + height(i);
    m_validUpTo = qMax(m_validUpTo, row);
}

qint64 RowHeights::offset(int row) const
{
    row = std::clamp(row, 0, count());
    ensurePrefix(row);
    return m_prefix[size_t(row)];
}

int RowHeights::rowAt(qint64 y) const
{
    if (m_heights.empty())
        return -1;
    ensurePrefix(count());
    // The first top strictly greater than y belongs to the row after the one containing y.
    const auto it = std::upper_bound(m_prefix.begin() + 1, m_prefix.begin() + count(), y);
    return int(it - m_prefix.begin()) - 1;
}

int RowHeights::previousUnmeasured(int from) const
{
    for (int r = qMin(from, count() - 1); r >= 0; --r) {
        if (m_heights[size_t(r)] < 0)
            return r;
    }
    return -1;
}
