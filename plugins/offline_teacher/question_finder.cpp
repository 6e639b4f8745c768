#include "question_finder.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <optional>
#include <set>

namespace flowdistill::offline_teacher {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || is_upper(c); }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
bool is_ascii(char c) { return static_cast<unsigned char>(c) < 0x80; }

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// Text quoted inside a question: one line, no Markdown emphasis, links reduced to their text.
std::string quote(std::string_view text) {
    std::string plain;
    plain.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '*' || c == '`') continue;
        if (c == ']' && i + 1 < text.size() && text[i + 1] == '(') {
            const auto close = text.find(')', i + 2);
            if (close != std::string_view::npos) {
                i = close;
                continue;
            }
        }
        // Looking only a little way ahead keeps quoting linear on text full of brackets.
        if (c == '[' && text.substr(i, 200).find("](") != std::string_view::npos) continue;
        plain.push_back(c);
    }
    return collapse_whitespace(plain);
}

// A heading written as a sentence ("Tests are used to diagnose it.") is named without its period.
std::string heading_name(std::string_view heading) {
    std::string name = quote(heading);
    while (!name.empty() && name.back() == '.') name.pop_back();
    return name;
}

// "Under "<section>", what ..." or "What ..." when no section is known.
std::string under_section(const std::string& section, std::string_view rest) {
    if (section.empty()) {
        std::string out(rest);
        if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
        return out;
    }
    return "Under \"" + section + "\", " + std::string(rest);
}

// Drops sentence punctuation and emphasis marks from the end of a span.
Span without_terminator(std::string_view text, Span span) {
    while (!span.empty()) {
        const char c = text[span.end - 1];
        if (c != '.' && c != '!' && c != '?' && c != ';' && c != ':' && c != ',' && c != '*' && c != ' ') break;
        --span.end;
    }
    return span;
}

Span without_leading_emphasis(std::string_view text, Span span) {
    while (!span.empty() && (text[span.begin] == '*' || text[span.begin] == '_')) ++span.begin;
    return span;
}

struct Sentence {
    Span span;
    const std::string* section;
    BlockKind block;
};

// ---- Definitions --------------------------------------------------------------------------------

bool is_vague_subject(std::string_view first_word) {
    static constexpr std::array<std::string_view, 34> vague = {
        "It", "This", "That", "These", "Those", "There", "Here", "He", "She", "They", "We", "You",
        "I", "Each", "All", "Any", "Some", "What", "Which", "Who", "If", "When", "Whenever", "Where",
        "While", "Although", "Because", "Since", "As", "Once", "After", "Before", "Unless", "Until"};
    return std::find(vague.begin(), vague.end(), first_word) != vague.end();
}

bool is_glossary_section(const std::string& section) {
    std::string lower;
    for (char c : section) lower.push_back(is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c);
    for (std::string_view word : {"definition", "glossary", "abbreviation", "terminology", "terms"})
        if (lower.find(word) != std::string::npos) return true;
    return false;
}

// The subject as it reads mid-sentence: "The triage nurse" -> "the triage nurse", "Sepsis" ->
// "sepsis"; names and acronyms ("Riverside General Hospital", "MAP") keep their capitals.
std::string definition_subject(std::string_view subject) {
    std::string s = quote(subject);
    for (std::string_view article : {"The ", "A ", "An "})
        if (starts_with(s, article)) {
            s[0] = static_cast<char>(s[0] - 'A' + 'a');
            return s;
        }
    if (s.size() < 2 || !is_upper(s[0]) || is_upper(s[1])) return s;
    for (std::size_t i = 1; i < s.size(); ++i)
        if (is_upper(s[i])) return s;
    s[0] = static_cast<char>(s[0] - 'A' + 'a');
    return s;
}

