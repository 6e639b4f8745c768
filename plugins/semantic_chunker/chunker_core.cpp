#include "chunker_core.hpp"

#include <algorithm>

#include "text_boundaries.hpp"

namespace semantic_chunker {
namespace {

// A line longer than this cannot be a heading or an underline, so it is consumed as prose
// without waiting for its end: this is what keeps memory bounded on a file with no newlines.
constexpr std::size_t kLongLineBytes = 4096;
// What the classifier is shown as the next line when that is a long line: prose (not blank, not
// a rule), however much of it has arrived.
constexpr std::string_view kLongLineAsNext = "prose";
// Compact the buffer once this much of it is behind every position still needed.
constexpr std::size_t kCompactBytes = 256 * 1024;

// The mark of a line inside running text (after a line neither blank nor a rule, outside fences
// and front matter) whose lead (at `indent`) may start a structure, when LineClassifier would make
// it a table row, a list item or plain text from the line alone: numbers, ( - * + bullets and | rows
// are most such lines. Nothing for any other line (a rule, a heading, a fence...), which the full
// classification decides.
std::optional<MarkStrength> mark_within_running_text(std::string_view line, std::size_t indent) {
    auto lead = static_cast<unsigned char>(line[indent]);
    if (lead == '|') return MarkStrength::Item;  // a table row (take_common_line)
    const bool bullet = lead == '-' || lead == '*' || lead == '+';
    if ((lead >= '0' && lead <= '9') || lead == '(' || bullet) {  // what classify() decides
        if (bullet && is_rule_line(line)) return std::nullopt;
        return is_list_item(line) ? MarkStrength::Item : MarkStrength::Line;
    }
    // Text indented with no-break spaces is judged by its first word (take_common_line).
    while (lead == 0xC2 && indent + 1 < line.size() && line[indent + 1] == '\xA0') {
        indent += 2;
        while (indent < line.size() && (line[indent] == ' ' || line[indent] == '\t')) ++indent;
        if (indent == line.size()) return std::nullopt;
        lead = static_cast<unsigned char>(line[indent]);
    }
    if (kProseLead[lead]) return MarkStrength::Line;  // only after no-break spaces: the lead was not prose
    return std::nullopt;
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
    text_.reset();
    limit_for_ = IndexedText::npos;
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
    const std::uint64_t start = text_.end();
    offsets_.add({start, original_begin});
    for (const auto& anchor : anchors) offsets_.add({start + anchor.normalized, anchor.original});
    text_.append(text);
    scan(false);
}

void ChunkerCore::end_file() {
    if (!open_) return;
    scan(true);
    close_section(true);
    release_held();
    open_ = false;
    text_.reset();
    marks_.clear();
}

void ChunkerCore::compact() {
    std::uint64_t keep = text_begin_;
    if (held_) keep = std::min(keep, held_->text_begin);
    const std::size_t drop = rel(keep);
    if (drop < kCompactBytes || drop * 2 < text_.size()) return;
    text_.drop_before(keep);
    offsets_.drop_before(text_.base());
}

std::uint64_t ChunkerCore::advance_chars(std::uint64_t pos, std::size_t count) const {
    // Each code point is at least one byte: the answer is at pos + count or after it.
    return text_.char_position(text_.char_index(pos) + count, pos + count);
}

std::uint64_t ChunkerCore::back_chars(std::uint64_t end, std::size_t count, std::uint64_t floor) const {
    const std::uint64_t end_index = text_.char_index(end);
    if (end_index - text_.char_index(floor) <= count) return count == 0 ? end : floor;
    return text_.char_position(end_index - count, end - count);  // at end - count or before it
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
    const std::uint64_t text_end = text_.end();
    while (scanned_ < text_end) {
        const LinesTaken taken = take_lines(at_end);
        if (taken == LinesTaken::wait) break;
        if (taken == LinesTaken::some) continue;
        const std::uint64_t line_begin = scanned_;
        const std::uint64_t newline = text_.next_newline(line_begin);
        if (in_long_line_) {
            consume_to(newline == IndexedText::npos ? text_end : newline + 1);
            if (newline == IndexedText::npos) break;
            in_long_line_ = false;
            previous_blank_ = false;
            continue;
        }
        const std::uint64_t line_end = newline == IndexedText::npos ? text_end : newline;
        // A long line is prose whether its end has arrived or not, so that the chunks do not
        // depend on where the input's blocks end.
        if (line_end - line_begin > kLongLineBytes) {
            if (scanned_ > body_begin_) marks_.push({scanned_, previous_blank_ ? MarkStrength::Paragraph : MarkStrength::Line});
            classifier_.note_plain_line();
            in_long_line_ = true;
            continue;
        }
        if (newline == IndexedText::npos && !at_end) break;  // wait for the rest of the line
        if (!scan_line(line_begin, line_end, at_end)) break;
    }
}

std::uint64_t ChunkerCore::find_chunk_limit() {
    limit_for_ = text_begin_;
    limit_ = advance_chars(text_begin_, settings_.chunk_size);
    if (limit_ == text_.end()) limit_ = IndexedText::npos;
    return limit_;
}

ChunkerCore::LinesTaken ChunkerCore::take_lines(bool at_end) {
    if (in_long_line_) return LinesTaken::none;
    const char* const data = view().data();
    const std::uint64_t base = text_.base(), text_end = text_.end(), start = scanned_;
    std::uint64_t limit = chunk_limit(), body_begin = body_begin_, pos = scanned_;
    bool in_body = classifier_.in_body(), after_break = classifier_.after_break(), blank_before = previous_blank_;
    bool unrecorded = false;  // lines taken here that the classifier and previous_blank_ do not know of yet
    IndexedText::NewlineCursor newlines(text_, pos);
    while (pos <= limit) {  // a line that ends past the limit may make a cut due
        const std::uint64_t newline = newlines.next();
        if (newline >= text_end || newline - pos > kLongLineBytes) break;  // scan() decides incomplete and long lines
        const std::string_view line(data + (pos - base), newline - pos);
        if (in_body) {
            // Running text, decided here exactly as LineClassifier would decide it, without a call.
            std::size_t indent = leading_blanks16(line.data());  // the text is padded: 16 bytes can be read
            if (indent == 16) indent = indent_length(line);
            std::optional<MarkStrength> mark;
            if (indent == line.size()) {
                after_break = blank_before = unrecorded = true;
                pos = newline + 1;
                continue;
            }
            if (kProseLead[static_cast<unsigned char>(line[indent])]) {
                // After a blank line or a rule the line may be a title, which the next line can decide.
                if (!after_break || (newline + 1 < text_end && !LineClassifier::may_be_title(line, indent, data[newline + 1 - base])))
                    mark = blank_before ? MarkStrength::Paragraph : MarkStrength::Line;
            } else if (!after_break) {
                mark = mark_within_running_text(line, indent);
            }
            if (mark) {
                if (pos > body_begin) marks_.push({pos, *mark});
                after_break = blank_before = false;
                unrecorded = true;
                pos = newline + 1;
                continue;
            }
        }
        // Any other line goes through the full classification, with everything up to date.
        if (unrecorded) {
            classifier_.took_running_text(after_break);
            previous_blank_ = blank_before;
            unrecorded = false;
        }
        scanned_ = pos;  // no cut is due before the limit
        if (!scan_line(pos, newline, at_end)) return LinesTaken::wait;
        // It may have cut, started a section or taken an underline too.
        pos = scanned_;
        limit = chunk_limit();
        body_begin = body_begin_;
        in_body = classifier_.in_body();
        after_break = classifier_.after_break();
        blank_before = previous_blank_;
        newlines = IndexedText::NewlineCursor(text_, pos);
    }
    if (unrecorded) {
        classifier_.took_running_text(after_break);
        previous_blank_ = blank_before;
    }
    if (pos == start) return LinesTaken::none;
    consume_to(pos);
    return LinesTaken::some;
}

bool ChunkerCore::scan_line(std::uint64_t line_begin, std::uint64_t line_end, bool at_end) {
    const std::string_view text = view();
    const std::uint64_t text_end = text_.end();
    const std::uint64_t next_begin = line_end < text_end ? line_end + 1 : text_end;
    // The next line decides underlined headings and isolated numbered headings.
    std::optional<std::string_view> next;
    std::uint64_t next_end = text_end;
    if (next_begin < text_end) {
        const std::uint64_t next_newline = text_.next_newline(next_begin);
        if ((next_newline == IndexedText::npos ? text_end : next_newline) - next_begin > kLongLineBytes) {
            next = kLongLineAsNext;
        } else if (next_newline != IndexedText::npos) {
            next_end = next_newline;
            next = text.substr(rel(next_begin), next_end - next_begin);
        } else if (at_end) {
            next = text.substr(rel(next_begin));
        } else {
            return false;  // wait for the next line
        }
    } else if (!at_end) {
        return false;
    }

    const std::string_view line = text.substr(rel(line_begin), line_end - line_begin);
    const LineKind common = classifier_.take_common_line(line, next && !next->empty() ? next->front() : '\0');
    if (common == LineKind::Plain || common == LineKind::TableRow) {
        if (scanned_ > body_begin_) {
            const MarkStrength within = common == LineKind::Plain ? MarkStrength::Line : MarkStrength::Item;
            marks_.push({scanned_, previous_blank_ ? MarkStrength::Paragraph : within});
        }
        previous_blank_ = false;
        consume_to(next_begin);
        return true;
    }
    if (common == LineKind::Blank) {
        previous_blank_ = true;
        consume_to(next_begin);
        return true;
    }
    const LineFacts facts = classifier_.classify(line, next);
    if (facts.kind == LineKind::Heading) {
        close_section(false);
        headings_.push(*facts.heading);
        std::uint64_t end = next_begin;
        if (facts.heading->consumes_next_line) {
            classifier_.skip_line();
            end = next_end < text_end ? next_end + 1 : text_end;
        }
        consume_to(end);
        previous_blank_ = false;
        return true;
    }
    if (facts.kind != LineKind::Blank && scanned_ > body_begin_) {
        MarkStrength strength = MarkStrength::Line;
        if (previous_blank_) strength = MarkStrength::Paragraph;
        else if (facts.kind == LineKind::ListItem || facts.kind == LineKind::TableRow) strength = MarkStrength::Item;
        marks_.push({scanned_, strength});
    }
    previous_blank_ = facts.kind == LineKind::Blank || facts.kind == LineKind::Rule;
    consume_to(next_begin);
    return true;
}

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
        if (find_sentence_end_backward(text, low > 0 ? low - 1 : 0, high, sentence_after)) return text_.base() + found;
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
    // ...then the first sentence start after it, else the first word start.
    std::size_t found = 0;
    const auto sentence_after = [&](std::size_t t) {
        std::size_t p = t + 1;
        while (p < end && is_ascii_space(text[p])) ++p;
        found = p;
        return p >= end || (p >= from && is_sentence_start(text, p, 0));  // stop too at only spaces up to the cut
    };
    if (find_sentence_end_forward(text, from > 0 ? from - 1 : 0, end, sentence_after) && found < end) return text_.base() + found;
    const std::size_t word = find_word_start_forward(text, std::max<std::size_t>(from, 1), end);
    return word < end ? text_.base() + word : cut;
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
    const std::uint64_t next_text_begin = overlap_begin(cut, one_byte && cut <= window_end);
    const std::size_t next_overlap = chars_between(next_text_begin, cut);
    chars_ = chars_ - chunk_chars + next_overlap;
    text_begin_ = next_text_begin;
    body_begin_ = cut;
    overlap_chars_ = next_overlap;
    after_size_cut_ = true;
    marks_.drop_through(cut);
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
