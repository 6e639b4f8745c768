#include "line_classifier.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <text_kit/utf8.hpp>

#include "title_cleaning.hpp"

namespace semantic_chunker {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
// std::isalnum, answered without a library call for ASCII (above it the answer depends on the locale).
bool is_alnum(char c) {
    const auto byte = static_cast<unsigned char>(c);
    const auto lower = static_cast<unsigned char>(byte | 0x20);
    return byte < 0x80 ? is_digit(c) || (lower >= 'a' && lower <= 'z') : std::isalnum(byte) != 0;
}

// Bytes of the separator at `pos`: a space, a tab, or a no-break space (U+00A0), which documents
// converted from HTML put between a heading's number and its title. 0 when there is none.
std::size_t separator_length(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) return 0;
    if (text[pos] == ' ' || text[pos] == '\t') return 1;
    if (text[pos] == '\xC2' && pos + 1 < text.size() && text[pos + 1] == '\xA0') return 2;
    return 0;
}

std::size_t skip_separators(std::string_view text, std::size_t pos) {
    while (std::size_t length = separator_length(text, pos)) pos += length;
    return pos;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

std::size_t chars(std::string_view text) { return text_kit::count_code_points(text); }
// Code points are only counted where the bytes could exceed the limit.
bool more_chars_than(std::string_view text, std::size_t limit) { return text.size() > limit && chars(text) > limit; }

using title_cleaning::kSeparatorBytes;

// Starts `match` afresh as a heading of `style` titled `title` (cleaned).
void fill(HeadingMatch& match, HeadingStyle style, std::string_view title) {
    match.style = style;
    match.markdown_level = 0;
    match.number_depth = 0;
    match.number.clear();
    match.consumes_next_line = false;
    clean_title(title, match.title);
}

std::size_t count_words(std::string_view text) {
    std::size_t words = 0;
    bool in_word = false;
    for (char c : text) {
        const bool space = is_space(c);
        if (!space && !in_word) ++words;
        in_word = !space;
    }
    return words;
}

// A title may start with a capital or with any non-ASCII letter (CJK, Cyrillic, accented...).
bool starts_like_title(std::string_view text) {
    if (text.empty()) return false;
    const auto c = static_cast<unsigned char>(text.front());
    return is_upper(text.front()) || c >= 0xC0;
}

// `#`..`######` then a space: a Markdown ATX heading.
bool match_markdown(std::string_view line, HeadingMatch& match) {
    std::size_t hashes = 0;
    while (hashes < line.size() && line[hashes] == '#') ++hashes;
    if (hashes == 0 || hashes > 6 || hashes == line.size() || !is_space(line[hashes])) return false;
    std::string_view title = trim(line.substr(hashes));
    while (!title.empty() && title.back() == '#') title.remove_suffix(1);  // closing sequence
    title = trim(title);
    if (title.empty() || more_chars_than(title, kMaxHeadingChars)) return false;
    fill(match, {HeadingStyle::Markup::Markdown}, title);
    match.markdown_level = static_cast<int>(hashes);
    return true;
}

// A dotted number at the start: "4", "4.1", "4.1.2" with an optional final dot. Returns the
// number of components, 0 when there is none; `length` gets the bytes it spans.
int dotted_number(std::string_view text, std::size_t& length, bool& trailing_dot) {
    std::size_t i = 0;
    int depth = 0;
    trailing_dot = false;
    while (true) {
        const std::size_t start = i;
        while (i < text.size() && i - start < 4 && is_digit(text[i])) ++i;
        if (i == start) break;
        ++depth;
        trailing_dot = false;
        if (i < text.size() && text[i] == '.') {
            trailing_dot = true;
            ++i;
            if (i < text.size() && is_digit(text[i])) continue;
        }
        break;
    }
    if (depth == 0) return 0;
    length = i;
    return depth;
}

// "4.1 Cardiovascular Management", "5.1.1. The hostname resolution", "2. Scope" (isolated).
bool match_numbered(std::string_view line, bool next_blank, HeadingMatch& match) {
    std::size_t length = 0;
    bool trailing_dot = false;
    const int depth = dotted_number(line, length, trailing_dot);
    if (depth == 0 || separator_length(line, length) == 0) return false;
    const std::string_view rest = trim(line.substr(skip_separators(line, length)));
    if (!starts_like_title(rest)) return false;
    const std::string_view title = trim(line);
    // Only compared with 60 and 100: a title of at most 60 bytes has at most 60 code points.
    const std::size_t title_chars = title.size() > 60 ? chars(title) : title.size();
    const char last = title.back();
    if (last == ',' || last == ';') return false;
    // "1. Something" is usually an ordered list item: only a short line on its own counts, and
    // not one that reads as a sentence.
    if (depth == 1 && (!trailing_dot || !next_blank || title_chars > 60 || count_words(rest) > 8 ||
                       (last == '.' && count_words(rest) > 3)))
        return false;
    if (title_chars > 100) return false;
    fill(match, {HeadingStyle::Markup::Numbered, depth}, title);
    match.number_depth = depth;
    match.number.assign(line.substr(0, trailing_dot ? length - 1 : length));
    return true;
}

// What a heading in capitals may hold: 2 for a capital, 1 for a digit, a space or - & , ( ) / ' :
constexpr std::array<std::uint8_t, 256> kCapitalsBytes = [] {
    std::array<std::uint8_t, 256> table{};
    for (unsigned char c = 'A'; c <= 'Z'; ++c) table[c] = 2;
    for (unsigned char c = '0'; c <= '9'; ++c) table[c] = 1;
    for (unsigned char c : {' ', '\t', '\f', '\v', '\r', '-', '&', ',', '(', ')', '/', '\'', ':'}) table[c] = 1;
    return table;
}();

// "DESCRIPTION", "SHELL GRAMMAR", "PREAMBLE": a short line in capitals at column 0, as in manual
// pages and legal texts.
// The title, or an empty view when the line is none.
std::string_view capitals_title(std::string_view line) {
    const std::string_view title = trim(line);
    if (title.size() < 4 || title.size() > kMaxCapitalsBytes) return {};
    int letters = 0;
    for (char c : title) {
        const std::uint8_t kind = kCapitalsBytes[static_cast<unsigned char>(c)];
        if (kind == 0) return {};
        letters += kind >> 1;
    }
    return letters < 4 ? std::string_view() : title;
}

bool match_capitals(std::string_view line, HeadingMatch& match) {
    const std::string_view title = capitals_title(line);
    if (title.empty()) return false;
    fill(match, {HeadingStyle::Markup::Capitals}, title);
    return true;
}

bool is_roman(std::string_view token) {
    if (token.empty()) return false;
    for (char c : token)
        if (c != 'I' && c != 'V' && c != 'X' && c != 'L' && c != 'C' && c != 'D' && c != 'M') return false;
    return true;
}

struct Keyword {
    std::string_view text;
    int style;  // the same for a keyword in capitals and capitalised
};

// Whether `line` starts with `word`: a compare of known size, inlined.
template <std::size_t N>
bool starts_with(std::string_view line, const char (&word)[N]) {
    return line.size() >= N - 1 && std::memcmp(line.data(), word, N - 1) == 0;
}

// The keyword `line` starts with, if any. None is a prefix of another, so at most one is.
std::optional<Keyword> keyword_at_start(std::string_view line) {
    switch (line[0]) {
    case 'C':
        if (starts_with(line, "CHAPTER") || starts_with(line, "Chapter")) return Keyword{line.substr(0, 7), 0};
        break;
    case 'P':
        if (starts_with(line, "PART") || starts_with(line, "Part")) return Keyword{line.substr(0, 4), 1};
        break;
    case 'A':
        if (starts_with(line, "ARTICLE") || starts_with(line, "Article")) return Keyword{line.substr(0, 7), 2};
        break;
    case 'S':
        if (starts_with(line, "SECTION") || starts_with(line, "Section")) return Keyword{line.substr(0, 7), 3};
        if (starts_with(line, "Sec.") || starts_with(line, "SEC.")) return Keyword{line.substr(0, 4), 5};
        break;
    case 'T':
        if (starts_with(line, "TITLE") || starts_with(line, "Title")) return Keyword{line.substr(0, 5), 4};
        break;
    case '\xC2':
        if (starts_with(line, "\xC2\xA7")) return Keyword{line.substr(0, 2), 6};  // §
        break;
    default: break;
    }
    return std::nullopt;
}

// "ARTICLE I", "SECTION. 1.", "Sec. 110.", "Chapter 5", "PART 1—DEFINITIONS", "§ 1.1 Definitions."
bool match_keyword(std::string_view line, bool next_blank, HeadingMatch& match) {
    const std::optional<Keyword> keyword = keyword_at_start(line);
    if (!keyword) return false;
    std::size_t i = keyword->text.size();
    if (i < line.size() && line[i] == '.') ++i;
    if (separator_length(line, i) == 0) return false;
    i = skip_separators(line, i);
    std::size_t token_end = i;
    while (token_end < line.size() && (is_alnum(line[token_end]) || line[token_end] == '.')) ++token_end;
    std::string_view token = line.substr(i, token_end - i);
    while (!token.empty() && token.back() == '.') token.remove_suffix(1);
    std::size_t number_length = 0;
    bool trailing_dot = false;
    const bool numbered = dotted_number(token, number_length, trailing_dot) > 0 && number_length == token.size();
    if (!numbered && !is_roman(token)) return false;
    const HeadingStyle style{HeadingStyle::Markup::Keyword, keyword->style};
    const std::string_view title = trim(line);
    if (!more_chars_than(title, 80) && (next_blank || token_end == line.size())) {
        fill(match, style, title);
        return true;
    }
    // A heading that runs on into its text ("SECTION. 1. All legislative Powers herein..."):
    // only when the number is closed by '.' or ':', and then the number is the title.
    if (token_end >= line.size() || (line[token_end - 1] != '.' && line[token_end] != ':' && line[token_end] != '.'))
        return false;
    std::size_t end = token_end;
    if (end < line.size() && (line[end] == '.' || line[end] == ':')) ++end;
    fill(match, style, line.substr(0, end));
    return true;
}

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
    if (indent == 0 && is_upper(line[0]) && (keyword_at_start(line) || !capitals_title(line).empty()))
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
    fill(heading_, {HeadingStyle::Markup::Underlined, underline, was_rule}, title);
    heading_.consumes_next_line = true;
    return true;
}

bool LineClassifier::match_at_column_zero(std::string_view line, const std::optional<std::string_view>& next) {
    const bool next_blank = !next || is_blank_line(*next);
    // Numbers start with a digit, keywords with a capital or '§' (0xC2).
    if (is_digit(line[0])) return match_numbered(line, next_blank, heading_);
    return match_keyword(line, next_blank, heading_) || (is_upper(line[0]) && match_capitals(line, heading_));
}

bool LineClassifier::match_title(std::string_view line, std::size_t indent, const std::optional<std::string_view>& next,
                                 bool list_item, bool was_rule) {
    const auto next_lead = static_cast<unsigned char>(next && !next->empty() ? next->front() : '\0');
    if (kRuleLead[next_lead] && match_underlined(line, *next, list_item, was_rule)) return true;
    return ((indent == 0) & kTitleLeads[static_cast<unsigned char>(line[indent])]) && match_at_column_zero(line, next);
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
