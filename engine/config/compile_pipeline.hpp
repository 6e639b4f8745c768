#pragma once
// Pipeline file -> PipelinePlan: reads the YAML, applies --set and --input, checks the pipeline
// and every stage's config against its plugin's spec, resolves edges and finds cycles. Every
// problem is collected; the plan is returned only when there is none.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/diagnostics.hpp"
#include "config/pipeline_plan.hpp"
#include "config/yaml_document.hpp"
#include "plugins/plugin_registry.hpp"

namespace flowdistill::engine {

struct CompileOptions {
    std::vector<std::string> inputs;              // --input: replaces the file's inputs
    std::optional<std::string> output_dir;        // --output-dir
    std::vector<std::string> overrides;           // --set KEY=VALUE
    EnvLookup env = process_environment();
};

std::optional<PipelinePlan> compile_pipeline(const std::filesystem::path& file, const PluginRegistry& registry,
                                             const CompileOptions& options, Diagnostics& diagnostics);

// The same, for a document already loaded (tests).
std::optional<PipelinePlan> compile_document(YamlDocument document, const PluginRegistry& registry,
                                             const CompileOptions& options, Diagnostics& diagnostics);

}  // namespace flowdistill::engine
