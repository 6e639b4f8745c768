#include <catch2/catch.hpp>

#include <string>

#include "text_blocks.hpp"

using namespace flowdistill::offline_teacher;

TEST_CASE("blocks: headings, paragraphs, numbered and bulleted items keep their offsets") {
    const std::string text =
        "## Section 4.1: Cardiovascular Management\n"
        "Obtain EKG within 10 minutes.\n"
        "Continue on the next line.\n"
        "\n"
        "1. First step.\n"
        "2. Second step\n"
        "   wraps here.\n"
        "- a bullet\n";
    const auto blocks = split_blocks(text);
    REQUIRE(blocks.size() == 5);
    CHECK(blocks[0].kind == BlockKind::Heading);
    CHECK(blocks[0].content.of(text) == "Section 4.1: Cardiovascular Management");
    CHECK(blocks[1].kind == BlockKind::Paragraph);
    CHECK(blocks[1].content.of(text) == "Obtain EKG within 10 minutes.\nContinue on the next line.");
    CHECK(blocks[2].kind == BlockKind::NumberedItem);
    CHECK(blocks[2].whole.of(text) == "1. First step.");
    CHECK(blocks[2].content.of(text) == "First step.");
    CHECK(blocks[3].content.of(text) == "Second step\n   wraps here.");
    CHECK(blocks[4].kind == BlockKind::BulletItem);
    CHECK(blocks[4].content.of(text) == "a bullet");
}

TEST_CASE("sentences: abbreviations, decimals and lower-case continuations do not split") {
    const std::string text = "Give 0.4 mg, e.g. by spray. Dr. Smith reviews it approx. once. Then stop! Done?";
    const auto sentences = split_sentences(text, {0, text.size()});
    REQUIRE(sentences.size() == 4);
    CHECK(sentences[0].of(text) == "Give 0.4 mg, e.g. by spray.");
    CHECK(sentences[1].of(text) == "Dr. Smith reviews it approx. once.");
    CHECK(sentences[2].of(text) == "Then stop!");
    CHECK(sentences[3].of(text) == "Done?");
}

TEST_CASE("sentences: full-width terminators split Japanese text on a code point boundary") {
    const std::string text = "本書はフリーです。再配布できます。";
    const auto sentences = split_sentences(text, {0, text.size()});
    REQUIRE(sentences.size() == 2);
    CHECK(sentences[0].of(text) == "本書はフリーです。");
    CHECK(sentences[1].of(text) == "再配布できます。");
}

TEST_CASE("collapse_whitespace joins lines and trims, count_words counts runs") {
    CHECK(collapse_whitespace("  a\n  b\t c  ") == "a b c");
    CHECK(collapse_whitespace("\xE3\x80\x80" "From here\xC2\xA0" "on") == "From here on");
    CHECK(count_words(" one two\nthree ") == 3);
    CHECK(count_words("") == 0);
}

TEST_CASE("front matter and horizontal rules are not prose") {
    const std::string text = "---\ntitle: x\n- tag\n---\nReal text.\n\n***\n- item\n";
    const auto blocks = split_blocks(text);
    REQUIRE(blocks.size() == 2);
    CHECK(blocks[0].kind == BlockKind::Paragraph);
    CHECK(blocks[0].content.of(text) == "Real text.");
    CHECK(blocks[1].kind == BlockKind::BulletItem);
}

TEST_CASE("trim also removes no-break and ideographic spaces") {
    const std::string text = "\xC2\xA0\xE3\x80\x80 word \xC2\xA0";
    CHECK(trim(text, {0, text.size()}).of(text) == "word");
}
