#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text_boundaries.hpp"

using semantic_chunker::is_sentence_start;

namespace {

// Whether a sentence starts at the first occurrence of `marker` in `text`.
bool starts_at(const std::string& text, const std::string& marker) {
    const auto pos = text.find(marker);
    REQUIRE(pos != std::string::npos);
    return is_sentence_start(text, pos, 0);
}

// Line breaks shown as \\n, so a failing case reads on one line.
std::string escaped(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) out += c == '\n' ? std::string("\\n") : std::string(1, c);
    return out + "\"";
}

}  // namespace

TEST_CASE("sentence starts after . ! ? and CJK full stops") {
    CHECK(starts_at("It rains. Then it stops.", "Then"));
    CHECK(starts_at("Really? Yes!", "Yes"));
    CHECK(starts_at("He said \"stop.\" Then he left.", "Then"));
    CHECK(starts_at("(See above.) Next point.", "Next"));
    CHECK(starts_at("雨です。晴れです。", "晴"));
    CHECK(starts_at("paragraph one\n\nparagraph two", "paragraph two"));
    CHECK(starts_at("Wait... Go on.", "Go"));
}

TEST_CASE("no sentence start after abbreviations, initials, inside decimals or before lower case") {
    CHECK_FALSE(starts_at("Ask Dr. Smith today.", "Smith"));
    CHECK_FALSE(starts_at("Some drugs, e.g. Aspirin, help.", "Aspirin"));
    CHECK_FALSE(starts_at("As in Fig. 3 above.", "3"));
    CHECK_FALSE(starts_at("By J. Smith and others.", "Smith"));
    CHECK_FALSE(starts_at("The dose is 4.1 mg.", "1 mg"));
    CHECK_FALSE(starts_at("It ends. but not here", "but"));
    CHECK_FALSE(starts_at("Plain words follow here", "follow"));
}

namespace {

// The bytes the candidate mask may mark besides the candidates (sentence_candidates.cpp groups
// byte values to look them up): a byte that ends a sentence, or = or _, before a space or one of
// NUL ) * + , -; a line feed after a space; 8F 91 92 after 8C B0 as well as ！。？ tails.
bool may_be_marked(unsigned char before, unsigned char byte, unsigned char after) {
    const auto loose_end = [](unsigned char b) { return (semantic_chunker::kSentenceEndBytes[b] && b != '\n') || b == '=' || b == '_'; };
    const auto loose_space = [](unsigned char b) {
        return semantic_chunker::kAsciiSpace[b] || b == 0 || b == ')' || b == '*' || b == '+' || b == ',' || b == '-';
    };
    const auto loose_tail = [](unsigned char b) { return b == 0x81 || b == 0x82 || b == 0x9F || b == 0x8F || b == 0x91 || b == 0x92; };
    const auto loose_middle = [](unsigned char b) { return b == 0x80 || b == 0xBC || b == 0x8C || b == 0xB0; };
    return (loose_end(byte) && loose_space(after)) || (byte == '\n' && semantic_chunker::kAsciiSpace[before]) ||
           (loose_tail(byte) && loose_middle(before));
}

// A line feed right after a byte that ends a sentence: the mask marks that byte instead.
bool left_to_byte_before(unsigned char before, unsigned char byte) {
    return byte == '\n' && semantic_chunker::kSentenceEndBytes[before] && !semantic_chunker::kAsciiSpace[before];
}

// What is wrong with bit k of the mask of the 64 bytes at `at`, judged by is_sentence_candidate(),
// or nothing. (Built only on failure: the exhaustive test below checks millions of bits.)
std::string mask_bit_problem(const std::string& text, std::size_t at, std::uint64_t mask, unsigned k) {
    const std::size_t t = at + k;
    const auto byte = static_cast<unsigned char>(text[t]);
    const auto before = static_cast<unsigned char>(t > 0 ? text[t - 1] : 0);
    const auto after = static_cast<unsigned char>(t + 1 < text.size() ? text[t + 1] : 0);
    const bool marked = (mask >> k) & 1;
    const char* problem = nullptr;
    if (!semantic_chunker::is_sentence_candidate(text, t)) {
        if (marked && !may_be_marked(before, byte, after)) problem = "marked, not a candidate";
    } else if (left_to_byte_before(before, byte)) {
        if (marked) problem = "a line feed after a sentence end marked";
        // The byte before is a candidate (a line feed is a space), marked where it is in the word.
        else if (k > 0 && ((mask >> (k - 1)) & 1) == 0) problem = "neither a line feed nor the sentence end before it marked";
    } else if (!marked) {
        problem = "a candidate not marked";
    }
    if (problem == nullptr) return {};
    return std::string(problem) + " at offset " + std::to_string(at) + ", byte " + std::to_string(k) + " = " + std::to_string(byte) +
           " (before " + std::to_string(before) + ", after " + std::to_string(after) + ")";
}

}  // namespace

