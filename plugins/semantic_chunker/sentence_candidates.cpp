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
        c.spaces |= lane_bits(ascii_space_lanes(bytes), lane);
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
static_assert(kFromPrevious == static_cast<unsigned char>(~kFromNext), "each bit meets one neighbour");

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

// sentence_candidates64() with SSSE3. The searches below keep one for a whole search, so the
// tables stay in registers from word to word.
class NibbleFinder {
public:
    __attribute__((target("ssse3"))) NibbleFinder()
        : needs_low_(load(kNeedsTables.low)), needs_high_(load(kNeedsTables.high)),
          offers_low_(load(kOffersTables.low)), offers_high_(load(kOffersTables.high)) {}

    __attribute__((target("ssse3"))) std::uint64_t operator()(const char* p, char before, char after) const {
        // Lane by lane, each met with the offers of the lanes around it, so that few vectors are
        // live at once (spilling them to the stack lengthened the path to the mask).
        Classes current = classes(p), next{};
        // What the byte before lane 0 offers, as byte 15 of a vector, and the byte after lane 3, as byte 0.
        __m128i previous_offers = _mm_insert_epi16(_mm_setzero_si128(), kOffersOf[static_cast<unsigned char>(before)] << 8, 7);
        const __m128i offers_after_all = _mm_cvtsi32_si128(kOffersOf[static_cast<unsigned char>(after)]);
        std::uint64_t mask = 0;
        for (int lane = 0; lane < 4; ++lane) {
            if (lane < 3) next = classes(p + 16 * (lane + 1));
            const __m128i offers_after = _mm_alignr_epi8(lane < 3 ? next.offers : offers_after_all, current.offers, 1);
            const __m128i offers_before = _mm_alignr_epi8(current.offers, previous_offers, 15);
            const __m128i met = _mm_and_si128(current.needs, _mm_or_si128(_mm_and_si128(offers_after, _mm_set1_epi8(kFromNext)),
                                                                          _mm_andnot_si128(_mm_set1_epi8(kFromNext), offers_before)));
            // met is not 0 exactly where a saturating add of 0x7F sets the sign bit, which movemask reads.
            mask |= lane_bits(_mm_adds_epu8(met, _mm_set1_epi8(0x7F)), lane);
            previous_offers = current.offers;
            current = next;
        }
        return mask;
    }

private:
    struct Classes {
        __m128i needs, offers;
    };

    static __m128i load(const unsigned char (&table)[16]) { return _mm_load_si128(reinterpret_cast<const __m128i*>(table)); }

    __attribute__((target("ssse3"))) Classes classes(const char* p) const {
        const __m128i nibble = _mm_set1_epi8(0x0F);
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const __m128i low = _mm_and_si128(bytes, nibble), high = _mm_and_si128(_mm_srli_epi16(bytes, 4), nibble);
        return {_mm_and_si128(_mm_shuffle_epi8(needs_low_, low), _mm_shuffle_epi8(needs_high_, high)),
                _mm_and_si128(_mm_shuffle_epi8(offers_low_, low), _mm_shuffle_epi8(offers_high_, high))};
    }

    __m128i needs_low_, needs_high_, offers_low_, offers_high_;
};

__attribute__((target("ssse3"))) std::uint64_t candidates_ssse3(const char* p, char before, char after) {
    return NibbleFinder()(p, before, after);
}
#endif

