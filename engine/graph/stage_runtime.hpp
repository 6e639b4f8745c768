#pragma once
// Everything the graph keeps per stage while it runs: the plugin's stage, its counters, its
// edges and its gate.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <flowdistill/stage.hpp>

#include "config/pipeline_plan.hpp"
#include "graph/flow_control.hpp"

namespace flowdistill::engine {

struct StageCounters {
    std::atomic<std::uint64_t> received{0};   // records taken in
    std::atomic<std::uint64_t> emitted{0};    // records put out
    std::atomic<std::uint64_t> rejected{0};   // records written to rejects.jsonl
    std::atomic<std::uint64_t> skipped{0};    // records left unprocessed after an interruption
    std::atomic<bool> started{false};
    std::atomic<bool> source_done{false};    // a source returned its last record
};

// What the graph reports to the run around it.
class RunHooks {
public:
    virtual ~RunHooks() = default;
    virtual void stage_started(std::size_t stage) = 0;
    virtual void reject(std::size_t stage, const Record& item, const std::string& reason, const std::string& cause,
                        const Json& detail) = 0;
    virtual void fatal(std::size_t stage, const std::string& cause) = 0;
    virtual bool stopping() const = 0;
};

struct StageRuntime {
    std::size_t index = 0;
    const StagePlan* plan = nullptr;
    Stage* stage = nullptr;
    InPlaceTransform* in_place = nullptr;  // set when the plugin offers the in-place fast path
    StageCounters counters;
    std::size_t input_batch_limit = 1;   // the most records in one message into this stage
    std::size_t output_batch_size = 1;   // records per message out of this stage
    std::vector<EdgeState*> outputs;
    std::map<std::size_t, EdgeState*> inputs_by_producer;
    StageGate gate;
};

}  // namespace flowdistill::engine
