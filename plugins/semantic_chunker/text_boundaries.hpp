#pragma once
// Boundaries inside running text: word starts and sentence starts, judged from the bytes around
// a position. Positions are byte offsets into `text`; `floor` is the earliest byte a look-back
// may read.
#include <cstddef>
#include <string_view>

namespace semantic_chunker {

inline bool is_ascii_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\v' || c == '\r'; }

// A word starts at `pos`: a non-space byte after a space.
inline bool is_word_start(std::string_view text, std::size_t pos) {
    return pos > 0 && pos < text.size() && !is_ascii_space(text[pos]) && is_ascii_space(text[pos - 1]);
}

// `pos` follows a CJK sentence end (。！？) directly; CJK text puts no space after them.
bool follows_cjk_sentence_end(std::string_view text, std::size_t pos, std::size_t floor);

// A sentence starts at `pos`, which must be a word start (or follow a CJK sentence end): the
// spaces before it follow `.`, `!` or `?` (possibly closed by quotes or brackets), the word does
// not start in lower case, and the dot is not an abbreviation (e.g., Dr., Fig.), an initial or
// part of a number. A blank line before `pos` also starts a sentence.
bool is_sentence_start(std::string_view text, std::size_t pos, std::size_t floor);

}  // namespace semantic_chunker
