#pragma once
// Boundaries inside running text: word starts and sentence starts, judged from the bytes around
// a position. Positions are byte offsets into `text`; `floor` is the earliest byte a look-back
// may read.
#include <array>
#include <cstddef>
#include <string_view>

namespace semantic_chunker {

// Bytes a sentence can end with: . ! ? closing quotes and brackets, a line feed (a blank line
// ends a paragraph), and the last bytes of 。！？ ” ’ ». Scanning for these first lets the
// boundary search skip most bytes with one table lookup each.
inline constexpr std::array<bool, 256> kSentenceEndBytes = [] {
    std::array<bool, 256> table{};
    for (unsigned char c : {'.', '!', '?', '"', '\'', ')', ']', '\n'}) table[c] = true;
    for (unsigned char c : {0x82, 0x81, 0x9F, 0x9D, 0x99, 0xBB}) table[c] = true;
    return table;
}();

inline bool is_ascii_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\v' || c == '\r'; }

// A word starts at `pos`: a non-space byte after a space.
inline bool is_word_start(std::string_view text, std::size_t pos) {
    return pos > 0 && pos < text.size() && !is_ascii_space(text[pos]) && is_ascii_space(text[pos - 1]);
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
// part of a number. A blank line before `pos` also starts a sentence.
bool is_sentence_start_slow(std::string_view text, std::size_t pos, std::size_t floor);

inline bool is_sentence_start(std::string_view text, std::size_t pos, std::size_t floor) {
    // The common case, a word after a single space that follows a letter, digit or comma, is
    // decided here without a call.
    if (pos >= floor + 2 && pos < text.size() && text[pos - 1] == ' ') {
        const char first = text[pos];
        if (first >= 'a' && first <= 'z') return false;
        const char before = text[pos - 2];
        if ((before >= 'a' && before <= 'z') || (before >= 'A' && before <= 'Z') || (before >= '0' && before <= '9') ||
            before == ',' || before == ';' || before == ':' || before == '-')
            return false;
    }
    return is_sentence_start_slow(text, pos, floor);
}

}  // namespace semantic_chunker
