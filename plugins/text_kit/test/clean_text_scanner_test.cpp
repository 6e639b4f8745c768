#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include <text_kit/clean_text_scanner.hpp>
#include <text_kit/utf8.hpp>

#include "reference_normalizer.hpp"

using text_kit::CleanTextScanner;

namespace {

struct Stop {
    std::size_t at;
    std::uint64_t code_points;
    bool may_hold_cr;
};

// The definition, one sequence at a time: clean text ends at a NUL or an ill-formed sequence.
Stop reference_clean_end(const std::string& text, std::size_t i, std::size_t end) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    std::uint64_t code_points = 0;
    while (i < end && s[i] != 0) {
        const std::size_t length = text_kit::valid_sequence_length(s + i, end - i);
        if (length == 0) break;
        i += length;
        ++code_points;
    }
    return {i, code_points, true};
}

// Walks [0, end) as the normaliser does: clean text, then on after the NUL or ill-formed subpart
// that ended it.
template <class CleanEnd>
std::vector<Stop> walk(const std::string& text, std::size_t end, CleanEnd clean_end) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    std::vector<Stop> stops;
    for (std::size_t i = 0; i < end;) {
        stops.push_back(clean_end(i));
        const std::size_t at = stops.back().at;
        if (at >= end) break;
        i = at + (s[at] == 0 ? 1 : text_kit::invalid_subpart_length(s + at, end - at));
    }
    return stops;
}

void check_scanner_agrees(const std::string& text, std::size_t end) {
    CleanTextScanner scanner(reinterpret_cast<const unsigned char*>(text.data()), end);
    std::vector<std::size_t> starts;
    const auto fast = walk(text, end, [&](std::size_t i) {
        std::uint64_t code_points = 0;
        bool may_hold_cr = true;
        starts.push_back(i);
        const std::size_t at = scanner.clean_end(i, code_points, may_hold_cr);
        return Stop{at, code_points, may_hold_cr};
    });
    const auto slow = walk(text, end, [&](std::size_t i) { return reference_clean_end(text, i, end); });
    INFO("size " << text.size() << " end " << end);
    REQUIRE(fast.size() == slow.size());
    for (std::size_t k = 0; k < fast.size(); ++k) {
        INFO("stop " << k);
        REQUIRE(fast[k].at == slow[k].at);
        REQUIRE(fast[k].code_points == slow[k].code_points);
        // Told that there is no CR, the normaliser does not look for one.
        if (!fast[k].may_hold_cr) REQUIRE(text.find('\r', starts[k]) >= fast[k].at);
    }
}

}  // namespace

TEST_CASE("a CR, NUL or non-ASCII byte is found wherever it falls in a 64-byte step") {
    // (A CR does not end clean text; it only may not be missed: see may_hold_cr.)
    const std::vector<std::string> specials = {"\r", std::string(1, '\0'), "\xC3\xA9", "\xE2\x80\x9C", "\x80",
                                               "\xFF", "\xF0\x9F\x98", "\xE2\x80\r"};
    for (std::size_t size : {1u, 2u, 63u, 64u, 65u, 127u, 128u, 129u, 200u}) {
        for (const auto& special : specials) {
            for (std::size_t at = 0; at < size; ++at) {
                std::string text(size, 'a');
                text.replace(at, std::min(special.size(), size - at), special.substr(0, size - at));
                for (std::size_t end : {size, at, at + 1, size - 1}) check_scanner_agrees(text, std::min(end, size));
            }
        }
    }
}

TEST_CASE("clean ends agree with a sequence-by-sequence walk on random text (seeded)") {
    std::mt19937 random(20260521);
    for (double rate : {0.0, 0.0005, 0.01, 0.3}) {
        for (int round = 0; round < 60; ++round) {
            // Mostly short texts, some past a window, so that runs and batches cross its end.
            const std::size_t size = round % 10 == 0 ? CleanTextScanner::kWindowBytes + random() % 80000 : random() % 5000;
            const std::string text = text_kit::testing::random_text(random, size, rate, round % 3 == 0);
            const std::size_t end = round % 2 == 0 ? text.size() : random() % (text.size() + 1);
            check_scanner_agrees(text, end);
        }
    }
}

