#pragma once
// The plan's stages made by their plugins' factories, each with its own context. Shared by
// `run` and `plan`, which then use the stages differently.
#include <filesystem>
#include <memory>
#include <vector>

#include <flowdistill/stage.hpp>

#include "config/pipeline_plan.hpp"
#include "runtime/console.hpp"
#include "runtime/run_services.hpp"
#include "runtime/stage_context.hpp"

namespace flowdistill::engine {

struct CreatedStages {
    std::vector<std::unique_ptr<StageContext>> contexts;  // contexts[i] belongs to plan.stages[i]
    std::vector<std::unique_ptr<Stage>> stages;           // as does stages[i]

    std::vector<Stage*> pointers() const;
};

// Throws FatalError naming the stage and its plugin when a factory fails, or makes no stage of
// the kind its plugin declares. `output_dir` must outlive the result.
CreatedStages create_stages(const PipelinePlan& plan, const std::filesystem::path& output_dir, Console& console,
                            RunServices& services, const Cancellation& cancellation);

}  // namespace flowdistill::engine
