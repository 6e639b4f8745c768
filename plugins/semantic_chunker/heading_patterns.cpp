// The heading patterns of docs/chunking.md, rule 1: Markdown, numbered, keyword and capitals headings.
#include "heading_patterns.hpp"

#include <array>
#include <cstdint>
#include <cstring>

#include "line_text.hpp"
#include "title_cleaning.hpp"

namespace semantic_chunker {

using namespace line_text;

namespace {

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

// Calls visit(word) for each word of `text` (bytes between spaces) in order, while it returns
// true; returns whether it did for all of them.
template <typename Visit>
bool every_word(std::string_view text, Visit visit) {
    for (std::size_t i = 0; i < text.size();) {
        while (i < text.size() && is_space(text[i])) ++i;
        const std::size_t begin = i;
        while (i < text.size() && !is_space(text[i])) ++i;
        if (i > begin && !visit(text.substr(begin, i - begin))) return false;
    }
    return true;
}

std::size_t count_words(std::string_view text) {
    std::size_t words = 0;
    every_word(text, [&words](std::string_view) { return ++words, true; });
    return words;
}

// A title may start with a capital or with any non-ASCII letter (CJK, Cyrillic, accented...).
bool starts_like_title(std::string_view text) {
    if (text.empty()) return false;
    const auto c = static_cast<unsigned char>(text.front());
    return is_upper(text.front()) || c >= 0xC0;
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

// What a heading in capitals may hold: 2 for a capital, 1 for a digit, a space or - & , ( ) / ' :
constexpr std::array<std::uint8_t, 256> kCapitalsBytes = [] {
    std::array<std::uint8_t, 256> table{};
    for (unsigned char c = 'A'; c <= 'Z'; ++c) table[c] = 2;
    for (unsigned char c = '0'; c <= '9'; ++c) table[c] = 1;
    for (unsigned char c : {' ', '\t', '\f', '\v', '\r', '-', '&', ',', '(', ')', '/', '\'', ':'}) table[c] = 1;
    return table;
}();

bool is_roman(std::string_view token) {
    if (token.empty()) return false;
    for (char c : token)
        if (c != 'I' && c != 'V' && c != 'X' && c != 'L' && c != 'C' && c != 'D' && c != 'M') return false;
    return true;
}

// "Part One", "CHAPTER TWELVE": a number written as a word, capitalised or in capitals.
bool is_number_word(std::string_view token) {
    static constexpr std::string_view kWords[] = {"One", "Two", "Three", "Four",  "Five",   "Six",
                                                  "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve"};
    for (const std::string_view word : kWords) {
        if (token.size() != word.size() || token[0] != word[0]) continue;
        bool same = true;  // the rest in lower case, or all of it in capitals
        const bool capitals = token.size() > 1 && is_upper(token[1]);
        for (std::size_t i = 1; i < word.size() && same; ++i)
            same = token[i] == (capitals ? static_cast<char>(word[i] - 'a' + 'A') : word[i]);
        if (same) return true;
    }
    return false;
}

// Short words a title leaves in lower case ("Use with the GNU Affero General Public License").
bool is_minor_word(std::string_view word) {
    static constexpr std::string_view kMinor[] = {"a",   "an", "and", "as", "at",   "but", "by", "for", "from", "in",
                                                  "into", "nor", "of", "on", "or", "the", "this", "to", "vs.", "with"};
    for (const std::string_view minor : kMinor)
        if (word == minor) return true;
    return false;
}

// The bytes that may open a word before its first letter: ( [ " ' ` and the curly quotes “ ‘.
std::size_t opening_marks(std::string_view word) {
    std::size_t i = 0;
    while (i < word.size()) {
        const char c = word[i];
        if (c == '(' || c == '[' || c == '"' || c == '\'' || c == '`') {
            ++i;
        } else if (word.substr(i, 3) == "\xE2\x80\x9C" || word.substr(i, 3) == "\xE2\x80\x98") {
            i += 3;
        } else {
            break;
        }
    }
    return i;
}

// Whether `text` is written as a title: a capital first, and no word in lower case but the minor
// ones, quotes and brackets before a word's first letter aside. "Acceptance Not Required for
// Having Copies." is a title; "Take the pills." and 'Run "make".' are sentences. A word that
// starts with a letter outside ASCII makes it false: its case is not looked up.
bool reads_as_title(std::string_view text) {
    if (text.empty() || !is_upper(text.front())) return false;
    return every_word(text, [](std::string_view word) {
        const std::size_t marks = opening_marks(word);
        if (marks == word.size()) return true;
        const auto lead = static_cast<unsigned char>(word[marks]);
        return lead < 0x80 && !(lead >= 'a' && lead <= 'z' && (marks > 0 || !is_minor_word(word)));
    });
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

}  // namespace

// Starts `match` afresh as a heading of `style` titled `title` (cleaned).
void fill_heading(HeadingMatch& match, HeadingStyle style, std::string_view title) {
    match.style = style;
    match.markdown_level = 0;
    match.number_depth = 0;
    match.number.clear();
    match.consumes_next_line = false;
    clean_title(title, match.title);
}

// "DESCRIPTION", "SHELL GRAMMAR", "PREAMBLE": a short line in capitals at column 0, as in manual
// pages and legal texts. The title, or an empty view when the line is none.
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

// `#`..`######` then a space: a Markdown ATX heading.
bool match_markdown(std::string_view line, HeadingMatch& match) {
    std::size_t hashes = 0;
    while (hashes < line.size() && line[hashes] == '#') ++hashes;
    if (hashes == 0 || hashes > 6 || hashes == line.size() || !is_space(line[hashes])) return false;
    std::string_view title = trim(line.substr(hashes));
    while (!title.empty() && title.back() == '#') title.remove_suffix(1);  // closing sequence
    title = trim(title);
    if (title.empty() || more_chars_than(title, kMaxHeadingChars)) return false;
    fill_heading(match, {HeadingStyle::Markup::Markdown}, title);
    match.markdown_level = static_cast<int>(hashes);
    return true;
}

// A one-level number on a line of its own, `rest` being its title: "2. Scope". An ordered list
// item as a rule: only a short line between blank lines counts, and not one that reads as a
// sentence (more than three words and a final dot, not written as a title). Indented, only a
// title that ends in a dot: "  0. Definitions.", as the GNU licences number their sections. A
// title may be longer.
bool is_lone_number_title(std::string_view rest, std::string_view title, bool next_blank, bool indented) {
    const char last = title.back();
    if (!next_blank || last == ',' || last == ';' || (indented && last != '.')) return false;
    // Only compared with 60 and 80: a title of at most 60 bytes has at most 60 code points.
    const std::size_t title_chars = title.size() > 60 ? chars(title) : title.size();
    if (title_chars > 80) return false;
    const std::size_t words = count_words(rest);
    if (words > 8) return false;
    const bool needs_title_case = indented || title_chars > 60 || (last == '.' && words > 3);
    return !needs_title_case || reads_as_title(rest);
}

// A one-level number whose title runs on into its text: "2. Grant of Copyright License. Subject
// to the terms…", as licences and regulations number their sections. The number and the title, up
// to its dot, are the heading; not where the next line starts with a digit, as the next item of a
// list of such lines would.
bool match_run_in_title(std::string_view line, std::size_t title_begin, const std::optional<std::string_view>& next,
                        HeadingMatch& match) {
    constexpr std::size_t kMaxRunInTitleBytes = 60;
    const std::size_t dot = line.substr(0, title_begin + kMaxRunInTitleBytes + 2).find(". ", title_begin);
    if (dot == std::string_view::npos) return false;
    const std::string_view title = line.substr(title_begin, dot + 1 - title_begin);
    if (count_words(title) > 8 || !reads_as_title(title)) return false;
    const std::string_view text = trim(line.substr(dot + 1));
    if (text.empty() || !is_upper(text.front())) return false;  // the text goes on with a sentence
    const std::string_view following = next ? trim(*next) : std::string_view();
    if (!following.empty() && is_digit(following.front())) return false;
    fill_heading(match, {HeadingStyle::Markup::Numbered, 1}, line.substr(0, dot + 1));
    return true;
}

// "4.1 Cardiovascular Management", "5.1.1. The hostname resolution", "2. Scope" (isolated).
bool match_numbered(std::string_view line, const std::optional<std::string_view>& next, HeadingMatch& match, bool indented) {
    std::size_t length = 0;
    bool trailing_dot = false;
    const int depth = dotted_number(line, length, trailing_dot);
    if (depth == 0 || separator_length(line, length) == 0) return false;
    const std::size_t title_begin = skip_separators(line, length);
    const std::string_view rest = trim(line.substr(title_begin));
    if (!starts_like_title(rest)) return false;
    const std::string_view title = trim(line);
    if (depth == 1) {
        if (!trailing_dot) return false;
        if (is_lone_number_title(rest, title, !next || is_blank_line(*next), indented))
            fill_heading(match, {HeadingStyle::Markup::Numbered, depth}, title);
        else if (!match_run_in_title(line, title_begin, next, match))
            return false;
    } else {
        // Indented, a deeper number is an entry of a table of contents: "   4.1 Overview ....... 5".
        if (indented || title.back() == ',' || title.back() == ';' || more_chars_than(title, 100)) return false;
        fill_heading(match, {HeadingStyle::Markup::Numbered, depth}, title);
    }
    match.number_depth = depth;
    match.number.assign(line.substr(0, trailing_dot ? length - 1 : length));
    return true;
}

// "1." alone over "Filing Information": a chapter's number and title on lines of their own, as
// text taken from a PDF often sets them.
bool match_number_over_title(std::string_view line, const std::optional<std::string_view>& next, HeadingMatch& match) {
    const std::string_view number = trim(line);
    std::size_t length = 0;
    bool trailing_dot = false;
    if (number.size() > 3 || dotted_number(number, length, trailing_dot) != 1 || !trailing_dot || length != number.size())
        return false;
    if (!next || next->empty() || is_space(next->front())) return false;
    const std::string_view title = trim(*next);
    if (title.empty() || more_chars_than(title, 60) || count_words(title) > 8 || !reads_as_title(title)) return false;
    const char last = title.back();
    if (last == '.' || last == ',' || last == ';' || last == ':') return false;
    fill_heading(match, {HeadingStyle::Markup::Numbered, 1}, title);
    match.title.insert(0, 1, ' ').insert(0, number.data(), number.size());
    match.number_depth = 1;
    match.number.assign(number.substr(0, number.size() - 1));
    match.consumes_next_line = true;
    return true;
}

bool match_capitals(std::string_view line, bool next_apart, HeadingMatch& match) {
    const std::string_view title = capitals_title(line);
    if (title.empty()) return false;
    // One word over text at column 0 is a label or a table cell ("THEN" over "your" in a tax
    // table, which became the heading of the rest of the document), not a section.
    if (!next_apart && count_words(title) == 1) return false;
    fill_heading(match, {HeadingStyle::Markup::Capitals}, title);
    return true;
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
    if (!numbered && !is_roman(token) && !is_number_word(token)) return false;
    // A word in lower case after the number makes a sentence: "Chapter 11 bankruptcy filings rose."
    const std::string_view after_number = trim(line.substr(token_end));
    if (!after_number.empty() && after_number.front() >= 'a' && after_number.front() <= 'z') return false;
    const HeadingStyle style{HeadingStyle::Markup::Keyword, keyword->style};
    const std::string_view title = trim(line);
    if (!more_chars_than(title, 80) && (next_blank || token_end == line.size())) {
        fill_heading(match, style, title);
        return true;
    }
    // A heading that runs on into its text ("SECTION. 1. All legislative Powers herein..."):
    // only when the number is closed by '.' or ':', and then the number is the title.
    if (token_end >= line.size() || (line[token_end - 1] != '.' && line[token_end] != ':' && line[token_end] != '.'))
        return false;
    std::size_t end = token_end;
    if (end < line.size() && (line[end] == '.' || line[end] == ':')) ++end;
    fill_heading(match, style, line.substr(0, end));
    return true;
}

bool starts_with_keyword(std::string_view line) { return keyword_at_start(line).has_value(); }

}  // namespace semantic_chunker
