// Whole pipelines with openai_chat, run by the real `flowdistill` executable as a child process
// against the fake provider: exit codes, the one-line key messages, resume, budgets, no key leaks.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

#include <fake_provider_process.hpp>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

constexpr const char* kKeyEnv = "FD_PIPELINE_OPENAI_KEY";
constexpr const char* kKey = "sk-pipeline-secret-7f3a9c";
const fs::path kBinary = FLOWDISTILL_BINARY_DIR "/bin/flowdistill";
const fs::path kSample = FLOWDISTILL_SOURCE_DIR "/samples/clinical_protocol.md";

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<Json> read_jsonl(const fs::path& path) {
    std::vector<Json> lines;
    std::istringstream in(read_file(path));
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(Json::parse(line));
    return lines;
}

int count_of(const std::string& text, const std::string& needle) {
    int n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
    return n;
}

class PipelineDir {
public:
    PipelineDir() {
        char pattern[] = "/tmp/fd_teacher_pipeline_XXXXXX";
        REQUIRE(::mkdtemp(pattern) != nullptr);
        root = pattern;
    }
    ~PipelineDir() {
        std::error_code ignored;
        fs::remove_all(root, ignored);
    }

    // Writes the pipeline; `generate_extra` is appended to the generate stage's config.
    fs::path write_pipeline(const std::string& base_url, const std::string& stage_budget = "",
                            const std::string& generate_extra = "") const {
        std::ostringstream yaml;
        yaml << "name: teacher_e2e\n"
             << "description: openai_chat against the fake provider.\n"
             << "inputs:\n  - " << kSample.string() << "\n"
             << "stages:\n"
             << "  - id: load\n    plugin: text_source\n"
             << "  - id: chunk\n    plugin: semantic_chunker\n    config: {chunk_size: 800, overlap: 100}\n"
             << "  - id: generate\n    plugin: openai_chat\n"
             << (stage_budget.empty() ? "" : "    budget_usd: " + stage_budget + "\n")
             << "    config:\n"
             << "      base_url: " << base_url << "/v1\n"
             << "      model: deepseek-chat\n"
             << "      api_key_env: " << kKeyEnv << "\n"
             << "      questions_per_chunk: 3\n"
             << "      max_tokens: 1024\n"
             << generate_extra
             << "  - id: export_raw\n    plugin: jsonl\n    from: [generate]\n"
             << "    config: {file: generated_qa_pairs.jsonl, format: records}\n"
             << "  - id: export\n    plugin: jsonl\n    from: [generate]\n"
             << "    config: {file: golden_dataset.jsonl, format: golden}\n";
        const fs::path file = root / "pipeline.yaml";
        std::ofstream(file) << yaml.str();
        return file;
    }

    // Runs `flowdistill run`; returns the exit status, with stdout and stderr in `output`.
    int run(const fs::path& pipeline, const fs::path& out_dir, std::string& output) const {
        const fs::path log = root / "console.txt";
        const std::string command = kBinary.string() + " run " + pipeline.string() + " --output-dir " +
                                    out_dir.string() + " > " + log.string() + " 2>&1";
        const int status = std::system(command.c_str());
        output = read_file(log);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    fs::path root;
};

void require_built() {
    for (const char* plugin : {"fd_text_source.so", "fd_semantic_chunker.so", "fd_jsonl.so", "fd_openai_chat.so"}) {
        INFO("build it first: cmake --build <build dir> --target " << fs::path(plugin).stem().string());
        REQUIRE(fs::exists(fs::path(FLOWDISTILL_BINARY_DIR "/lib/flowdistill/plugins") / plugin));
    }
    REQUIRE(fs::exists(kBinary));
}

// Every byte under `dir` (the store included) and the console output: the key must be in none.
void check_no_key_leaked(const fs::path& dir, const std::string& console) {
    CHECK(console.find(kKey) == std::string::npos);
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file()) continue;
        INFO(entry.path().string());
        CHECK(read_file(entry.path()).find(kKey) == std::string::npos);
    }
}

}  // namespace

TEST_CASE("pipeline: generate with openai_chat, then a rerun replays every response for free") {
    require_built();
    ::setenv(kKeyEnv, kKey, 1);
    flowdistill::testing::FakeProviderProcess fake({kKey, 0, 0, 1, {}});
    PipelineDir dir;
    const auto pipeline = dir.write_pipeline(fake.base_url());
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
    CHECK(dir.run(dir.write_pipeline(fake.base_url()), dir.root / "out", console) == 3);
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
    CHECK(dir.run(dir.write_pipeline(fake.base_url()), dir.root / "out", console) == 3);
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
    REQUIRE(dir.run(dir.write_pipeline(fake.base_url(), "0.004"), out, console) == 0);
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
