#include "chunker_core.hpp"

#include <algorithm>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <text_kit/append_bytes.hpp>
#include <text_kit/utf8.hpp>

#include "text_boundaries.hpp"

namespace semantic_chunker {
namespace {

// A line longer than this cannot be a heading or an underline, so it is consumed as prose
// without waiting for its end: this is what keeps memory bounded on a file with no newlines.
constexpr std::size_t kLongLineBytes = 4096;
// Compact the buffer once this much of it is behind every position still needed.
constexpr std::size_t kCompactBytes = 256 * 1024;

// The next '\n' in [from, end), or `end`. Lines are short (60 bytes on average in the corpus,
// most under 128), so the first 128 bytes are searched inline and without a branch per 16 bytes,
// which mispredicted on nearly every line; memchr takes the rest.
inline const char* find_newline(const char* from, const char* end) {
#ifdef __SSE2__
    if (end - from >= 128) {
        const auto mask64 = [](const char* p) {
            const __m128i newline = _mm_set1_epi8('\n');
            std::uint64_t mask = 0;
            for (int block = 0; block < 4; ++block) {
                const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * block));
                mask |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, newline)))) << (16 * block);
            }
            return mask;
        };
        const std::uint64_t low = mask64(from), high = mask64(from + 64);
        if ((low | high) != 0)
            return from + (low != 0 ? __builtin_ctzll(low) : 64 + __builtin_ctzll(high));
        from += 128;
    }
#endif
    const void* found = std::memchr(from, '\n', static_cast<std::size_t>(end - from));
    return found ? static_cast<const char*>(found) : end;
}

}  // namespace

std::string validate_settings(const ChunkerSettings& settings) {
    if (settings.chunk_size < 16) return "chunk_size must be at least 16 characters";
    if (settings.overlap * 2 > settings.chunk_size)
        return "overlap (" + std::to_string(settings.overlap) + ") must be at most half of chunk_size (" +
               std::to_string(settings.chunk_size) + "): lower overlap or raise chunk_size";
    if (settings.min_chunk > settings.chunk_size / 2)
        return "min_chunk (" + std::to_string(settings.min_chunk) + ") must be at most half of chunk_size (" +
               std::to_string(settings.chunk_size) + ")";
    return {};
}

ChunkerCore::ChunkerCore(ChunkerSettings settings, ChunkSink sink) : settings_(settings), sink_(std::move(sink)) {}

void ChunkerCore::begin_file(std::string source) {
    if (open_) end_file();
    open_ = true;
    source_ = std::move(source);
    buffer_.clear();
    base_ = 0;
    offsets_.clear();
    scanned_ = 0;
    in_long_line_ = false;
    previous_blank_ = true;
    start_chunk_at(0);
    emitted_in_file_ = false;
    held_.reset();
    classifier_.reset();
    headings_.reset();
}

void ChunkerCore::feed(std::string_view text, std::uint64_t original_begin,
                       const std::vector<text_kit::OffsetAnchor>& anchors) {
    if (!open_) begin_file({});
    compact();
    const std::uint64_t start = base_ + buffer_.size();
    offsets_.add({start, original_begin});
    for (const auto& anchor : anchors) offsets_.add({start + anchor.normalized, anchor.original});
    text_kit::append_bytes(buffer_, text.data(), text.size());
    scan(false);
}

void ChunkerCore::end_file() {
    if (!open_) return;
    scan(true);
    close_section(true);
    release_held();
    open_ = false;
    buffer_.clear();
    buffer_.shrink_to_fit();
    marks_.clear();
}

void ChunkerCore::compact() {
    std::uint64_t keep = text_begin_;
    if (held_) keep = std::min(keep, held_->text_begin);
    const std::size_t drop = rel(keep);
    if (drop < kCompactBytes || drop * 2 < buffer_.size()) return;
    buffer_.erase(0, drop);
    base_ += drop;
    offsets_.drop_before(base_);
}

