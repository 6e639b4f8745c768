#pragma once
// Heading titles as people and models see them: runs of spaces, tabs and no-break spaces become
// one space, and there is none at either end. Used by heading_patterns.cpp, for every heading
// (line_classifier.cpp uses its separator table too).
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "line_text.hpp"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace semantic_chunker {
namespace title_cleaning {

// 1 for the bytes that separate words (line_text::is_space: space, tab, form feed, vertical tab,
// carriage return), for lookups without a chain of compares.
inline constexpr std::array<std::uint8_t, 256> kSeparatorBytes = [] {
    std::array<std::uint8_t, 256> table{};
    for (unsigned byte = 0; byte < 256; ++byte) table[byte] = line_text::is_space(static_cast<char>(byte)) ? 1 : 0;
    return table;
}();

// Whether `text` is a clean title already: no separator but single spaces between words. A byte
// at a time, without a branch per byte (where the spaces are is anyone's guess).
inline bool single_spaced_bytes(std::string_view text) {
    if (text.empty()) return true;
    unsigned previous = 1, unclean = 0;  // a space first is unclean too
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        const unsigned space = static_cast<unsigned>(byte == ' ');
        // Another separator, a no-break space's first byte, or a second space in a row.
        unclean |= (kSeparatorBytes[byte] & (space ^ 1u)) | static_cast<unsigned>(byte == 0xC2) | (space & previous);
        previous = space;
    }
    return (unclean | previous) == 0;  // nor a space last
}

// clean_title() a byte at a time. Every byte is written, the index only moves on for those kept:
// the output is never longer than the bytes read, and there is no branch per byte (where a
// title's spaces are is anyone's guess).
inline void clean_bytes(std::string_view text, std::string& title) {
    title.resize(text.size());
    char* const out = title.data();
    std::size_t length = 0;
    unsigned pending_space = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        const unsigned after = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0u;
        const unsigned nbsp = static_cast<unsigned>(c == 0xC2) & static_cast<unsigned>(after == 0xA0);
        const unsigned separator = kSeparatorBytes[c] | nbsp;
        i += nbsp;
        out[length] = ' ';
        length += pending_space & (separator ^ 1u);
        out[length] = static_cast<char>(c);
        length += separator ^ 1u;
        pending_space = separator & (pending_space | static_cast<unsigned>(length != 0));
    }
    title.resize(length);
}

#ifdef __SSE2__
// Titles up to this long are cleaned with bit masks, a bit a byte; longer ones a byte at a time.
inline constexpr std::size_t kMaskedTitleBytes = 256;
inline constexpr std::size_t kTitleWords = kMaskedTitleBytes / 64;

// Bit i of word w is about byte 64 w + i of a title.
struct TitleBits {
    std::uint64_t separators[kTitleWords] = {};  // kSeparatorBytes, and both bytes of a no-break space (C2 A0)
    std::uint64_t runs[kTitleWords] = {};        // separators but single spaces between words: to drop, or make one space
};

// 16 bytes of `text` from `at` as a lane mask of `test`. Read straight from the text, which may end
// there: a short last block is read as the text's last 16 bytes, its lanes moved down.
template <class Test>
inline std::uint64_t block_bits(std::string_view text, std::size_t at, Test test) {
    if (at + 16 <= text.size()) return static_cast<unsigned>(_mm_movemask_epi8(test(_mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + at)))));
    const std::size_t back = at + 16 - text.size();  // text.size() >= 16
    return static_cast<unsigned>(_mm_movemask_epi8(test(_mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + text.size() - 16))))) >> back;
}