// The byte loop where the build has no SSE2, the compares otherwise: exact, for CPUs without SSSE3.
std::uint64_t candidates_portable(const char* p, char before, char after) {
#ifdef __SSE2__
    return candidates_sse2(p, before, after);
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

struct PortableFinder {
    std::uint64_t operator()(const char* p, char before, char after) const { return candidates_portable(p, before, after); }
};

// The word after candidate c: the first byte after it that is not a space, if one comes before
// `limit`, and the line feeds between.
struct WordAfter {
    std::size_t pos;
    int newlines;
};

inline WordAfter word_after(std::string_view text, std::size_t c, std::size_t limit) {
    WordAfter word{c + 1, 0};
    while (word.pos < limit && is_ascii_space(text[word.pos])) word.newlines += text[word.pos++] == '\n';
    return word;
}

// is_sentence_start(text, word.pos, look_behind_floor(word.pos)) for the word after candidate c.
// After a byte that ends a sentence the spaces before the word are the ones just skipped, and are
// not walked back over, unless they reach past the floor.
inline bool starts_sentence(std::string_view text, std::size_t c, WordAfter word) {
    const std::size_t floor = look_behind_floor(word.pos);
    if (word.pos == c + 1 || is_ascii_space(text[c]) || c + 1 < floor) return is_sentence_start(text, word.pos, floor);
    return is_sentence_start_after_run(text, word.pos, c + 1, word.newlines, floor);
}

// The two searches of ChunkerCore, as the chunker's own loops over candidates made them (see the
// header), with `find` marking the candidates of each 64 bytes.
template <typename Find>
std::size_t first_sentence_start_with(const Find& find, std::string_view text, std::size_t from, std::size_t end) {
    std::size_t found = end, last_word = 0;  // no word starts at 0: a word follows a byte
    // The word after candidate c ends the search if it starts a sentence, or if only spaces lie
    // between c and `end`. A word two candidates lead to (". \n\nNext") is judged once.
    const auto ends_search = [&](std::size_t c) {
        const WordAfter word = word_after(text, c, end);
        if (word.pos >= end) return true;
        if (word.pos == last_word) return false;
        last_word = word.pos;
        return starts_sentence(text, c, word) && (found = word.pos, true);
    };
    visit_candidates_forward(text, from > 0 ? from - 1 : 0, end, ends_search, find);
    return found;
}

template <typename Find>
std::size_t last_sentence_start_with(const Find& find, std::string_view text, std::size_t low, std::size_t high) {
    std::size_t found = kNoSentenceStart, last_word = 0;
    const auto ends_search = [&](std::size_t c) {
        const WordAfter word = word_after(text, c, high + 1);
        if (word.pos > high || word.pos < low || word.pos == last_word) return false;
        last_word = word.pos;
        return starts_sentence(text, c, word) && (found = word.pos, true);
    };
    visit_candidates_backward(text, low > 0 ? low - 1 : 0, high, ends_search, find);
    return found;
}

std::size_t first_sentence_start_portable(std::string_view text, std::size_t from, std::size_t end) {
    return first_sentence_start_with(PortableFinder(), text, from, end);
}

std::size_t last_sentence_start_portable(std::string_view text, std::size_t low, std::size_t high) {
    return last_sentence_start_with(PortableFinder(), text, low, high);
}

#ifdef __SSE2__
// The searches with the nibble finder inlined (flatten): a search takes a few words, and a call
// for each word cost about as much as finding its candidates. The same code compiled for AVX is
// VEX-coded: a quarter fewer instructions (no register copies), which is what limits this loop.
__attribute__((target("ssse3"), flatten)) std::size_t first_sentence_start_ssse3(std::string_view text, std::size_t from, std::size_t end) {
    return first_sentence_start_with(NibbleFinder(), text, from, end);
}

__attribute__((target("ssse3"), flatten)) std::size_t last_sentence_start_ssse3(std::string_view text, std::size_t low, std::size_t high) {
    return last_sentence_start_with(NibbleFinder(), text, low, high);
}

__attribute__((target("avx"), flatten)) std::size_t first_sentence_start_avx(std::string_view text, std::size_t from, std::size_t end) {
    return first_sentence_start_with(NibbleFinder(), text, from, end);
}

__attribute__((target("avx"), flatten)) std::size_t last_sentence_start_avx(std::string_view text, std::size_t low, std::size_t high) {
    return last_sentence_start_with(NibbleFinder(), text, low, high);
}

struct Cpu {
    bool ssse3, avx;
};

Cpu this_cpu() {
    __builtin_cpu_init();
    return {__builtin_cpu_supports("ssse3") != 0, __builtin_cpu_supports("avx") != 0};
}

const Cpu kCpu = this_cpu();
#endif

}  // namespace

std::uint64_t sentence_candidates64(const char* p, char before, char after) {
#ifdef __SSE2__
    if (kCpu.ssse3) return candidates_ssse3(p, before, after);
#endif
    return candidates_portable(p, before, after);
}

CandidateFinder sentence_candidates_for(std::string_view instructions) {
    if (instructions == "portable") return candidates_portable;
#ifdef __SSE2__
    if (instructions == "ssse3" && kCpu.ssse3) return candidates_ssse3;
#endif
    return nullptr;
}

SentenceSearches sentence_searches_for(std::string_view instructions) {
    if (instructions == "portable") return {first_sentence_start_portable, last_sentence_start_portable};
#ifdef __SSE2__
    if (instructions == "ssse3" && kCpu.ssse3) return {first_sentence_start_ssse3, last_sentence_start_ssse3};
    if (instructions == "avx" && kCpu.avx) return {first_sentence_start_avx, last_sentence_start_avx};
#endif
    return {nullptr, nullptr};
}

namespace {
// The best this CPU runs.
SentenceSearches best_searches() {
    for (const std::string_view instructions : {"avx", "ssse3"})
        if (const SentenceSearches searches = sentence_searches_for(instructions); searches.first != nullptr) return searches;
    return sentence_searches_for("portable");
}

// Chosen on first use rather than during static initialisation, so that a caller's own static
// initialiser cannot find it unset.
const SentenceSearches& searches() {
    static const SentenceSearches chosen = best_searches();
    return chosen;
}
}  // namespace

std::size_t first_sentence_start(std::string_view text, std::size_t from, std::size_t end) { return searches().first(text, from, end); }

std::size_t last_sentence_start(std::string_view text, std::size_t low, std::size_t high) { return searches().last(text, low, high); }

}  // namespace semantic_chunker
