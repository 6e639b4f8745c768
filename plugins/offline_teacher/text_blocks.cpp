#include "text_blocks.hpp"

#include <array>
#include <cctype>

namespace flowdistill::offline_teacher {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_alpha(char c) { return is_lower(c) || is_upper(c); }

enum class LineKind { Blank, Heading, NumberedItem, BulletItem, Text };

struct Line {
    LineKind kind = LineKind::Text;
    Span whole;          // without the line end
    std::size_t content_begin = 0;
    bool indented = false;
};

Line classify(std::string_view text, std::size_t begin, std::size_t end) {
    Line line{LineKind::Text, {begin, end}, begin, false};
    std::size_t i = begin;
    while (i < end && (text[i] == ' ' || text[i] == '\t')) ++i;
    line.indented = i > begin;
    if (i == end || trim(text, {i, end}).empty()) {
        line.kind = LineKind::Blank;
        return line;
    }
    std::size_t j = i;
    while (j < end && text[j] == '#') ++j;
    if (j > i && j - i <= 6 && j < end && text[j] == ' ' && i - begin <= 3) {
        line.kind = LineKind::Heading;
        line.content_begin = j;
        return line;
    }
    j = i;
    while (j < end && is_digit(text[j]) && j - i < 3) ++j;
    if (j > i && j + 1 < end && (text[j] == '.' || text[j] == ')') && text[j + 1] == ' ') {
        line.kind = LineKind::NumberedItem;
        line.content_begin = j + 2;
        return line;
    }
    if (i + 1 < end && (text[i] == '-' || text[i] == '*' || text[i] == '+') && text[i + 1] == ' ') {
        line.kind = LineKind::BulletItem;
        line.content_begin = i + 2;
        return line;
    }
    line.content_begin = i;
    return line;
}

bool is_rule(std::string_view line) {
    const std::string_view trimmed = line.substr(0, line.find_last_not_of(" \t\r") + 1);
    return trimmed == "---" || trimmed == "***" || trimmed == "___";
}

std::vector<Line> split_lines(std::string_view text) {
    std::vector<Line> lines;
    std::size_t begin = 0;
    // YAML front matter ("---" ... "---" at the very start) is metadata, not prose.
    bool in_front_matter = is_rule(text.substr(0, text.find('\n'))) && text.substr(0, 3) == "---";
    bool first = true;
    while (begin < text.size()) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view raw = text.substr(begin, end - begin);
        if (in_front_matter || is_rule(raw)) {
            if (in_front_matter && !first && is_rule(raw)) in_front_matter = false;
            lines.push_back({LineKind::Blank, {begin, end}, begin, false});
        } else {
            lines.push_back(classify(text, begin, end));
        }
        first = false;
        begin = end + 1;
    }
    return lines;
}

// Words after which a full stop does not end a sentence.
bool is_abbreviation(std::string_view word) {
    static constexpr std::array<std::string_view, 18> known = {
        "e.g", "i.e", "etc", "vs", "Dr", "Mr", "Mrs", "Ms", "St", "approx", "No", "Fig",
        "cf", "al", "Inc", "Ltd", "Jr", "Sr"};
    for (auto k : known)
        if (word == k) return true;
    return word.size() == 1 && is_upper(word[0]);  // an initial
}

// Full-width terminators used by Chinese and Japanese text end a sentence wherever they stand.
std::size_t wide_terminator_length(std::string_view text, std::size_t i) {
    static constexpr std::array<std::string_view, 3> terminators = {"\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F"};
    for (auto t : terminators)
        if (text.substr(i, t.size()) == t) return t.size();
    return 0;
}

}  // namespace

// Bytes of the no-break space (U+00A0) or ideographic space (U+3000) starting at i, else 0.
std::size_t wide_space_length(std::string_view text, std::size_t i) {
    if (text.substr(i, 2) == "\xC2\xA0") return 2;
    if (text.substr(i, 3) == "\xE3\x80\x80") return 3;
    return 0;
}

