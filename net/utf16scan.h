// The scans the frame decoder makes over every unit of a frame, eight units at a time where SSE2 is
// there (every x86-64 CPU): a frame is read once per check, so these loops are most of a decode.
#pragma once

#include <QStringView>

#include <bit>

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#define AGENT_CONSOLE_SSE2 1
#endif

namespace Protocol::Utf16Scan {

// The first surrogate (U+D800..U+DFFF) at or after p, or end.
inline const char16_t *findSurrogate(const char16_t *p, const char16_t *end)
{
#ifdef AGENT_CONSOLE_SSE2
    const __m128i mask = _mm_set1_epi16(short(0xF800));
    const __m128i surrogate = _mm_set1_epi16(short(0xD800));
    for (; end - p >= 8; p += 8) {
        const __m128i units = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        const int hits = _mm_movemask_epi8(_mm_cmpeq_epi16(_mm_and_si128(units, mask), surrogate));
        if (hits != 0)
            return p + std::countr_zero(unsigned(hits)) / 2;
    }
#endif
    while (p < end && (*p & 0xF800) != 0xD800)
        ++p;
    return p;
}

// Whether `text` is valid UTF-16: every high surrogate followed by a low one, no other low one. Text
// without surrogates, nearly every frame, is one vector loop; emoji cost a pair check each.
inline bool isValid(QStringView text)
{
    const char16_t *p = text.utf16();
    const char16_t *const end = p + text.size();
    while ((p = findSurrogate(p, end)) < end) {
        if (*p >= 0xDC00 || end - p < 2 || (p[1] & 0xFC00) != 0xDC00)
            return false;
        p += 2;
    }
    return true;
}

// The first '"' or '\' at or after p, or end: where a JSON string's plain run stops.
inline const char16_t *findQuoteOrBackslash(const char16_t *p, const char16_t *end)
{
#ifdef AGENT_CONSOLE_SSE2
    const __m128i quote = _mm_set1_epi16(u'"');
    const __m128i backslash = _mm_set1_epi16(u'\\');
    for (; end - p >= 8; p += 8) {
        const __m128i units = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        const int hits
            = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi16(units, quote), _mm_cmpeq_epi16(units, backslash)));
        if (hits != 0)
            return p + std::countr_zero(unsigned(hits)) / 2;
    }
#endif
    while (p < end && *p != u'"' && *p != u'\\')
        ++p;
    return p;
}

// Whether any unit is >= U+D800 (surrogates and U+E000..U+FFFF): keys with such units are the ones on
// which Qt 6.4's two key orders can disagree.
inline bool hasHighUnit(QStringView text)
{
    bool high = false;
    const char16_t *const end = text.utf16() + text.size();
    for (const char16_t *c = text.utf16(); c < end; ++c)
        high |= *c >= 0xD800;
    return high;
}

} // namespace Protocol::Utf16Scan
