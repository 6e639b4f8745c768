// Cutting a section that grew past chunk_size: where (docs/chunking.md, rules 3 to 5) and the overlap.
#include "chunker_core.hpp"

#include <algorithm>

#include "text_boundaries.hpp"

namespace semantic_chunker {

void ChunkerCore::count_and_cut() {
    count_to_scanned();
    while (chars_ > settings_.chunk_size) cut_for_size();
}

void ChunkerCore::count_to_scanned() {
    chars_ += chars_between(counted_to_, scanned_);
    counted_to_ = scanned_;
}

std::uint64_t ChunkerCore::choose_cut(std::uint64_t half, std::uint64_t window_end) const {
    const std::string_view text = view();
    const std::uint64_t lowest = body_begin_ + 1;
    const std::uint64_t upper_low = std::max(half, lowest);
    // The last line start, list item or table row, and paragraph in the second half of the window.
    std::uint64_t last_line = 0, last_item = 0;
    for (const Mark* mark = marks_.end(); mark != marks_.begin() && mark[-1].pos >= upper_low;) {
        --mark;
        if (mark->pos > window_end) continue;
        if (mark->strength == MarkStrength::Paragraph) return mark->pos;  // 1. a paragraph, then...
        if (last_line == 0) last_line = mark->pos;
        if (last_item == 0 && mark->strength == MarkStrength::Item) last_item = mark->pos;
    }
    if (last_item != 0) return last_item;  // ...a list item or table row
    // 2. a sentence start: find bytes that can end a sentence, then test the word after them
    {
        const std::size_t found = last_sentence_start(text, rel(upper_low), rel(window_end));
        if (found != kNoSentenceStart) return text_.base() + found;
    }
    if (last_line != 0) return last_line;  // 3. a line start
    // 4. a word start (or a CJK sentence end, which has no space after it) anywhere in the window
    for (std::uint64_t pos = window_end; pos >= lowest; --pos) {
        const std::size_t i = rel(pos);
        if (is_word_start(text, i) || (follows_cjk_sentence_end(text, i, 0) && !is_ascii_space(text[i]))) return pos;
    }
    return 0;
}

std::uint64_t ChunkerCore::overlap_begin(std::uint64_t cut, bool one_byte) const {
    if (settings_.overlap == 0) return cut;
    const std::string_view text = view();
    const std::size_t end = rel(cut);
    // The earliest code point within `overlap` of the cut...
    const std::uint64_t earliest = one_byte ? std::max(body_begin_, cut - std::min<std::uint64_t>(cut, settings_.overlap))
                                            : back_chars(cut, settings_.overlap, body_begin_);
    const std::size_t from = rel(earliest);
    // ...then the first sentence start after it, else the first word start...
    std::size_t begin = first_sentence_start(text, from, end);
    if (begin == end) begin = find_word_start_forward(text, std::max<std::size_t>(from, 1), end);
    // ...unless what it would repeat is markup alone, the end of a table row or a closing "**":
    // that is a fragment, not words.
    return holds_word_character(text.substr(begin, end - begin)) ? text_.base() + begin : cut;
}

void ChunkerCore::cut_for_size() {
    const std::size_t budget = settings_.chunk_size - overlap_chars_;
    // The window holds `budget` code points from body_begin_: it ends at the chunk's limit.
    const std::uint64_t window_end = chunk_limit();
    // In a window of one-byte code points (most text) positions are plain arithmetic.
    const bool one_byte = window_end - body_begin_ == budget;
    const std::uint64_t half = one_byte ? body_begin_ + budget / 2 : advance_chars(body_begin_, budget / 2);
    std::uint64_t cut = choose_cut(half, window_end);
    if (cut == 0) {
        if (overlap_chars_ > 0) {
            // Only a word longer than the room the overlap leaves: give the word the whole chunk.
            chars_ -= overlap_chars_;
            overlap_chars_ = 0;
            text_begin_ = body_begin_;
            return;  // consume_to() calls again while the chunk is still too long
        }
        cut = window_end;  // one word longer than chunk_size: cut between code points
    }
    const std::size_t chunk_chars = chars_between(text_begin_, cut);
    hold({text_begin_, body_begin_, cut, chunk_chars, headings_.path()});
    const std::uint64_t next_text_begin = overlap_begin(cut, one_byte);
    const std::size_t next_overlap = chars_between(next_text_begin, cut);
    chars_ = chars_ - chunk_chars + next_overlap;
    text_begin_ = next_text_begin;
    body_begin_ = cut;
    overlap_chars_ = next_overlap;
    after_size_cut_ = true;
    marks_.drop_through(cut);
}
}  // namespace semantic_chunker
