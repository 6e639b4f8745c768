// Classifying a line: its lead byte picks the patterns worth trying. List items, rules, fences,
// front matter and underlined titles are recognised here, the other headings by heading_patterns.cpp.
#include "line_classifier.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>

#include "heading_patterns.hpp"
#include "line_text.hpp"
#include "title_cleaning.hpp"

namespace semantic_chunker {

using namespace line_text;

namespace {

using title_cleaning::kSeparatorBytes;

// What the first byte of a line, after its indentation, may start.
enum class Lead : std::uint8_t {
    Prose,     // nothing but a title after a blank line (in capitals, a keyword)
    Hash,      // a Markdown heading
    Bullet,    // - * +: a list item or a rule
    Rule,      // = ^ _ ~: a rule (~~~ also a fence)
    Backtick,  // a fence
    Box,       // 0xE2: a box-drawing rule or a bullet (• ●)
    Paren,     // "(a) " list item
    Digit,     // "1. " list item, numbered heading
    Bar,       // table row
    Nbsp,      // 0xC2: a no-break space, or '§' of a keyword heading
    Control,   // \f, \v and \r are indentation to classify(), other controls prose
};

constexpr std::array<Lead, 256> kLeads = [] {
    std::array<Lead, 256> table{};
    for (unsigned c = 0; c < 0x20; ++c) table[c] = Lead::Control;
    for (unsigned char c : {'-', '*', '+'}) table[c] = Lead::Bullet;
    for (unsigned char c : {'=', '^', '_', '~'}) table[c] = Lead::Rule;
    for (unsigned char c = '0'; c <= '9'; ++c) table[c] = Lead::Digit;
    table['#'] = Lead::Hash;
    table['`'] = Lead::Backtick;
    table[0xE2] = Lead::Box;
    table['('] = Lead::Paren;
    table['|'] = Lead::Bar;
    table[0xC2] = Lead::Nbsp;
    return table;
}();

// The header's kStructuralLead, which the running-text shortcuts use, names the same bytes.
static_assert([] {
    for (unsigned c = 0x20; c < 256; ++c)
        if (kStructuralLead[c] != (kLeads[c] != Lead::Prose)) return false;
    return true;
}(), "kStructuralLead and kLeads disagree about a lead byte");

// What a title at column 0 starts with: a digit (numbered), a capital or '§' (keyword, capitals).
constexpr std::array<bool, 256> kTitleLeads = [] {
    std::array<bool, 256> table{};
    for (unsigned char c = '0'; c <= '9'; ++c) table[c] = true;
    for (unsigned char c = 'A'; c <= 'Z'; ++c) table[c] = true;
    table[0xC2] = true;
    return table;
}();

// Byte `i` of `text`, 0 past its end (0 is no space, digit or mark any rule looks for).
unsigned byte_at(std::string_view text, std::size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0u; }
unsigned is_space_byte(unsigned byte) { return kSeparatorBytes[byte & 0xFF]; }

// The list items, each for `rest` (a line after its spaces and tabs) that starts with its lead:
// "- item", "* item", "+ item"...
bool is_dash_item(std::string_view rest) { return is_space_byte(byte_at(rest, 1)) != 0; }

// ..."• item", "● item"...
bool is_bullet_item(std::string_view rest) {
    return rest.substr(0, 3) == "\xE2\x80\xA2" || rest.substr(0, 3) == "\xE2\x97\x8F";
}

// ..."1. item", "12) item" (at most 4 digits): without a branch per digit, as numbers of every
// length follow one another in tables...
bool is_numbered_item_bytes(std::string_view rest) {
    unsigned run = 1;
    std::size_t digits = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        run &= static_cast<unsigned>(byte_at(rest, i) - '0' < 10u);
        digits += run;
    }
    const unsigned mark = byte_at(rest, digits);
    return (static_cast<unsigned>(digits > 0) & static_cast<unsigned>(mark == '.' || mark == ')') &
            is_space_byte(byte_at(rest, digits + 1))) != 0;
}

inline bool is_numbered_item(std::string_view rest) {
    if constexpr (std::endian::native == std::endian::little) {
        if (rest.size() >= 8) {  // the first 8 bytes at once: byte k is bits 8k..8k+7
            std::uint64_t bytes;
            std::memcpy(&bytes, rest.data(), 8);
            // A digit's high nibble is 3 and its low nibble plus 6 does not reach 16: a byte of
            // `others` is not 0 where the byte is no digit.
            const std::uint64_t x = bytes ^ 0x3030303030303030u;
            const std::uint64_t others = (x & 0xF0F0F0F0F0F0F0F0u) | (((x & 0x0F0F0F0F0F0F0F0Fu) + 0x0606060606060606u) & 0x1010101010101010u);
            const auto digits = std::min<unsigned>(static_cast<unsigned>(__builtin_ctzll(others | (std::uint64_t{1} << 63))) / 8, 4);
            const auto mark = static_cast<unsigned>(bytes >> (8 * digits)) & 0xFFu;
            const auto after = static_cast<unsigned>(bytes >> (8 * digits + 8)) & 0xFFu;
            return (static_cast<unsigned>(digits > 0) & static_cast<unsigned>(mark == '.' || mark == ')') & is_space_byte(after)) != 0;
        }
    }
    return is_numbered_item_bytes(rest);
}

// ..."(a) item", "(1) item", "(iv) item": the first ')' closes it, at most 5 bytes in.
bool is_lettered_item(std::string_view rest) {
    if (rest.size() < 4) return false;
    const std::size_t close = rest.substr(0, 6).find(')');
    if (close == std::string_view::npos || close < 2 || close + 1 >= rest.size() || !is_space(rest[close + 1])) return false;
    for (std::size_t k = 1; k < close; ++k)
        if (!is_alnum(rest[k])) return false;
    return true;
}

// is_list_item() for the line after its spaces and tabs (numbers are the most common leads).
bool is_list_item_text(std::string_view rest) {
    if (rest.empty()) return false;
    const auto lead = static_cast<unsigned char>(rest[0]);
    if (static_cast<unsigned>(lead - '0') < 10u) return is_numbered_item(rest);
    if (lead == '-' || lead == '*' || lead == '+') return is_dash_item(rest);
    if (lead == '(') return is_lettered_item(rest);
    return lead == 0xE2 && is_bullet_item(rest);
}

// ``` or ~~~ after the indentation.
bool is_fence_marker(std::string_view rest) {
    return rest.size() >= 3 && (rest[0] == '`' || rest[0] == '~') && rest[1] == rest[0] && rest[2] == rest[0];
}

// The character a rule is drawn with ('b' for box drawing), or 0 when `line` (trimmed) is none.
char rule_character(std::string_view line) {
    if (line.size() < 3) return 0;
    const char first = line.front();
    if (first == '=' || first == '-' || first == '~' || first == '^' || first == '*' || first == '+' || first == '_') {
        for (char c : line)
            if (c != first) return 0;
        return first;
    }
    // Box-drawing characters U+2500..U+257F (E2 94 80 .. E2 95 BF), e.g. ━━━ or ═══.
    if (line.size() % 3 != 0 || line.size() < 9) return 0;
    for (std::size_t i = 0; i < line.size(); i += 3) {
        const auto b0 = static_cast<unsigned char>(line[i]), b1 = static_cast<unsigned char>(line[i + 1]);
        if (b0 != 0xE2 || (b1 != 0x94 && b1 != 0x95)) return 0;
    }
    return 'b';
}

// Whether `rest` (a line from its first byte, not a space) may be a rule: the only bytes that
// can follow its lead are the same byte again, or a box drawing's second byte.
bool may_be_rule(std::string_view rest) {
    const unsigned second = byte_at(rest, 1);
    return second == static_cast<unsigned char>(rest[0]) || second == 0x94 || second == 0x95;
}

// Whether the first `count` bytes of `line` are all `byte`: form feeds start a page, spaces indent.
bool leads_with_only(std::string_view line, std::size_t count, char byte) {
    return std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(count), [byte](char c) { return c == byte; });
}

