// Installs flowdistill and its SDK to a temporary prefix, builds tests/sdk/out_of_tree against
// it with find_package(flowdistill), and runs the plugin by name through the installed binary.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "child_process.hpp"

using namespace flowdistill::testing;

TEST_CASE("a plugin built out of tree against the installed SDK loads by name and runs") {
    TempDir dir;
    const auto prefix = dir.path() / "prefix";
    const std::string cmake = CMAKE_COMMAND_PATH;
    auto install = run_child({cmake, "--install", FLOWDISTILL_BINARY_DIR, "--prefix", prefix.string()});
    INFO(install.out << install.err);
    REQUIRE(install.exit_code == 0);
    REQUIRE(std::filesystem::exists(prefix / "lib/cmake/flowdistill/flowdistillConfig.cmake"));
    REQUIRE(std::filesystem::exists(prefix / "include/flowdistill/flowdistill.hpp"));

    const auto build = dir.path() / "build";
    auto configure = run_child({cmake, "-S", FLOWDISTILL_SOURCE_DIR "/tests/sdk/out_of_tree", "-B", build.string(),
                                "-DCMAKE_PREFIX_PATH=" + prefix.string(), "-DCMAKE_BUILD_TYPE=Release"});
    INFO(configure.out << configure.err);
    REQUIRE(configure.exit_code == 0);
    auto compile = run_child({cmake, "--build", build.string()});
    INFO(compile.out << compile.err);
    REQUIRE(compile.exit_code == 0);
    REQUIRE(std::filesystem::exists(build / "fd_greeting_source.so"));

    const auto installed = (prefix / "bin/flowdistill").string();
    auto list = run_child({installed, "plugins", "list", "--plugin-path", build.string()});
    CHECK(list.exit_code == 0);
    CHECK(list.out.find("greeting_source") != std::string::npos);
    CHECK(list.out.find("1.2.3") != std::string::npos);
    CHECK(list.out.find("map") != std::string::npos);  // the installed first-party plugins are found too

    const auto pipeline = dir.write("hello.yaml", "name: hello\nstages:\n"
                                                  "  - {id: greet, plugin: greeting_source, config: {who: world, count: 4}}\n"
                                                  "  - {id: tag, plugin: map, config: {set: {checked: true}}}\n");
    auto run = run_child({installed, "run", pipeline.string(), "--plugin-path", build.string(), "--output-dir",
                          (dir.path() / "out").string(), "-q"});
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    const auto report = nlohmann::json::parse(read_file(dir.path() / "out/run_report.json"));
    CHECK(report["stages"][0]["plugin"] == "greeting_source");
    CHECK(report["stages"][0]["emitted"] == 4);
    CHECK(report["stages"][1]["received"] == 4);
}
