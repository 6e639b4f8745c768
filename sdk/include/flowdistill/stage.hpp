#pragma once
// The stage interfaces a plugin implements. One instance per stage (not per thread): a stage
// declared with `concurrency > 1` must make process()/submit() safe to call concurrently, or set
// Stage::serial() to true.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <flowdistill/record.hpp>

namespace flowdistill {

class Source;
class Transform;
class InPlaceTransform;
class AsyncTransform;
class Sink;
class Launcher;

class Stage {
public:
    virtual ~Stage() = default;
    // Called once after the whole graph is built and before any item flows.
    virtual void start() {}
    // true: the engine never calls this stage from two threads at once, and keeps item order.
    virtual bool serial() const { return false; }

    // Kind dispatch without RTTI, so it works across shared-library boundaries.
    virtual Source* as_source() { return nullptr; }
    virtual Transform* as_transform() { return nullptr; }
    virtual AsyncTransform* as_async_transform() { return nullptr; }
    virtual Sink* as_sink() { return nullptr; }
    virtual Launcher* as_launcher() { return nullptr; }
};

// Where a stage puts what it makes. Cheap; call it as often as needed.
class Emitter {
public:
    virtual ~Emitter() = default;
    virtual void emit(Record record) = 0;
};

// Produces records, pulled one at a time by the engine, so backpressure reaches it.
class Source : public Stage {
public:
    Source* as_source() override { return this; }
    // The next record, or nullopt when done. Throw ItemError to reject an input (the engine
    // records it and calls next() again), FatalError to stop the run.
    virtual std::optional<Record> next() = 0;
    // A source is read by one thread, in order.
    bool serial() const override { return true; }
};

// 1 -> N. Throwing ItemError from process() rejects the input record.
class Transform : public Stage {
public:
    Transform* as_transform() override { return this; }
    virtual void process(Record input, Emitter& out) = 0;
    // Called once when every upstream stage has finished, to flush buffered state.
    virtual void finish(Emitter& /*out*/) {}
    // Added in SDK ABI 1.2; the engine asks only plugins built against 1.2 or later.
    virtual InPlaceTransform* as_in_place() { return nullptr; }
};

// 1 -> 0..1 for stages that keep each record's identity and only change, annotate or filter it
// (added in SDK ABI 1.2). The engine runs a whole batch through update() where the records lie
// and passes the same batch on: no record is moved or copied between stages, which is most of
// the engine's cost per record for such light stages.
class InPlaceTransform : public Transform {
public:
    // Change `record` in place. Return false to drop it quietly (a filter), or throw ItemError to
    // reject it. Keep its id: an output with a new identity is a new record, so use process().
    virtual bool update(Record& record) = 0;

    void process(Record input, Emitter& out) final {
        if (update(input)) out.emit(std::move(input));
    }
    InPlaceTransform* as_in_place() final { return this; }
};

// How an asynchronous stage reports one input's outcome. Call emit() any number of times, then
// exactly one of done(), reject() or fatal(). Safe to call from any thread.
class AsyncCompletion {
public:
    virtual ~AsyncCompletion() = default;
    virtual void emit(Record record) = 0;
    virtual void done() = 0;
    virtual void reject(const std::string& cause, const std::string& reason, const Json& detail) = 0;
    virtual void fatal(const std::string& cause) = 0;
};

// What handling one input would take, for `flowdistill plan`: the worst case a budget reserves,
// plus the limits that bound how fast it can go. Added in SDK ABI 1.1.
struct WorkEstimate {
    double requests = 0;
    double input_tokens = 0;
    double output_tokens = 0;          // worst case (max_tokens)
    double cost_usd = 0;               // worst case at the configured prices
    double requests_per_minute = 0;    // the endpoint's configured limits; 0 = none
    double tokens_per_minute = 0;
    int max_concurrency = 0;
    double typical_latency_s = 0;      // a guess at one request's duration, for the time estimate
};

// 1 -> N for stages that wait (the network). submit() must return at once: it starts the work
// (usually PluginContext::http().send) and the completion is finished later on another thread.
// No TBB worker is held while the work is pending.
class AsyncTransform : public Stage {
public:
    AsyncTransform* as_async_transform() override { return this; }
    virtual void submit(Record input, std::shared_ptr<AsyncCompletion> completion) = 0;
    // For `flowdistill plan`: what submit() would cost for `input`, without sending anything.
    // Called without start(), so no API key is needed. nullopt = the stage cannot tell.
    virtual std::optional<WorkEstimate> estimate(const Record& /*input*/) const { return std::nullopt; }
};

// Consumes records. consume() is called serially unless serial() is overridden to false.
class Sink : public Stage {
public:
    Sink* as_sink() override { return this; }
    bool serial() const override { return true; }
    virtual void consume(Record record) = 0;
    // Called once at the end of the run, also after an interruption: make the output durable.
    virtual void close() {}
};

// What a launcher is told about the finished run.
struct RunOutcome {
    bool interrupted = false;
    Json summary;  // the same figures as run_report.json
};

// Runs once, after every sink has closed (e.g. a fine-tuning launch).
class Launcher : public Stage {
public:
    Launcher* as_launcher() override { return this; }
    virtual void launch(const RunOutcome& outcome) = 0;
};

}  // namespace flowdistill
