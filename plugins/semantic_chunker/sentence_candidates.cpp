#include "sentence_candidates.hpp"

#include <array>
#include <initializer_list>

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
    const std::uint64_t space_before = (c.spaces << 1) | static_cast<std::uint64_t>(kAsciiSpace[b]);
    const std::uint64_t middle_before = (c.stop_middles << 1) | static_cast<std::uint64_t>((b == 0x80) | (b == 0xBC));
    return (c.ends & ~c.spaces & space_after) | (c.newlines & space_before) | (c.stop_tails & middle_before);
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

// The SSSE3 finder judges every byte against its two neighbours with two nibble-table lookups:
// `needs` says what a byte needs from a neighbour to be a candidate, `offers` what it gives its
// neighbours. A byte is a candidate when a bit of its needs meets the same bit of the offers of
// the byte after it (bits 0-4) or of the byte before it (bits 5-7):
//
//     candidate(k) = needs(k) & (offers(k + 1) & 0x1F | offers(k - 1) & 0xE0)  is not 0
//
// A lookup can only test sets of the form "low nibble in L and high nibble in H", so a set that
// has no such form is split over several bits, and a few bits hold a little more than their set:
// those extra bytes make extra candidates, tested and dropped, never a different answer.
struct NibbleSet {
    std::uint16_t lows;   // bit n: bytes whose low nibble is n
    std::uint16_t highs;  // bit n: bytes whose high nibble is n
};

constexpr std::uint16_t nibbles(std::initializer_list<unsigned> values) {
    std::uint16_t bits = 0;
    for (unsigned value : values) bits = static_cast<std::uint16_t>(bits | 1u << value);
    return bits;
}

// The bytes that end a sentence (kSentenceEndBytes less the line feed), in five sets.
constexpr NibbleSet kAsciiEnds{nibbles({0x1, 0x2, 0x7, 0x9, 0xE}), nibbles({0x2})};  // ! " ' ) .
constexpr NibbleSet kOtherAsciiEnds{nibbles({0xD, 0xF}), nibbles({0x3, 0x5})};         // ? ] (and = _)
constexpr NibbleSet kEnds8{nibbles({0x1, 0x2}), nibbles({0x8})};                       // the last bytes of ！ 。
constexpr NibbleSet kEnds9{nibbles({0x9, 0xD, 0xF}), nibbles({0x9})};                  // of ’ ” ？
constexpr NibbleSet kEndsB{nibbles({0xB}), nibbles({0xB})};                            // of »
constexpr NibbleSet kStopTails{nibbles({0x1, 0x2, 0xF}), nibbles({0x8, 0x9})};         // of ！ 。 ？ (and 8F 91 92)
constexpr NibbleSet kStopMiddles{nibbles({0x0, 0xC}), nibbles({0x8, 0xB})};            // 80 BC before them (and 8C B0)
constexpr NibbleSet kNewline{nibbles({0xA}), nibbles({0x0})};
constexpr NibbleSet kSpaces{nibbles({0x0, 0x9, 0xA, 0xB, 0xC, 0xD}), nibbles({0x0, 0x2})};  // (and NUL ) * + , -)
constexpr NibbleSet kControlSpaces{nibbles({0x9, 0xA, 0xB, 0xC, 0xD}), nibbles({0x0})};
constexpr NibbleSet kSpace{nibbles({0x0}), nibbles({0x2})};

// Bit b of each class byte is the set at index b. After a byte that ends a sentence comes a space
// (bits 0-4); before a stop tail, a stop middle (bit 5); before a line feed, a space (bits 6, 7).
// A line feed after a byte that ends a sentence is left to that byte (see sentence_candidates64).
constexpr NibbleSet kNeeds[8] = {kAsciiEnds, kOtherAsciiEnds, kEnds8, kEnds9, kEndsB, kStopTails, kNewline, kNewline};
constexpr NibbleSet kOffers[8] = {kSpaces, kSpaces, kSpaces, kSpaces, kSpaces, kStopMiddles, kControlSpaces, kSpace};
constexpr unsigned char kFromNext = 0x1F, kFromPrevious = 0xE0;