namespace {

// The candidate finders this CPU runs, each with its name; "portable" runs everywhere.
std::vector<std::pair<std::string_view, semantic_chunker::CandidateFinder>> candidate_finders() {
    std::vector<std::pair<std::string_view, semantic_chunker::CandidateFinder>> finders;
    for (const std::string_view instructions : {"ssse3", "portable"})
        if (const auto finder = semantic_chunker::sentence_candidates_for(instructions)) finders.emplace_back(instructions, finder);
    return finders;
}

}  // namespace

TEST_CASE("the candidate mask marks every byte is_sentence_candidate accepts, at every offset") {
    const std::string pieces[] = {"a", ".", "!", "?", "\"", "'", ")", "]", "\n", " ", "\t", "x", "=", "_", ",", "-", "*",
                                  "\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F", "\xE2\x80\x9D", "\xE2\x80\x99", "\xC2\xBB",
                                  "\xC3\xA9", "\xE3\x81\x82", "\xEF\xB8\x8F", "\xE3\x81\xBC", "  "};
    std::mt19937 rng(20261130);
    std::uniform_int_distribution<std::size_t> pick(0, std::size(pieces) - 1);
    std::string text;
    while (text.size() < 4000) text += pieces[pick(rng)];
    const auto finders = candidate_finders();
    REQUIRE(finders.back().first == "portable");
    for (const auto& [instructions, find_candidates] : finders) {
        INFO(instructions);
        for (std::size_t at = 0; at + 64 <= text.size(); ++at) {
            const char before = at > 0 ? text[at - 1] : '\0', after = at + 64 < text.size() ? text[at + 64] : '\0';
            const std::uint64_t mask = find_candidates(text.data() + at, before, after);
            for (unsigned k = 0; k < 64; ++k)
                if (const std::string problem = mask_bit_problem(text, at, mask, k); !problem.empty()) FAIL(problem);
        }
    }
}

TEST_CASE("the candidate mask judges every three bytes as is_sentence_candidate does") {
    // Byte k's bit depends on bytes k - 1, k and k + 1 only: all 2^24 triples, 21 to a word, each
    // in the middle of the word, and at its ends with the bytes around the word.
    for (const auto& [instructions, find_candidates] : candidate_finders()) {
        INFO(instructions);
        std::string word(64, 'a');
        for (unsigned before = 0; before < 256; ++before)
            for (unsigned byte = 0; byte < 256; ++byte)
                for (unsigned first_after = 0; first_after < 256; first_after += 21) {
                    for (unsigned j = 0; j < 21; ++j) {
                        word[3 * j] = static_cast<char>(before);
                        word[3 * j + 1] = static_cast<char>(byte);
                        word[3 * j + 2] = static_cast<char>(std::min(first_after + j, 255u));
                    }
                    const std::uint64_t mask = find_candidates(word.data(), 'a', 'a');
                    for (unsigned j = 0; j < 21; ++j)
                        if (const std::string problem = mask_bit_problem(word, 0, mask, 3 * j + 1); !problem.empty()) FAIL(problem);
                }
        for (unsigned before = 0; before < 256; ++before)
            for (unsigned byte = 0; byte < 256; ++byte) {
                // Byte 0 with `before` outside the word, and byte 63 with `after` outside it.
                std::string text(66, 'a');
                text[0] = static_cast<char>(before);
                text[1] = static_cast<char>(byte);
                text[64] = static_cast<char>(before);
                text[65] = static_cast<char>(byte);
                const std::uint64_t mask = find_candidates(text.data() + 1, text[0], text[65]);
                for (const unsigned k : {0u, 63u})
                    if (const std::string problem = mask_bit_problem(text, 1, mask, k); !problem.empty()) FAIL(problem);
            }
    }
}

namespace {

// ChunkerCore's two searches as it first made them: a loop over every byte that can end a
// sentence, judging the word after it with the byte-by-byte definition.
std::size_t first_sentence_start_by_bytes(const std::string& text, std::size_t from, std::size_t end) {
    for (std::size_t t = from > 0 ? from - 1 : 0; t < end; ++t) {
        if (!semantic_chunker::kSentenceEndBytes[static_cast<unsigned char>(text[t])]) continue;
        std::size_t p = t + 1;
        while (p < end && semantic_chunker::is_ascii_space(text[p])) ++p;
        if (p >= end) return end;  // only spaces up to the end
        if (p >= from && semantic_chunker::is_sentence_start_slow(text, p, semantic_chunker::look_behind_floor(p))) return p;
    }
    return end;
}

std::size_t last_sentence_start_by_bytes(const std::string& text, std::size_t low, std::size_t high) {
    std::size_t last_tested = 0;
    for (std::size_t t = high; t-- > (low > 0 ? low - 1 : 0);) {
        if (!semantic_chunker::kSentenceEndBytes[static_cast<unsigned char>(text[t])]) continue;
        std::size_t p = t + 1;
        while (p <= high && semantic_chunker::is_ascii_space(text[p])) ++p;
        if (p > high || p < low || p == last_tested) continue;
        last_tested = p;
        if (semantic_chunker::is_sentence_start_slow(text, p, semantic_chunker::look_behind_floor(p))) return p;
    }
    return semantic_chunker::kNoSentenceStart;
}

}  // namespace

