#include "plan_pipeline.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <unistd.h>

#include <flowdistill/errors.hpp>

#include "graph/build_graph.hpp"
#include "runtime/rejects_writer.hpp"
#include "runtime/stage_factory.hpp"

namespace flowdistill::engine {
namespace {

struct StageEstimate {
    std::mutex mutex;
    WorkEstimate total;
    WorkEstimate limits;      // the last estimate's limits (the same for every input of a stage)
    std::uint64_t inputs = 0;
    std::uint64_t unknown = 0;
};

// Stands in for a paid stage: asks it what each input would cost and passes nothing on.
class EstimatingStage final : public Transform {
public:
    EstimatingStage(const AsyncTransform* inner, StageEstimate& figures) : inner_(inner), figures_(figures) {}

    void process(Record input, Emitter&) override {
        std::optional<WorkEstimate> estimate = inner_ ? inner_->estimate(input) : std::nullopt;
        std::lock_guard lock(figures_.mutex);
        ++figures_.inputs;
        if (!estimate) { ++figures_.unknown; return; }
        figures_.total.requests += estimate->requests;
        figures_.total.input_tokens += estimate->input_tokens;
        figures_.total.output_tokens += estimate->output_tokens;
        figures_.total.cost_usd += estimate->cost_usd;
        figures_.limits = *estimate;
    }

private:
    const AsyncTransform* inner_;
    StageEstimate& figures_;
};

class DiscardingSink final : public Sink {
public:
    void consume(Record) override {}
};

class SilentHooks final : public RunHooks {
public:
    explicit SilentHooks(RejectsWriter& rejects, const PipelinePlan& plan) : rejects_(rejects), plan_(plan) {}
    void stage_started(std::size_t) override {}
    void reject(std::size_t stage, const Record& item, const std::string& reason, const std::string& cause, const Json& detail) override {
        rejects_.write(plan_.stages[stage].id, plan_.stages[stage].plugin->name(), item, reason, cause, detail);
    }
    void fatal(std::size_t stage, const std::string& cause) override {
        std::lock_guard lock(mutex_);
        if (failure_.empty()) failure_ = "stage '" + plan_.stages[stage].id + "': " + cause;
    }
    bool stopping() const override { std::lock_guard lock(mutex_); return !failure_.empty(); }
    std::string failure() const { std::lock_guard lock(mutex_); return failure_; }

private:
    RejectsWriter& rejects_;
    const PipelinePlan& plan_;
    mutable std::mutex mutex_;
    std::string failure_;
};

class NeverCancelled final : public Cancellation {
public:
    bool stop_requested() const override { return false; }
};

// Seconds the paid stage needs at best: the slowest of its limits decides.
double estimated_seconds(const StageEstimate& s, const StagePlan& stage) {
    const double requests = s.total.requests;
    double seconds = 0;
    if (s.limits.requests_per_minute > 0) seconds = std::max(seconds, requests / (s.limits.requests_per_minute / 60));
    if (s.limits.tokens_per_minute > 0)
        seconds = std::max(seconds, (s.total.input_tokens + s.total.output_tokens) / (s.limits.tokens_per_minute / 60));
    if (s.limits.max_concurrency > 0 && s.limits.typical_latency_s > 0)
        seconds = std::max(seconds, requests * s.limits.typical_latency_s /
                                        std::min<double>(s.limits.max_concurrency, static_cast<double>(stage.capacity)));
    if (stage.rate_limit) seconds = std::max(seconds, requests / stage.rate_limit->per_second);
    return seconds;
}

std::string cell(std::string text, std::size_t width) {
    text.resize(std::max(text.size() + 1, width), ' ');
    return text;
}

std::string tokens(double n) { return format_count(static_cast<std::uint64_t>(std::llround(n))); }

}  // namespace

int plan_pipeline(const std::filesystem::path& pipeline_file, const RunOptions& options) {
    PluginRegistry registry;
    if (!load_plugins(registry, options.plugin_dirs, true)) return kExitUsage;
    auto compiled = compile_and_report(pipeline_file, registry, options.compile);
    if (!compiled) return kExitUsage;
    const PipelinePlan& plan = *compiled;

    // The free stages run for real; whatever they would write goes to a scratch folder.
    std::string scratch_pattern = (std::filesystem::temp_directory_path() / "flowdistill-plan-XXXXXX").string();
    if (::mkdtemp(scratch_pattern.data()) == nullptr) {
        std::cerr << "error: cannot create a scratch folder in " << std::filesystem::temp_directory_path() << "\n";
        return kExitRunFailed;
    }
    const std::filesystem::path scratch = scratch_pattern;
    ConsoleOptions console_options = options.console;
    console_options.quiet = true;
    Console console(console_options);
    ConsoleLogger logger(console, "");
    NeverCancelled never;
    int status = kExitOk;
    try {
        RejectsWriter rejects(scratch / "rejects.jsonl");
        RunServices services(scratch, false, logger, plan.budget_usd, {});
        CreatedStages created = create_stages(plan, scratch, console, services, never);
        std::vector<std::unique_ptr<Stage>> stand_ins;
        std::vector<Stage*> instances;
        std::vector<std::unique_ptr<StageEstimate>> estimates;
        for (std::size_t i = 0; i < plan.stages.size(); ++i) {
            estimates.push_back(std::make_unique<StageEstimate>());
            Stage* stage = created.stages[i].get();
            if (AsyncTransform* paid = stage->as_async_transform()) {
                const bool knows_estimate = plan.stages[i].plugin->descriptor->abi_minor >= 1;
                stand_ins.push_back(std::make_unique<EstimatingStage>(knows_estimate ? paid : nullptr, *estimates.back()));
                stage = stand_ins.back().get();
            } else if (stage->as_sink()) {
                stand_ins.push_back(std::make_unique<DiscardingSink>());
                stage = stand_ins.back().get();
            } else {
                stage->start();
            }
            instances.push_back(stage);
        }
        SilentHooks hooks(rejects, plan);
        CompiledGraph graph(plan, instances, hooks);
        graph.run();
        if (!hooks.failure().empty()) throw FatalError(hooks.failure());

        std::string out = "Plan for '" + plan.name + "' (" + plan.file + "); nothing was sent.\n\n";
        out += cell("stage", 14) + cell("plugin", 20) + cell("in", 9) + cell("out/requests", 14) + cell("input tokens", 14) +
               cell("output tokens (max)", 21) + cell("cost (worst)", 14) + "time (at best)\n";
        double total_cost = 0, total_seconds = 0;
        for (const auto& stage : graph.stages()) {
            const StageEstimate& e = *estimates[stage->index];
            std::string line = cell(stage->plan->id, 14) + cell(stage->plan->plugin->name(), 20) +
                               cell(stage->plan->role == StageRole::Source ? "-" : format_count(stage->counters.received.load()), 9);
            if (stage->stage->as_transform() && dynamic_cast<EstimatingStage*>(stage->stage) != nullptr) {
                const double seconds = estimated_seconds(e, *stage->plan);
                total_cost += e.total.cost_usd;
                total_seconds += seconds;
                line += cell(tokens(e.total.requests), 14) + cell(tokens(e.total.input_tokens), 14) +
                        cell(tokens(e.total.output_tokens), 21) + cell(format_usd(e.total.cost_usd), 14) +
                        (seconds > 0 ? format_duration(seconds) : "unknown (no limits configured)");
                if (e.unknown > 0) line += "  (" + format_count(e.unknown) + " inputs: the plugin cannot estimate)";
            } else {
                line += cell(format_count(stage->counters.emitted.load()), 14) + cell("-", 14) + cell("-", 21) + cell("$0.00", 14) + "-";
            }
            out += line + "\n";
        }
        out += "\nWorst-case cost: " + format_usd(total_cost);
        if (plan.budget_usd)
            out += total_cost <= *plan.budget_usd ? " (fits the run budget of " + format_usd(*plan.budget_usd) + ")"
                                                  : " (more than the run budget of " + format_usd(*plan.budget_usd) +
                                                        ": the run stops sending requests when the budget is reached)";
        out += "\nTime at the configured limits: " + (total_seconds > 0 ? format_duration(total_seconds) : std::string("unknown")) +
               "\nStages after a paid stage get its replies, so their figures are not known before it runs.\n";
        std::cout << out;
    } catch (const std::exception& error) {
        std::cerr << "error: " << error.what() << "\n";
        status = kExitRunFailed;
    }
    std::error_code ec;
    std::filesystem::remove_all(scratch, ec);
    return status;
}

}  // namespace flowdistill::engine
