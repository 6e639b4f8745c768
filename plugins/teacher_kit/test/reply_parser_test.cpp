#include <catch2/catch.hpp>

#include <teacher_kit/reply_parser.hpp>

using namespace flowdistill::teacher_kit;

namespace {
const char* kTwoPairs = R"({"pairs": [
  {"question": "Q1?", "answer": "A1", "reasoning": "R1", "difficulty": "hard"},
  {"question": "Q2?", "answer": "A2", "reasoning": "R2", "difficulty": "easy"}]})";
}

TEST_CASE("an object holding a list of pairs") {
    const auto reply = parse_reply_text(kTwoPairs);
    REQUIRE(reply.pairs.size() == 2);
    CHECK(reply.pairs[0].question == "Q1?");
    CHECK(reply.pairs[0].answer == "A1");
    CHECK(reply.pairs[0].reasoning == "R1");
    CHECK(reply.pairs[0].difficulty == "hard");
    CHECK(reply.pairs[1].difficulty == "easy");
    CHECK_FALSE(reply.salvaged);
    CHECK(reply.problem.empty());
}

TEST_CASE("a bare list, under any key name or nested") {
    CHECK(parse_reply_text(R"([{"question": "Q", "answer": "A"}])").pairs.size() == 1);
    CHECK(parse_reply_text(R"({"qa_pairs": [{"question": "Q", "answer": "A"}]})").pairs.size() == 1);
    CHECK(parse_reply_text(R"({"data": {"items": [{"Question": "Q", "Answer": "A"}]}})").pairs.size() == 1);
    CHECK(parse_reply_text(R"({"question": "Q", "answer": "A"})").pairs.size() == 1);
}

TEST_CASE("think blocks are stripped and kept as thinking") {
    const auto reply = parse_reply_text(std::string("<think>first I read the passage</think>\n") + kTwoPairs);
    REQUIRE(reply.pairs.size() == 2);
    CHECK(reply.thinking == "first I read the passage");
}

TEST_CASE("a lone closing think tag ends the thinking") {
    const auto reply = parse_reply_text(std::string("pondering...</think>") + kTwoPairs);
    CHECK(reply.pairs.size() == 2);
    CHECK(reply.thinking == "pondering...");
}

TEST_CASE("a reply cut off inside a think block has nothing to parse") {
    const auto reply = parse_reply_text("<think>still thinking when the tokens ran out");
    CHECK(reply.pairs.empty());
    CHECK(reply.problem.find("<think>") != std::string::npos);
}

TEST_CASE("code fences and surrounding prose") {
    const auto fenced = parse_reply_text(std::string("Here you go:\n```json\n") + kTwoPairs + "\n```\nHope it helps!");
    CHECK(fenced.pairs.size() == 2);
    const auto prose = parse_reply_text(std::string("Sure! ") + kTwoPairs + " Let me know.");
    CHECK(prose.pairs.size() == 2);
    const auto unclosed = parse_reply_text(std::string("```\n") + kTwoPairs);
    CHECK(unclosed.pairs.size() == 2);
}

TEST_CASE("a truncated reply keeps its complete pairs") {
    const std::string truncated = R"({"pairs": [
      {"question": "Q1?", "answer": "A1 with a } brace and a \" quote", "difficulty": "medium"},
      {"question": "Q2?", "answer": "A2", "difficulty": "hard"},
      {"question": "Q3?", "answer": "A3 was cut of)";
    const auto reply = parse_reply_text(truncated);
    REQUIRE(reply.pairs.size() == 2);
    CHECK(reply.salvaged);
    CHECK(reply.pairs[0].answer == "A1 with a } brace and a \" quote");
    CHECK(reply.pairs[1].question == "Q2?");
}

TEST_CASE("a partly broken reply: the valid pairs are salvaged") {
    const std::string broken = R"([
      {"question": "Q1?", "answer": "A1"},
      {"question": "Q2?" "answer": "missing comma"},
      {"question": "Q3?", "answer": "A3"},
    ])";
    const auto reply = parse_reply_text(broken);
    REQUIRE(reply.pairs.size() == 2);
    CHECK(reply.pairs[0].question == "Q1?");
    CHECK(reply.pairs[1].question == "Q3?");
}

TEST_CASE("pairs without a question or an answer are dropped and counted") {
    const auto reply = parse_reply_text(R"([
      {"question": "Q1?", "answer": "A1"},
      {"question": "only a question"},
      {"answer": "only an answer"},
      {"question": "  ", "answer": "blank question"},
      {"question": "Q1?", "answer": "a duplicate question"}])");
    REQUIRE(reply.pairs.size() == 1);
    CHECK(reply.dropped == 4);
}

TEST_CASE("difficulty is normalised") {
    const auto reply = parse_reply_text(R"([
      {"question": "a", "answer": "1", "difficulty": "HARD"},
      {"question": "b", "answer": "2", "difficulty": "impossible"},
      {"question": "c", "answer": "3"}])");
    REQUIRE(reply.pairs.size() == 3);
    CHECK(reply.pairs[0].difficulty == "hard");
    CHECK(reply.pairs[1].difficulty == "medium");
    CHECK(reply.pairs[2].difficulty == "medium");
}

TEST_CASE("non-string answers become text") {
    const auto reply = parse_reply_text(R"([{"question": "How many?", "answer": 42, "reasoning": ["step 1", "step 2"]}])");
    REQUIRE(reply.pairs.size() == 1);
    CHECK(reply.pairs[0].answer == "42");
    CHECK(reply.pairs[0].reasoning == "step 1\nstep 2");
}

TEST_CASE("a reply with nothing usable says why") {
    CHECK(parse_reply_text("I cannot help with that.").problem == "no JSON found in the reply");
    CHECK(parse_reply_text(R"({"status": "ok"})").problem == "the JSON held no question-answer pairs");
    CHECK(parse_reply_text(R"([{"question": "no answer"}])").problem == "1 pair(s) lacked a question or an answer");
    CHECK(parse_reply_text("   ").pairs.empty());
}

TEST_CASE("the preferred field name wins over an alternative") {
    const auto reply = parse_reply_text(R"([{"a": "short", "answer": "the full answer", "question": "Q"}])");
    REQUIRE(reply.pairs.size() == 1);
    CHECK(reply.pairs[0].answer == "the full answer");
}
