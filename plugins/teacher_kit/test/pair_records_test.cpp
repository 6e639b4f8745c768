#include <catch2/catch.hpp>

#include <teacher_kit/pair_records.hpp>

using namespace flowdistill;
using namespace flowdistill::teacher_kit;

TEST_CASE("pair ids sort in the teacher's order") {
    CHECK(pair_id("chunk_000042", 0) == "chunk_000042_q01");
    CHECK(pair_id("chunk_000042", 9) == "chunk_000042_q10");
}

TEST_CASE("pair records follow the record contract") {
    Record chunk;
    chunk.id = "chunk_000007";
    chunk.provenance.source = "docs/a.md";
    chunk.data = Json{{"text", "t"}, {"heading_path", {"Top", "Sub"}}};
    const std::vector<QaPair> pairs{{"Q1", "A1", "", "hard"}, {"Q2", "A2", "own reasoning", "easy"}};

    const auto records = make_pair_records(chunk, pairs, "deepseek/deepseek-reasoner", 0.01, "fallback reasoning");
    REQUIRE(records.size() == 2);
    const auto& first = records[0];
    CHECK(first.id == "chunk_000007_q01");
    CHECK(first.provenance.parent == "chunk_000007");
    CHECK(first.provenance.source == "docs/a.md");
    CHECK(first.data["question"] == "Q1");
    CHECK(first.data["answer"] == "A1");
    CHECK(first.data["reasoning"] == "fallback reasoning");
    CHECK(first.data["difficulty"] == "hard");
    CHECK(first.data["source_chunk"] == "chunk_000007");
    CHECK(first.data["heading_path"] == Json::array({"Top", "Sub"}));
    CHECK(first.data["teacher"] == "deepseek/deepseek-reasoner");
    CHECK(first.data["cost_usd"].get<double>() == Approx(0.005));
    CHECK(records[1].data["reasoning"] == "own reasoning");
}
