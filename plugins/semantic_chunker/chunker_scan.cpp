// Reading lines: the loop over running text, the full classification of other lines, headings.
#include "chunker_core.hpp"

#include <algorithm>

#include "line_text.hpp"

namespace semantic_chunker {
namespace {

// A line longer than this cannot be a heading or an underline, so it is consumed as prose
// without waiting for its end: this is what keeps memory bounded on a file with no newlines.
constexpr std::size_t kLongLineBytes = 4096;
// What the classifier is shown as the next line when that is a long line: prose (not blank, not
// a rule), however much of it has arrived, indented or not as the long line is (a word in capitals
// over indented text is a heading, over text at column 0 a label).
constexpr std::string_view kLongLineAsNext = "prose", kLongIndentedLineAsNext = " prose";

// The mark of a line inside running text (outside fences and front matter) whose lead (at
// `indent`) may start a structure, when LineClassifier would make it a table row, a list item or
// plain text without the full classification: numbers, ( - * + bullets and | rows are most such
// lines. Nothing for any other line (a rule, a heading, a fence...), which classify() decides.
// After a blank line or a rule (`after_break`) only a line that no heading pattern can take: a
// bullet, or a number indented further than a heading may be, over a line that cannot underline
// it (`next_lead`). The mark is the line's own; after a blank line the caller makes it a paragraph.
std::optional<MarkStrength> mark_within_running_text(std::string_view line, std::size_t indent, bool after_break,
                                                     char next_lead) {
    auto lead = static_cast<unsigned char>(line[indent]);
    const bool bullet = lead == '-' || lead == '*' || lead == '+' || lead == '(';
    const bool number = lead >= '0' && lead <= '9';
    if (after_break && (!(bullet || (number && indent > kMaxHeadingIndent)) || kRuleLead[static_cast<unsigned char>(next_lead)]))
        return std::nullopt;
    if (lead == '|') return MarkStrength::Item;  // a table row (take_common_line)
    if (number || bullet) {  // what classify() decides
        if (lead != '(' && !number && is_rule_line(line)) return std::nullopt;
        return is_list_item(line) ? MarkStrength::Item : MarkStrength::Line;
    }
    // Text indented with no-break spaces is judged by its first word (take_common_line).
    while (lead == 0xC2 && indent + 1 < line.size() && line[indent + 1] == '\xA0') {
        indent += 2;
        indent += indent_length(line.substr(indent));
        if (indent == line.size()) return std::nullopt;
        lead = static_cast<unsigned char>(line[indent]);
    }
    if (kProseLead[lead]) return MarkStrength::Line;  // only after no-break spaces: the lead was not prose
    return std::nullopt;
}

}  // namespace

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
            if (scanned_ > body_begin_) marks_.push({scanned_, line_mark(previous_blank_, MarkStrength::Line)});
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
    // The state the loop keeps in locals, loaded at the start and after each line scan_line() takes.
    std::uint64_t pos = scanned_, limit = 0, body_begin = 0;
    bool in_body = false, after_break = false, blank_before = false;
    const auto load_state = [&] {
        limit = chunk_limit();
        body_begin = body_begin_;
        in_body = classifier_.in_body();
        after_break = classifier_.after_break();
        blank_before = previous_blank_;
    };
    bool unrecorded = false;  // lines taken here that the classifier and previous_blank_ do not know of yet
    const auto record_taken = [&] {
        if (!unrecorded) return;
        classifier_.took_running_text(after_break);
        previous_blank_ = blank_before;
        unrecorded = false;
    };
    load_state();
    IndexedText::NewlineCursor newlines(text_, pos);
    while (pos <= limit) {  // a line that ends past the limit may make a cut due
        const std::uint64_t newline = newlines.next();
        if (newline >= text_end || newline - pos > kLongLineBytes) break;  // scan() decides incomplete and long lines
        const std::string_view line(data + (pos - base), newline - pos);
        if (in_body) {
            // Running text, decided here exactly as LineClassifier would decide it, without a call.
            std::size_t indent = leading_blanks16(line.data());  // the text is padded: 16 bytes can be read
            if (indent == 16) indent = indent_length(line);
            // The byte after the indent; for a blank line it is the '\n' just past the line's end.
            const auto lead = static_cast<unsigned char>(line.data()[indent]);
            if (lead == '\n') {
                after_break = blank_before = unrecorded = true;
                pos = newline + 1;
                continue;
            }
            std::optional<MarkStrength> mark;
            if (kProseLead[lead]) {
                // After a blank line or a rule the line may be a title, which the next line can decide.
                if (!after_break || (newline + 1 < text_end && !LineClassifier::may_be_title(line, indent, data[newline + 1 - base])))
                    mark = line_mark(blank_before, MarkStrength::Line);
            } else if (!after_break || newline + 1 < text_end) {
                mark = mark_within_running_text(line, indent, after_break, data[newline + 1 - base]);
                if (mark) mark = line_mark(blank_before, *mark);
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
        record_taken();
        scanned_ = pos;  // no cut is due before the limit
        if (!scan_line(pos, newline, at_end)) return LinesTaken::wait;
        // It may have cut, started a section or taken an underline too.
        pos = scanned_;
        load_state();
        newlines = IndexedText::NewlineCursor(text_, pos);
    }
    record_taken();
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
            next = line_text::is_space(text[rel(next_begin)]) ? kLongIndentedLineAsNext : kLongLineAsNext;
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
            marks_.push({scanned_, line_mark(previous_blank_, within)});
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
        const bool item = facts.kind == LineKind::ListItem || facts.kind == LineKind::TableRow;
        marks_.push({scanned_, line_mark(previous_blank_, item ? MarkStrength::Item : MarkStrength::Line)});
    }
    previous_blank_ = facts.kind == LineKind::Blank || facts.kind == LineKind::Rule;
    consume_to(next_begin);
    return true;
}
}  // namespace semantic_chunker