std::uint64_t ChunkerCore::advance_chars(std::uint64_t pos, std::size_t count) const {
    return base_ + text_kit::skip_code_points(buffer_.data(), rel(pos), buffer_.size(), count);
}

std::size_t ChunkerCore::chars_between(std::uint64_t begin, std::uint64_t end) const {
    return text_kit::count_code_points(buffer_.data() + rel(begin), static_cast<std::size_t>(end - begin));
}

void ChunkerCore::start_chunk_at(std::uint64_t pos) {
    text_begin_ = body_begin_ = pos;
    overlap_chars_ = 0;
    chars_ = 0;
    counted_to_ = pos;
    after_size_cut_ = false;
    marks_.clear();
}

void ChunkerCore::scan(bool at_end) {
    const std::string_view text = view();
    const char* data = text.data();
    const std::size_t size = text.size();
    std::size_t known_newline = std::string_view::npos;  // a '\n' found by the last look-ahead
    while (rel(scanned_) < size) {
        const std::size_t line_begin = rel(scanned_);
        if (in_long_line_) {
            const void* nl = std::memchr(data + line_begin, '\n', size - line_begin);
            const std::size_t end = nl ? static_cast<const char*>(nl) - data + 1 : size;
            consume_to(base_ + end);
            if (!nl) break;
            in_long_line_ = false;
            previous_blank_ = false;
            continue;
        }
        std::size_t newline = known_newline != std::string_view::npos && known_newline >= line_begin ? known_newline : [&] {
            const char* nl = find_newline(data + line_begin, data + size);
            return nl != data + size ? static_cast<std::size_t>(nl - data) : std::string_view::npos;
        }();
        known_newline = std::string_view::npos;
        if (newline == std::string_view::npos && !at_end) {
            if (size - line_begin <= kLongLineBytes) break;  // wait for the rest of the line
            if (scanned_ > body_begin_) marks_.push_back({scanned_, previous_blank_ ? MarkStrength::Paragraph : MarkStrength::Line});
            classifier_.note_plain_line();
            in_long_line_ = true;
            continue;
        }
        const std::size_t line_end = newline == std::string_view::npos ? size : newline;
        const std::size_t next_begin = newline == std::string_view::npos ? size : newline + 1;

        // The next line decides underlined headings and isolated numbered headings.
        std::optional<std::string_view> next;
        std::size_t next_end = size;
        if (next_begin < size) {
            const char* nl = find_newline(data + next_begin, data + size);
            if (nl != data + size) {
                known_newline = next_end = static_cast<std::size_t>(nl - data);
                next = text.substr(next_begin, next_end - next_begin);
            } else if (at_end) {
                next = text.substr(next_begin);
            } else if (size - next_begin > kLongLineBytes) {
                next.reset();  // too long to be an underline
            } else {
                break;  // wait for the next line
            }
        } else if (!at_end) {
            break;
        }

        const std::string_view line = text.substr(line_begin, line_end - line_begin);
        const LineKind common = classifier_.take_common_line(line, next && !next->empty() ? next->front() : '\0');
        if (common == LineKind::Plain) {
            if (scanned_ > body_begin_)
                marks_.push_back({scanned_, previous_blank_ ? MarkStrength::Paragraph : MarkStrength::Line});
            previous_blank_ = false;
            consume_to(base_ + next_begin);
            continue;
        }
        if (common == LineKind::TableRow) {
            if (scanned_ > body_begin_)
                marks_.push_back({scanned_, previous_blank_ ? MarkStrength::Paragraph : MarkStrength::Item});
            previous_blank_ = false;
            consume_to(base_ + next_begin);
            continue;
        }
        if (common == LineKind::Blank) {
            previous_blank_ = true;
            consume_to(base_ + next_begin);
            continue;
        }
        const LineFacts facts = classifier_.classify(line, next);
        if (facts.kind == LineKind::Heading) {
            close_section(false);
            headings_.push(*facts.heading);
            std::size_t end = next_begin;
            if (facts.heading->consumes_next_line) {
                classifier_.skip_line();
                end = next_end < size ? next_end + 1 : size;
                known_newline = std::string_view::npos;
            }
            consume_to(base_ + end);
            previous_blank_ = false;
            continue;
        }
        if (facts.kind != LineKind::Blank && scanned_ > body_begin_) {
            MarkStrength strength = MarkStrength::Line;
            if (previous_blank_) strength = MarkStrength::Paragraph;
            else if (facts.kind == LineKind::ListItem || facts.kind == LineKind::TableRow) strength = MarkStrength::Item;
            marks_.push_back({scanned_, strength});
        }
        previous_blank_ = facts.kind == LineKind::Blank || facts.kind == LineKind::Rule;
        consume_to(base_ + next_begin);
    }
}