void find_definition(std::string_view text, const Sentence& sentence, std::vector<FoundQuestion>& out) {
    const Span s = without_leading_emphasis(text, sentence.span);
    const std::string_view body = s.of(text);

    // "Term: meaning" lines count only in a glossary-like section, where they are definitions
    // rather than, say, "Aspirin: 325 mg".
    if (sentence.block != BlockKind::Heading && is_glossary_section(*sentence.section)) {
        for (std::string_view separator : {":", " \xE2\x80\x94 ", " - "}) {
            const auto at = body.find(separator);
            if (at == std::string_view::npos || at == 0 || at > 60) continue;
            const std::string_view term = body.substr(0, at);
            const Span meaning = trim(text, {s.begin + at + separator.size(), sentence.span.end});
            if (count_words(term) > 6 || count_words(meaning.of(text)) < 2) continue;
            out.push_back({QuestionKind::Definition, "What does \"" + quote(term) + "\" mean?", meaning, sentence.span,
                           *sentence.section});
            return;
        }
    }

    struct Verb { std::string_view word; std::string_view question_begin; std::string_view question_end; bool needs_article; };
    static constexpr std::array<Verb, 5> verbs = {{
        {" is defined as ", "What is ", "?", false},
        {" refers to ", "What does ", " refer to?", false},
        {" means ", "What does ", " mean?", false},
        {" is ", "What is ", "?", true},
        {" are ", "What are ", "?", true},
    }};
    const Verb* found = nullptr;
    std::size_t at = std::string_view::npos;
    for (const auto& verb : verbs) {
        const auto pos = body.find(verb.word);
        if (pos != std::string_view::npos && pos < at) {
            at = pos;
            found = &verb;
        }
    }
    if (!found || at > 100) return;
    const std::string_view subject = body.substr(0, at);
    const std::string_view predicate = body.substr(at + found->word.size());
    const auto words = count_words(subject);
    if (words == 0 || words > 8 || subject.find_first_of(",;:\n") != std::string_view::npos) return;
    const char first = subject[0];
    if (is_ascii(first) && !is_upper(first) && !is_digit(first)) return;  // a fragment, not a sentence start
    if (is_vague_subject(subject.substr(0, subject.find(' ')))) return;
    if (found->needs_article && !(starts_with(predicate, "a ") || starts_with(predicate, "an ") ||
                                  starts_with(predicate, "the ") || starts_with(predicate, "one of ")))
        return;  // "X is given ..." states a fact, it does not define X
    out.push_back({QuestionKind::Definition,
                   std::string(found->question_begin) + definition_subject(subject) + std::string(found->question_end),
                   sentence.span, sentence.span, *sentence.section});
}

// ---- Conditions ---------------------------------------------------------------------------------

// "if it is still present", "when this happens", "if needed": nothing to ask without the context.
bool is_vague_condition(std::string_view clause) {
    static constexpr std::array<std::string_view, 15> vague = {
        "it", "they", "this", "that", "these", "those", "he", "she", "so", "not",
        "needed", "necessary", "possible", "appropriate", "required"};
    const std::string_view word = clause.substr(0, clause.find(' '));
    return std::find(vague.begin(), vague.end(), word) != vague.end();
}

// "checks if there are cells", "will ask when it started": an indirect question, not a condition.
bool introduces_embedded_question(std::string_view before) {
    static constexpr std::array<std::string_view, 20> verbs = {
        "check", "checks", "checked", "ask", "asks", "asked", "see", "know", "out", "determine",
        "determines", "tell", "tells", "show", "shows", "test", "tests", "about", "that", "whether"};
    const auto space = before.find_last_of(' ');
    const std::string_view word = space == std::string_view::npos ? before : before.substr(space + 1);
    return std::find(verbs.begin(), verbs.end(), word) != verbs.end();
}

bool starts_with_participle(std::string_view clause) {
    const std::string_view word = clause.substr(0, clause.find(' '));
    auto ends_with = [&](std::string_view suffix) {
        return word.size() >= suffix.size() + 2 && word.substr(word.size() - suffix.size()) == suffix;
    };
    return ends_with("ed") || ends_with("ing");
}

bool is_one_of(std::string_view word, std::initializer_list<std::string_view> words) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

std::string_view first_word(std::string_view clause) { return clause.substr(0, clause.find_first_of(" \t\n")); }

