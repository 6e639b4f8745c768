#pragma once
// Counting and stepping over code points in UTF-8 without decoding: a code point is counted by
// its first byte, which is never a continuation byte (10xxxxxx). The chunker does this for every
// byte several times (sizes, cut windows, overlaps), so the loops take 16 bytes per step with
// SSE2 (baseline on x86-64) and fall back to plain loops elsewhere.
#include <cstddef>
#include <cstdint>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace text_kit {

namespace detail {

// Continuation bytes 0x80..0xBF, read as signed, are -128..-65.
inline bool is_lead_byte(char byte) { return static_cast<signed char>(byte) > -65; }

#ifdef __SSE2__
inline __m128i load16(const char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
// 0xFF in each lane that holds a lead (non-continuation) byte.
inline __m128i lead_lanes(__m128i bytes) { return _mm_cmpgt_epi8(bytes, _mm_set1_epi8(-65)); }
// The number of lead bytes among 16.
inline std::size_t lead_count16(const char* p) {
    // No shortcut for ASCII: where quotes and dashes are sprinkled through English text, the
    // branch mispredicted more than the sum costs.
    const __m128i ones = _mm_and_si128(lead_lanes(load16(p)), _mm_set1_epi8(1));
    const __m128i sums = _mm_sad_epu8(ones, _mm_setzero_si128());
    return static_cast<std::size_t>(_mm_cvtsi128_si32(sums) + _mm_extract_epi16(sums, 4));
}
// The number of lead bytes among 64: the four blocks are tallied in byte lanes (at most 4 each)
// and summed once.
inline std::size_t lead_count64(const char* p) {
    __m128i tally = _mm_setzero_si128();
    for (int block = 0; block < 4; ++block) tally = _mm_sub_epi8(tally, lead_lanes(load16(p + 16 * block)));
    const __m128i sums = _mm_sad_epu8(tally, _mm_setzero_si128());
    return static_cast<std::size_t>(_mm_cvtsi128_si32(sums) + _mm_extract_epi16(sums, 4));
}
#endif

}  // namespace detail

// The number of code points in valid UTF-8 (for any bytes: the number of non-continuation bytes).
inline std::size_t count_code_points(const char* data, std::size_t size) {
    std::size_t count = 0, i = 0;
#ifdef __SSE2__
    while (size - i >= 16) {
        // Lanes tally up to 255 blocks before they are summed, so none overflows.
        const std::size_t blocks = (size - i) / 16 < 255 ? (size - i) / 16 : 255;
        __m128i tally = _mm_setzero_si128();
        for (std::size_t k = 0; k < blocks; ++k, i += 16)
            tally = _mm_sub_epi8(tally, detail::lead_lanes(detail::load16(data + i)));  // 0xFF is -1
        const __m128i sums = _mm_sad_epu8(tally, _mm_setzero_si128());
        count += static_cast<std::size_t>(_mm_cvtsi128_si32(sums) + _mm_extract_epi16(sums, 4));
    }
#endif
    if (size - i >= 8) {  // the usual tail of a line: one word instead of a loop of up to 15 bytes
        std::uint64_t word;
        std::memcpy(&word, data + i, 8);
        // A lane counts 1 unless bit 7 is set and bit 6 clear; the multiply sums the lanes.
        const std::uint64_t leads = ((~word | (word << 1)) >> 7) & 0x0101010101010101ULL;
        count += static_cast<std::size_t>((leads * 0x0101010101010101ULL) >> 56);
        i += 8;
    }
    for (; i < size; ++i) count += detail::is_lead_byte(data[i]);
    return count;
}

// Where `count` code points after `from` end: the position of the count-th lead byte after the
// first one at or after `from` (counting from 0), or `size` when the text ends first.
inline std::size_t skip_code_points(const char* data, std::size_t from, std::size_t size, std::size_t count) {
    std::size_t i = from;
#ifdef __SSE2__
    // A block holds at most as many lead bytes as it is long, so while that many code points
    // remain a whole block never overshoots.
    while (count >= 64 && size - i >= 64) {
        count -= detail::lead_count64(data + i);
        i += 64;
    }
    while (count >= 16 && size - i >= 16) {
        count -= detail::lead_count16(data + i);
        i += 16;
    }
#endif
    while (i < size && !detail::is_lead_byte(data[i])) ++i;
    while (count > 0 && i < size) {
        ++i;
        while (i < size && !detail::is_lead_byte(data[i])) ++i;
        --count;
    }
    return i;
}

// Where `count` code points before `end` begin: the position of the count-th lead byte before
// `end`, not below `floor` (`floor` when fewer lead among [floor, end)); `end` for a count of 0.
inline std::size_t back_code_points(const char* data, std::size_t floor, std::size_t end, std::size_t count) {
    std::size_t i = end;
#ifdef __SSE2__
    while (count >= 64 && i - floor >= 64) {
        count -= detail::lead_count64(data + i - 64);
        i -= 64;
    }
    while (count >= 16 && i - floor >= 16) {
        count -= detail::lead_count16(data + i - 16);
        i -= 16;
    }
    // A block may have ended inside a sequence: its lead byte was not counted, step past the rest.
    while (i < end && !detail::is_lead_byte(data[i])) ++i;
#endif
    while (i > floor && count > 0) count -= detail::is_lead_byte(data[--i]);
    return i;
}

}  // namespace text_kit