// Any-space indentation: spaces and tabs (`indent`, from indent_length()) then \f, \v or \r too.
std::size_t space_indent(std::string_view line, std::size_t indent) {
    while (indent < line.size() && is_space(line[indent])) ++indent;
    return indent;
}

// Whether classify() could find more than a plain line in `rest`: a line from its first byte, which
// is not a space, a prose lead or '|', where no underline can follow. `title_position`: at
// column 0 after a blank line or a rule.
bool may_start_structure(std::string_view rest, bool column_zero, bool title_position) {
    const auto lead = static_cast<unsigned char>(rest[0]);
    const unsigned second = byte_at(rest, 1);
    switch (kLeads[lead]) {
    case Lead::Bullet: return second == lead || is_space_byte(second) != 0;  // a rule, a list item
    case Lead::Rule:
    case Lead::Backtick: return second == lead;  // a rule, a fence (``` or ~~~)
    case Lead::Hash: return column_zero;  // Markdown
    case Lead::Paren: return is_lettered_item(rest);
    case Lead::Box: return second == 0x94 || second == 0x95 || is_bullet_item(rest);  // other punctuation ("...) is prose
    case Lead::Nbsp: return title_position & (second == 0xA7);  // a no-break space is never more; '§' a keyword
    case Lead::Digit: return title_position | is_numbered_item(rest);  // a numbered heading, a list item
    default: return true;  // controls: classify() indents past \f, \v and \r
    }
}

}  // namespace

