#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <stage_harness.hpp>
#include <text_kit/text_block.hpp>
#include <text_kit/utf8.hpp>
#include <text_kit/utf8_normalizer.hpp>

#include "temp_folder.hpp"
#include "text_source_stage.hpp"

using text_source::TextSourceSettings;
using text_source::TextSourceStage;
using text_source::testing::TempFolder;

namespace {

struct Outcome {
    std::vector<text_kit::TextBlock> blocks;
    std::vector<std::pair<std::string, std::string>> rejects;  // reason, cause
};

Outcome run_source(TextSourceSettings settings, flowdistill::testing::TestContext& context) {
    TextSourceStage stage(std::move(settings), context);
    stage.start();
    Outcome outcome;
    for (int guard = 0; guard < 100000; ++guard) {
        try {
            auto record = stage.next();
            if (!record) return outcome;
            outcome.blocks.push_back(text_kit::block_from_record(std::move(*record)));
        } catch (const flowdistill::ItemError& e) {
            outcome.rejects.emplace_back(e.reason(), e.what());
        }
    }
    FAIL("the source never finished");
    return outcome;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string joined_text(const std::vector<text_kit::TextBlock>& blocks, std::uint64_t file_index) {
    std::string text;
    for (const auto& b : blocks)
        if (b.file_index == file_index) text += b.text;
    return text;
}

}  // namespace

TEST_CASE("a CRLF file streams in small blocks that add up to the normalised file") {
    TempFolder dir;
    std::string raw = "\xEF\xBB\xBF";
    for (int i = 0; i < 2000; ++i) raw += "line " + std::to_string(i) + " caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80\r\n";
    const auto path = dir.write("crlf.txt", raw);
    flowdistill::testing::TestContext context({}, {path});
    TextSourceSettings settings;
    settings.inputs = {path};
    settings.block_bytes = 4096;
    const auto outcome = run_source(settings, context);
    CHECK(outcome.rejects.empty());
    REQUIRE(outcome.blocks.size() > 10);
    CHECK(outcome.blocks.back().last);
    CHECK(joined_text(outcome.blocks, 0) == text_kit::normalize_text(raw));
    for (const auto& block : outcome.blocks) {
        CHECK(block.text.size() <= 4096);
        CHECK(text_kit::first_invalid_byte(block.text) == block.text.size());  // cut on code points
    }
    // Each block's start maps to the original byte where its text begins.
    CHECK(outcome.blocks[0].original_begin == 3);
    for (std::size_t i = 1; i < outcome.blocks.size(); ++i) {
        const auto& block = outcome.blocks[i];
        text_kit::Utf8Normalizer normalizer(text_kit::InvalidUtf8Policy::Error);
        text_kit::NormalizedPiece piece;
        normalizer.normalize(std::string_view(raw).substr(block.original_begin, 64), block.original_begin, false, piece);
        CHECK(block.text.substr(0, piece.text.size()) == piece.text);
    }
    CHECK(context.stage_metrics.get("files") == 1);
    CHECK(context.stage_metrics.get("characters") == static_cast<double>(text_kit::count_code_points(text_kit::normalize_text(raw))));
}

TEST_CASE("empty, BOM-only and binary files are skipped with a warning and counted") {
    TempFolder dir;
    const auto empty = dir.write("empty.txt", "");
    const auto bom = dir.write("bom.txt", "\xEF\xBB\xBF");
    const auto binary = dir.write("binary.txt", std::string("PK\x03\x04\0\0data", 10));
    const auto good = dir.write("good.md", "# Title\n\nText.\n");
    flowdistill::testing::TestContext context;
    TextSourceSettings settings;
    settings.inputs = {empty, bom, binary, good};
    const auto outcome = run_source(settings, context);
    REQUIRE(outcome.rejects.size() == 3);
    CHECK(outcome.rejects[0].first == "empty_file");
    CHECK(outcome.rejects[1].first == "empty_file");
    CHECK(outcome.rejects[2].first == "binary_file");
    CHECK(outcome.rejects[2].second.find(binary) != std::string::npos);
    CHECK(context.log.contains("skipping empty file " + empty));
    CHECK(context.log.contains("skipping binary file " + binary));
    REQUIRE(outcome.blocks.size() == 1);
    CHECK(outcome.blocks[0].source == good);
    CHECK(outcome.blocks[0].file_index == 3);
    CHECK(outcome.blocks[0].text == "# Title\n\nText.\n");
}

TEST_CASE("invalid UTF-8 is an error naming the file and byte offset, or U+FFFD when asked") {
    TempFolder dir;
    const auto bad = dir.write("latin1.txt", "na\xEFve caf\xE9\n");
    const auto next = dir.write("next.txt", "fine\n");
    SECTION("error") {
        flowdistill::testing::TestContext context;
        TextSourceSettings settings;
        settings.inputs = {bad, next};
        const auto outcome = run_source(settings, context);
        REQUIRE(outcome.rejects.size() == 1);
        CHECK(outcome.rejects[0].first == "invalid_utf8");
        CHECK(outcome.rejects[0].second.find(bad) != std::string::npos);
        CHECK(outcome.rejects[0].second.find("byte offset 2") != std::string::npos);
        REQUIRE(outcome.blocks.size() == 1);
        CHECK(outcome.blocks[0].text == "fine\n");  // the run goes on with the next file
    }
    SECTION("replace") {
        flowdistill::testing::TestContext context;
        TextSourceSettings settings;
        settings.inputs = {bad};
        settings.on_invalid_utf8 = text_kit::InvalidUtf8Policy::Replace;
        const auto outcome = run_source(settings, context);
        CHECK(outcome.rejects.empty());
        REQUIRE(outcome.blocks.size() == 1);
        CHECK(outcome.blocks[0].text == "na\xEF\xBF\xBDve caf\xEF\xBF\xBD\n");
    }
}

TEST_CASE("a missing input is rejected as missing_input and the others are still read") {
    TempFolder dir;
    const auto good = dir.write("a.txt", "text\n");
    flowdistill::testing::TestContext context;
    TextSourceSettings settings;
    settings.inputs = {dir.path("nope.txt"), good};
    const auto outcome = run_source(settings, context);
    REQUIRE(outcome.rejects.size() == 1);
    CHECK(outcome.rejects[0].first == "missing_input");
    REQUIRE(outcome.blocks.size() == 1);
}

TEST_CASE("a corpus file with CRLF line ends reads back exactly, normalised") {
    const std::string path = FLOWDISTILL_SOURCE_DIR "/../shared/corpus/technical/gpo_ecfr_xml_user_guide.md";
    flowdistill::testing::TestContext context;
    TextSourceSettings settings;
    settings.inputs = {path};
    const auto outcome = run_source(settings, context);
    CHECK(outcome.rejects.empty());
    const std::string raw = read_file(path);
    REQUIRE(raw.find("\r\n") != std::string::npos);
    const std::string text = joined_text(outcome.blocks, 0);
    CHECK(text == text_kit::normalize_text(raw));
    std::size_t crlf = 0;
    for (std::size_t at = raw.find("\r\n"); at != std::string::npos; at = raw.find("\r\n", at + 2)) ++crlf;
    CHECK(crlf >= 2000);
    CHECK(text.size() + crlf == raw.size());  // one byte less for each CRLF line end
}
