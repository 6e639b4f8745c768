#pragma once
// Turns a checked plan and its stage instances into a oneTBB flow graph and runs it.
#include <memory>
#include <string>
#include <vector>

#include <flowdistill/stage.hpp>

#include "config/pipeline_plan.hpp"
#include "graph/pacer.hpp"
#include "graph/stage_bodies.hpp"

namespace flowdistill::engine {

class CompiledGraph {
public:
    // `instances[i]` is the stage for plan.stages[i]; launchers are not part of the graph.
    CompiledGraph(const PipelinePlan& plan, const std::vector<Stage*>& instances, RunHooks& hooks);
    ~CompiledGraph();
    CompiledGraph(const CompiledGraph&) = delete;
    CompiledGraph& operator=(const CompiledGraph&) = delete;

    // Runs until every source is done (or the run stops), then flushes each transform in order.
    void run();

    const StageTable& stages() const { return stages_; }
    // Edges still holding records after run(): empty unless the engine has a bug.
    std::vector<std::string> stalled_edges() const;
    const std::vector<std::unique_ptr<EdgeState>>& edges() const { return edges_; }

private:
    struct Nodes;
    void size_batches(const PipelinePlan& plan);
    void declare_nodes();
    void connect_edges();

    RunHooks& hooks_;
    StageTable stages_;
    std::vector<std::unique_ptr<EdgeState>> edges_;
    Pacer pacer_;
    std::unique_ptr<Nodes> nodes_;
};

}  // namespace flowdistill::engine
