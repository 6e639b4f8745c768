#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <stage_harness.hpp>
#include <text_kit/text_block.hpp>

#include "chunker_stage.hpp"
#include "text_source_stage.hpp"

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// text_source -> semantic_chunker, driven the way the engine drives them.
std::vector<flowdistill::Record> run_pipeline(const std::vector<std::string>& inputs, semantic_chunker::ChunkerSettings settings,
                                              flowdistill::testing::TestContext& context, std::size_t block_bytes = 65536) {
    text_source::TextSourceSettings source_settings;
    source_settings.inputs = inputs;
    source_settings.block_bytes = block_bytes;
    text_source::TextSourceStage source(source_settings, context);
    semantic_chunker::ChunkerStage chunker(settings, context);
    REQUIRE(chunker.serial());
    source.start();
    chunker.start();
    flowdistill::testing::VectorEmitter out;
    while (true) {
        std::optional<flowdistill::Record> block;
        try {
            block = source.next();
        } catch (const flowdistill::ItemError&) {
            continue;  // the engine records the reject and asks again
        }
        if (!block) break;
        chunker.process(std::move(*block), out);
    }
    chunker.finish(out);
    return std::move(out.records);
}

}  // namespace

TEST_CASE("chunk records follow docs/record-contracts.md and point at the original bytes") {
    const std::string path = FLOWDISTILL_SOURCE_DIR "/../shared/corpus/legal/us_bill_119_hr9010_reported.txt";  // CRLF
    const std::string raw = read_file(path);
    flowdistill::testing::TestContext context;
    const auto records = run_pipeline({path}, {}, context, 8192);
    REQUIRE(records.size() > 10);
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& record = records[i];
        char expected_id[32];
        std::snprintf(expected_id, sizeof expected_id, "chunk_%06zu", i);
        REQUIRE(record.id == expected_id);
        CHECK(record.provenance.source == path);
        CHECK(record.provenance.parent.rfind("block_000000_", 0) == 0);
        const auto& data = record.data;
        CHECK(data.at("index").get<std::size_t>() == i);
        CHECK(data.at("source").get<std::string>() == path);
        REQUIRE(data.at("heading_path").is_array());
        const auto begin = data.at("byte_begin").get<std::size_t>(), end = data.at("byte_end").get<std::size_t>();
        REQUIRE(end <= raw.size());
        std::string original = raw.substr(begin, end - begin);
        std::string without_cr;
        for (std::size_t k = 0; k < original.size(); ++k)
            if (!(original[k] == '\r' && k + 1 < original.size() && original[k + 1] == '\n')) without_cr += original[k];
        CHECK(without_cr == data.at("text").get<std::string>());
    }
    CHECK(context.stage_metrics.get("chunks") == static_cast<double>(records.size()));
    CHECK(context.stage_metrics.notes.count("chunk_chars_max") == 1);
}

TEST_CASE("a file cut short by invalid UTF-8 still flushes its chunks before the next file") {
    const std::string corpus = FLOWDISTILL_SOURCE_DIR "/../shared/corpus/";
    const std::string dir = std::filesystem::temp_directory_path() / ("fd_chunker_stage_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::string text;
    for (int i = 0; i < 400; ++i) text += "Sentence number " + std::to_string(i) + " is fine. ";
    std::ofstream(dir + "/a.txt", std::ios::binary) << text << "\xFF broken";
    std::ofstream(dir + "/b.txt", std::ios::binary) << "# Next\n\nThe next file.\n";
    flowdistill::testing::TestContext context;
    const auto records = run_pipeline({dir + "/a.txt", dir + "/b.txt"}, {}, context, 4096);
    std::filesystem::remove_all(dir);
    REQUIRE(records.size() >= 2);
    CHECK(records.front().data.at("source").get<std::string>() == dir + "/a.txt");
    CHECK(records.back().data.at("source").get<std::string>() == dir + "/b.txt");
    CHECK(records.back().data.at("heading_path") == flowdistill::Json::array({"Next"}));
    CHECK(records.back().data.at("byte_begin").get<int>() == 0);
}

TEST_CASE("a record that is not a text block is rejected with a hint") {
    flowdistill::testing::TestContext context;
    semantic_chunker::ChunkerStage chunker({}, context);
    flowdistill::testing::VectorEmitter out;
    flowdistill::Record record;
    record.id = "x";
    record.data = {{"question", "?"}};
    try {
        chunker.process(record, out);
        FAIL("no error");
    } catch (const flowdistill::ItemError& e) {
        CHECK(e.reason() == "not_a_text_block");
        CHECK(std::string(e.what()).find("text_source") != std::string::npos);
    }
}
