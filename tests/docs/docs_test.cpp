// What is generated from the plugins' specs stays current, every shipped pipeline and every spec
// example passes lint, and the engine keeps its promise of never naming a first-party plugin.
#include <catch2/catch.hpp>

#include <regex>

#include "child_process.hpp"
#include "config/pipeline_schema.hpp"
#include "config/spec_check.hpp"
#include "plugins/plugin_registry.hpp"

using namespace flowdistill;
using namespace flowdistill::engine;
using namespace flowdistill::testing;

namespace {
const std::filesystem::path kSource = FLOWDISTILL_SOURCE_DIR;
const std::filesystem::path kPlugins = FLOWDISTILL_BINARY_DIR "/lib/flowdistill/plugins";

const PluginRegistry& first_party() {
    static PluginRegistry registry = [] {
        PluginRegistry r;
        r.load_directories({kPlugins});
        return r;
    }();
    return registry;
}
}  // namespace

TEST_CASE("docs/plugins/<name>.md is what `plugins describe --markdown` prints, for every plugin") {
    REQUIRE_FALSE(first_party().plugins().empty());
    for (const LoadedPlugin* plugin : first_party().plugins()) {
        auto described = run_child({flowdistill_binary(), "plugins", "describe", plugin->name(), "--markdown"});
        REQUIRE(described.exit_code == 0);
        const auto page = kSource / "docs/plugins" / (plugin->name() + ".md");
        INFO("docs/plugins/" << plugin->name() << ".md is stale or missing: run .ci/regenerate-docs");
        CHECK(read_file(page) == described.out);
    }
}

TEST_CASE("every pipeline in pipelines/ passes lint") {
    std::size_t checked = 0;
    for (const auto& entry : std::filesystem::directory_iterator(kSource / "pipelines")) {
        if (entry.path().extension() != ".yaml") continue;
        auto lint = run_child({flowdistill_binary(), "lint", entry.path().string()});
        INFO(entry.path().string() << "\n" << lint.err);
        CHECK(lint.exit_code == 0);
        ++checked;
    }
    CHECK(checked >= 1);
}

TEST_CASE("every plugin's spec example is a valid config for it") {
    for (const LoadedPlugin* plugin : first_party().plugins()) {
        if (plugin->spec.example.empty()) continue;
        Diagnostics diagnostics;
        auto doc = parse_yaml_document(plugin->spec.example, plugin->name() + " example", diagnostics,
                                       [](const std::string&) { return std::optional<std::string>("x"); });
        REQUIRE(doc);
        check_against_spec(doc->root, plugin->spec, {*doc, "", plugin->name() + " example", ""}, diagnostics);
        INFO(diagnostics.format());
        CHECK_FALSE(diagnostics.has_errors());
    }
}

TEST_CASE("the engine and the SDK never name a first-party plugin") {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(kSource / "plugins"))
        if (entry.is_directory()) names.push_back(entry.path().filename().string());
    REQUIRE_FALSE(names.empty());
    for (const char* folder : {"engine", "sdk"}) {
        for (const auto& entry : std::filesystem::recursive_directory_iterator(kSource / folder)) {
            if (!entry.is_regular_file()) continue;
            const std::string text = read_file(entry.path());
            for (const auto& name : names) {
                INFO(entry.path().string() << " names the plugin " << name);
                CHECK(text.find("\"" + name + "\"") == std::string::npos);
                CHECK(text.find("plugins/" + name) == std::string::npos);
            }
        }
    }
}

TEST_CASE("docs/pipeline-reference.md names every pipeline and stage key and links every plugin page") {
    const std::string reference = read_file(kSource / "docs/pipeline-reference.md");
    for (const ConfigSpec* spec : {&pipeline_file_spec(), &stage_entry_spec()})
        for (const auto& field : spec->fields) {
            INFO(field.name);
            CHECK(reference.find("| `" + field.name + "` |") != std::string::npos);
        }
    for (const LoadedPlugin* plugin : first_party().plugins()) {
        INFO(plugin->name());
        CHECK(reference.find("(plugins/" + plugin->name() + ".md)") != std::string::npos);
    }
}

TEST_CASE("no test name holds a semicolon or a backslash or starts with a dash, which ctest mangles") {
    const std::regex test_case(R"(TEST_CASE\("([^"]*)\")");
    for (const char* folder : {"tests", "plugins", "engine"}) {
        for (const auto& entry : std::filesystem::recursive_directory_iterator(kSource / folder)) {
            if (entry.path().extension() != ".cpp") continue;
            const std::string text = read_file(entry.path());
            for (std::sregex_iterator it(text.begin(), text.end(), test_case), end; it != end; ++it) {
                INFO(entry.path().string() << ": " << (*it)[1]);
                CHECK((*it)[1].str().find_first_of(";\\") == std::string::npos);
                CHECK((*it)[1].str().rfind('-', 0) != 0);  // Catch would read it as an option
            }
        }
    }
}