bool is_blank_line(std::string_view line) {
    for (char c : line)
        if (!is_space(c)) return false;
    return true;
}

bool is_rule_line(std::string_view line, char* rule_char) {
    const char drawn_with = rule_character(trim(line.substr(indent_length(line))));
    if (drawn_with != 0 && rule_char != nullptr) *rule_char = drawn_with;
    return drawn_with != 0;
}

bool is_list_item(std::string_view line) {
    const std::size_t indent = line.empty() || (line[0] != ' ' && line[0] != '\t') ? 0 : indent_length(line);
    return is_list_item_text(line.substr(indent));
}

void LineClassifier::reset() {
    HeadingMatch storage = std::move(heading_);
    *this = LineClassifier{};
    heading_ = std::move(storage);
}

bool LineClassifier::take_front_matter(std::string_view line) {
    const bool first_line = first_line_;
    first_line_ = false;
    // YAML front matter ("---" on the first line up to the next "---") is metadata, not headings.
    if (first_line && trim(line) == "---") {
        in_front_matter_ = true;
        previous_blank_ = false;
        previous_rule_ = false;
        return true;
    }
    if (!in_front_matter_) return false;
    if (trim(line) == "---" || trim(line) == "...") {
        in_front_matter_ = false;
        previous_blank_ = true;  // what follows starts a new block
    }
    return true;
}

LineKind LineClassifier::take_fenced_line(std::string_view line) {
    const std::size_t indent = space_indent(line, indent_length(line));
    if (is_fence_marker(line.substr(indent))) return LineKind::Heading;  // classify() keeps count of fences
    previous_blank_ = indent == line.size();
    return previous_blank_ ? LineKind::Blank : LineKind::Plain;
}

LineKind LineClassifier::take_title_candidate(std::string_view line, std::size_t indent, char next_lead) {
    // An underline may follow, or a keyword or capitals heading start here: classify() decides.
    if (kRuleLead[static_cast<unsigned char>(next_lead)]) return LineKind::Heading;
    if (indent == 0 && is_upper(line[0]) && (starts_with_keyword(line) || !capitals_title(line).empty()))
        return LineKind::Heading;
    return took(LineKind::Plain);  // "The ...": most lines in capitals after a blank line are sentences
}

LineKind LineClassifier::take_structural_line(std::string_view line, std::size_t indent, char next_lead) {
    // Bitwise, not branching, on what comes before and after: it is anyone's guess.
    const bool after_break = previous_blank_ | previous_rule_;
    const bool title_position = after_break & (indent == 0);
    // After a blank line or a rule, a line above a rule may be its title.
    const bool underline_next = after_break & kRuleLead[static_cast<unsigned char>(next_lead)];
    if (underline_next || may_start_structure(line.substr(indent), indent == 0, title_position)) return LineKind::Heading;
    return took(LineKind::Plain);
}

LineFacts LineClassifier::take_fenced(std::string_view rest, bool blank) {
    // Fenced code: `# comment` lines inside are code, not headings.
    if (is_fence_marker(rest)) {
        if (fence_ == 0) fence_ = rest[0];
        else if (fence_ == rest[0]) fence_ = 0;
        previous_blank_ = false;
        previous_rule_ = false;
        return {};
    }
    previous_blank_ = blank;
    return {blank ? LineKind::Blank : LineKind::Plain};
}