std::string_view last_word(std::string_view clause) {
    const auto space = clause.find_last_of(" \t\n");
    return space == std::string_view::npos ? clause : clause.substr(space + 1);
}

// The first ',', ';' or ':' followed by white space at or after `from`, relative to `body`.
std::size_t find_clause_break(std::string_view body, std::size_t from) {
    for (std::size_t i = from; i + 1 < body.size(); ++i)
        if ((body[i] == ',' || body[i] == ';' || body[i] == ':') &&
            (body[i + 1] == ' ' || body[i + 1] == '\n' || body[i + 1] == '\t'))
            return i;
    return std::string_view::npos;
}

bool is_preposition(std::string_view word) {
    std::string lower(word);
    if (!lower.empty() && is_upper(lower[0])) lower[0] = static_cast<char>(lower[0] - 'A' + 'a');
    return is_one_of(lower, {"in", "within", "on", "at", "by", "for", "with", "from", "to", "of", "as", "after",
                            "before", "during", "under", "over"});
}

// Rejects the shapes where the split into condition and consequence went wrong: parentheticals
// ("If the Congress, within ..."), dangling words ("shall not be suspended, unless"), and clauses too
// long to be one answer.
bool has_balanced_brackets(std::string_view clause) {
    int depth = 0;
    for (char c : clause) {
        if (c == '(') ++depth;
        if (c == ')' && --depth < 0) return false;
    }
    return depth == 0;
}

bool is_clean_condition(std::string_view condition, std::string_view consequence) {
    if (count_words(condition) < 2 || count_words(consequence) < 2) return false;
    if (condition.size() > 200 || consequence.size() > 300) return false;
    if (!has_balanced_brackets(condition) || !has_balanced_brackets(consequence)) return false;
    if (is_vague_condition(condition) || is_preposition(first_word(condition))) return false;
    if (condition.find("the following") != std::string_view::npos) return false;  // points at a list
    if (is_preposition(first_word(consequence))) return false;
    if (is_one_of(first_word(consequence), {"and", "or", "but", "which", "who", "so", "nor", "such", "including"}))
        return false;
    return !is_one_of(last_word(consequence), {"unless", "and", "or", "but", "except", "that", "whether", "only",
                                               "then", "even", "as", "than", "the", "a", "an", "to", "of"});
}

void find_condition(std::string_view text, const Sentence& sentence, std::vector<FoundQuestion>& out) {
    const Span s = without_leading_emphasis(text, sentence.span);
    const std::string_view body = s.of(text);
    const Span whole = without_terminator(text, s);
    if (body.back() == ':') return;  // "... when any of the following is present:" points at a list

    // "If <condition>, <consequence>."
    for (std::string_view keyword : {"If ", "When "}) {
        if (!starts_with(body, keyword)) continue;
        const auto comma = find_clause_break(body, keyword.size());
        if (comma == std::string_view::npos || body[comma] != ',' || s.begin + comma >= whole.end) return;
        const Span condition = trim(text, {s.begin + keyword.size(), s.begin + comma});
        Span consequence = trim(text, {s.begin + comma + 1, whole.end});
        if (first_word(consequence.of(text)) == "then") consequence = trim(text, {consequence.begin + 4, consequence.end});
        if (!is_clean_condition(condition.of(text), consequence.of(text))) return;
        const std::string word = keyword == "If " ? "if " : "when ";
        out.push_back({QuestionKind::Condition, "What should happen " + word + quote(condition.of(text)) + "?",
                       consequence, sentence.span, *sentence.section});
        return;
    }

    // "<consequence> if <condition>."
    for (std::string_view keyword : {" if ", " when "}) {
        const auto at = body.find(keyword);
        if (at == std::string_view::npos) continue;
        if (introduces_embedded_question(body.substr(0, at))) return;
        const Span consequence = without_terminator(text, trim(text, {s.begin, s.begin + at}));
        // The condition ends where the next clause starts: "Remove it if X, and lay the patient flat".
        const auto next_clause = find_clause_break(body, at + keyword.size());
        const std::size_t condition_end = next_clause == std::string_view::npos ? whole.end : s.begin + next_clause;
        const Span condition = trim(text, {s.begin + at + keyword.size(), std::min(condition_end, whole.end)});
        if (starts_with_participle(condition.of(text))) return;  // "harm when used in error" qualifies a noun
        if (!is_clean_condition(condition.of(text), consequence.of(text))) return;
        out.push_back({QuestionKind::Condition,
                       "What should happen" + std::string(keyword) + quote(condition.of(text)) + "?", consequence,
                       sentence.span, *sentence.section});
        return;
    }
}

