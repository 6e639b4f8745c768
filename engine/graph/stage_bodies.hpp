#pragma once
// What each kind of node does with a batch. build_graph.cpp wires these into TBB nodes; nothing
// here knows about TBB, so the bodies read as plain code.
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "graph/record_batch.hpp"
#include "graph/stage_runtime.hpp"

namespace flowdistill::engine {

using PutBatch = std::function<void(Batch)>;
using StageTable = std::vector<std::unique_ptr<StageRuntime>>;

// Pulls up to input_batch_limit records from a source; nullopt when it is done or the run stops.
std::optional<Batch> pull_source_batch(StageRuntime& source, RunHooks& hooks);

// Counts a batch that leaves `producer` onto its output edges; call before putting it.
void account_output(StageRuntime& producer, const Batch& batch);

void run_transform(StageRuntime& stage, const StageTable& stages, RunHooks& hooks, const Batch& input,
                   const PutBatch& put);
void run_sink(StageRuntime& stage, const StageTable& stages, RunHooks& hooks, const Batch& input);
// Starts every record of `input`; `finished` runs once, on whichever thread completes the last one.
void start_async(StageRuntime& stage, const StageTable& stages, RunHooks& hooks, const Batch& input,
                 PutBatch put, std::function<void()> finished);

}  // namespace flowdistill::engine
