#pragma once
// `flowdistill run`: compile, instantiate, run the graph, close the sinks, launch, report.
#include <filesystem>
#include <string>
#include <vector>

#include "config/compile_pipeline.hpp"
#include "plugins/plugin_registry.hpp"
#include "runtime/console.hpp"

namespace flowdistill::engine {

enum ExitCode : int { kExitOk = 0, kExitUsage = 2, kExitRunFailed = 3, kExitInterrupted = 130 };

struct RunOptions {
    CompileOptions compile;
    std::vector<std::string> plugin_dirs;
    bool fresh = false;
    ConsoleOptions console;
};

int run_pipeline(const std::filesystem::path& pipeline_file, const RunOptions& options);

// Loads the plugins on the search path and prints (to stderr) the libraries it refused.
// Returns false when a refusal is a hard error (two plugins with one name).
bool load_plugins(PluginRegistry& registry, const std::vector<std::string>& plugin_dirs, bool quiet_refusals = false);

// Compiles, printing every diagnostic to stderr; nullopt on any error.
std::optional<PipelinePlan> compile_and_report(const std::filesystem::path& pipeline_file, const PluginRegistry& registry,
                                               const CompileOptions& options);

}  // namespace flowdistill::engine
