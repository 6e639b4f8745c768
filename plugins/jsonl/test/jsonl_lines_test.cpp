#include <catch2/catch.hpp>

#include <string>

#include <flowdistill/errors.hpp>

#include "jsonl_lines.hpp"

using namespace flowdistill;
using namespace flowdistill::jsonl;

namespace {

Record pair_record() {
    Record pair;
    pair.id = "chunk_000003_q02";
    pair.provenance.parent = "chunk_000003";
    pair.data = Json{{"question", "What dose of aspirin is given?"},
                     {"answer", "324 mg"},
                     {"reasoning", "Section 4.1 says so."},
                     {"difficulty", "medium"},
                     {"source_chunk", "chunk_000003"},
                     {"heading_path", Json::array({"Section 4.1"})},
                     {"teacher", "offline_teacher"},
                     {"cost_usd", 0.0}};
    return pair;
}

}  // namespace

TEST_CASE("golden line: the six fields in the reference order, and nothing else") {
    CHECK(golden_line(pair_record()) ==
          R"({"instruction":"What dose of aspirin is given?","input":"","output":"324 mg",)"
          R"("reasoning":"Section 4.1 says so.","difficulty":"medium","source":"chunk_000003"})");
}

TEST_CASE("golden line: a pair without reasoning or source_chunk still has every field") {
    Record pair = pair_record();
    pair.data.erase("reasoning");
    pair.data.erase("difficulty");
    pair.data.erase("source_chunk");
    const auto line = Json::parse(golden_line(pair));
    CHECK(line.at("reasoning") == "");
    CHECK(line.at("difficulty") == "");
    CHECK(line.at("source") == "chunk_000003");  // falls back to the parent record
}

TEST_CASE("golden line: a record that is not a Q&A pair is rejected with a reason") {
    Record chunk;
    chunk.id = "chunk_000001";
    chunk.data = Json{{"text", "some text"}};
    try {
        (void)golden_line(chunk);
        FAIL("expected an ItemError");
    } catch (const ItemError& e) {
        CHECK(e.reason() == "not_a_pair");
        CHECK(std::string(e.what()).find("chunk_000001") != std::string::npos);
        CHECK(std::string(e.what()).find("format: records") != std::string::npos);
    }
}

TEST_CASE("non-ASCII text is written as UTF-8 bytes, never as backslash-u escapes") {
    Record pair = pair_record();
    pair.data["question"] = "¿Qué dosis? 投与量は？ 💊";
    pair.data["answer"] = "Température : 38,5 °C — Ωmega";
    const auto line = golden_line(pair);
    CHECK(line.find("¿Qué dosis? 投与量は？ 💊") != std::string::npos);
    CHECK(line.find("Température : 38,5 °C — Ωmega") != std::string::npos);
    CHECK(line.find("\\u") == std::string::npos);
}

TEST_CASE("control characters and quotes are escaped and invalid UTF-8 becomes U+FFFD instead of failing") {
    Record pair = pair_record();
    pair.data["answer"] = std::string("line one\nline \"two\"\t\x01");
    pair.data["reasoning"] = std::string("bad \xC3( byte");
    const auto line = golden_line(pair);
    CHECK(line.find(R"(line one\nline \"two\"\t\u0001)") != std::string::npos);
    CHECK(line.find("bad \xEF\xBF\xBD( byte") != std::string::npos);
    CHECK(line.find('\n') == std::string::npos);
}

TEST_CASE("record line: the id first, then the data fields") {
    const auto line = record_line(pair_record());
    CHECK(line.rfind(R"({"id":"chunk_000003_q02",)", 0) == 0);
    const auto parsed = Json::parse(line);
    CHECK(parsed.at("answer") == "324 mg");
    CHECK(parsed.at("heading_path") == Json::array({"Section 4.1"}));
    CHECK(parsed.at("cost_usd") == 0.0);
    CHECK(parsed.size() == pair_record().data.size() + 1);
}
