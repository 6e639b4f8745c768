#include "text_boundaries.hpp"

#include <cctype>

namespace semantic_chunker {
namespace {

// Words that end with a dot without ending a sentence (compared in lower case, without the dot).
constexpr std::string_view kAbbreviations[] = {
    "e.g", "i.e", "etc", "vs", "cf", "al", "dr", "mr", "mrs", "ms", "prof", "sr", "jr", "st", "no", "nos",
    "fig", "figs", "vol", "vols", "pp", "p", "ed", "eds", "approx", "dept", "est", "inc", "ltd", "co", "corp", "eq",
    "eqs", "ref", "refs", "sec", "art", "ch", "u.s", "u.k", "op", "ibid", "gen", "gov", "rev", "jan", "feb", "aug"};

constexpr std::size_t kLongestAbbreviation = [] {
    std::size_t longest = 0;
    for (auto abbreviation : kAbbreviations) longest = abbreviation.size() > longest ? abbreviation.size() : longest;
    return longest;
}();

bool is_abbreviation(std::string_view word) {
    if (word.size() > kLongestAbbreviation) return false;  // most words, without lowering them
    char lowered[kLongestAbbreviation];
    // ASCII lowering is enough (and needs no locale call): the abbreviations are ASCII.
    for (std::size_t i = 0; i < word.size(); ++i) lowered[i] = word[i] >= 'A' && word[i] <= 'Z' ? static_cast<char>(word[i] + 32) : word[i];
    const std::string_view key(lowered, word.size());
    for (auto abbreviation : kAbbreviations)
        if (abbreviation == key) return true;
    return false;
}

}  // namespace

bool is_sentence_start_slow(std::string_view text, std::size_t pos, std::size_t floor) {
    if (pos <= floor || pos >= text.size()) return false;
    if (follows_cjk_sentence_end(text, pos, floor)) return !is_ascii_space(text[pos]);
    if (!is_word_start(text, pos)) return false;
    std::size_t q = pos;
    int newlines = 0;
    while (q > floor && is_ascii_space(text[q - 1])) newlines += text[--q] == '\n';
    if (newlines >= 2) return true;  // a paragraph starts here
    const char first = text[pos];
    if (first >= 'a' && first <= 'z') return false;
    if (q <= floor) return false;
    // Most word starts follow a letter, digit or comma: no sentence can end there.
    const auto last = static_cast<unsigned char>(text[q - 1]);
    if (last < 0x80 && last != '.' && last != '!' && last != '?' && last != '"' && last != '\'' && last != ')' && last != ']')
        return false;
    // Closing quotes and brackets after the terminator: ." .) .' .” .’ .»
    while (q > floor) {
        const char c = text[q - 1];
        if (c == '"' || c == '\'' || c == ')' || c == ']') { --q; continue; }
        if (q >= floor + 3 && static_cast<unsigned char>(text[q - 3]) == 0xE2 && static_cast<unsigned char>(text[q - 2]) == 0x80 &&
            (static_cast<unsigned char>(c) == 0x9D || static_cast<unsigned char>(c) == 0x99)) { q -= 3; continue; }
        if (q >= floor + 2 && static_cast<unsigned char>(text[q - 2]) == 0xC2 && static_cast<unsigned char>(c) == 0xBB) { q -= 2; continue; }
        break;
    }
    if (q <= floor) return false;
    if (follows_cjk_sentence_end(text, q, floor)) return true;
    const char terminator = text[q - 1];
    if (terminator == '!' || terminator == '?') return true;
    if (terminator != '.') return false;
    // The word the dot closes, back to the previous space.
    std::size_t word_begin = q - 1;
    while (word_begin > floor && !is_ascii_space(text[word_begin - 1])) --word_begin;
    std::string_view word = text.substr(word_begin, q - 1 - word_begin);
    while (!word.empty() && (word.front() == '(' || word.front() == '"' || word.front() == '\'')) word.remove_prefix(1);
    if (word.empty()) return true;  // a lone "."
    if (word.size() >= 2 && word.substr(word.size() - 2) == "..") return true;  // an ellipsis ends a sentence
    if (word.size() == 1 && std::isalpha(static_cast<unsigned char>(word[0]))) return false;  // an initial: "J. Smith"
    return !is_abbreviation(word);
}

}  // namespace semantic_chunker
