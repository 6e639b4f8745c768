#pragma once
// Boundaries inside running text: word starts and sentence starts, judged from the bytes around
// a position. Positions are byte offsets into `text`; `floor` is where the text a look-back
// judges begins: the answer depends on no byte before it (the vector look-backs may read up to 16
// bytes below it, inside `text`, and discard them).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "line_text.hpp"
#include "sentence_candidates.hpp"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace semantic_chunker {

// Bytes a sentence can end with: . ! ? closing quotes and brackets, a line feed (a blank line
// ends a paragraph), and the last bytes of 。！？ ” ’ ». is_sentence_candidate() and the byte
// loops the vector searches are tested against look these up.
inline constexpr std::array<bool, 256> kSentenceEndBytes = [] {
    std::array<bool, 256> table{};
    for (unsigned char c : {'.', '!', '?', '"', '\'', ')', ']', '\n'}) table[c] = true;
    for (unsigned char c : {0x82, 0x81, 0x9F, 0x9D, 0x99, 0xBB}) table[c] = true;
    return table;
}();

inline constexpr std::array<bool, 256> kAsciiSpace = [] {
    std::array<bool, 256> table{};
    for (unsigned char c : {' ', '\n', '\t', '\f', '\v', '\r'}) table[c] = true;
    return table;
}();

// One load instead of a chain of six compares, whose branches mispredicted in every search.
inline bool is_ascii_space(char c) { return kAsciiSpace[static_cast<unsigned char>(c)]; }

// Whether a sentence can start after byte `t`, found from the bytes around it: a byte that can
// end a sentence followed by a space (". Next"), a line feed after a space or such a byte (the
// blank line before a paragraph, or "end.\nNext"), or the last byte of 。！？ (no space follows
// those). No sentence starts after any other byte of kSentenceEndBytes: the one after it is not
// a space, or it is a line feed inside a run of spaces whose last line feed leads to the same
// word. The searches below visit only these candidates, a few per sentence.
inline bool is_sentence_candidate(std::string_view text, std::size_t t) {
    const auto c = static_cast<unsigned char>(text[t]);
    const auto before = static_cast<unsigned char>(t > 0 ? text[t - 1] : '\0');
    if (c == '\n') return kAsciiSpace[before] || kSentenceEndBytes[before];
    if (!kSentenceEndBytes[c]) return false;
    if (t + 1 < text.size() && is_ascii_space(text[t + 1])) return true;
    return (c == 0x81 || c == 0x82 || c == 0x9F) && (before == 0x80 || before == 0xBC);
}

// The default finder of candidates in 64 bytes: sentence_candidates64().
struct WordCandidates {
    std::uint64_t operator()(const char* p, char before, char after) const { return sentence_candidates64(p, before, after); }
};

// Calls visit(t) for each byte t in [begin, end) that is_sentence_candidate() accepts (and maybe
// a few more, see sentence_candidates64()), in increasing order, until it returns true; returns
// whether one did. A line feed right after a byte that ends a sentence is visited only where that
// byte is not (at `begin`): the next word after both is the same, and visit must judge t by it.
// `find` marks the candidates of 64 bytes as sentence_candidates64() does.
template <typename Visit, typename Find = WordCandidates>
bool visit_candidates_forward(std::string_view text, std::size_t begin, std::size_t end, Visit&& visit, const Find& find = {}) {
    std::size_t t = begin;
    // The byte at `begin` is judged exactly: the word mask leaves out a line feed there whose
    // candidate twin, the byte before, lies outside the range.
    std::uint64_t at_begin = begin < end && is_sentence_candidate(text, begin);
    // Whole words while 64 bytes (and the one after them) lie inside the text; the word that
    // holds `end` is cut short with a mask.
    for (; t < end && t + 65 <= text.size(); t += 64) {
        std::uint64_t mask = find(text.data() + t, t > 0 ? text[t - 1] : '\0', text[t + 64]) | at_begin;
        at_begin = 0;
        if (end - t < 64) mask &= (std::uint64_t{1} << (end - t)) - 1;
        for (; mask != 0; mask &= mask - 1)
            if (visit(t + static_cast<std::size_t>(__builtin_ctzll(mask)))) return true;
    }
    for (; t < end; ++t)
        if (is_sentence_candidate(text, t) && visit(t)) return true;
    return false;
}

// The same in decreasing order, from end - 1 down to begin.
template <typename Visit, typename Find = WordCandidates>
bool visit_candidates_backward(std::string_view text, std::size_t begin, std::size_t end, Visit&& visit, const Find& find = {}) {
    const std::uint64_t at_begin = begin < end && is_sentence_candidate(text, begin);  // as above
    std::size_t t = end;  // bytes before t are left to visit
    for (; t > begin && t >= 64 && t < text.size(); t -= 64) {
        std::uint64_t mask = find(text.data() + t - 64, t > 64 ? text[t - 65] : '\0', text[t]);
        if (t - begin <= 64) {  // the word that holds `begin`
            const auto first = static_cast<unsigned>(begin + 64 - t);
            mask = (mask | at_begin << first) & (~std::uint64_t{0} << first);
        }
        while (mask != 0) {
            const auto bit = static_cast<unsigned>(63 - __builtin_clzll(mask));
            mask &= ~(std::uint64_t{1} << bit);
            if (visit(t - 64 + bit)) return true;
        }
    }
    while (t > begin) {
        --t;
        if (is_sentence_candidate(text, t) && visit(t)) return true;
    }
    return false;
}

// A word starts at `pos`: a non-space byte after a space.
inline bool is_word_start(std::string_view text, std::size_t pos) {
    return pos > 0 && pos < text.size() && !is_ascii_space(text[pos]) && is_ascii_space(text[pos - 1]);
}

