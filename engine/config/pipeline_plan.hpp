#pragma once
// A checked pipeline: everything the graph builder needs, with nothing left to validate.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <flowdistill/config_spec.hpp>
#include <flowdistill/services.hpp>

#include "config/diagnostics.hpp"
#include "plugins/plugin_registry.hpp"

namespace flowdistill::engine {

// What a stage does in the graph, from its plugin's kind.
enum class StageRole { Source, Transform, Sink, Launcher };
StageRole role_of(PluginKind kind);

struct RateLimit {
    double per_second = 0;
    double burst = 1;
};

struct StagePlan {
    std::string id;
    std::string title;                 // the banner; never empty once compiled
    const LoadedPlugin* plugin = nullptr;
    ParsedConfig config;
    StageRole role = StageRole::Transform;
    std::vector<std::size_t> inputs;   // indices into PipelinePlan::stages
    int concurrency = 0;               // 0 = decided by the stage (serial -> 1, else cores)
    std::size_t capacity = 256;
    std::optional<RateLimit> rate_limit;
    std::optional<double> budget_usd;
    SourcePosition where;
};

struct PipelinePlan {
    std::string name;
    std::string description;
    std::string file;
    std::vector<std::string> inputs;
    std::filesystem::path output_dir;
    std::optional<double> budget_usd;
    std::size_t batch_size = 64;
    LogLevel log_level = LogLevel::Info;
    std::vector<StagePlan> stages;     // in a topological order (file order where edges allow)
    std::string fingerprint;           // the effective configuration, for the run store

    std::vector<std::size_t> consumers_of(std::size_t stage) const;
};

}  // namespace flowdistill::engine