bool LineClassifier::match_underlined(std::string_view line, std::string_view next, bool list_item, bool was_rule) {
    char underline = 0;
    if (!is_rule_line(next, &underline)) return false;
    // An underline makes a heading even of a line that looks like a list item ("1. Scope"), if
    // it is as long as the line, as reStructuredText requires.
    const std::string_view title = trim(line);
    if (more_chars_than(title, kMaxHeadingChars) || (list_item && chars(trim(next)) < chars(title))) return false;
    fill_heading(heading_, {HeadingStyle::Markup::Underlined, underline, was_rule}, title);
    heading_.consumes_next_line = true;
    return true;
}

bool LineClassifier::match_at_column_zero(std::string_view line, const std::optional<std::string_view>& next) {
    const bool next_blank = !next || is_blank_line(*next);
    // Numbers start with a digit, keywords with a capital or '§' (0xC2).
    if (is_digit(line[0])) return match_numbered(line, next, heading_) || match_number_over_title(line, next, heading_);
    if (match_keyword(line, next_blank, heading_)) return true;
    const bool next_apart = next_blank || is_space((*next)[0]);  // blank or indented
    return is_upper(line[0]) && match_capitals(line, next_apart, heading_);
}

bool LineClassifier::match_title(std::string_view line, std::size_t indent, const std::optional<std::string_view>& next,
                                 bool list_item, bool was_rule) {
    const auto next_lead = static_cast<unsigned char>(next && !next->empty() ? next->front() : '\0');
    if (kRuleLead[next_lead] && match_underlined(line, *next, list_item, was_rule)) return true;
    const auto lead = static_cast<unsigned char>(line[indent]);
    // A form feed starts a page, where text from a PDF puts a chapter's title: it is no indent.
    if (leads_with_only(line, indent, '\f') && kTitleLeads[lead]) return match_at_column_zero(line.substr(indent), next);
    // A few spaces before a number that the running-text loop takes for a list item ("  0. Definitions.").
    return list_item && indent <= kMaxHeadingIndent && is_digit(line[indent]) && leads_with_only(line, indent, ' ') &&
           match_numbered(line.substr(indent), next, heading_, true);
}

LineFacts LineClassifier::classify(std::string_view line, const std::optional<std::string_view>& next) {
    if ((first_line_ || in_front_matter_) && take_front_matter(line)) return {};
    // List items are found after spaces and tabs; everything else after any space.
    const std::size_t list_indent = indent_length(line);
    const std::size_t indent = space_indent(line, list_indent);
    const std::string_view rest = line.substr(indent);
    if (fence_ != 0 || is_fence_marker(rest)) return take_fenced(rest, indent == line.size());
    if (indent == line.size()) {
        previous_blank_ = true;
        previous_rule_ = false;
        return {LineKind::Blank};
    }
    const bool after_break = previous_blank_ | previous_rule_, was_rule = previous_rule_;
    previous_blank_ = false;
    previous_rule_ = false;

    // Most lines are prose: the first character says which patterns to try.
    const bool list_indented = indent == list_indent;
    bool list_item = false;
    switch (kLeads[static_cast<unsigned char>(rest[0])]) {
    case Lead::Hash:
        if (indent == 0 && match_markdown(line, heading_)) return found_heading();
        break;
    case Lead::Bullet:
    case Lead::Rule:
    case Lead::Box:
        if (may_be_rule(rest) && is_rule_line(rest)) {
            previous_rule_ = true;
            return {LineKind::Rule};
        }
        list_item = list_indented && is_list_item_text(rest);
        break;
    case Lead::Paren: list_item = list_indented && is_lettered_item(rest); break;
    case Lead::Digit: list_item = list_indented && is_numbered_item(rest); break;
    case Lead::Bar: return {LineKind::TableRow};  // never a title
    default: break;
    }
    if (after_break && match_title(line, indent, next, list_item, was_rule)) return found_heading();
    return {list_item ? LineKind::ListItem : LineKind::Plain};
}

}  // namespace semantic_chunker