#ifdef __SSE2__
// 0xFF in the lanes that hold an ASCII space (is_ascii_space: 0x20, 0x09-0x0D).
inline __m128i ascii_space_lanes(__m128i bytes) {
    const __m128i control = _mm_subs_epu8(_mm_sub_epi8(bytes, _mm_set1_epi8(0x09)), _mm_set1_epi8(4));  // 0 for 09-0D
    return _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(control, _mm_setzero_si128()));
}

// Bit k is set when byte k of the 16 at `p` is an ASCII space.
inline unsigned ascii_space_mask16(const char* p) {
    return static_cast<unsigned>(_mm_movemask_epi8(ascii_space_lanes(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)))));
}
#endif

// The first word start (is_word_start) in [begin, end), or `end`; `begin` must be at least 1.
// Sixteen bytes at a time: a word start is a non-space whose previous byte is a space.
inline std::size_t find_word_start_forward(std::string_view text, std::size_t begin, std::size_t end) {
    std::size_t pos = begin;
#ifdef __SSE2__
    for (; pos < end && end - pos >= 16; pos += 16) {
        const unsigned space = ascii_space_mask16(text.data() + pos);
        const unsigned space_before = (space << 1) | static_cast<unsigned>(is_ascii_space(text[pos - 1]));
        if (const unsigned starts = ~space & space_before & 0xFFFFu; starts != 0)
            return pos + static_cast<std::size_t>(__builtin_ctz(starts));
    }
#endif
    for (; pos < end; ++pos)
        if (is_word_start(text, pos)) return pos;
    return end;
}

// Whether `text` holds a letter or a digit: an ASCII one, or a character beyond ASCII other than
// the punctuation, symbol and box-drawing blocks (U+0080-U+00BF, U+2000-U+2FFF, U+3000-U+303F),
// judged by its lead byte. The end of a table row ("| |"), a closing "**" or a rule holds none.
inline bool holds_word_character(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x80) {
            if (line_text::is_alnum(text[i])) return true;
        } else if (byte >= 0xC0) {  // a lead byte
            const bool punctuation = byte == 0xC2 || byte == 0xE2 ||
                                     (byte == 0xE3 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80);
            if (!punctuation) return true;
        }
    }
    return false;
}

// `pos` follows a CJK sentence end (。！？) directly; CJK text puts no space after them.
inline bool follows_cjk_sentence_end(std::string_view text, std::size_t pos, std::size_t floor) {
    if (pos < floor + 3 || pos > text.size()) return false;
    const auto b2 = static_cast<unsigned char>(text[pos - 1]);
    if (b2 != 0x82 && b2 != 0x81 && b2 != 0x9F) return false;
    const auto b0 = static_cast<unsigned char>(text[pos - 3]), b1 = static_cast<unsigned char>(text[pos - 2]);
    return (b0 == 0xE3 && b1 == 0x80 && b2 == 0x82)      // 。
           || (b0 == 0xEF && b1 == 0xBC && b2 == 0x81)   // ！
           || (b0 == 0xEF && b1 == 0xBC && b2 == 0x9F);  // ？
}

// A sentence starts at `pos`, which must be a word start (or follow a CJK sentence end): the
// spaces before it follow `.`, `!` or `?` (possibly closed by quotes or brackets), the word does
// not start in lower case, and the dot is not an abbreviation (e.g., Dr., Fig.), an initial or
// part of a number. A blank line before `pos` also starts a sentence. This is the definition,
// byte by byte; is_sentence_start() gives the same answers faster.
bool is_sentence_start_slow(std::string_view text, std::size_t pos, std::size_t floor);

// is_sentence_start() where text[pos - 1] is an ASCII space and floor < pos < text.size(): the
// common shapes (one space after a word, a dot after a word, a blank line) are judged here, the
// rest (closing quotes and brackets, bytes that are not ASCII) by is_sentence_start_slow().
bool is_sentence_start_after_space(std::string_view text, std::size_t pos, std::size_t floor);

// The same once the spaces before the word are known: text[run_begin, pos) are ASCII spaces
// holding `newlines` line feeds, the byte before them (if run_begin > floor) is not a space, and
// text[pos] is not one either. A search that skipped the spaces after a candidate to find the
// word need not walk back over them.
bool is_sentence_start_after_run(std::string_view text, std::size_t pos, std::size_t run_begin, int newlines, std::size_t floor);

// Whether `word` (without its dot) is one of the abbreviations a dot does not end a sentence
// after, in any case: e.g, Dr, Fig, U.S, ...
bool is_abbreviation(std::string_view word);

// How far back the chunker's judgement of a word looks: the spaces, closing quotes and word
// before it, within this many bytes; the text counts as if it began there. The chunker keeps this
// much text before any word it may still judge when it drops text it is done with, so what it
// sees does not depend on where the input's blocks ended.
inline constexpr std::size_t kLookBehindBytes = 256;

// The floor for judging the word at `pos` (see kLookBehindBytes).
inline std::size_t look_behind_floor(std::size_t pos) { return pos > kLookBehindBytes ? pos - kLookBehindBytes : 0; }

inline bool is_sentence_start(std::string_view text, std::size_t pos, std::size_t floor) {
    if (pos <= floor || pos >= text.size()) return false;
    const auto before = static_cast<unsigned char>(text[pos - 1]);
    // Only a CJK stop, whose last byte is not ASCII, starts a sentence without a space before it;
    // after any other byte that is not a space no word starts (an apostrophe, the dot in 4.1).
    if (before >= 0x80) return follows_cjk_sentence_end(text, pos, floor) && !is_ascii_space(text[pos]);
    if (!kAsciiSpace[before]) return false;
    return is_sentence_start_after_space(text, pos, floor);
}

}  // namespace semantic_chunker
