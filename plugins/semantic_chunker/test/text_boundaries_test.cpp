#include <catch2/catch.hpp>

#include <string>

#include "text_boundaries.hpp"

using semantic_chunker::is_sentence_start;

namespace {

// Whether a sentence starts at the first occurrence of `marker` in `text`.
bool starts_at(const std::string& text, const std::string& marker) {
    const auto pos = text.find(marker);
    REQUIRE(pos != std::string::npos);
    return is_sentence_start(text, pos, 0);
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
