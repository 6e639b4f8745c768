#pragma once
// Recognises the structure of one line of normalised text: headings (Markdown `#`, numbered and
// keyword headings, underlined titles), blank lines, rules, list items and table rows.
#include <array>
#include <optional>
#include <string>
#include <string_view>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace semantic_chunker {

enum class LineKind { Plain, Blank, Rule, ListItem, TableRow, Heading };

// What headings of one kind share, and so their level: Markdown levels are absolute (`#` = 1); any
// other style gets its level when first seen in a file, one below the heading it appears under, as
// in reStructuredText.
struct HeadingStyle {
    enum class Markup : char { None, Markdown, Numbered, Capitals, Keyword, Underlined };
    Markup markup = Markup::None;
    int detail = 0;          // Numbered: the depth; Keyword: which one; Underlined: the rule's character
    bool overlined = false;  // Underlined below a rule
    bool operator==(const HeadingStyle&) const = default;
};

struct HeadingMatch {
    HeadingStyle style;
    int markdown_level = 0;  // 1-6 for `#` headings, 0 for other styles
    // Components of a heading number ("4.1.2 Drugs" has 3), 0 for other styles. A numbered
    // heading nests by its depth under the closest heading that is not numbered ("Chapter 4").
    int number_depth = 0;
    std::string number;  // "4.1.2" for a numbered heading: it closes numbered headings it is not under
    std::string title;
    bool consumes_next_line = false;  // the next line is this heading's underline
};

struct LineFacts {
    LineKind kind = LineKind::Plain;
    // The classifier's own match, valid until its next classify(): its strings keep their
    // capacity from heading to heading, so no heading allocates.
    const HeadingMatch* heading = nullptr;
};

// Longest heading, in code points; a longer line is prose (keyword headings excepted, see
// heading_patterns.cpp).
inline constexpr std::size_t kMaxHeadingChars = 120;
// Longest heading in capitals ("SHELL GRAMMAR"), in bytes once trimmed.
inline constexpr std::size_t kMaxCapitalsBytes = 60;
// The most spaces a numbered heading may have before it ("  0. Definitions."); more make the line
// a list item or an entry of a table of contents.
inline constexpr std::size_t kMaxHeadingIndent = 3;

// First non-space bytes that may start anything but a plain line: headings, rules, lists,
// tables, fences, no-break spaces. Digits are here for numbered list items, which count anywhere;
// upper case is not: a line in capitals or a keyword heading matters only after a blank line,
// which the callers test first.
inline constexpr std::array<bool, 256> kStructuralLead = [] {
    std::array<bool, 256> table{};
    for (unsigned char c : {'#', '=', '-', '~', '^', '*', '+', '_', '|', '(', '`', '\xE2', '\xC2'}) table[c] = true;
    for (unsigned char c = '0'; c <= '9'; ++c) table[c] = true;
    return table;
}();

#ifdef __SSE2__
// Bit k: byte p[k] is neither a space nor a tab (16 bits; p must have 16 readable bytes).
inline unsigned non_blank_bits16(const char* p) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i blank = _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\t')));
    return ~static_cast<unsigned>(_mm_movemask_epi8(blank)) & 0xFFFFu;
}
#endif

// Leading spaces and tabs of `line`. Layout-preserving text (manual pages, PDF conversions)
// indents many lines deeply, so 16 bytes are tested at a time where the line is that long.
inline std::size_t indent_length(std::string_view line) {
    std::size_t indent = 0;
#ifdef __SSE2__
    while (line.size() - indent >= 16) {
        if (const unsigned other = non_blank_bits16(line.data() + indent); other != 0)
            return indent + static_cast<std::size_t>(__builtin_ctz(other));
        indent += 16;
    }
#endif
    while (indent < line.size() && (line[indent] == ' ' || line[indent] == '\t')) ++indent;
    return indent;
}

// Leading spaces and tabs of the line at `p`, counted in its first 16 bytes without a branch
// (16 means 16 or more). `p` must have 16 readable bytes; those after the line's '\n' do not count.
inline std::size_t leading_blanks16(const char* p) {
#ifdef __SSE2__
    return static_cast<std::size_t>(__builtin_ctz(non_blank_bits16(p) | 0x10000u));
#else
    std::size_t indent = 0;
    while (indent < 16 && (p[indent] == ' ' || p[indent] == '\t')) ++indent;
    return indent;
#endif
}

// First letters of the heading keywords (Chapter, Part, Article, Section, Title, Sec.).
inline bool could_start_keyword(unsigned char lead) {
    return lead == 'C' || lead == 'P' || lead == 'A' || lead == 'S' || lead == 'T';
}

// A heading in capitals is at most 60 bytes once trimmed; a longer line that ends in a space is
// left to the full test too.
inline bool could_be_capitals(std::string_view line) {
    return line.size() <= kMaxCapitalsBytes || line.back() == ' ' || line.back() == '\t' || line.back() == '\r' ||
           line.back() == '\f' || line.back() == '\v';
}

// First bytes after a line's indent that can only start prose: not a space, a control or a
// structural lead (which takes in a table's '|' and a no-break space).
inline constexpr std::array<bool, 256> kProseLead = [] {
    std::array<bool, 256> table{};
    for (unsigned c = 0x21; c < 256; ++c) table[c] = !kStructuralLead[c];
    return table;
}();

