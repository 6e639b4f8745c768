#include <catch2/catch.hpp>

#include <random>
#include <string>
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

TEST_CASE("the candidate mask marks every byte is_sentence_candidate accepts, at every offset") {
    const std::string pieces[] = {"a", ".", "!", "?", "\"", "'", ")", "]", "\n", " ", "\t", "x", "=", "_", "\xE3\x80\x82",
                                  "\xEF\xBC\x81", "\xEF\xBC\x9F", "\xE2\x80\x9D", "\xC2\xBB", "\xC3\xA9", "\xE3\x81\x82", "  "};
    std::mt19937 rng(20261130);
    std::uniform_int_distribution<std::size_t> pick(0, std::size(pieces) - 1);
    std::string text;
    while (text.size() < 4000) text += pieces[pick(rng)];
    // The only extra bytes the table lookups may let through (sentence_candidates.cpp): those
    // grouped with the bytes that end sentences, and line feeds after them.
    const auto grouped = [](unsigned char b) { return b == '=' || b == '_' || (b >= 0x80 && b <= 0xBF); };
    for (std::size_t at = 0; at + 64 <= text.size(); ++at) {
        const char before = at > 0 ? text[at - 1] : '\0', after = at + 64 < text.size() ? text[at + 64] : '\0';
        const std::uint64_t mask = semantic_chunker::sentence_candidates64(text.data() + at, before, after);
        for (unsigned k = 0; k < 64; ++k) {
            const auto byte = static_cast<unsigned char>(text[at + k]);
            const bool marked = (mask >> k) & 1;
            INFO("offset " << at << ", byte " << k << " = " << static_cast<unsigned>(byte));
            if (semantic_chunker::is_sentence_candidate(text, at + k)) REQUIRE(marked);
            else if (marked) REQUIRE((grouped(byte) || (byte == '\n' && grouped(static_cast<unsigned char>(at + k > 0 ? text[at + k - 1] : 0)))));
        }
    }
}

TEST_CASE("sentence searches over candidates find what a byte loop over every sentence-end byte finds") {
    // The chunker's two searches: the last sentence start in (low, high] going back, and the first
    // one at or after `from` going forward (docs/chunking.md, rules 3 and 5). Visiting only
    // is_sentence_candidate() bytes must not change either answer.
    const std::vector<std::string> pieces{"word", "Next", "next", "4.1", "e.g.", "Dr.", ".", "!", "?", "\"", ")", "]", "'",
                                          " ", " ", "  ", "\n", "\n\n", " \n", "\n ", "。", "！", "é", "\xE2\x80\x9D", "日本"};
    std::mt19937 rng(20261130);
    std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
    const auto next_word = [](const std::string& text, std::size_t t, std::size_t limit) {
        std::size_t p = t + 1;
        while (p < limit && semantic_chunker::is_ascii_space(text[p])) ++p;
        return p;
    };
    for (int round = 0; round < 2000; ++round) {
        std::string text;
        for (int i = 0; i < 40; ++i) text += pieces[pick(rng)];
        const std::size_t low = std::uniform_int_distribution<std::size_t>(1, text.size() / 2)(rng);
        const std::size_t high = std::uniform_int_distribution<std::size_t>(low, text.size() - 1)(rng);
        INFO("text " << escaped(text) << ", low " << low << ", high " << high);
        // Backward, as choose_cut() searches.
        const auto start_before = [&](std::size_t t) {
            const std::size_t p = next_word(text, t, high + 1);
            return p <= high && p >= low && is_sentence_start(text, p, 0);
        };
        std::size_t expected = 0, found = 0;
        for (std::size_t t = high; t-- > low - 1;)
            if (semantic_chunker::kSentenceEndBytes[static_cast<unsigned char>(text[t])] && start_before(t)) {
                expected = next_word(text, t, high + 1);
                break;
            }
        semantic_chunker::find_sentence_end_backward(text, low - 1, high, [&](std::size_t t) {
            return start_before(t) && (found = next_word(text, t, high + 1), true);
        });
        REQUIRE(found == expected);
        // Forward, as overlap_begin() searches: the first candidate whose next word starts a
        // sentence at or after `low`, or that has only spaces up to `high`, ends the search.
        const auto start_after = [&](std::size_t t, std::size_t& p) {
            p = next_word(text, t, high);
            return p >= high || (p >= low && is_sentence_start(text, p, 0));
        };
        std::size_t forward_expected = high, p = 0;
        for (std::size_t t = low - 1; t < high; ++t)
            if (semantic_chunker::kSentenceEndBytes[static_cast<unsigned char>(text[t])] && start_after(t, p)) {
                forward_expected = p;
                break;
            }
        std::size_t forward_found = high;
        semantic_chunker::find_sentence_end_forward(text, low - 1, high, [&](std::size_t t) { return start_after(t, p) && (forward_found = p, true); });
        REQUIRE(std::min(forward_found, high) == std::min(forward_expected, high));
    }
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

TEST_CASE("the inline sentence-start check agrees with the full one after every space and line break") {
    // Each fast path in is_sentence_start must give the answer is_sentence_start_slow gives.
    CHECK(starts_at("para one.\n\n next para", "next"));  // a blank line, then an indented word
    const std::vector<std::string> pieces{"word", "Next", "next", "4.1", "e.g.", "Dr.", ".", "!", "?", ",", ";",
                                          ":", "-", "\"", "(", ")", " ", " ", "  ", "\n", "\n\n", " \n", "。", "é"};
    std::mt19937 rng(20261125);
    std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        for (int i = 0; i < 12; ++i) text += pieces[pick(rng)];
        const std::size_t floor = std::uniform_int_distribution<std::size_t>(0, 3)(rng);
        for (std::size_t pos = floor + 1; pos < text.size(); ++pos) {
            const char before = text[pos - 1];
            if ((before != ' ' && before != '\n') || text[pos] == ' ' || text[pos] == '\n') continue;
            INFO("text " << escaped(text) << ", position " << pos << ", floor " << floor);
            REQUIRE(is_sentence_start(text, pos, floor) == semantic_chunker::is_sentence_start_slow(text, pos, floor));
        }
    }
}
