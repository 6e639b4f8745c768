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

TEST_CASE("sentence-end bytes are visited in order, forward and backward, as a byte loop would") {
    // Every byte that kSentenceEndBytes lists, and some that it does not, at every offset.
    const std::string pieces[] = {"a", ".", "!", "?", "\"", "'", ")", "]", "\n", " ", "x",
                                  "\xE3\x80\x82", "\xEF\xBC\x81", "\xE2\x80\x9D", "\xC2\xBB", "\xC3\xA9"};
    std::string text;
    for (int i = 0; i < 400; ++i) text += pieces[(i * 7 + i / 3) % 16];
    for (std::size_t begin = 0; begin < 40; begin += 3) {
        for (std::size_t end = begin; end <= text.size(); end += 11) {
            std::vector<std::size_t> expected;
            for (std::size_t t = begin; t < end; ++t)
                if (semantic_chunker::kSentenceEndBytes[static_cast<unsigned char>(text[t])]) expected.push_back(t);
            std::vector<std::size_t> forward, backward;
            CHECK_FALSE(semantic_chunker::find_sentence_end_forward(text, begin, end, [&](std::size_t t) {
                forward.push_back(t);
                return false;
            }));
            semantic_chunker::find_sentence_end_backward(text, begin, end, [&](std::size_t t) {
                backward.push_back(t);
                return false;
            });
            REQUIRE(forward == expected);
            REQUIRE(std::vector<std::size_t>(backward.rbegin(), backward.rend()) == expected);
        }
    }
    // Stopping early: the first candidate at or after 100 going forward, at or before 100 backward.
    std::size_t stopped = 0;
    CHECK(semantic_chunker::find_sentence_end_forward(text, 0, text.size(), [&](std::size_t t) { return (stopped = t) >= 100; }));
    CHECK(stopped >= 100);
    CHECK(semantic_chunker::find_sentence_end_backward(text, 0, text.size(), [&](std::size_t t) { return (stopped = t) <= 100; }));
    CHECK(stopped <= 100);
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