// First bytes of a rule or an underline: = - ~ ^ * + _ and box drawing (E2 ...).
inline constexpr std::array<bool, 256> kRuleLead = [] {
    std::array<bool, 256> table{};
    for (unsigned char c : {'=', '-', '~', '^', '*', '+', '_', '\xE2'}) table[c] = true;
    return table;
}();

class LineClassifier {
public:
    // Decides the common cases, a blank line, a table row or a plain line, without the full
    // classification but exactly as classify() would. Returns LineKind::Blank, TableRow or Plain
    // (and records the line), or LineKind::Heading to mean "undecided: call classify()".
    // `next_lead` is the first byte of the next line, 0 when it is empty or unknown.
    LineKind take_common_line(std::string_view line, char next_lead) {
        if (first_line_ || in_front_matter_) return LineKind::Heading;
        if (fence_ != 0) return take_fenced_line(line);
        const std::size_t indent = indent_length(line);
        if (indent == line.size()) {
            previous_blank_ = true;
            previous_rule_ = false;
            return LineKind::Blank;
        }
        const auto lead = static_cast<unsigned char>(line[indent]);
        if (lead == '|') return took(LineKind::TableRow);  // never a heading, and no rule
        if (!kProseLead[lead]) return take_structural_line(line, indent, next_lead);
        if ((previous_blank_ | previous_rule_) && may_be_title(line, indent, next_lead)) return take_title_candidate(line, indent, next_lead);
        return took(LineKind::Plain);
    }

    // For ChunkerCore's loop over running text, which decides prose and blank lines itself
    // (faster than a call per line): whether it may (outside the first line, code fences and front
    // matter), whether the last line was blank or a rule, and what it took (the last line taken
    // was blank or not; either way not a rule).
    bool in_body() const { return !(first_line_ | in_front_matter_ | (fence_ != 0)); }
    bool after_break() const { return previous_blank_ | previous_rule_; }
    void took_running_text(bool last_blank) {
        previous_blank_ = last_blank;
        previous_rule_ = false;
    }
    // After a blank line or a rule a line may be a title: underlined (the next line decides), or
    // at column 0 a keyword heading or one in capitals (short lines only). False when neither can
    // be; `next_lead` is the first byte of the next line, 0 when it is empty or unknown.
    static bool may_be_title(std::string_view line, std::size_t indent, char next_lead) {
        const auto lead = static_cast<unsigned char>(line[indent]);
        return kRuleLead[static_cast<unsigned char>(next_lead)] ||
               (lead >= 'A' && lead <= 'Z' && indent == 0 && (could_start_keyword(lead) || could_be_capitals(line)));
    }

    // Starts a new file (the storage of the last heading is kept for the next).
    void reset();
    // `line` has no trailing '\n'. `next` is the following line (an empty optional only at the end
    // of the input); a next line too long to be an underline may be shown as a short stand-in that
    // starts as it does.
    // (By reference: a copy passed on the stack stalled the call, which runs for a third of the lines.)
    LineFacts classify(std::string_view line, const std::optional<std::string_view>& next);
    // Tells the classifier that the line after the heading it found last was consumed with it: an
    // underline, which the next line follows as it would follow a rule, or a title under its number.
    void skip_line() {
        previous_blank_ = false;
        previous_rule_ = heading_.style.markup == HeadingStyle::Markup::Underlined;
        first_line_ = false;
    }
    // For a line too long to be anything but prose, consumed in pieces.
    void note_plain_line() { previous_blank_ = false; previous_rule_ = false; first_line_ = false; }

private:
    // take_common_line() for a line inside a code fence.
    LineKind take_fenced_line(std::string_view line);
    // take_common_line() for a line after a blank line or a rule that may_be_title().
    LineKind take_title_candidate(std::string_view line, std::size_t indent, char next_lead);
    // take_common_line() for a line whose first byte (at `indent`) may start a structure: most
    // such lines are plain all the same ("2024 was...", "-5 degrees", "(see below)").
    LineKind take_structural_line(std::string_view line, std::size_t indent, char next_lead);
    LineKind took(LineKind kind) {
        previous_blank_ = false;
        previous_rule_ = false;
        return kind;
    }
    // The first line and YAML front matter; true when `line` was taken as front matter.
    bool take_front_matter(std::string_view line);
    // A line that opens or closes a code fence (``` or ~~~), or a line inside one.
    LineFacts take_fenced(std::string_view rest, bool blank);
    // After a blank line or a rule: an underlined title; at column 0 (or after the form feeds that
    // start a page) a keyword, numbered or capitals heading; a one-level number indented a little.
    // Fills heading_ and returns true when the line is one.
    bool match_title(std::string_view line, std::size_t indent, const std::optional<std::string_view>& next,
                     bool list_item, bool was_rule);
    // The patterns it tries (out of line: most lines after a blank line match none).
    [[gnu::noinline]] bool match_underlined(std::string_view line, std::string_view next, bool list_item, bool was_rule);
    [[gnu::noinline]] bool match_at_column_zero(std::string_view line, const std::optional<std::string_view>& next);
    LineFacts found_heading() { return {LineKind::Heading, &heading_}; }

    bool previous_blank_ = true;
    bool previous_rule_ = false;
    bool first_line_ = true;
    bool in_front_matter_ = false;
    char fence_ = 0;  // '`' or '~' inside a fenced code block
    HeadingMatch heading_;  // the last heading found
};

bool is_blank_line(std::string_view line);
bool is_rule_line(std::string_view line, char* rule_char = nullptr);
bool is_list_item(std::string_view line);

}  // namespace semantic_chunker