void ChunkerCore::consume_to(std::uint64_t end) {
    scanned_ = end;
    // A code point is at least one byte: while the bytes fit, so do the code points.
    if (scanned_ - text_begin_ <= settings_.chunk_size) return;
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
    // 1. a paragraph, then a list item or table row, in the second half of the window
    for (MarkStrength wanted : {MarkStrength::Paragraph, MarkStrength::Item}) {
        for (auto it = marks_.rbegin(); it != marks_.rend() && it->pos >= upper_low; ++it)
            if (it->pos <= window_end && it->strength == wanted) return it->pos;
    }
    // 2. a sentence start: find bytes that can end a sentence, then test the word after them
    {
        const std::size_t low = rel(upper_low), high = rel(window_end);
        std::size_t last_tested = 0, found = 0;
        const auto sentence_after = [&](std::size_t t) {
            std::size_t p = t + 1;
            while (p <= high && is_ascii_space(text[p])) ++p;
            if (p > high || p < low || p == last_tested) return false;
            last_tested = p;
            found = p;
            return is_sentence_start(text, p, 0);
        };
        if (find_sentence_end_backward(text, low > 0 ? low - 1 : 0, high, sentence_after)) return base_ + found;
    }
    // 3. a line start
    for (auto it = marks_.rbegin(); it != marks_.rend() && it->pos >= upper_low; ++it)
        if (it->pos <= window_end) return it->pos;
    // 4. a word start (or a CJK sentence end, which has no space after it) anywhere in the window
    for (std::uint64_t pos = window_end; pos >= lowest; --pos) {
        const std::size_t i = rel(pos);
        if (is_word_start(text, i) || (follows_cjk_sentence_end(text, i, 0) && !is_ascii_space(text[i]))) return pos;
    }
    return 0;
}

std::uint64_t ChunkerCore::overlap_begin(std::uint64_t cut, bool one_byte_chars) const {
    if (settings_.overlap == 0) return cut;
    const std::string_view text = view();
    const std::size_t floor = rel(body_begin_), end = rel(cut);
    // The earliest code point within `overlap` of the cut (`overlap` bytes back for one-byte ones)...
    std::size_t from = floor;
    if (!one_byte_chars) from = text_kit::back_code_points(text.data(), floor, end, settings_.overlap);
    else if (end - floor > settings_.overlap) from = end - settings_.overlap;
    // ...then the first sentence start after it, else the first word start.
    std::size_t found = 0;
    const auto sentence_after = [&](std::size_t t) {
        std::size_t p = t + 1;
        while (p < end && is_ascii_space(text[p])) ++p;
        found = p;
        return p >= end || (p >= from && is_sentence_start(text, p, 0));  // stop too at only spaces up to the cut
    };
    if (find_sentence_end_forward(text, from > 0 ? from - 1 : 0, end, sentence_after) && found < end) return base_ + found;
    const std::size_t word = find_word_start_forward(text, std::max<std::size_t>(from, 1), end);
    return word < end ? base_ + word : cut;
}

