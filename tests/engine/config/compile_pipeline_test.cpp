// Lint: every broken pipeline under broken/ states the errors it must produce in `# expect:`
// lines (line:column: message start); each must be reported at exactly that place, and nothing else.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>

#include "config/compile_pipeline.hpp"

using namespace flowdistill;
using namespace flowdistill::engine;

namespace {

const std::filesystem::path kTestPlugins = FLOWDISTILL_BINARY_DIR "/tests/plugins";
const std::filesystem::path kBroken = FLOWDISTILL_SOURCE_DIR "/tests/engine/config/broken";

const PluginRegistry& test_registry() {
    static PluginRegistry registry = [] {
        PluginRegistry r;
        r.load_directories({kTestPlugins});
        return r;
    }();
    return registry;
}

struct Expectation {
    int line, column;
    std::string message;
};

std::vector<Expectation> expectations_in(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::vector<Expectation> out;
    static const std::regex expect(R"(# expect: (\d+):(\d+): (.*))");
    std::string line;
    std::smatch m;
    while (std::getline(in, line))
        if (std::regex_match(line, m, expect)) out.push_back({std::stoi(m[1]), std::stoi(m[2]), m[3]});
    return out;
}

std::optional<PipelinePlan> compile_text(const std::string& text, Diagnostics& diagnostics, CompileOptions options = {}) {
    auto doc = parse_yaml_document(text, "inline.yaml", diagnostics, options.env);
    if (!doc) return std::nullopt;
    return compile_document(*doc, test_registry(), options, diagnostics);
}

}  // namespace

TEST_CASE("the test plugins are loaded for lint tests") {
    REQUIRE(test_registry().find("test_counter_source") != nullptr);
    REQUIRE(test_registry().find("test_slow_sink") != nullptr);
}

TEST_CASE("lint reports each broken pipeline's errors at the right line and column") {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(kBroken)) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 10);
    for (const auto& file : files) {
        const auto expected = expectations_in(file);
        Diagnostics diagnostics;
        auto plan = compile_pipeline(file, test_registry(), {}, diagnostics);
        INFO(file.filename().string() << "\n" << diagnostics.format());
        REQUIRE_FALSE(expected.empty());
        CHECK_FALSE(plan.has_value());
        CHECK(diagnostics.error_count() == expected.size());
        for (const auto& e : expected) {
            bool found = false;
            for (const auto& d : diagnostics.all())
                found = found || (d.where.line == e.line && d.where.column == e.column &&
                                  d.message.rfind(e.message, 0) == 0 && d.where.file == file.string());
            INFO("expected " << e.line << ":" << e.column << ": " << e.message);
            CHECK(found);
        }
    }
}

TEST_CASE("lint suggests the closest key and lists the valid ones") {
    Diagnostics diagnostics;
    compile_text("name: x\nstages:\n  - id: load\n    plugin: test_counter_source\n    config: {cuont: 3}\n", diagnostics);
    const std::string text = diagnostics.format();
    CHECK(text.find("inline.yaml:5:14: error: stage 'load' (test_counter_source): unknown key 'cuont'") != std::string::npos);
    CHECK(text.find("did you mean 'count'? valid keys: count") != std::string::npos);
    CHECK(text.find("flowdistill plugins describe test_counter_source") != std::string::npos);
}

TEST_CASE("a valid pipeline compiles with defaults filled in and edges in stage order") {
    Diagnostics diagnostics;
    auto plan = compile_text(
        "name: ok\ninputs: notes/guide.md\nstages:\n"
        "  - {id: load, plugin: test_counter_source}\n"
        "  - {id: work, plugin: test_faulty, capacity: 8, rate_limit: {rate: 120, per: minute}}\n"
        "  - {id: out, plugin: test_slow_sink}\n",
        diagnostics);
    INFO(diagnostics.format());
    REQUIRE(plan);
    CHECK(plan->output_dir == "./distilled_guide");
    REQUIRE(plan->stages.size() == 3);
    CHECK(plan->stages[1].inputs == std::vector<std::size_t>{0});
    CHECK(plan->stages[2].inputs == std::vector<std::size_t>{1});
    CHECK(plan->stages[1].capacity == 8);
    REQUIRE(plan->stages[1].rate_limit);
    CHECK(plan->stages[1].rate_limit->per_second == Approx(2.0));
    CHECK(plan->stages[1].rate_limit->burst == 2);
    CHECK(plan->stages[0].config.get_int("count") == 10);  // the spec's default
    CHECK(plan->stages[2].title == "Export Dataset");
}

TEST_CASE("explicit edges give fan-out and fan-in, ordered topologically") {
    Diagnostics diagnostics;
    auto plan = compile_text(
        "name: diamond\nstages:\n"
        "  - {id: join, plugin: test_slow_sink, from: [left, right]}\n"
        "  - {id: load, plugin: test_counter_source}\n"
        "  - {id: left, plugin: test_faulty, from: [load]}\n"
        "  - {id: right, plugin: test_faulty, from: load}\n",
        diagnostics);
    INFO(diagnostics.format());
    REQUIRE(plan);
    std::vector<std::string> order;
    for (const auto& s : plan->stages) order.push_back(s.id);
    CHECK(order == std::vector<std::string>{"load", "left", "right", "join"});
    CHECK(plan->stages[3].inputs == std::vector<std::size_t>{1, 2});
    CHECK(plan->consumers_of(0) == std::vector<std::size_t>{1, 2});
}

TEST_CASE("overrides (--set) change any key, addressing stages by id, and --input and --output-dir replace the file's") {
    Diagnostics diagnostics;
    CompileOptions options;
    options.overrides = {"stages.load.config.count=42", "stages.sink.capacity=16", "batch_size=8"};
    options.inputs = {"a.txt", "b.txt"};
    options.output_dir = "out";
    auto plan = compile_text("name: x\ninputs: [x.md]\nstages:\n  - {id: load, plugin: test_counter_source}\n"
                             "  - {id: sink, plugin: test_slow_sink}\n",
                             diagnostics, options);
    INFO(diagnostics.format());
    REQUIRE(plan);
    CHECK(plan->stages[0].config.get_int("count") == 42);
    CHECK(plan->stages[1].capacity == 16);
    CHECK(plan->batch_size == 8);
    CHECK(plan->inputs == std::vector<std::string>{"a.txt", "b.txt"});
    CHECK(plan->output_dir == "out");
}

TEST_CASE("an override naming a stage that does not exist is an error with a suggestion") {
    Diagnostics diagnostics;
    CompileOptions options;
    options.overrides = {"stages.lod.config.count=1"};
    compile_text("name: x\nstages:\n  - {id: load, plugin: test_counter_source}\n", diagnostics, options);
    CHECK(diagnostics.format().find("--set stages.lod.config.count=1: error: no stage 'lod'") != std::string::npos);
    CHECK(diagnostics.format().find("did you mean 'load'?") != std::string::npos);
}
