#include "line_classifier.hpp"

#include <cctype>
#include <text_kit/utf8.hpp>

namespace semantic_chunker {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

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

// Whether `text` is already a clean title: single spaces between words and no other separator.
bool single_spaced(std::string_view text) {
    if (text.empty() || text.front() == ' ' || text.back() == ' ') return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == ' ' ? text[i + 1] == ' ' : is_space(text[i]) || separator_length(text, i) > 0) return false;
    }
    return true;
}

// Titles are shown to people and models: runs of spaces, tabs and no-break spaces become one space.
std::string clean_title(std::string_view text) {
    if (single_spaced(text)) return std::string(text);  // most titles: copied whole
    std::string title;
    title.reserve(text.size());
    bool pending_space = false;
    for (std::size_t i = 0; i < text.size();) {
        if (const std::size_t length = separator_length(text, i); length > 0 || is_space(text[i])) {
            pending_space = !title.empty();
            i += length > 0 ? length : 1;
            continue;
        }
        if (pending_space) title.push_back(' ');
        pending_space = false;
        title.push_back(text[i++]);
    }
    return title;
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

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

// A title may start with a capital or with any non-ASCII letter (CJK, Cyrillic, accented...).
bool starts_like_title(std::string_view text) {
    if (text.empty()) return false;
    const auto c = static_cast<unsigned char>(text.front());
    return is_upper(text.front()) || c >= 0xC0;
}

std::size_t chars(std::string_view text) { return text_kit::count_code_points(text); }

// `#`..`######` then a space: a Markdown ATX heading.
[[gnu::noinline]] std::optional<HeadingMatch> match_markdown(std::string_view line) {
    std::size_t hashes = 0;
    while (hashes < line.size() && line[hashes] == '#') ++hashes;
    if (hashes == 0 || hashes > 6 || hashes == line.size() || !is_space(line[hashes])) return std::nullopt;
    std::string_view title = trim(line.substr(hashes));
    while (!title.empty() && title.back() == '#') title.remove_suffix(1);  // closing sequence
    title = trim(title);
    if (title.empty() || chars(title) > kMaxHeadingChars) return std::nullopt;
    HeadingMatch match;
    match.style = "#";
    match.markdown_level = static_cast<int>(hashes);
    match.title = clean_title(title);
    return match;
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
[[gnu::noinline]] std::optional<HeadingMatch> match_numbered(std::string_view line, bool next_blank) {
    std::size_t length = 0;
    bool trailing_dot = false;
    const int depth = dotted_number(line, length, trailing_dot);
    if (depth == 0 || separator_length(line, length) == 0) return std::nullopt;
    const std::string_view rest = trim(line.substr(skip_separators(line, length)));
    if (!starts_like_title(rest)) return std::nullopt;
    const std::string_view title = trim(line);
    const std::size_t title_chars = chars(title);
    const char last = title.back();
    if (last == ',' || last == ';') return std::nullopt;
    // "1. Something" is usually an ordered list item: only a short line on its own counts, and
    // not one that reads as a sentence.
    if (depth == 1 && (!trailing_dot || !next_blank || title_chars > 60 || count_words(rest) > 8 ||
                       (last == '.' && count_words(rest) > 3)))
        return std::nullopt;
    if (title_chars > 100) return std::nullopt;
    HeadingMatch match;
    match.style = "n" + std::to_string(depth);
    match.number_depth = depth;
    match.number = std::string(line.substr(0, trailing_dot ? length - 1 : length));
    match.title = clean_title(title);
    return match;
}

// "DESCRIPTION", "SHELL GRAMMAR", "PREAMBLE": a short line in capitals at column 0, as in manual
// pages and legal texts.
[[gnu::noinline]] std::optional<HeadingMatch> match_capitals(std::string_view line) {
    const std::string_view title = trim(line);
    if (title.size() < 4 || title.size() > kMaxCapitalsBytes) return std::nullopt;
    int letters = 0;
    for (char c : title) {
        if (is_upper(c)) ++letters;
        else if (!(is_space(c) || is_digit(c) || c == '-' || c == '&' || c == ',' || c == '(' || c == ')' || c == '/' ||
                   c == '\'' || c == ':'))
            return std::nullopt;
    }
    if (letters < 4) return std::nullopt;
    HeadingMatch match;
    match.style = "caps";
    match.title = clean_title(title);
    return match;
}

bool could_start_rule(char c) { return kRuleLead[static_cast<unsigned char>(c)]; }

bool could_start_list_item(char c) {
    return c == '-' || c == '*' || c == '+' || c == '(' || c == '\xE2' || is_digit(c);
}

bool is_roman(std::string_view token) {
    if (token.empty()) return false;
    for (char c : token)
        if (c != 'I' && c != 'V' && c != 'X' && c != 'L' && c != 'C' && c != 'D' && c != 'M') return false;
    return true;
}

// "ARTICLE I", "SECTION. 1.", "Sec. 110.", "Chapter 5", "PART 1—DEFINITIONS", "§ 1.1 Definitions."
[[gnu::noinline]] std::optional<HeadingMatch> match_keyword(std::string_view line, bool next_blank) {
    static constexpr std::string_view kKeywords[] = {"CHAPTER", "Chapter", "PART",    "Part",    "ARTICLE",
                                                     "Article", "SECTION", "Section", "TITLE",   "Title",
                                                     "Sec.",    "SEC.",    "§"};
    std::string_view keyword;
    for (auto candidate : kKeywords)
        if (line.substr(0, candidate.size()) == candidate) {
            keyword = candidate;
            break;
        }
    if (keyword.empty()) return std::nullopt;
    std::size_t i = keyword.size();
    if (i < line.size() && line[i] == '.') ++i;
    if (separator_length(line, i) == 0) return std::nullopt;
    i = skip_separators(line, i);
    std::size_t token_end = i;
    while (token_end < line.size() && (std::isalnum(static_cast<unsigned char>(line[token_end])) || line[token_end] == '.'))
        ++token_end;
    std::string_view token = line.substr(i, token_end - i);
    while (!token.empty() && token.back() == '.') token.remove_suffix(1);
    std::size_t number_length = 0;
    bool trailing_dot = false;
    const bool numbered = dotted_number(token, number_length, trailing_dot) > 0 && number_length == token.size();
    if (!numbered && !is_roman(token)) return std::nullopt;
    const std::string_view title = trim(line);
    HeadingMatch match;
    std::string lowered;
    for (char c : keyword)
        if (c != '.') lowered.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    match.style = "k:" + lowered;
    if (chars(title) <= 80 && (next_blank || token_end == line.size())) {
        match.title = clean_title(title);
    } else {
        // A heading that runs on into its text ("SECTION. 1. All legislative Powers herein..."):
        // only when the number is closed by '.' or ':', and then the number is the title.
        if (token_end >= line.size() || (line[token_end - 1] != '.' && line[token_end] != ':' && line[token_end] != '.'))
            return std::nullopt;
        std::size_t end = token_end;
        if (end < line.size() && (line[end] == '.' || line[end] == ':')) ++end;
        match.title = clean_title(line.substr(0, end));
    }
    return match;
}

}  // namespace

bool is_blank_line(std::string_view line) {
    for (char c : line)
        if (!is_space(c)) return false;
    return true;
}

bool is_rule_line(std::string_view line, char* rule_char) {
    line = trim(line);
    if (line.size() < 3) return false;
    const char first = line.front();
    if (first == '=' || first == '-' || first == '~' || first == '^' || first == '*' || first == '+' || first == '_') {
        for (char c : line)
            if (c != first) return false;
        if (rule_char) *rule_char = first;
        return true;
    }
    // Box-drawing characters U+2500..U+257F (E2 94 80 .. E2 95 BF), e.g. ━━━ or ═══.
    if (line.size() % 3 != 0 || line.size() < 9) return false;
    for (std::size_t i = 0; i < line.size(); i += 3) {
        const auto b0 = static_cast<unsigned char>(line[i]), b1 = static_cast<unsigned char>(line[i + 1]);
        if (b0 != 0xE2 || (b1 != 0x94 && b1 != 0x95)) return false;
    }
    if (rule_char) *rule_char = 'b';
    return true;
}

bool is_list_item(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::string_view rest = line.substr(i);
    if (rest.size() >= 2 && (rest[0] == '-' || rest[0] == '*' || rest[0] == '+') && is_space(rest[1])) return true;
    if (rest.substr(0, 3) == "\xE2\x80\xA2" || rest.substr(0, 3) == "\xE2\x97\x8F") return true;  // • ●
    std::size_t digits = 0;
    while (digits < rest.size() && digits < 4 && is_digit(rest[digits])) ++digits;
    if (digits > 0 && digits + 1 < rest.size() && (rest[digits] == '.' || rest[digits] == ')') && is_space(rest[digits + 1]))
        return true;
    // "(a) ", "(1) ", "(iv) "
    if (rest.size() >= 4 && rest[0] == '(') {
        const std::size_t close = rest.find(')');
        if (close != std::string_view::npos && close > 1 && close <= 5 && close + 1 < rest.size() && is_space(rest[close + 1])) {
            for (std::size_t k = 1; k < close; ++k)
                if (!std::isalnum(static_cast<unsigned char>(rest[k]))) return false;
            return true;
        }
    }
    return false;
}

void LineClassifier::reset() { *this = LineClassifier{}; }

LineFacts LineClassifier::classify(std::string_view line, const std::optional<std::string_view>& next) {
    LineFacts facts;
    const bool previous_blank = previous_blank_ || previous_rule_;
    const bool first_line = first_line_;
    first_line_ = false;

    // YAML front matter ("---" on the first line up to the next "---") is metadata, not headings.
    if (first_line && trim(line) == "---") {
        in_front_matter_ = true;
        previous_blank_ = false;
        previous_rule_ = false;
        return facts;
    }
    if (in_front_matter_) {
        if (trim(line) == "---" || trim(line) == "...") {
            in_front_matter_ = false;
            previous_blank_ = true;  // what follows starts a new block
        }
        return facts;
    }
    std::size_t indent = 0;
    while (indent < line.size() && is_space(line[indent])) ++indent;
    const std::string_view rest_of_line = line.substr(indent);
    // Fenced code: `# comment` lines inside are code, not headings.
    if (rest_of_line.size() >= 3 && (rest_of_line[0] == '`' || rest_of_line[0] == '~') && rest_of_line[1] == rest_of_line[0] &&
        rest_of_line[2] == rest_of_line[0]) {
        const char marker = rest_of_line[0];
        if (fence_ == 0) fence_ = marker;
        else if (fence_ == marker) fence_ = 0;
        previous_blank_ = false;
        previous_rule_ = false;
        return facts;
    }
    if (fence_ != 0) {
        previous_blank_ = indent == line.size();
        facts.kind = previous_blank_ ? LineKind::Blank : LineKind::Plain;
        return facts;
    }
    if (indent == line.size()) {
        previous_blank_ = true;
        previous_rule_ = false;
        facts.kind = LineKind::Blank;
        return facts;
    }
    const bool was_rule = previous_rule_;
    previous_blank_ = false;
    previous_rule_ = false;

    // Most lines are prose: test the first character before trying any pattern.
    const char lead = line[indent];
    if (lead == '#' && indent == 0) {
        if (auto heading = match_markdown(line)) {
            facts.kind = LineKind::Heading;
            facts.heading = std::make_unique<HeadingMatch>(std::move(*heading));
            return facts;
        }
    }
    if (could_start_rule(lead) && is_rule_line(line)) {
        previous_rule_ = true;
        facts.kind = LineKind::Rule;
        return facts;
    }
    const bool list_item = could_start_list_item(lead) && is_list_item(line);
    const auto stripped = [&line] { return trim(line); };
    const bool table_row = lead == '|';
    const bool column_zero = indent == 0;
    char underline = 0;
    // An underline makes a heading even of a line that looks like a list item ("1. Scope"), if
    // it is as long as the line, as reStructuredText requires.
    if (!table_row && (previous_blank || was_rule) && next && !next->empty() && could_start_rule(next->front()) &&
        is_rule_line(*next, &underline) && chars(stripped()) <= kMaxHeadingChars &&
        (!list_item || chars(trim(*next)) >= chars(stripped()))) {
        HeadingMatch match;
        match.style = std::string("u") + underline + (was_rule ? "o" : "");
        match.title = clean_title(stripped());
        match.consumes_next_line = true;
        facts.kind = LineKind::Heading;
        facts.heading = std::make_unique<HeadingMatch>(std::move(match));
        return facts;
    }
    if (column_zero && previous_blank && (is_digit(lead) || is_upper(lead) || lead == '\xC2')) {
        const bool next_blank = !next || is_blank_line(*next);
        auto heading = match_keyword(line, next_blank);
        if (!heading) heading = match_numbered(line, next_blank);
        if (!heading && is_upper(lead)) heading = match_capitals(line);
        if (heading) {
            facts.kind = LineKind::Heading;
            facts.heading = std::make_unique<HeadingMatch>(std::move(*heading));
            return facts;
        }
    }
    facts.kind = table_row ? LineKind::TableRow : list_item ? LineKind::ListItem : LineKind::Plain;
    return facts;
}

}  // namespace semantic_chunker
