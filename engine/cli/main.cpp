// flowdistill: the command line. Each subcommand is a few lines that call into the engine.
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <flowdistill/version.hpp>

#include "cli/plugin_docs.hpp"
#include "config/did_you_mean.hpp"
#include "runtime/graph_dot.hpp"
#include "runtime/plan_pipeline.hpp"
#include "runtime/run_pipeline.hpp"

using namespace flowdistill;
using namespace flowdistill::engine;

namespace {

struct CommonOptions {
    std::string pipeline;
    std::vector<std::string> inputs;
    std::string output_dir;
    std::vector<std::string> overrides;
    std::vector<std::string> plugin_dirs;

    CompileOptions compile_options() const {
        CompileOptions options;
        options.inputs = inputs;
        if (!output_dir.empty()) options.output_dir = output_dir;
        options.overrides = overrides;
        return options;
    }
};

void add_pipeline_options(CLI::App& command, CommonOptions& common, bool with_run_options) {
    command.add_option("pipeline", common.pipeline, "The pipeline file (YAML)")->required();
    command.add_option("--set", common.overrides, "Override a key: --set stages.generate.config.model=deepseek-chat");
    command.add_option("--plugin-path", common.plugin_dirs, "Another folder to load plugins from");
    if (with_run_options) {
        command.add_option("--input", common.inputs, "An input file, glob or folder (replaces the pipeline's inputs)");
        command.add_option("--output-dir", common.output_dir, "Where to write outputs (default: the pipeline's output_dir)");
    }
}

int lint(const CommonOptions& common) {
    PluginRegistry registry;
    if (!load_plugins(registry, common.plugin_dirs)) return kExitUsage;
    auto plan = compile_and_report(common.pipeline, registry, common.compile_options());
    if (!plan) return kExitUsage;
    std::cout << common.pipeline << ": ok (" << plan->stages.size() << " stages)\n";
    return kExitOk;
}

int graph(const CommonOptions& common) {
    PluginRegistry registry;
    if (!load_plugins(registry, common.plugin_dirs, true)) return kExitUsage;
    auto plan = compile_and_report(common.pipeline, registry, common.compile_options());
    if (!plan) return kExitUsage;
    std::cout << graph_to_dot(*plan);
    return kExitOk;
}

int plugins_list(const std::vector<std::string>& plugin_dirs) {
    PluginRegistry registry;
    registry.load_directories(PluginRegistry::search_path(plugin_dirs));
    std::cout << plugin_list_text(registry);
    if (registry.plugins().empty()) {
        std::cerr << "no plugins found; searched:";
        for (const auto& dir : PluginRegistry::search_path(plugin_dirs)) std::cerr << " " << dir.string();
        std::cerr << "\n  hint: set FLOWDISTILL_PLUGIN_PATH or pass --plugin-path\n";
        return kExitUsage;
    }
    return kExitOk;
}

int plugins_describe(const std::string& name, const std::vector<std::string>& plugin_dirs, bool json, bool markdown) {
    PluginRegistry registry;
    registry.load_directories(PluginRegistry::search_path(plugin_dirs));
    const LoadedPlugin* plugin = registry.find(name);
    if (plugin == nullptr) {
        std::cerr << "error: no plugin '" << name << "'\n  hint: " << did_you_mean(name, registry.names())
                  << "installed: " << join(registry.names()) << "\n";
        return kExitUsage;
    }
    if (json) std::cout << describe_json(*plugin).dump(2) << "\n";
    else if (markdown) std::cout << describe_markdown(*plugin);
    else std::cout << describe_text(*plugin);
    return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"flowdistill: distil static text (manuals, guidelines, codes, specs) into fine-tuning datasets"};
    app.set_version_flag("--version", std::string("flowdistill ") + kVersion + " (plugin SDK ABI " +
                                          std::to_string(kSdkAbiMajor) + "." + std::to_string(kSdkAbiMinor) + ")");
    app.require_subcommand(1);

    CommonOptions common;
    RunOptions run_options;
    run_options.console = ConsoleOptions::detect();
    bool verbose = false;
    auto* run = app.add_subcommand("run", "Run a pipeline");
    add_pipeline_options(*run, common, true);
    run->add_flag("--fresh", run_options.fresh, "Start over: set the stored responses aside instead of replaying them");
    run->add_flag("--quiet,-q", run_options.console.quiet, "Only warnings, errors and the summary");
    run->add_flag("--json-log", run_options.console.json_log, "Print events as JSON lines on stderr");
    run->add_flag("--verbose,-v", verbose, "Show debug messages (every request attempt)");

    CommonOptions plan_options;
    auto* plan_command = app.add_subcommand("plan", "Estimate chunks, requests, tokens, cost and time per stage; sends nothing");
    add_pipeline_options(*plan_command, plan_options, true);

    CommonOptions lint_options;
    auto* lint_command = app.add_subcommand("lint", "Check a pipeline without running it (exit 2 with every error found)");
    add_pipeline_options(*lint_command, lint_options, true);

    CommonOptions graph_options;
    auto* graph_command = app.add_subcommand("graph", "Print the compiled graph as Graphviz DOT");
    add_pipeline_options(*graph_command, graph_options, true);

    std::vector<std::string> plugin_dirs;
    std::string describe_name;
    bool describe_as_json = false, describe_as_markdown = false;
    auto* plugins = app.add_subcommand("plugins", "List and describe plugins");
    plugins->require_subcommand(1);
    auto* list = plugins->add_subcommand("list", "Name, kind, version and file of every plugin found");
    list->add_option("--plugin-path", plugin_dirs, "Another folder to load plugins from");
    auto* describe = plugins->add_subcommand("describe", "A plugin's config keys, types, defaults and docs");
    describe->add_option("name", describe_name, "The plugin")->required();
    describe->add_option("--plugin-path", plugin_dirs, "Another folder to load plugins from");
    describe->add_flag("--json", describe_as_json, "As JSON");
    describe->add_flag("--markdown", describe_as_markdown, "As the Markdown page in docs/plugins/");

    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& done) {
        return app.exit(done);
    } catch (const CLI::ParseError& error) {
        app.exit(error);
        return kExitUsage;
    }

    if (*run) {
        if (verbose) run_options.console.level = flowdistill::LogLevel::Debug;
        if (run_options.console.json_log) run_options.console.terminal = false;
        run_options.compile = common.compile_options();
        run_options.plugin_dirs = common.plugin_dirs;
        return run_pipeline(common.pipeline, run_options);
    }
    if (*plan_command) {
        RunOptions plan_run;
        plan_run.compile = plan_options.compile_options();
        plan_run.plugin_dirs = plan_options.plugin_dirs;
        return plan_pipeline(plan_options.pipeline, plan_run);
    }
    if (*lint_command) return lint(lint_options);
    if (*graph_command) return graph(graph_options);
    if (*list) return plugins_list(plugin_dirs);
    if (*describe) return plugins_describe(describe_name, plugin_dirs, describe_as_json, describe_as_markdown);
    return kExitUsage;
}
