#include "sentence_candidates.hpp"

#ifdef __SSE2__
#include <emmintrin.h>
#include <tmmintrin.h>
#endif

#include "text_boundaries.hpp"

namespace semantic_chunker {
namespace {

// The byte classes of 64 bytes, bit k for byte k.
struct ByteClasses {
    std::uint64_t ends = 0;     // may end a sentence: . ! ? " ' ) ] and the last bytes of ” ’ » 。！？
    std::uint64_t spaces = 0;   // is_ascii_space()
    std::uint64_t newlines = 0;
    std::uint64_t stop_tails = 0;    // 81 82 9F: the last byte of ！ 。 ？
    std::uint64_t stop_middles = 0;  // 80 BC: the byte before it
};

std::uint64_t candidates_of(const ByteClasses& c, char before, char after) {
    const auto b = static_cast<unsigned char>(before), a = static_cast<unsigned char>(after);
    const std::uint64_t space_after = (c.spaces >> 1) | (static_cast<std::uint64_t>(kAsciiSpace[a]) << 63);
    const std::uint64_t end_or_space_before = ((c.ends | c.spaces) << 1) | static_cast<std::uint64_t>(kAsciiSpace[b] | kSentenceEndBytes[b]);
    const std::uint64_t middle_before = (c.stop_middles << 1) | static_cast<std::uint64_t>((b == 0x80) | (b == 0xBC));
    return (c.ends & ~c.spaces & space_after) | (c.newlines & end_or_space_before) | (c.stop_tails & middle_before);
}

#ifdef __SSE2__
inline std::uint64_t lane_bits(__m128i lanes, int lane) {
    return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(lanes))) << (16 * lane);
}

inline __m128i ascii_spaces(__m128i bytes) {
    const __m128i control = _mm_subs_epu8(_mm_sub_epi8(bytes, _mm_set1_epi8(0x09)), _mm_set1_epi8(4));  // 0 for 09-0D
    return _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(control, _mm_setzero_si128()));
}

std::uint64_t candidates_sse2(const char* p, char before, char after) {
    ByteClasses c;
    for (int lane = 0; lane < 4; ++lane) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * lane));
        const auto equal = [bytes](unsigned char value) { return _mm_cmpeq_epi8(bytes, _mm_set1_epi8(static_cast<char>(value))); };
        const __m128i tails = _mm_or_si128(_mm_or_si128(equal(0x82), equal(0x81)), equal(0x9F));
        const __m128i ascii = _mm_or_si128(_mm_or_si128(_mm_or_si128(equal('.'), equal('!')), _mm_or_si128(equal('?'), equal('"'))),
                                           _mm_or_si128(_mm_or_si128(equal('\''), equal(')')), equal(']')));
        const __m128i closers = _mm_or_si128(_mm_or_si128(equal(0x9D), equal(0x99)), equal(0xBB));
        c.ends |= lane_bits(_mm_or_si128(_mm_or_si128(ascii, closers), tails), lane);
        c.spaces |= lane_bits(ascii_spaces(bytes), lane);
        c.newlines |= lane_bits(equal('\n'), lane);
        c.stop_tails |= lane_bits(tails, lane);
        c.stop_middles |= lane_bits(_mm_or_si128(equal(0x80), equal(0xBC)), lane);
    }
    return candidates_of(c, before, after);
}