// ---- Numeric facts ------------------------------------------------------------------------------

enum class Quantity { Dose, Time, Measure, Date };

const char* quantity_noun(Quantity q) {
    switch (q) {
        case Quantity::Dose: return "dose";
        case Quantity::Time: return "time or duration";
        case Quantity::Measure: return "value";
        case Quantity::Date: return "date";
    }
    return "value";
}

struct Unit { std::string_view text; Quantity quantity; };

// Longest first, so "mg/kg" wins over "mg" and "minutes" over "min".
const std::vector<Unit>& units() {
    static const std::vector<Unit> table = [] {
        std::vector<Unit> t = {
            {"mcg/kg/min", Quantity::Dose}, {"mg/kg/h", Quantity::Dose}, {"mg/kg", Quantity::Dose},
            {"mcg/kg", Quantity::Dose}, {"units/kg", Quantity::Dose}, {"units/h", Quantity::Dose},
            {"mL/kg", Quantity::Dose}, {"mL/h", Quantity::Dose}, {"L/min", Quantity::Dose},
            {"mg", Quantity::Dose}, {"mcg", Quantity::Dose}, {"\xC2\xB5g", Quantity::Dose}, {"g", Quantity::Dose},
            {"grams", Quantity::Dose}, {"mL", Quantity::Dose}, {"L", Quantity::Dose}, {"units", Quantity::Dose},
            {"unit", Quantity::Dose}, {"IU", Quantity::Dose}, {"mEq", Quantity::Dose}, {"mmol", Quantity::Dose},
            {"tablets", Quantity::Dose}, {"tablet", Quantity::Dose}, {"puffs", Quantity::Dose},
            {"drops", Quantity::Dose},
            {"seconds", Quantity::Time}, {"second", Quantity::Time}, {"sec", Quantity::Time},
            {"minutes", Quantity::Time}, {"minute", Quantity::Time}, {"mins", Quantity::Time}, {"min", Quantity::Time},
            {"hours", Quantity::Time}, {"hour", Quantity::Time}, {"hrs", Quantity::Time}, {"hr", Quantity::Time},
            {"h", Quantity::Time}, {"days", Quantity::Time}, {"day", Quantity::Time}, {"weeks", Quantity::Time},
            {"week", Quantity::Time}, {"months", Quantity::Time}, {"month", Quantity::Time},
            {"years", Quantity::Time}, {"year", Quantity::Time},
            {"mmHg", Quantity::Measure}, {"mm Hg", Quantity::Measure}, {"bpm", Quantity::Measure},
            {"beats per minute", Quantity::Measure}, {"breaths per minute", Quantity::Measure},
            {"breaths/min", Quantity::Measure}, {"\xC2\xB0""C", Quantity::Measure}, {"\xC2\xB0""F", Quantity::Measure},
            {"mg/dL", Quantity::Measure}, {"mmol/L", Quantity::Measure}, {"mEq/L", Quantity::Measure},
            {"ng/mL", Quantity::Measure}, {"g/dL", Quantity::Measure}, {"kg", Quantity::Measure},
            {"cm", Quantity::Measure}, {"mm", Quantity::Measure}, {"percent", Quantity::Measure},
        };
        std::stable_sort(t.begin(), t.end(), [](const Unit& a, const Unit& b) { return a.text.size() > b.text.size(); });
        return t;
    }();
    return table;
}