struct NibbleTables {
    alignas(16) unsigned char low[16];
    alignas(16) unsigned char high[16];
};

constexpr NibbleTables tables_of(const NibbleSet (&sets)[8]) {
    NibbleTables tables{};
    for (unsigned bit = 0; bit < 8; ++bit)
        for (unsigned nibble = 0; nibble < 16; ++nibble) {
            if ((sets[bit].lows >> nibble) & 1) tables.low[nibble] = static_cast<unsigned char>(tables.low[nibble] | 1u << bit);
            if ((sets[bit].highs >> nibble) & 1) tables.high[nibble] = static_cast<unsigned char>(tables.high[nibble] | 1u << bit);
        }
    return tables;
}

constexpr NibbleTables kNeedsTables = tables_of(kNeeds);
constexpr NibbleTables kOffersTables = tables_of(kOffers);

// What the bytes around the 64 offer, looked up without vectors.
constexpr std::array<unsigned char, 256> kOffersOf = [] {
    std::array<unsigned char, 256> table{};
    for (unsigned byte = 0; byte < 256; ++byte)
        table[byte] = static_cast<unsigned char>(kOffersTables.low[byte & 15] & kOffersTables.high[byte >> 4]);
    return table;
}();

__attribute__((target("ssse3"))) std::uint64_t candidates_ssse3(const char* p, char before, char after) {
    const __m128i nibble = _mm_set1_epi8(0x0F);
    const __m128i needs_low = _mm_load_si128(reinterpret_cast<const __m128i*>(kNeedsTables.low));
    const __m128i needs_high = _mm_load_si128(reinterpret_cast<const __m128i*>(kNeedsTables.high));
    const __m128i offers_low = _mm_load_si128(reinterpret_cast<const __m128i*>(kOffersTables.low));
    const __m128i offers_high = _mm_load_si128(reinterpret_cast<const __m128i*>(kOffersTables.high));
    __m128i needs[4], offers[4];
    for (int lane = 0; lane < 4; ++lane) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * lane));
        const __m128i low = _mm_and_si128(bytes, nibble), high = _mm_and_si128(_mm_srli_epi16(bytes, 4), nibble);
        needs[lane] = _mm_and_si128(_mm_shuffle_epi8(needs_low, low), _mm_shuffle_epi8(needs_high, high));
        offers[lane] = _mm_and_si128(_mm_shuffle_epi8(offers_low, low), _mm_shuffle_epi8(offers_high, high));
    }
    // What the byte before lane 0 and the byte after lane 3 offer: byte 15 and byte 0 of a vector.
    const __m128i offers_before = _mm_insert_epi16(_mm_setzero_si128(), kOffersOf[static_cast<unsigned char>(before)] << 8, 7);
    const __m128i offers_after = _mm_cvtsi32_si128(kOffersOf[static_cast<unsigned char>(after)]);
    std::uint64_t outside = 0;  // bytes that are not candidates: inverted once, not per lane
    for (int lane = 0; lane < 4; ++lane) {
        const __m128i next = _mm_alignr_epi8(lane < 3 ? offers[lane + 1] : offers_after, offers[lane], 1);
        const __m128i previous = _mm_alignr_epi8(offers[lane], lane > 0 ? offers[lane - 1] : offers_before, 15);
        const __m128i met = _mm_and_si128(needs[lane], _mm_or_si128(_mm_and_si128(next, _mm_set1_epi8(kFromNext)),
                                                                    _mm_and_si128(previous, _mm_set1_epi8(static_cast<char>(kFromPrevious)))));
        outside |= lane_bits(_mm_cmpeq_epi8(met, _mm_setzero_si128()), lane);
    }
    return ~outside;
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