// Each byte's classes as bits of one byte, looked up by its low and its high nibble (a class is
// the AND of the two lookups). Bits: 0 ends among 0x2_, 1 ends among 0x3_ and 0x5_, 2 ends among
// 0x8_ 0x9_ 0xB_, 3 spaces 09-0D, 4 space 20, 5 newline, 6 stop tails, 7 stop middles. Where one
// bit covers two high nibbles, a few other bytes share it (= and _ count as ends, some
// continuation bytes as ends, tails or middles): extra candidates, tested and dropped.
constexpr unsigned char kLowNibble[16] = {
    0x10 | 0x80,               // 20 space; 80 middle
    0x01 | 0x04 | 0x40,        // 21 !; 81 tail
    0x01 | 0x04 | 0x40,        // 22 "; 82 tail
    0, 0, 0, 0,
    0x01,                      // 27 '
    0,
    0x01 | 0x04 | 0x08,        // 29 ); 99 ’; 09 tab
    0x08 | 0x20,               // 0A newline
    0x04 | 0x08,               // BB »; 0B
    0x08 | 0x80,               // 0C; BC middle
    0x02 | 0x04 | 0x08,        // 5D ]; 9D ”; 0D
    0x01,                      // 2E .
    0x02 | 0x04 | 0x40,        // 3F ?; 9F tail
};
constexpr unsigned char kHighNibble[16] = {
    0x08 | 0x20,         // 0_: controls, newline
    0,
    0x01 | 0x10,         // 2_: ! " ' ) . and space
    0x02,                // 3_: ?
    0,
    0x02,                // 5_: ]
    0, 0,
    0x04 | 0x40 | 0x80,  // 8_: 。！ tails, 80 middle
    0x04 | 0x40,         // 9_: ” ’ and ？ tail
    0,
    0x04 | 0x80,         // B_: », BC middle
    0, 0, 0, 0,
};

__attribute__((target("ssse3"))) std::uint64_t candidates_ssse3(const char* p, char before, char after) {
    const __m128i low_table = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kLowNibble));
    const __m128i high_table = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kHighNibble));
    const __m128i nibble = _mm_set1_epi8(0x0F), zero = _mm_setzero_si128();
    // Bytes outside a class: their bits are inverted once per word below, not per lane.
    const auto none_of = [zero](__m128i classes, int bits) {
        return _mm_cmpeq_epi8(_mm_and_si128(classes, _mm_set1_epi8(static_cast<char>(bits))), zero);
    };
    ByteClasses outside;  // ends, spaces, newlines, stop tails: bytes outside; stop middles: inside
    for (int lane = 0; lane < 4; ++lane) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * lane));
        const __m128i low = _mm_shuffle_epi8(low_table, _mm_and_si128(bytes, nibble));
        const __m128i high = _mm_shuffle_epi8(high_table, _mm_and_si128(_mm_srli_epi16(bytes, 4), nibble));
        const __m128i classes = _mm_and_si128(low, high);
        outside.ends |= lane_bits(none_of(classes, 0x07), lane);
        outside.spaces |= lane_bits(none_of(classes, 0x18), lane);
        outside.newlines |= lane_bits(none_of(classes, 0x20), lane);
        outside.stop_tails |= lane_bits(none_of(classes, 0x40), lane);
        outside.stop_middles |= lane_bits(classes, lane);  // bit 7 is the sign bit movemask reads
    }
    ByteClasses c;
    c.ends = ~outside.ends;
    c.spaces = ~outside.spaces;
    c.newlines = ~outside.newlines;
    c.stop_tails = ~outside.stop_tails;
    c.stop_middles = outside.stop_middles;
    return candidates_of(c, before, after);
}

using CandidateFinder = std::uint64_t (*)(const char*, char, char);

CandidateFinder best_finder() {
    __builtin_cpu_init();
    return __builtin_cpu_supports("ssse3") ? candidates_ssse3 : candidates_sse2;
}

const CandidateFinder kFinder = best_finder();
#endif

}  // namespace

std::uint64_t sentence_candidates64(const char* p, char before, char after) {
#ifdef __SSE2__
    return kFinder(p, before, after);
#else
    ByteClasses c;
    for (int k = 0; k < 64; ++k) {
        const auto byte = static_cast<unsigned char>(p[k]);
        c.ends |= static_cast<std::uint64_t>(byte != '\n' && kSentenceEndBytes[byte]) << k;
        c.spaces |= static_cast<std::uint64_t>(kAsciiSpace[byte]) << k;
        c.newlines |= static_cast<std::uint64_t>(byte == '\n') << k;
        c.stop_tails |= static_cast<std::uint64_t>(byte == 0x81 || byte == 0x82 || byte == 0x9F) << k;
        c.stop_middles |= static_cast<std::uint64_t>(byte == 0x80 || byte == 0xBC) << k;
    }
    return candidates_of(c, before, after);
#endif
}

}  // namespace semantic_chunker