TEST_CASE("the chunker's sentence searches, built for each instruction set, find what its byte loops found") {
    // Texts of a few 64-byte words, with long runs of spaces (text set in columns), blank lines,
    // CJK stops, closing quotes and abbreviations; ranges starting and ending anywhere, a line
    // feed after a dot among them.
    const std::vector<std::string> pieces{"word", "Next", "next", "4.1", "e.g.", "Dr.", "Approx.", "x.", ".", "!", "?", "\"", ")",
                                          "]", "'", ",", "-", "=", " ", " ", "  ", "          ", "                      ", "\n",
                                          "\n\n", " \n", "\n ", ".\n", "\t", "。", "！", "é", "\xE2\x80\x9D", "日本",
                                          // past the look-behind: spaces, a word before a dot, closing quotes
                                          std::string(250, ' '), std::string(300, ' ') + "\n", std::string(260, 'w') + ".",
                                          std::string(255, '"')};
    std::mt19937 rng(20261202);
    std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
    int searched = 0;
    for (const std::string_view instructions : {"avx", "ssse3", "portable"}) {
        const semantic_chunker::SentenceSearches searches = semantic_chunker::sentence_searches_for(instructions);
        if (searches.first == nullptr) continue;  // not on this CPU
        for (int round = 0; round < 3000; ++round) {
            std::string text;
            for (int i = std::uniform_int_distribution<int>(1, 120)(rng); i > 0; --i) text += pieces[pick(rng)];
            const std::size_t a = std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(rng);
            const std::size_t b = std::uniform_int_distribution<std::size_t>(a, text.size() - 1)(rng);
            INFO(instructions << ": text " << escaped(text) << ", range " << a << " to " << b);
            REQUIRE(searches.first(text, a, b) == first_sentence_start_by_bytes(text, a, b));
            REQUIRE(searches.last(text, a, b) == last_sentence_start_by_bytes(text, a, b));
            // The first search may run to the end of the text (the overlap of a file's last chunk).
            REQUIRE(searches.first(text, a, text.size()) == first_sentence_start_by_bytes(text, a, text.size()));
        }
        ++searched;
    }
    CHECK(searched >= 1);  // the portable searches run everywhere
    CHECK(semantic_chunker::first_sentence_start("It rains. Then", 3, 14) == 10);
    CHECK(semantic_chunker::last_sentence_start("It rains. Then it stops. So", 1, 26) == 25);
}

TEST_CASE("the first word start is found 16 bytes at a time as a byte loop would") {
    const std::string pieces[] = {"word", " ", "\n", "\t", "\r", "\f", "\v", "  ", "x", "\xC3\xA9", "\x08", "\x0E", "!"};
    std::string text = "a";
    for (int i = 0; i < 300; ++i) text += pieces[(i * 5 + i / 7) % 13];
    for (std::size_t begin = 1; begin < 60; ++begin) {
        for (std::size_t end = begin; end <= text.size(); end += 7) {
            std::size_t expected = end;
            for (std::size_t pos = begin; pos < end; ++pos)
                if (semantic_chunker::is_word_start(text, pos)) {
                    expected = pos;
                    break;
                }
            INFO("begin " << begin << " end " << end);
            REQUIRE(semantic_chunker::find_word_start_forward(text, begin, end) == expected);
        }
    }
    // Long runs of spaces and of letters, so that whole blocks hold no word start.
    const std::string runs = "x" + std::string(40, ' ') + std::string(40, 'y') + " z";
    CHECK(semantic_chunker::find_word_start_forward(runs, 1, runs.size()) == 41);
    CHECK(semantic_chunker::find_word_start_forward(runs, 42, runs.size()) == runs.size() - 1);
}

