// Whole pipelines with openai_chat, run by the real `flowdistill` executable as a child process
// against the fake provider: exit codes, the one-line key messages, resume, budgets, no key leaks.
#include <catch2/catch.hpp>

#include <cstdlib>

#include <fake_provider_process.hpp>
#include <pipeline_runner.hpp>

namespace fs = std::filesystem;
using Json = nlohmann::json;
using namespace flowdistill::teacher_test;

namespace {

constexpr const char* kKeyEnv = "FD_PIPELINE_OPENAI_KEY";
constexpr const char* kKey = "sk-pipeline-secret-7f3a9c";

TeacherStageYaml openai_stage(const flowdistill::testing::FakeProviderProcess& fake, std::string budget = "") {
    return {"openai_chat", fake.base_url() + "/v1", "deepseek-chat", kKeyEnv, std::move(budget)};
}

void require_built() {
    const std::string missing = PipelineDir::missing_builds("openai_chat");
    INFO("build first:" << missing);
    REQUIRE(missing.empty());
}

void check_no_key_leaked(const fs::path& dir, const std::string& console) {
    CHECK(console.find(kKey) == std::string::npos);
    std::string culprit;
    INFO("the key was found in " << culprit);
    CHECK(PipelineDir::nothing_holds(dir, kKey, culprit));
}

}  // namespace

TEST_CASE("pipeline: generate with openai_chat, then a rerun replays every response for free") {
    require_built();
    ::setenv(kKeyEnv, kKey, 1);
    flowdistill::testing::FakeProviderProcess fake({kKey, 0, 0, 1, {}});
    PipelineDir dir;
    const auto pipeline = dir.write_pipeline(openai_stage(fake));
    const fs::path out = dir.root / "out";

    std::string console;
    REQUIRE(dir.run(pipeline, out, console) == 0);
    INFO(console);
    const auto pairs = read_jsonl(out / "generated_qa_pairs.jsonl");
    const auto requests = fake.log_entries().size();
    REQUIRE(requests > 3);
    CHECK(pairs.size() == 3 * requests);
    for (const auto& pair : pairs) {
        CHECK(pair["teacher"] == "local/deepseek-chat");
        CHECK_FALSE(pair["question"].get<std::string>().empty());
        CHECK(pair["cost_usd"].get<double>() > 0);
    }
    CHECK(read_file(out / "rejects.jsonl").empty());
    const std::string golden = read_file(out / "golden_dataset.jsonl");
    CHECK_FALSE(golden.empty());

    REQUIRE(dir.run(pipeline, out, console) == 0);
    CHECK(fake.log_entries().size() == requests);  // nothing asked twice
    CHECK(read_file(out / "golden_dataset.jsonl") == golden);
    const Json report = Json::parse(read_file(out / "run_report.json"));
    CHECK(report["results"]["cost_usd"] == 0.0);
    check_no_key_leaked(out, console);
}

TEST_CASE("pipeline: a rejected key stops the run with exit 3 and one message") {
    require_built();
    ::setenv(kKeyEnv, kKey, 1);
    flowdistill::testing::FakeProviderProcess fake({"sk-a-different-key", 0, 0, 1, {}});
    PipelineDir dir;
    std::string console;
    CHECK(dir.run(dir.write_pipeline(openai_stage(fake)), dir.root / "out", console) == 3);
    INFO(console);
    // Once as the error, once in the summary's "Failed:" line: never once per chunk.
    const int mentions = count_of(console, "(HTTP 401)");
    CHECK(mentions >= 1);
    CHECK(mentions <= 2);
    CHECK(console.find("rejected the API key in $" + std::string(kKeyEnv) + " (HTTP 401)") != std::string::npos);
    check_no_key_leaked(dir.root / "out", console);
}

TEST_CASE("pipeline: an unset key variable stops the run before any request") {
    require_built();
    ::unsetenv(kKeyEnv);
    flowdistill::testing::FakeProviderProcess fake({kKey, 0, 0, 1, {}});
    PipelineDir dir;
    std::string console;
    CHECK(dir.run(dir.write_pipeline(openai_stage(fake)), dir.root / "out", console) == 3);
    INFO(console);
    CHECK(count_of(console, std::string(kKeyEnv) + " is not set") == 1);
    CHECK(console.find("pipelines/quickstart.yaml") != std::string::npos);
    CHECK(fake.log_entries().empty());
}

TEST_CASE("pipeline: a stage budget stops new requests, the run finishes, and the fake billed no more") {
    require_built();
    ::setenv(kKeyEnv, kKey, 1);
    flowdistill::testing::FakeProviderProcess fake({kKey, 0, 0, 1, {}});
    PipelineDir dir;
    const double budget = 0.004;
    std::string console;
    const fs::path out = dir.root / "out";
    REQUIRE(dir.run(dir.write_pipeline(openai_stage(fake, "0.004")), out, console) == 0);
    INFO(console);
    double billed = 0;
    for (const auto& entry : fake.log_entries())
        if (entry.value("success", false))
            billed += (entry.value("prompt_tokens", 0.0) * 0.28 + entry.value("completion_tokens", 0.0) * 0.42) / 1e6;
    CHECK(billed > 0);
    CHECK(billed <= budget);
    int exhausted = 0;
    for (const auto& reject : read_jsonl(out / "rejects.jsonl"))
        if (reject.dump().find("budget_exhausted") != std::string::npos) ++exhausted;
    CHECK(exhausted > 0);
    CHECK_FALSE(read_jsonl(out / "generated_qa_pairs.jsonl").empty());
}