void ChunkerCore::cut_for_size() {
    const std::size_t budget = settings_.chunk_size - overlap_chars_;
    // The window holds `budget` code points from body_begin_; the chunk has chars_ - chunk_size
    // more, all counted, so its end is found by stepping back those few from counted_to_.
    const std::uint64_t window_end =
        base_ + text_kit::back_code_points(buffer_.data(), rel(body_begin_), rel(counted_to_), chars_ - settings_.chunk_size);
    // A window of `budget` bytes holds only one-byte code points (ASCII, most text): then every
    // position and count inside it is plain arithmetic.
    const bool one_byte_chars = window_end - body_begin_ == budget;
    const std::uint64_t half = one_byte_chars ? body_begin_ + budget / 2 : advance_chars(body_begin_, budget / 2);
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
    // [body_begin_, window_end) holds exactly `budget` code points, and the cut is near its end.
    const auto chars_in_window = [&](std::uint64_t begin, std::uint64_t end) {
        return one_byte_chars ? static_cast<std::size_t>(end - begin) : chars_between(begin, end);
    };
    const std::size_t chunk_chars = cut <= window_end ? overlap_chars_ + budget - chars_in_window(cut, window_end)
                                                      : overlap_chars_ + chars_between(body_begin_, cut);
    hold({text_begin_, body_begin_, cut, chunk_chars, headings_.path()});
    const std::uint64_t next_text_begin = overlap_begin(cut, one_byte_chars && cut <= window_end);
    const std::size_t next_overlap = chars_in_window(next_text_begin, cut);
    chars_ = chars_ - chunk_chars + next_overlap;
    text_begin_ = next_text_begin;
    body_begin_ = cut;
    overlap_chars_ = next_overlap;
    after_size_cut_ = true;
    marks_.erase(marks_.begin(), std::find_if(marks_.begin(), marks_.end(), [&](const Mark& m) { return m.pos > cut; }));
}

bool ChunkerCore::close_section(bool at_end) {
    const std::uint64_t end = scanned_;
    count_to_scanned();
    if (end <= body_begin_) {
        start_chunk_at(end);
        release_held();
        return true;
    }
    const std::size_t body_chars = chars_ - overlap_chars_;
    const std::string_view body = view().substr(rel(body_begin_), static_cast<std::size_t>(end - body_begin_));
    const bool blank = std::all_of(body.begin(), body.end(), is_ascii_space);
    if (body_chars < settings_.min_chunk || blank) {
        if (held_ && after_size_cut_ && held_->characters + body_chars <= settings_.chunk_size) {
            held_->end = end;  // the section's small tail joins the chunk before it
            held_->characters += body_chars;
            start_chunk_at(end);
            release_held();
            return true;
        }
        if (!at_end) return false;  // too small to stand alone: it merges into what follows
        if (blank && !held_ && !emitted_in_file_) {
            start_chunk_at(end);  // a file of nothing but whitespace yields no chunk
            return true;
        }
    }
    hold({text_begin_, body_begin_, end, chars_, headings_.path()});
    start_chunk_at(end);
    release_held();
    return true;
}

void ChunkerCore::hold(PendingChunk chunk) {
    release_held();
    held_ = std::move(chunk);
}

void ChunkerCore::release_held() {
    if (!held_) return;
    const PendingChunk& pending = *held_;
    Chunk chunk;
    chunk.index = next_index_++;
    chunk.source = source_;
    chunk.text = view().substr(rel(pending.text_begin), static_cast<std::size_t>(pending.end - pending.text_begin));
    chunk.overlap_bytes = static_cast<std::size_t>(pending.body_begin - pending.text_begin);
    chunk.byte_begin = offsets_.to_original(pending.text_begin);
    chunk.byte_end = offsets_.to_original(pending.end);
    chunk.heading_path = pending.path.get();
    chunk.characters = pending.characters;
    if (stats_.chunks == 0 || chunk.characters < stats_.min_characters) stats_.min_characters = chunk.characters;
    stats_.max_characters = std::max<std::uint64_t>(stats_.max_characters, chunk.characters);
    stats_.characters += chunk.characters;
    ++stats_.chunks;
    emitted_in_file_ = true;
    sink_(chunk);
    held_.reset();
}

}  // namespace semantic_chunker