TEST_CASE("the fast sentence-start check agrees with the full one at every position") {
    // Each fast path in is_sentence_start must give the answer is_sentence_start_slow gives: after
    // one space or several, after a dot that closes a word of any length (the word is found 16
    // bytes at a time, its last 8 bytes read at once), near the start of the text and the floor.
    CHECK(starts_at("para one.\n\n next para", "next"));  // a blank line, then an indented word
    const std::vector<std::string> pieces{"word", "Next", "next", "4.1", "e.g.", "E.G.", "Dr.", "dR.", "Approx.", "approx.",
                                          "U.S.", "Vols.", "x.", "X.", "7.", "é.", "(see.", "(\"'Fig.", "((", "...", "..",
                                          "a...", "Wordy.", "Sentences.", "Extraordinarily.", "Incomprehensibilities.",
                                          "\xC3\x89tc.", "@.", "[.", "`.", "{.", ".", "!", "?", ",", ";", ":", "-", "\"", "'",
                                          "(", ")", "]", "\xE2\x80\x9D", "\xC2\xBB", " ", " ", "  ", "\t", "\v", "\f",
                                          "\n", "\n\n", " \n", "\n \n", "。", "！", "é", "日本"};
    std::mt19937 rng(20261125);
    std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
    for (int round = 0; round < 6000; ++round) {
        std::string text;
        for (int i = std::uniform_int_distribution<int>(1, 14)(rng); i > 0; --i) text += pieces[pick(rng)];
        const std::size_t floor = std::uniform_int_distribution<std::size_t>(0, 20)(rng);
        for (std::size_t pos = 0; pos <= text.size() + 1; ++pos) {
            INFO("text " << escaped(text) << ", position " << pos << ", floor " << floor);
            REQUIRE(is_sentence_start(text, pos, floor) == semantic_chunker::is_sentence_start_slow(text, pos, floor));
        }
    }
}

TEST_CASE("abbreviations are found in any case, and only they") {
    // The list of kAbbreviations (text_boundaries.cpp), looked up here the simple way.
    const std::vector<std::string> abbreviations{
        "e.g", "i.e", "etc", "vs", "cf", "al", "dr", "mr", "mrs", "ms", "prof", "sr", "jr", "st", "no", "nos",
        "fig", "figs", "vol", "vols", "pp", "p", "ed", "eds", "approx", "dept", "est", "inc", "ltd", "co", "corp", "eq",
        "eqs", "ref", "refs", "sec", "art", "ch", "u.s", "u.k", "op", "ibid", "gen", "gov", "rev", "jan", "feb", "aug"};
    const auto listed = [&](const std::string& word) {
        std::string lower = word;
        for (char& c : lower) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
        return std::find(abbreviations.begin(), abbreviations.end(), lower) != abbreviations.end();
    };
    std::mt19937 rng(20261201);
    const auto coin = [&] { return std::uniform_int_distribution<int>(0, 1)(rng) == 1; };
    for (const std::string& abbreviation : abbreviations) {
        std::string word = abbreviation;
        for (char& c : word) c = coin() && c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
        INFO(word);
        CHECK(semantic_chunker::is_abbreviation(word));
        CHECK_FALSE(semantic_chunker::is_abbreviation(word + "s" + word));
    }
    // Bytes next to the letters and the dot, in ASCII and with the top bit set, which a careless
    // lowering would turn into letters.
    const std::string bytes = "aeigpsvAEIGPSV.@[`{/-0\x80\xC1\xCE\xE5\xEE\xFA\xAE";
    std::uniform_int_distribution<std::size_t> pick_byte(0, bytes.size() - 1);
    for (int round = 0; round < 200000; ++round) {
        std::string word;
        for (int i = std::uniform_int_distribution<int>(0, 8)(rng); i > 0; --i) word += bytes[pick_byte(rng)];
        if (coin()) {  // a listed word with one byte changed, added or taken away
            word = abbreviations[std::uniform_int_distribution<std::size_t>(0, abbreviations.size() - 1)(rng)];
            const std::size_t at = std::uniform_int_distribution<std::size_t>(0, word.size() - 1)(rng);
            switch (std::uniform_int_distribution<int>(0, 2)(rng)) {
                case 0: word[at] = bytes[pick_byte(rng)]; break;
                case 1: word.insert(at, 1, bytes[pick_byte(rng)]); break;
                default: word.erase(at, 1);
            }
        }
        INFO(escaped(word));
        REQUIRE(semantic_chunker::is_abbreviation(word) == listed(word));
    }
}

TEST_CASE("a letter or digit in any script is a word character, markup and punctuation are not") {
    using semantic_chunker::holds_word_character;
    for (const char* words : {"a", "Z", "7", "| x |", "\xC3\xA9", "\xD0\x96", "\xD8\xB9", "\xE6\x97\xA5", "\xE3\x81\x82", "\xF0\x9F\x98\x80"}) {
        INFO(words);
        CHECK(holds_word_character(words));
    }
    for (const char* markup : {"", "|\n", "| | |\n", "**\n\n", ". ", "---+---", "\xE2\x94\x81\xE2\x94\x81", "\xE2\x80\x94 \xE2\x80\xA2",
                               "\xC2\xA0\xC2\xA7", "\xE3\x80\x82\xE3\x80\x8C"}) {
        INFO(markup);
        CHECK_FALSE(holds_word_character(markup));
    }
}
