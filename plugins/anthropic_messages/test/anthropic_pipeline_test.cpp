// A whole pipeline with anthropic_messages, run by the real `flowdistill` executable as a child
// process against the fake provider.
#include <catch2/catch.hpp>

#include <cstdlib>

#include <fake_provider_process.hpp>
#include <pipeline_runner.hpp>

namespace fs = std::filesystem;
using namespace flowdistill::teacher_test;

TEST_CASE("pipeline: generate with anthropic_messages, rerun for free, the key in no file") {
    const std::string missing = PipelineDir::missing_builds("anthropic_messages");
    INFO("build first:" << missing);
    REQUIRE(missing.empty());
    const std::string key = "sk-ant-pipeline-secret-19";
    ::setenv("FD_PIPELINE_ANTHROPIC_KEY", key.c_str(), 1);
    flowdistill::testing::FakeProviderProcess fake({key, 0, 0, 1, {}});
    PipelineDir dir;
    const auto pipeline =
        dir.write_pipeline({"anthropic_messages", fake.base_url(), "claude-sonnet-4-5", "FD_PIPELINE_ANTHROPIC_KEY", "1"});
    const fs::path out = dir.root / "out";

    std::string console;
    REQUIRE(dir.run(pipeline, out, console) == 0);
    INFO(console);
    const auto requests = fake.log_entries().size();
    REQUIRE(requests > 3);
    for (const auto& entry : fake.log_entries()) CHECK(entry["path"] == "/v1/messages");
    const auto pairs = read_jsonl(out / "generated_qa_pairs.jsonl");
    CHECK(pairs.size() == 3 * requests);
    for (const auto& pair : pairs) CHECK(pair["teacher"] == "anthropic/claude-sonnet-4-5");
    const std::string golden = read_file(out / "golden_dataset.jsonl");

    REQUIRE(dir.run(pipeline, out, console) == 0);
    CHECK(fake.log_entries().size() == requests);
    CHECK(read_file(out / "golden_dataset.jsonl") == golden);
    CHECK(console.find(key) == std::string::npos);
    std::string culprit;
    INFO("the key was found in " << culprit);
    CHECK(PipelineDir::nothing_holds(out, key, culprit));
}
