// pipelines/quickstart.yaml as a newcomer runs it: no key, no network. The summary's figures
// must match the files the run wrote, and the output must suit a terminal, a pipe and a log.
#include <catch2/catch.hpp>

#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "child_process.hpp"

using namespace flowdistill::testing;
using Json = nlohmann::json;

namespace {

const std::filesystem::path kSource = FLOWDISTILL_SOURCE_DIR;

std::vector<std::string> quickstart_argv(const TempDir& dir, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{flowdistill_binary(), "run", "pipelines/quickstart.yaml", "--output-dir",
                                  (dir.path() / "out").string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
}

ChildOptions in_source_dir(std::map<std::string, std::string> env = {}) {
    ChildOptions options;
    options.cwd = kSource;
    options.env = std::move(env);
    return options;
}

std::size_t code_points(const std::string& text) {
    std::size_t n = 0;
    for (unsigned char c : text) n += (c & 0xC0) != 0x80;
    return n;
}

// The value printed after "Label:" in the summary.
std::string summary_value(const std::string& out, const std::string& label) {
    const auto at = out.rfind("\n" + label + ":");
    if (at == std::string::npos) return {};
    const auto start = out.find_first_not_of(' ', at + label.size() + 2);
    return out.substr(start, out.find('\n', start) - start);
}

std::string without_commas(std::string text) {
    text.erase(std::remove(text.begin(), text.end(), ','), text.end());
    return text;
}

}  // namespace

TEST_CASE("the quickstart runs offline and its summary matches the files it wrote") {
    TempDir dir;
    const auto result = run_child(quickstart_argv(dir), in_source_dir());
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);

    const auto golden = read_lines(dir.path() / "out/golden_dataset.jsonl");
    const Json report = Json::parse(read_file(dir.path() / "out/run_report.json"));
    const Json& results = report["results"];
    REQUIRE(golden.size() >= 10);
    CHECK(results["qa_generated"] == golden.size());
    CHECK(without_commas(summary_value(result.out, "Q&A generated")) == std::to_string(golden.size()));
    CHECK(without_commas(summary_value(result.out, "Chunks")) == std::to_string(results["chunks"].get<std::size_t>()));
    CHECK(results["chunks"].get<std::size_t>() >= 5);

    const std::size_t characters = code_points(read_file(kSource / "samples/clinical_protocol.md"));
    CHECK(results["input_characters"] == characters);
    CHECK(without_commas(summary_value(result.out, "Input")).find("(" + std::to_string(characters) + " characters") !=
          std::string::npos);
    CHECK(summary_value(result.out, "Validated") == "not run (no validator stage)");
    CHECK(summary_value(result.out, "Cost").rfind("$0.00", 0) == 0);
    CHECK(result.out.find((dir.path() / "out/golden_dataset.jsonl").string()) != std::string::npos);

    for (const auto& line : golden) {
        const Json pair = Json::parse(line);
        CHECK(pair["instruction"].get<std::string>().back() == '?');
        CHECK_FALSE(pair["output"].get<std::string>().empty());
        CHECK(pair["input"] == "");
        CHECK(pair["source"].get<std::string>().rfind("chunk_", 0) == 0);
    }
}

TEST_CASE("without a terminal: stage banners and plain progress lines, no escape sequences") {
    TempDir dir;
    const auto result = run_child(quickstart_argv(dir), in_source_dir({{"FLOWDISTILL_PROGRESS_INTERVAL_MS", "1"}}));
    REQUIRE(result.exit_code == 0);
    CHECK(result.out.find("STEP 1: Load Documents (text_source)") != std::string::npos);
    CHECK(result.out.find("STEP 3: Generate Q&A Pairs (offline_teacher)") != std::string::npos);
    CHECK(result.out.find("progress after") != std::string::npos);
    CHECK(result.out.find("RESULTS (completed)") != std::string::npos);
    CHECK(result.out.find('\x1b') == std::string::npos);
}

TEST_CASE("on a terminal: a live progress block redrawn in place, in colour unless NO_COLOR") {
    TempDir dir;
    // A 900 KB document keeps the run going for many 1 ms progress frames.
    const std::string long_document = FLOWDISTILL_SOURCE_DIR "/../shared/corpus/financial/irs_pub17_2024_your_federal_income_tax.txt";
    const auto colour = run_in_terminal(quickstart_argv(dir, {"--input", long_document}),
                                        in_source_dir({{"FLOWDISTILL_PROGRESS_INTERVAL_MS", "1"}}));
    REQUIRE(colour.exit_code == 0);
    CHECK(colour.out.find("\x1b[1mSTEP 1: Load Documents") != std::string::npos);  // bold banner
    CHECK(colour.out.find("\x1b[2K") != std::string::npos);                        // lines cleared and redrawn
    CHECK(colour.out.find("] ") != std::string::npos);                             // a bar
    CHECK(colour.out.find("progress after") == std::string::npos);

    TempDir plain;
    const auto no_colour = run_in_terminal(quickstart_argv(plain),
                                           in_source_dir({{"FLOWDISTILL_PROGRESS_INTERVAL_MS", "1"}, {"NO_COLOR", "1"}}));
    REQUIRE(no_colour.exit_code == 0);
    CHECK(no_colour.out.find("\x1b[1m") == std::string::npos);
    CHECK(no_colour.out.find("STEP 1: Load Documents") != std::string::npos);
}

TEST_CASE("quiet mode prints only the summary, and a JSON log prints one JSON event per line") {
    TempDir dir;
    const auto quiet = run_child(quickstart_argv(dir, {"--quiet"}), in_source_dir());
    REQUIRE(quiet.exit_code == 0);
    CHECK(quiet.out.find("STEP 1") == std::string::npos);
    CHECK(quiet.out.find("RESULTS (completed)") != std::string::npos);

    TempDir json_dir;
    const auto logged = run_child(quickstart_argv(json_dir, {"--json-log"}), in_source_dir());
    REQUIRE(logged.exit_code == 0);
    std::istringstream lines(logged.err);
    std::string line;
    std::set<std::string> events;
    while (std::getline(lines, line)) events.insert(Json::parse(line)["event"].get<std::string>());
    CHECK(events.count("stage_started") == 1);
    CHECK(events.count("progress") == 1);
    CHECK(events.count("summary") == 1);
}
