#pragma once
// run_report.json and the summary printed at the end of a run. The summary is rendered from the
// report, so every figure it shows is in the file too.
#include <filesystem>
#include <string>
#include <vector>

#include <flowdistill/record.hpp>

#include "config/pipeline_plan.hpp"
#include "graph/build_graph.hpp"
#include "runtime/rejects_writer.hpp"
#include "runtime/stage_context.hpp"

namespace flowdistill::engine {

enum class RunStatus { Completed, Interrupted, Failed, BudgetExhausted };
const char* run_status_name(RunStatus status);

struct RunFacts {
    RunStatus status = RunStatus::Completed;
    std::string failure;            // the fatal error's message, if any
    std::string failed_stage;
    double duration_s = 0;
    std::string started_at;         // ISO 8601, UTC
    Json services;                  // network figures, store figures
};

Json build_run_report(const PipelinePlan& plan, const CompiledGraph& graph,
                      const std::vector<std::unique_ptr<StageContext>>& contexts, const RejectsWriter& rejects,
                      const RunFacts& facts);

std::string format_summary(const Json& report);

// Writes `value` to a temporary file beside `file` and renames it over `file`.
void write_json_atomically(const std::filesystem::path& file, const Json& value);

}  // namespace flowdistill::engine
