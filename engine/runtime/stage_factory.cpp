#include "runtime/stage_factory.hpp"

#include <flowdistill/errors.hpp>

namespace flowdistill::engine {
namespace {

bool matches_role(Stage& stage, StageRole role) {
    switch (role) {
        case StageRole::Source: return stage.as_source() != nullptr;
        case StageRole::Transform: return stage.as_transform() != nullptr || stage.as_async_transform() != nullptr;
        case StageRole::Sink: return stage.as_sink() != nullptr;
        case StageRole::Launcher: return stage.as_launcher() != nullptr;
    }
    return false;
}

}  // namespace

std::vector<Stage*> CreatedStages::pointers() const {
    std::vector<Stage*> out;
    for (const auto& stage : stages) out.push_back(stage.get());
    return out;
}

CreatedStages create_stages(const PipelinePlan& plan, const std::filesystem::path& output_dir, Console& console,
                            RunServices& services, const Cancellation& cancellation) {
    CreatedStages created;
    for (const auto& stage_plan : plan.stages) {
        created.contexts.push_back(std::make_unique<StageContext>(stage_plan.id, output_dir, plan.inputs, console, services,
                                                                  stage_plan.budget_usd, cancellation));
        std::unique_ptr<Stage> stage;
        try {
            stage = stage_plan.plugin->descriptor->create(stage_plan.config, *created.contexts.back());
        } catch (const std::exception& error) {
            throw FatalError("stage '" + stage_plan.id + "' (" + stage_plan.plugin->name() +
                             "): cannot be created: " + error.what());
        }
        if (!stage || !matches_role(*stage, stage_plan.role))
            throw FatalError("stage '" + stage_plan.id + "': plugin " + stage_plan.plugin->file.string() +
                             " declares kind '" + plugin_kind_name(stage_plan.plugin->kind()) +
                             "' but made no stage of that kind (a plugin bug)");
        created.stages.push_back(std::move(stage));
    }
    return created;
}

}  // namespace flowdistill::engine