std::size_t skip_number(std::string_view text, std::size_t i, std::size_t end) {
    while (i < end && is_digit(text[i])) ++i;
    while (i + 1 < end && (text[i] == '.' || text[i] == ',') && is_digit(text[i + 1])) {
        ++i;
        while (i < end && is_digit(text[i])) ++i;
    }
    return i;
}

// "4-6", "4–6", "4 to 6": the end of the second number, or `i` when no range follows.
std::size_t skip_range(std::string_view text, std::size_t i, std::size_t end) {
    for (std::string_view dash : {"-", "\xE2\x80\x93", " to ", " - ", " \xE2\x80\x93 "}) {
        if (text.substr(i, dash.size()) == dash && i + dash.size() < end && is_digit(text[i + dash.size()]))
            return skip_number(text, i + dash.size(), end);
    }
    return i;
}

struct NumericMatch { Span span; Quantity quantity; };

std::optional<NumericMatch> match_quantity(std::string_view text, std::size_t i, std::size_t end) {
    std::size_t j = skip_number(text, i, end);
    j = skip_range(text, j, end);
    if (j < end && text[j] == '%') return NumericMatch{{i, j + 1}, Quantity::Measure};
    const std::size_t unit_begin = j < end && text[j] == ' ' ? j + 1 : j;
    for (const auto& unit : units()) {
        const std::size_t unit_end = unit_begin + unit.text.size();
        if (unit_end > end || text.substr(unit_begin, unit.text.size()) != unit.text) continue;
        if (unit_end < end && is_alnum(text[unit_end])) continue;  // "5 given": not a unit
        return NumericMatch{{i, unit_end}, unit.quantity};
    }
    return std::nullopt;
}

std::optional<NumericMatch> match_date(std::string_view text, std::size_t i, std::size_t end) {
    static constexpr std::array<std::string_view, 12> months = {
        "January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December"};
    for (auto month : months) {
        if (text.substr(i, month.size()) != month) continue;
        std::size_t j = i + month.size();
        if (j + 1 >= end || text[j] != ' ' || !is_digit(text[j + 1])) return std::nullopt;
        const std::size_t day_end = skip_number(text, j + 1, end);
        j = day_end;
        if (text.substr(j, 2) == ", " && j + 6 <= end && is_digit(text[j + 2])) j = skip_number(text, j + 2, end);
        return NumericMatch{{i, j}, Quantity::Date};
    }
    // ISO 8601, 2024-03-15
    if (i + 10 <= end && is_digit(text[i]) && is_digit(text[i + 3]) && text[i + 4] == '-' && text[i + 7] == '-' &&
        is_digit(text[i + 5]) && is_digit(text[i + 8]) && is_digit(text[i + 9]) &&
        (i + 10 == end || !is_alnum(text[i + 10])))
        return NumericMatch{{i, i + 10}, Quantity::Date};
    return std::nullopt;
}

void find_numeric_facts(std::string_view text, const Sentence& sentence, std::vector<FoundQuestion>& out) {
    const Span s = sentence.span;
    if (s.end - s.begin > 400 || count_words(s.of(text)) < 3) return;  // too long to quote as a cloze
    for (std::size_t i = s.begin; i < s.end;) {
        const bool word_start = i == s.begin || !(is_alnum(text[i - 1]) || text[i - 1] == '.' ||
                                                   text[i - 1] == ',' || text[i - 1] == '-' || text[i - 1] == '/');
        if (!word_start) { ++i; continue; }
        std::optional<NumericMatch> match = match_date(text, i, s.end);
        if (!match && is_digit(text[i])) match = match_quantity(text, i, s.end);
        if (!match) {
            ++i;
            continue;
        }
        const std::string cloze = quote(std::string(text.substr(s.begin, match->span.begin - s.begin)) + "___" +
                                        std::string(text.substr(match->span.end, s.end - match->span.end)));
        out.push_back({QuestionKind::NumericFact,
                       under_section(*sentence.section, std::string("what ") + quantity_noun(match->quantity) +
                                                             " fills the blank in \"" + cloze + "\"?"),
                       match->span, s, *sentence.section});
        i = match->span.end;
    }
}