// For a title of 16 to kMaskedTitleBytes bytes.
inline TitleBits title_bits(std::string_view text) {
    std::uint64_t spaces[kTitleWords] = {}, nbsp_leads[kTitleWords] = {};
    TitleBits bits;
    for (std::size_t at = 0; at < text.size(); at += 16) {
        const std::size_t word = at / 64, shift = at % 64;
        const std::uint64_t space = block_bits(text, at, [](__m128i b) { return _mm_cmpeq_epi8(b, _mm_set1_epi8(' ')); });
        // \t \n \v \f \r are 9..13: (byte - 9) saturated down by 4 is 0 only for them; not \n.
        const std::uint64_t controls = block_bits(text, at, [](__m128i b) {
            const __m128i from_tab = _mm_subs_epu8(_mm_sub_epi8(b, _mm_set1_epi8(9)), _mm_set1_epi8(4));
            return _mm_andnot_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(from_tab, _mm_setzero_si128()));
        });
        spaces[word] |= space << shift;
        bits.separators[word] |= (space | controls) << shift;
        nbsp_leads[word] |= block_bits(text, at, [](__m128i b) { return _mm_cmpeq_epi8(b, _mm_set1_epi8('\xC2')); }) << shift;
    }
    const std::size_t words = (text.size() + 63) / 64;
    for (std::size_t w = 0; w < words; ++w) {
        if (nbsp_leads[w] == 0) continue;  // most titles
        // A no-break space is C2 A0 (an A0 is never a C2: they cannot overlap).
        std::uint64_t nbsp = 0;
        for (std::uint64_t leads = nbsp_leads[w]; leads != 0; leads &= leads - 1) {
            const std::size_t at = 64 * w + static_cast<std::size_t>(__builtin_ctzll(leads));
            if (at + 1 < text.size() && text[at + 1] == '\xA0') nbsp |= std::uint64_t{1} << (at % 64);
        }
        bits.separators[w] |= nbsp | (nbsp << 1);
        if (w + 1 < kTitleWords) bits.separators[w + 1] |= nbsp >> 63;
    }
    // Single spaces between words stay as they are; the other separators are runs to look at.
    for (std::size_t w = 0; w < words; ++w) {
        const std::uint64_t before = (bits.separators[w] << 1) | (w > 0 ? bits.separators[w - 1] >> 63 : 0);
        const std::uint64_t after = (bits.separators[w] >> 1) | (w + 1 < words ? bits.separators[w + 1] << 63 : 0);
        bits.runs[w] = bits.separators[w] & ~(spaces[w] & ~before & ~after);
    }
    // A space first or last is a run too: dropped.
    bits.runs[0] |= bits.separators[0] & 1;
    bits.runs[(text.size() - 1) / 64] |= bits.separators[(text.size() - 1) / 64] & (std::uint64_t{1} << ((text.size() - 1) % 64));
    return bits;
}

// The first bit at or after `from` that is set in `words` (`flip`: clear), or `end` if none is before it.
inline std::size_t next_bit(const std::uint64_t* words, std::size_t from, std::size_t end, std::uint64_t flip = 0) {
    for (std::size_t w = from / 64; w * 64 < end; ++w) {
        const std::uint64_t bits = (words[w] ^ flip) & (w == from / 64 ? ~std::uint64_t{0} << (from % 64) : ~std::uint64_t{0});
        if (bits != 0) return std::min(end, 64 * w + static_cast<std::size_t>(__builtin_ctzll(bits)));
    }
    return end;
}

// clean_title() with bit masks, for titles of 16 to kMaskedTitleBytes bytes: the words' bytes are
// copied whole, and only the runs of separators that are not a single space between words are
// looked at (most titles have none).
inline void clean_masked(std::string_view text, std::string& title) {
    const TitleBits bits = title_bits(text);
    std::size_t start = next_bit(bits.runs, 0, text.size());
    if (start == text.size()) {
        title.assign(text);
        return;
    }
    title.resize(text.size());  // the longest it can be
    char* const out = title.data();
    std::size_t length = 0, from = 0;
    for (; start < text.size(); start = next_bit(bits.runs, from, text.size())) {
        std::memcpy(out + length, text.data() + from, start - from);
        length += start - from;
        const std::size_t end = next_bit(bits.separators, start, text.size(), ~std::uint64_t{0});
        if (start > 0 && end < text.size()) out[length++] = ' ';  // between words; none at either end
        from = end;
    }
    std::memcpy(out + length, text.data() + from, text.size() - from);
    title.resize(length + text.size() - from);
}
#endif

}  // namespace title_cleaning

// Titles are shown to people and models: runs of spaces, tabs and no-break spaces become one space.
// Written into `title`, whose storage is reused from heading to heading.
inline void clean_title(std::string_view text, std::string& title) {
#ifdef __SSE2__
    if (text.size() >= 16 && text.size() <= title_cleaning::kMaskedTitleBytes) return title_cleaning::clean_masked(text, title);
#endif
    if (title_cleaning::single_spaced_bytes(text)) {  // most short titles
        title.assign(text);
        return;
    }
    title_cleaning::clean_bytes(text, title);
}

}  // namespace semantic_chunker
