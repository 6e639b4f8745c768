#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include <text_kit/utf8.hpp>

namespace {

struct Run {
    std::size_t end;
    std::uint64_t code_points;
};

// The definition, one sequence at a time: what the block-wise check must agree with.
Run naive_run(const std::string& text, std::size_t i, std::size_t stop) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    std::uint64_t code_points = 0;
    while (i < stop) {
        const std::size_t length = text_kit::valid_sequence_length(s + i, stop - i);
        if (length == 0) break;
        i += length;
        ++code_points;
    }
    return {i, code_points};
}

// Mostly valid text of every sequence length, with (at `invalid_rate` per piece) the ill-formed
// forms a validator can get wrong: stray continuations, truncated sequences, overlongs,
// surrogates, code points above U+10FFFF and bytes that never occur.
std::string random_text(std::mt19937& random, std::size_t size, double invalid_rate) {
    static const std::vector<std::string> valid = {"plain words ", "\n", "\xC3\xA9", "\xE4\xB8\xAD\xE6\x96\x87",
                                                   "\xF0\x9F\x98\x80", "\xED\x9F\xBF", "\xF4\x8F\xBF\xBF", "\xE0\xA0\x80"};
    static const std::vector<std::string> invalid = {"\x80", "\xBF", "\xC3", "\xE4\xB8", "\xF0\x9F\x98", "\xC0\xAF",
                                                     "\xE0\x80\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF", "\xF5"};
    std::bernoulli_distribution bad(invalid_rate);
    std::string text;
    while (text.size() < size) {
        if (bad(random)) text += invalid[random() % invalid.size()];
        else if (random() % 3 == 0) text += std::string(random() % 300, 'x');
        else text += valid[random() % valid.size()];
    }
    return text;
}

// Splits `text` the way the normaliser does: a valid run, then one maximal invalid subpart, again.
std::vector<Run> runs_by_blocks(const std::string& text, std::size_t stop) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    std::vector<Run> runs;
    std::size_t bytewise_until = 0;
    for (std::size_t i = 0; i < stop;) {
        std::uint64_t code_points = 0;
        const std::size_t end = text_kit::valid_run_end(s, i, stop, bytewise_until, code_points);
        runs.push_back({end, code_points});
        i = end < stop ? end + text_kit::invalid_subpart_length(s + end, stop - end) : end;
    }
    return runs;
}

std::vector<Run> runs_naively(const std::string& text, std::size_t stop) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    std::vector<Run> runs;
    for (std::size_t i = 0; i < stop;) {
        const Run run = naive_run(text, i, stop);
        runs.push_back(run);
        i = run.end < stop ? run.end + text_kit::invalid_subpart_length(s + run.end, stop - run.end) : run.end;
    }
    return runs;
}

}  // namespace

TEST_CASE("valid runs end where a sequence-by-sequence check ends them, with the same code points (seeded)") {
    std::mt19937 random(20261125);
    for (double rate : {0.0, 0.0005, 0.01, 0.3}) {
        for (int round = 0; round < 40; ++round) {
            const std::string text = random_text(random, std::uniform_int_distribution<std::size_t>(0, 20000)(random), rate);
            // Stops anywhere, also inside a sequence, as a CR or the end of a read puts them.
            const std::size_t stop = round % 4 == 0 ? text.size() : std::uniform_int_distribution<std::size_t>(0, text.size())(random);
            const std::vector<Run> expected = runs_naively(text, stop), got = runs_by_blocks(text, stop);
            INFO("rate " << rate << " round " << round << " size " << text.size() << " stop " << stop);
            REQUIRE(got.size() == expected.size());
            for (std::size_t k = 0; k < got.size(); ++k) {
                CHECK(got[k].end == expected[k].end);
                CHECK(got[k].code_points == expected[k].code_points);
            }
        }
    }
}

TEST_CASE("a 4 KiB block boundary inside a multibyte sequence does not split it") {
    for (std::size_t pad = 4090; pad < 4100; ++pad) {
        for (const std::string sequence : {"\xC3\xA9", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80"}) {
            const std::string text = std::string(pad, 'a') + sequence + std::string(5000, 'b');
            std::size_t bytewise_until = 0;
            std::uint64_t code_points = 0;
            const auto* s = reinterpret_cast<const unsigned char*>(text.data());
            CHECK(text_kit::valid_run_end(s, 0, text.size(), bytewise_until, code_points) == text.size());
            CHECK(code_points == pad + 1 + 5000);
        }
    }
}