// ---- Steps and lists ----------------------------------------------------------------------------

void find_list(std::string_view text, const std::vector<Block>& blocks, std::size_t first, std::size_t last,
               const std::string& section, std::vector<FoundQuestion>& out) {
    const bool numbered = blocks[first].kind == BlockKind::NumberedItem;
    std::string intro;
    Span evidence = blocks[first].whole;
    if (first > 0 && blocks[first - 1].kind == BlockKind::Paragraph) {
        const auto sentences = split_sentences(text, blocks[first - 1].content);
        if (!sentences.empty() && text[sentences.back().end - 1] == ':') {
            evidence = sentences.back();
            intro = quote(without_terminator(text, evidence).of(text));
        }
    }
    std::string question;
    if (!intro.empty())
        question = under_section(section, numbered ? "what are the steps after \"" + intro + "\"?"
                                                   : "what does the list after \"" + intro + "\" include?");
    else if (!section.empty())
        question = numbered ? "What are the numbered steps under \"" + section + "\"?"
                            : "What items are listed under \"" + section + "\"?";
    else
        return;  // nothing to name the list by
    out.push_back({numbered ? QuestionKind::Steps : QuestionKind::List, question,
                   {blocks[first].whole.begin, blocks[last].whole.end}, evidence, section});
}

// ---- Section purpose ----------------------------------------------------------------------------

bool ends_like_a_sentence(std::string_view sentence) {
    for (std::string_view end : {".", "!", "?", "\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F"})
        if (sentence.size() >= end.size() && sentence.substr(sentence.size() - end.size()) == end) return true;
    return false;
}

void find_purpose(std::string_view text, Span paragraph, const std::string& section, std::vector<FoundQuestion>& out) {
    for (const auto& sentence : split_sentences(text, paragraph)) {
        const std::string_view body = sentence.of(text);
        if (body.back() == ':') continue;  // introduces a list; says nothing of the section
        const char first = body[0];
        if (is_ascii(first) && !is_upper(first)) return;  // starts mid-sentence, or is a number or code
        // Prose ends with a full stop; listings, tables and cut-off text do not.
        if (!ends_like_a_sentence(body) || body.back() == '?') return;
        if (is_ascii(first) && count_words(body) < 3) return;  // "VITA.": a label, not a statement
        out.push_back({QuestionKind::SectionPurpose, "What is the purpose of the section \"" + section + "\"?",
                       sentence, sentence, section});
        return;
    }
}

}  // namespace

const char* question_kind_name(QuestionKind kind) {
    switch (kind) {
        case QuestionKind::SectionPurpose: return "section_purpose";
        case QuestionKind::Definition: return "definition";
        case QuestionKind::Steps: return "steps";
        case QuestionKind::List: return "list";
        case QuestionKind::Condition: return "condition";
        case QuestionKind::NumericFact: return "numeric_fact";
    }
    return "?";
}

const char* difficulty_of(QuestionKind kind) {
    switch (kind) {
        case QuestionKind::SectionPurpose:
        case QuestionKind::Definition: return "easy";
        case QuestionKind::Steps:
        case QuestionKind::List:
        case QuestionKind::NumericFact: return "medium";
        case QuestionKind::Condition: return "hard";
    }
    return "medium";
}

// Plain-text documents have headings without '#' ("2.7.8. Package upgrades"); the chunker found them
// and put them in heading_path, so a line equal to one of those is a heading here too.
std::vector<Block> mark_known_headings(std::string_view text, std::vector<Block> blocks,
                                       const std::vector<std::string>& heading_path) {
    if (heading_path.empty()) return blocks;
    std::vector<std::string> known;
    for (const auto& heading : heading_path) known.push_back(collapse_whitespace(heading));
    std::vector<Block> out;
    out.reserve(blocks.size());
    for (const auto& block : blocks) {
        if (block.kind == BlockKind::Heading) {
            out.push_back(block);
            continue;
        }
        const auto line_end = std::min(block.whole.end, text.find('\n', block.whole.begin));
        const Span line = trim(text, {block.whole.begin, line_end});
        if (std::find(known.begin(), known.end(), collapse_whitespace(line.of(text))) == known.end()) {
            out.push_back(block);
            continue;
        }
        out.push_back({BlockKind::Heading, line, line});
        const Span rest = trim(text, {line.end, block.whole.end});
        if (!rest.empty()) out.push_back({BlockKind::Paragraph, rest, rest});
    }
    return out;
}