TEST_CASE("a window ending inside a sequence or a run of continuation bytes does not change the answer") {
    const std::size_t window = CleanTextScanner::kWindowBytes;
    for (const std::string sequence : {"\xC3\xA9", "\xE6\x97\xA5", "\xF0\x9F\x98\x80", "\x80\x80\x80\x80\x80",
                                       "\xE6\x97", "\xF0\x9F\x98\x80\x80"}) {
        for (std::size_t pad = window - 8; pad <= window + 4; ++pad) {
            const std::string text = std::string(pad, 'a') + sequence + std::string(100, 'b');
            check_scanner_agrees(text, text.size());
        }
    }
    // The same at the end of a long run, which is checked where it lies: a valid sequence followed
    // by stray continuation bytes must not be cut at its second byte (it was, and became U+FFFD).
    std::string japanese;
    for (int i = 0; i < 300; ++i) japanese += "\xE6\x97\xA5";
    for (const std::string tail : {"\xE2\x80\x80\x80\x80\x80", "\xF0\x9F\x98\x80\x80\x80\x80", "\xC3\xA9\x80\x80\x80\x80"}) {
        for (std::size_t pad = window - 8; pad <= window + 4; ++pad) {
            const std::string text = std::string(pad - japanese.size(), 'a') + japanese + tail + std::string(100, 'b');
            check_scanner_agrees(text, text.size());
        }
    }
    // Dense text, so that the whole window is one run and the cut lands on every byte of a sequence.
    for (std::size_t shift = 0; shift < 4; ++shift) {
        std::string text(shift, 'a');
        while (text.size() < 2 * window + 300) text += "\xE6\x97\xA5\xF0\x9F\x98\x80";
        check_scanner_agrees(text, text.size());
        text[window + shift * 7] = '\xFF';
        check_scanner_agrees(text, text.size());
    }
}

TEST_CASE("an ill-formed byte is found before, in and after a full batch of short stretches") {
    // A curly quote every 70 bytes: one short run per step, thousands of stretches per window.
    std::string text;
    for (int i = 0; i < 2500; ++i) text += std::string(67, 'w') + "\xE2\x80\x9C";
    check_scanner_agrees(text, text.size());
    for (std::size_t stretch : {0u, 1u, 600u, 1020u, 1100u, 2499u}) {
        for (const std::string bad : {"\xFF", "\xE2\x80", "\x9C\x9C"}) {
            std::string broken = text;
            broken.replace(stretch * 70 + 67, 3, bad + std::string(3 - bad.size(), 'q'));
            check_scanner_agrees(broken, broken.size());
        }
    }
}

TEST_CASE("stretches checked together do not run into each other") {
    // A truncated sequence and, a step or more later, the continuation bytes that would complete
    // it: both are ill-formed, however the stretches are put side by side to be checked.
    for (std::size_t gap : {1u, 60u, 64u, 65u, 130u, 600u}) {
        for (std::size_t lead : {0u, 30u, 63u}) {
            for (const std::string& parts : {std::string("\xE2\x80|\x9C"), std::string("\xF0\x9F|\x98\x80"),
                                             std::string("\xC3|\xA9"), std::string("\xE6\x97\xA5\xE2|\x80\x9C")}) {
                const std::size_t bar = parts.find('|');
                const std::string text = std::string(lead, 'a') + parts.substr(0, bar) + std::string(gap, 'b') +
                                         parts.substr(bar + 1) + std::string(100, 'c');
                check_scanner_agrees(text, text.size());
            }
        }
    }
}

TEST_CASE("clean text is said to hold a CR only where a window it lies in holds one") {
    std::mt19937 random(99);
    std::string text;
    while (text.size() < 3 * CleanTextScanner::kWindowBytes) text += text_kit::testing::random_text(random, 500, 0.0);
    for (char& c : text)
        if (c == '\r') c = '\n';
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    std::uint64_t code_points = 0;
    bool may_hold_cr = true;
    CHECK(CleanTextScanner(s, text.size()).clean_end(0, code_points, may_hold_cr) == text.size());
    CHECK_FALSE(may_hold_cr);
    for (std::size_t at : {std::size_t{0}, CleanTextScanner::kWindowBytes + 5, text.size() - 1}) {
        std::string with_cr = text;
        with_cr[at] = '\r';
        CleanTextScanner scanner(reinterpret_cast<const unsigned char*>(with_cr.data()), with_cr.size());
        CHECK(scanner.clean_end(0, code_points, may_hold_cr) == with_cr.size());
        CHECK(may_hold_cr);
    }
}
