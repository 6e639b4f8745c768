// The command line as a user meets it: exit codes, lint, graph, plugins list/describe, and the
// loader refusing libraries that are not plugins or were built for another SDK.
#include <catch2/catch.hpp>

#include <flowdistill/version.hpp>

#include "child_process.hpp"

using namespace flowdistill::testing;

namespace {
const std::string kBadPlugins = FLOWDISTILL_BINARY_DIR "/tests/bad_plugins";

ChildResult run_cli(std::vector<std::string> args) {
    args.insert(args.begin(), flowdistill_binary());
    return run_child(args);
}

const char* kGood = R"(
name: good
stages:
  - {id: load, plugin: test_counter_source, config: {count: 5}}
  - {id: work, plugin: test_faulty, capacity: 32, rate_limit: {rate: 10, per: second}}
  - {id: sink, plugin: test_slow_sink}
)";
}  // namespace

TEST_CASE("version and help exit 0, no subcommand is a usage error (exit 2)") {
    auto version = run_cli({"--version"});
    CHECK(version.exit_code == 0);
    CHECK(version.out.find("flowdistill 0.1.0") != std::string::npos);
    CHECK(run_cli({"--help"}).exit_code == 0);
    CHECK(run_cli({}).exit_code == 2);
    CHECK(run_cli({"frobnicate"}).exit_code == 2);
}

TEST_CASE("lint exits 0 on a good pipeline and 2 with every error, first line file:line:col") {
    TempDir dir;
    auto good = run_cli({"lint", dir.write("good.yaml", kGood).string(), "--plugin-path", test_plugin_dir()});
    INFO(good.err);
    CHECK(good.exit_code == 0);
    CHECK(good.out.find("ok (3 stages)") != std::string::npos);

    const auto bad = dir.write("bad.yaml", "name: bad\nstages:\n  - {id: load, plugin: test_counter_source, config: {cont: 1}}\n"
                                           "  - {id: sink, plugin: test_slow_sink, capacity: -1}\n");
    auto result = run_cli({"lint", bad.string(), "--plugin-path", test_plugin_dir()});
    CHECK(result.exit_code == 2);
    CHECK(result.err.rfind(bad.string() + ":3:54: error: stage 'load' (test_counter_source): unknown key 'cont'", 0) == 0);
    CHECK(result.err.find(bad.string() + ":4:50: error: stage 'sink': 'capacity' is -1, must be between 1 and") != std::string::npos);
    CHECK(result.err.find("2 error(s) in " + bad.string()) != std::string::npos);
}

TEST_CASE("run with a broken pipeline exits 2 before doing anything") {
    TempDir dir;
    auto result = run_cli({"run", dir.write("bad.yaml", "name: x\nstages: 3\n").string(), "--plugin-path",
                               test_plugin_dir(), "--output-dir", (dir.path() / "out").string()});
    CHECK(result.exit_code == 2);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "out"));
}

TEST_CASE("graph prints the compiled topology as DOT with capacities and rates") {
    TempDir dir;
    auto result = run_cli({"graph", dir.write("good.yaml", kGood).string(), "--plugin-path", test_plugin_dir()});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out.rfind("digraph \"good\" {", 0) == 0);
    CHECK(result.out.find("\"load\" -> \"work\" [label=\"capacity 32\\n10/s, burst 10\"];") != std::string::npos);
    CHECK(result.out.find("\"work\" -> \"sink\" [label=\"capacity 256\"];") != std::string::npos);
}

TEST_CASE("plugins list names the plugins and refuses a wrong-ABI plugin and a non-plugin library by file") {
    auto result = run_cli({"plugins", "list", "--plugin-path", test_plugin_dir(), "--plugin-path", kBadPlugins});
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out.find("test_counter_source") != std::string::npos);
    CHECK(result.out.find("map") != std::string::npos);  // first-party plugins from the build tree
    CHECK(result.out.find("refused: " + kBadPlugins + "/fd_test_bad_abi.so is refused: built for SDK ABI 99.0, "
                          "this flowdistill has ABI " + std::to_string(flowdistill::kSdkAbiMajor) + "." +
                          std::to_string(flowdistill::kSdkAbiMinor)) != std::string::npos);
    CHECK(result.out.find("refused: " + kBadPlugins + "/test_not_a_plugin.so is not a flowdistill plugin: "
                          "it does not export flowdistill_plugin_descriptor") != std::string::npos);
}

TEST_CASE("a pipeline naming a refused plugin fails lint and says why the library was refused") {
    TempDir dir;
    auto result = run_cli({"lint", dir.write("p.yaml", "name: x\nstages:\n  - {id: load, plugin: test_counter_source}\n"
                                                           "  - {id: t, plugin: test_bad_abi}\n").string(),
                               "--plugin-path", test_plugin_dir(), "--plugin-path", kBadPlugins});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("unknown plugin 'test_bad_abi'") != std::string::npos);
    CHECK(result.err.find("fd_test_bad_abi.so is refused: built for SDK ABI 99.0") != std::string::npos);
}

TEST_CASE("plugins describe shows keys, types, defaults and docs from the spec") {
    auto result = run_cli({"plugins", "describe", "test_slow_sink", "--plugin-path", test_plugin_dir()});
    REQUIRE(result.exit_code == 0);
    CHECK(result.out.find("test_slow_sink (exporter, version 0.0.1") != std::string::npos);
    CHECK(result.out.find("delay_us") != std::string::npos);
    CHECK(result.out.find("default: 0") != std::string::npos);
    CHECK(result.out.find("busy time per record") != std::string::npos);
    auto missing = run_cli({"plugins", "describe", "test_slow_snk", "--plugin-path", test_plugin_dir()});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("did you mean 'test_slow_sink'?") != std::string::npos);
}