std::vector<FoundQuestion> find_questions(const ChunkText& chunk) {
    const std::string_view text = chunk.text;
    const auto blocks = mark_known_headings(text, split_blocks(text), chunk.heading_path);
    std::vector<FoundQuestion> purposes, definitions, lists, conditions, numbers;

    const std::string outer_section = chunk.heading_path.empty() ? std::string{} : heading_name(chunk.heading_path.back());
    const bool has_headings = std::any_of(blocks.begin(), blocks.end(), [](const Block& b) { return b.kind == BlockKind::Heading; });
    std::vector<std::string> sections;  // the section of each block
    sections.reserve(blocks.size());
    std::string section = outer_section;
    for (const auto& block : blocks) {
        if (block.kind == BlockKind::Heading) section = heading_name(block.content.of(text));
        sections.push_back(section);
    }

    for (std::size_t i = 0; i < blocks.size(); ++i) {
        const auto& block = blocks[i];
        if (block.kind == BlockKind::Heading) {
            if (i + 1 < blocks.size() && blocks[i + 1].kind == BlockKind::Paragraph && !sections[i].empty())
                find_purpose(text, blocks[i + 1].content, sections[i], purposes);
            continue;
        }
        // A chunk cut from the middle of a section still names its heading in heading_path.
        if (i == 0 && !has_headings && block.kind == BlockKind::Paragraph && !outer_section.empty())
            find_purpose(text, block.content, outer_section, purposes);

        const bool is_item = block.kind != BlockKind::Paragraph;
        if (is_item && (i == 0 || blocks[i - 1].kind != block.kind)) {
            std::size_t last = i;
            while (last + 1 < blocks.size() && blocks[last + 1].kind == block.kind) ++last;
            if (last > i) find_list(text, blocks, i, last, sections[i], lists);
        }
        for (const auto& span : split_sentences(text, block.content)) {
            const Sentence sentence{span, &sections[i], block.kind};
            find_definition(text, sentence, definitions);
            find_condition(text, sentence, conditions);
            find_numeric_facts(text, sentence, numbers);
        }
    }

    std::vector<FoundQuestion> all;
    for (auto* group : {&purposes, &definitions, &lists, &conditions, &numbers})
        for (auto& q : *group) all.push_back(std::move(q));
    return all;
}

std::vector<FoundQuestion> pick_questions(std::vector<FoundQuestion> found, std::size_t limit) {
    auto bucket_of = [](QuestionKind kind) -> std::size_t {
        switch (kind) {
            case QuestionKind::SectionPurpose: return 0;
            case QuestionKind::Definition: return 1;
            case QuestionKind::Steps:
            case QuestionKind::List: return 2;
            case QuestionKind::Condition: return 3;
            case QuestionKind::NumericFact: return 4;
        }
        return 4;
    };
    std::array<std::vector<FoundQuestion>, 5> buckets;
    std::set<std::string> asked;
    for (auto& q : found)
        if (asked.insert(q.question).second) buckets[bucket_of(q.kind)].push_back(std::move(q));

    std::vector<FoundQuestion> picked;
    std::array<std::size_t, 5> next{};
    bool took = true;
    while (picked.size() < limit && took) {
        took = false;
        for (std::size_t b = 0; b < buckets.size() && picked.size() < limit; ++b) {
            if (next[b] < buckets[b].size()) {
                picked.push_back(std::move(buckets[b][next[b]++]));
                took = true;
            }
        }
    }
    return picked;
}

}  // namespace flowdistill::offline_teacher
