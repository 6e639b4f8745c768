// The one place where the pipeline becomes a flow graph. Per stage, in pipeline order:
//
//   source:     input_node -> limiter(1) -> dispatch                        -> consumers
//   transform:  queue -> limiter(capacity) [-> pacer] -> multifunction_node -> consumers
//   async:      queue -> limiter(capacity) [-> pacer] -> async_node         -> consumers
//   sink:       queue -> limiter(capacity)             -> function_node
//
// Every limiter's decrement port is driven by the stage's gate (flow_control.hpp): a stage takes
// its next input when it has finished one and its output edges have room. The pacer holds items
// for the edge's token bucket on a timer thread, not on a worker.
#include "build_graph.hpp"

#include <algorithm>
#include <thread>

#include <tbb/flow_graph.h>

#include "graph/edge_rate_limiter.hpp"

namespace flowdistill::engine {

namespace flow = tbb::flow;

struct CompiledGraph::Nodes {
    struct PerStage {
        std::unique_ptr<flow::input_node<Batch>> input;
        std::unique_ptr<flow::function_node<Batch, Batch>> dispatch;
        std::unique_ptr<flow::queue_node<Batch>> queue;
        std::unique_ptr<flow::limiter_node<Batch>> limiter;
        std::unique_ptr<EdgeRateLimiter> bucket;
        std::unique_ptr<flow::async_node<Batch, Batch>> pacer;
        std::unique_ptr<flow::multifunction_node<Batch, std::tuple<Batch>>> transform;
        std::unique_ptr<flow::async_node<Batch, Batch>> async;
        std::unique_ptr<flow::function_node<Batch>> sink;
    };

    flow::graph graph;
    std::vector<PerStage> per_stage;