Span trim(std::string_view text, Span span) {
    for (;;) {
        if (span.begin < span.end && is_space(text[span.begin])) {
            ++span.begin;
        } else if (const auto wide = wide_space_length(text.substr(0, span.end), span.begin); wide > 0) {
            span.begin += wide;
        } else {
            break;
        }
    }
    for (;;) {
        if (span.end > span.begin && is_space(text[span.end - 1])) {
            --span.end;
        } else if (span.end >= span.begin + 2 && wide_space_length(text, span.end - 2) == 2) {
            span.end -= 2;
        } else if (span.end >= span.begin + 3 && wide_space_length(text, span.end - 3) == 3) {
            span.end -= 3;
        } else {
            break;
        }
    }
    return span;
}

std::vector<Block> split_blocks(std::string_view text) {
    std::vector<Block> blocks;
    const auto lines = split_lines(text);
    bool open = false;  // the last block may still take continuation lines
    for (const auto& line : lines) {
        switch (line.kind) {
            case LineKind::Blank:
                open = false;
                break;
            case LineKind::Heading:
                blocks.push_back({BlockKind::Heading, trim(text, line.whole), trim(text, {line.content_begin, line.whole.end})});
                open = false;
                break;
            case LineKind::NumberedItem:
            case LineKind::BulletItem:
                blocks.push_back({line.kind == LineKind::NumberedItem ? BlockKind::NumberedItem : BlockKind::BulletItem,
                                  trim(text, line.whole), trim(text, {line.content_begin, line.whole.end})});
                open = true;
                break;
            case LineKind::Text: {
                const bool after_item = !blocks.empty() && (blocks.back().kind == BlockKind::NumberedItem ||
                                                            blocks.back().kind == BlockKind::BulletItem);
                // A line right below a paragraph or item continues it; after a blank line only an
                // indented line still belongs to the item above (a loose Markdown list).
                if (!blocks.empty() && ((open && blocks.back().kind != BlockKind::Heading) || (line.indented && after_item))) {
                    blocks.back().whole.end = trim(text, line.whole).end;
                    blocks.back().content.end = blocks.back().whole.end;
                } else {
                    const Span s = trim(text, line.whole);
                    blocks.push_back({BlockKind::Paragraph, s, s});
                }
                open = true;
                break;
            }
        }
    }
    return blocks;
}

std::vector<Span> split_sentences(std::string_view text, Span within) {
    std::vector<Span> sentences;
    std::size_t start = within.begin;
    auto close_sentence = [&](std::size_t end) {
        const Span s = trim(text, {start, end});
        if (!s.empty()) sentences.push_back(s);
        start = end;
    };
    for (std::size_t i = within.begin; i < within.end; ++i) {
        if (const auto wide = wide_terminator_length(text, i); wide > 0) {
            close_sentence(i + wide);
            i += wide - 1;
            continue;
        }
        const char c = text[i];
        if (c != '.' && c != '!' && c != '?') continue;
        std::size_t j = i + 1;
        while (j < within.end && (text[j] == ')' || text[j] == '"' || text[j] == '\'' || text[j] == '*')) ++j;
        if (j < within.end && !is_space(text[j])) continue;
        if (c == '.') {
            std::size_t w = i;
            while (w > within.begin && (is_alpha(text[w - 1]) || text[w - 1] == '.')) --w;
            if (is_abbreviation(text.substr(w, i - w))) continue;
        }
        std::size_t k = j;
        while (k < within.end && is_space(text[k])) ++k;
        if (k < within.end && is_lower(text[k])) continue;  // "approx. five": not a new sentence
        close_sentence(j);
    }
    close_sentence(within.end);
    return sentences;
}

std::string collapse_whitespace(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const std::size_t wide = wide_space_length(text, i);
        if (is_space(c) || wide > 0) {
            pending_space = !out.empty();
            if (wide > 0) i += wide - 1;
            continue;
        }
        if (pending_space) out.push_back(' ');
        pending_space = false;
        out.push_back(c);
    }
    return out;
}

std::size_t count_words(std::string_view text) {
    std::size_t words = 0;
    bool in_word = false;
    for (char c : text) {
        if (is_space(c)) {
            in_word = false;
        } else if (!in_word) {
            in_word = true;
            ++words;
        }
    }
    return words;
}

}  // namespace flowdistill::offline_teacher