    flow::sender<Batch>& output_of(std::size_t i) {
        PerStage& s = per_stage[i];
        if (s.dispatch) return *s.dispatch;
        if (s.transform) return flow::output_port<0>(*s.transform);
        // An async_node's successors must be registered on its port: make_edge on the node itself
        // is refused without a word in a release build.
        return flow::output_port<0>(*s.async);
    }
};

namespace {

// as_in_place() exists only in the vtables of plugins built against SDK 1.2 or later.
InPlaceTransform* in_place_fast_path(const StagePlan& plan, Stage& stage) {
    Transform* transform = stage.as_transform();
    const bool knows_in_place = plan.plugin == nullptr || plan.plugin->descriptor->abi_minor >= 2;
    return transform != nullptr && knows_in_place ? transform->as_in_place() : nullptr;
}

std::size_t worker_count(const StageRuntime& stage) {
    if (stage.stage->serial()) return 1;
    if (stage.plan->concurrency > 0) return static_cast<std::size_t>(stage.plan->concurrency);
    return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

CompiledGraph::CompiledGraph(const PipelinePlan& plan, const std::vector<Stage*>& instances, RunHooks& hooks)
    : hooks_(hooks), nodes_(std::make_unique<Nodes>()) {
    for (std::size_t i = 0; i < plan.stages.size(); ++i) {
        auto stage = std::make_unique<StageRuntime>();
        stage->index = i;
        stage->plan = &plan.stages[i];
        stage->stage = instances[i];
        stage->in_place = in_place_fast_path(plan.stages[i], *instances[i]);
        stages_.push_back(std::move(stage));
    }
    for (std::size_t consumer = 0; consumer < plan.stages.size(); ++consumer)
        for (std::size_t producer : plan.stages[consumer].inputs) {
            auto edge = std::make_unique<EdgeState>();
            edge->producer = producer;
            edge->consumer = consumer;
            edge->capacity = static_cast<std::int64_t>(plan.stages[consumer].capacity);
            stages_[producer]->outputs.push_back(edge.get());
            stages_[consumer]->inputs_by_producer[producer] = edge.get();
            edges_.push_back(std::move(edge));
        }
    size_batches(plan);
    declare_nodes();
    connect_edges();
}

CompiledGraph::~CompiledGraph() {
    nodes_->graph.wait_for_all();
    pacer_.stop();
}

// Records per message: network stages take one at a time (each is a request), a rate-limited
// edge no more than its burst, and no edge more than its capacity.
void CompiledGraph::size_batches(const PipelinePlan& plan) {
    for (auto& stage : stages_) {
        std::size_t limit = std::min(plan.batch_size, stage->plan->capacity);
        if (stage->stage->as_async_transform()) limit = 1;
        if (stage->plan->rate_limit) limit = std::min(limit, static_cast<std::size_t>(std::max(1.0, stage->plan->rate_limit->burst)));
        stage->input_batch_limit = std::max<std::size_t>(1, limit);
    }
    for (auto& stage : stages_) {
        std::size_t size = plan.batch_size;
        for (EdgeState* edge : stage->outputs) size = std::min(size, stages_[edge->consumer]->input_batch_limit);
        stage->output_batch_size = std::max<std::size_t>(1, size);
    }
}

void CompiledGraph::declare_nodes() {
    auto& g = nodes_->graph;
    nodes_->per_stage.resize(stages_.size());
    for (auto& owned : stages_) {
        StageRuntime& stage = *owned;
        auto& n = nodes_->per_stage[stage.index];
        const StageTable& all = stages_;
        RunHooks& hooks = hooks_;

        if (Source* source = stage.stage->as_source(); source != nullptr) {
            n.input = std::make_unique<flow::input_node<Batch>>(g, [&stage, &hooks](tbb::flow_control& control) -> Batch {
                auto batch = pull_source_batch(stage, hooks);
                if (!batch) { control.stop(); return {}; }
                return *batch;
            });
            n.limiter = std::make_unique<flow::limiter_node<Batch>>(g, 1);
            n.dispatch = std::make_unique<flow::function_node<Batch, Batch>>(g, flow::serial, [&stage](const Batch& batch) {
                account_output(stage, batch);
                stage.gate.release();
                return batch;
            });
        } else {
            const std::size_t threshold = std::max<std::size_t>(1, stage.plan->capacity / stage.input_batch_limit);
            n.queue = std::make_unique<flow::queue_node<Batch>>(g);
            n.limiter = std::make_unique<flow::limiter_node<Batch>>(g, threshold);
        }

        if (stage.plan->rate_limit) {
            n.bucket = std::make_unique<EdgeRateLimiter>(stage.plan->rate_limit->per_second, stage.plan->rate_limit->burst);
            n.pacer = std::make_unique<flow::async_node<Batch, Batch>>(g, flow::unlimited,
                [this, bucket = n.bucket.get()](const Batch& batch, flow::async_node<Batch, Batch>::gateway_type& gateway) {
                    gateway.reserve_wait();
                    const auto when = bucket->reserve(static_cast<double>(batch->records.size()));
                    pacer_.at(when, [&gateway, batch] {
                        gateway.try_put(batch);
                        gateway.release_wait();
                    });
                });
        }

        if (Transform* transform = stage.stage->as_transform(); transform != nullptr && !stage.stage->as_source()) {
            using Ports = flow::multifunction_node<Batch, std::tuple<Batch>>::output_ports_type;
            n.transform = std::make_unique<flow::multifunction_node<Batch, std::tuple<Batch>>>(g, worker_count(stage),
                [&stage, &all, &hooks](const Batch& batch, Ports& ports) {
                    run_transform(stage, all, hooks, batch, [&ports](Batch out) { std::get<0>(ports).try_put(std::move(out)); });
                    stage.gate.release();
                });
        } else if (stage.stage->as_async_transform() != nullptr) {
            n.async = std::make_unique<flow::async_node<Batch, Batch>>(g, flow::unlimited,
                [&stage, &all, &hooks](const Batch& batch, flow::async_node<Batch, Batch>::gateway_type& gateway) {
                    gateway.reserve_wait();
                    start_async(stage, all, hooks, batch,
                                [&gateway](Batch out) { gateway.try_put(std::move(out)); },
                                [&stage, &gateway] { stage.gate.release(); gateway.release_wait(); });
                });
        } else if (stage.stage->as_sink() != nullptr) {
            n.sink = std::make_unique<flow::function_node<Batch>>(g, worker_count(stage),
                [&stage, &all, &hooks](const Batch& batch) {
                    run_sink(stage, all, hooks, batch);
                    stage.gate.release();
                });
        }

        auto* limiter = n.limiter.get();
        stage.gate.connect([limiter] { limiter->decrementer().try_put(flow::continue_msg()); }, stage.outputs,
                           static_cast<std::int64_t>(stage.output_batch_size));
    }
}

// Every edge of the graph, and no make_edge anywhere else.
void CompiledGraph::connect_edges() {
    for (auto& owned : stages_) {
        auto& n = nodes_->per_stage[owned->index];
        flow::receiver<Batch>* work = n.transform ? static_cast<flow::receiver<Batch>*>(n.transform.get())
                                    : n.async     ? static_cast<flow::receiver<Batch>*>(n.async.get())
                                    : n.sink      ? static_cast<flow::receiver<Batch>*>(n.sink.get())
                                                  : static_cast<flow::receiver<Batch>*>(n.dispatch.get());
        if (n.input) flow::make_edge(*n.input, *n.limiter);
        if (n.queue) flow::make_edge(*n.queue, *n.limiter);
        if (n.pacer) {
            flow::make_edge(*n.limiter, *n.pacer);
            flow::make_edge(flow::output_port<0>(*n.pacer), *work);
        } else {
            flow::make_edge(*n.limiter, *work);
        }
    }
    for (const auto& edge : edges_)
        flow::make_edge(nodes_->output_of(edge->producer), *nodes_->per_stage[edge->consumer].queue);
}

std::vector<std::string> CompiledGraph::stalled_edges() const {
    std::vector<std::string> out;
    for (const auto& edge : edges_)
        if (const auto left = edge->in_flight.load(); left != 0)
            out.push_back(stages_[edge->producer]->plan->id + " -> " + stages_[edge->consumer]->plan->id + " (" +
                          std::to_string(left) + " records)");
    return out;
}

void CompiledGraph::run() {
    for (auto& n : nodes_->per_stage)
        if (n.input) n.input->activate();
    nodes_->graph.wait_for_all();
    // Transforms may hold state (a chunk not yet full): flush them in pipeline order, letting
    // what each one emits flow on before the next is asked.
    for (auto& stage : stages_) {
        auto& n = nodes_->per_stage[stage->index];
        if (!n.transform) continue;
        auto marker = std::make_shared<RecordBatch>();
        marker->end_of_stream = true;
        n.queue->try_put(marker);
        nodes_->graph.wait_for_all();
    }
}

}  // namespace flowdistill::engine
