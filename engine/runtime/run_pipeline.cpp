#include "run_pipeline.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include <flowdistill/errors.hpp>

#include "config/did_you_mean.hpp"
#include "graph/build_graph.hpp"
#include "runtime/interrupt.hpp"
#include "runtime/rejects_writer.hpp"
#include "runtime/run_report.hpp"
#include "runtime/run_services.hpp"
#include "runtime/stage_context.hpp"
#include "runtime/stage_factory.hpp"
#include "store/request_key.hpp"
#include "util/utc_time.hpp"

namespace flowdistill::engine {

bool load_plugins(PluginRegistry& registry, const std::vector<std::string>& plugin_dirs, bool quiet_refusals) {
    registry.load_directories(PluginRegistry::search_path(plugin_dirs));
    bool ok = true;
    for (const auto& refused : registry.refused()) {
        if (refused.conflict) ok = false;
        if (refused.conflict || !quiet_refusals)
            std::cerr << (refused.conflict ? "error: " : "warning: ") << refused.file.string() << " " << refused.reason << "\n";
    }
    return ok;
}

std::optional<PipelinePlan> compile_and_report(const std::filesystem::path& pipeline_file, const PluginRegistry& registry,
                                               const CompileOptions& options) {
    Diagnostics diagnostics;
    auto plan = compile_pipeline(pipeline_file, registry, options, diagnostics);
    std::cerr << diagnostics.format();
    if (!plan || diagnostics.has_errors()) {
        std::cerr << diagnostics.error_count() << " error(s) in " << pipeline_file.string() << "\n";
        return std::nullopt;
    }
    return plan;
}

namespace {

// The graph's view of the run: rejects go to the file, the first fatal error stops everything.
class RunControl final : public RunHooks {
public:
    RunControl(const PipelinePlan& plan, Console& console, RejectsWriter& rejects)
        : plan_(plan), console_(console), rejects_(rejects) {}

    void stage_started(std::size_t stage) override {
        console_.banner(static_cast<int>(stage) + 1, plan_.stages[stage].title, plan_.stages[stage].plugin->name());
    }
    void reject(std::size_t stage, const Record& item, const std::string& reason, const std::string& cause,
                const Json& detail) override {
        rejects_.write(plan_.stages[stage].id, plan_.stages[stage].plugin->name(), item, reason, cause, detail);
        console_.log(LogLevel::Debug, plan_.stages[stage].id, "rejected " + item.id + " (" + reason + "): " + cause);
    }
    void fatal(std::size_t stage, const std::string& cause) override {
        std::lock_guard lock(mutex_);
        if (failed_.exchange(true)) return;
        failure_ = cause;
        failed_stage_ = plan_.stages[stage].id;
        console_.log(LogLevel::Error, failed_stage_, cause + " (stopping the run)");
        stopping_.store(true);
    }
    bool stopping() const override { return stopping_.load(std::memory_order_relaxed) || InterruptFlag::requested(); }

    void fail_outside_graph(const std::string& stage, const std::string& cause) {
        std::lock_guard lock(mutex_);
        if (failed_.exchange(true)) return;
        failure_ = cause;
        failed_stage_ = stage;
        console_.log(LogLevel::Error, stage, cause);
        stopping_.store(true);
    }
    bool failed() const { return failed_.load(); }
    const std::string& failure() const { return failure_; }
    const std::string& failed_stage() const { return failed_stage_; }
    const std::atomic<bool>& stop_flag() const { return stopping_; }

private:
    const PipelinePlan& plan_;
    Console& console_;
    RejectsWriter& rejects_;
    std::mutex mutex_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> failed_{false};
    std::string failure_;
    std::string failed_stage_;
};

// Cancellation seen by plugins: the run's stop flag or an interrupt.
class StopSignal final : public Cancellation {
public:
    explicit StopSignal(const RunControl& control) : control_(control) {}
    bool stop_requested() const override { return control_.stopping(); }

private:
    const RunControl& control_;
};

std::vector<StageProgress> snapshot(const CompiledGraph& graph, const std::vector<std::unique_ptr<StageContext>>& contexts,
                                    std::vector<std::uint64_t>& last_done, double interval_s) {
    std::vector<StageProgress> out;
    std::vector<bool> finished(graph.stages().size(), false);
    for (const auto& stage : graph.stages()) {
        StageProgress p;
        p.id = stage->plan->id;
        p.plugin = stage->plan->plugin->name();
        p.done = stage->counters.received.load();
        p.emitted = stage->counters.emitted.load();
        p.rejected = stage->counters.rejected.load();
        p.started = stage->counters.started.load();
        const auto& metrics = contexts[stage->index]->stage_metrics();
        p.cost_usd = contexts[stage->index]->stage_budget().spent_usd();
        const double limit = contexts[stage->index]->stage_budget().limit_usd();
        p.budget_usd = std::isfinite(limit) ? limit : -1;
        p.cached = static_cast<std::uint64_t>(metrics.get("cached"));
        bool producers_done = !stage->inputs_by_producer.empty();
        std::uint64_t expected = 0;
        for (const auto& [producer, edge] : stage->inputs_by_producer) {
            producers_done = producers_done && finished[producer];
            expected += graph.stages()[producer]->counters.emitted.load();
        }
        if (stage->plan->role == StageRole::Source) {
            p.finished = stage->counters.source_done.load();
            p.done = p.emitted;
        } else {
            p.finished = producers_done && p.done >= expected;
            if (producers_done) p.expected = expected;
        }
        finished[stage->index] = p.finished;
        if (interval_s > 0 && p.done >= last_done[stage->index])
            p.rate_per_s = static_cast<double>(p.done - last_done[stage->index]) / interval_s;
        last_done[stage->index] = p.done;
        out.push_back(p);
    }
    return out;
}

// Prints progress on its own thread until stopped; waits on a condition, not a sleep loop.
class ProgressReporter {
public:
    ProgressReporter(Console& console, const CompiledGraph& graph, const std::vector<std::unique_ptr<StageContext>>& contexts)
        : console_(console), graph_(graph), contexts_(contexts), last_done_(graph.stages().size(), 0),
          started_(std::chrono::steady_clock::now()), thread_([this] { loop(); }) {}
    ~ProgressReporter() { stop(); }

    void stop() {
        {
            std::lock_guard lock(mutex_);
            if (stopped_) return;
            stopped_ = true;
        }
        wake_.notify_all();
        thread_.join();
        draw();
        console_.end_progress();
    }

private:
    void loop() {
        std::unique_lock lock(mutex_);
        while (!wake_.wait_for(lock, console_.options().progress_interval, [this] { return stopped_; })) {
            lock.unlock();
            draw();
            lock.lock();
        }
    }
    void draw() {
        const double interval = std::chrono::duration<double>(console_.options().progress_interval).count();
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
        console_.progress(snapshot(graph_, contexts_, last_done_, interval), elapsed);
    }

    Console& console_;
    const CompiledGraph& graph_;
    const std::vector<std::unique_ptr<StageContext>>& contexts_;
    std::vector<std::uint64_t> last_done_;
    std::chrono::steady_clock::time_point started_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopped_ = false;
    std::thread thread_;
};

// Hashes of the effective pipeline and of the inputs as named (with each file's size and time),
// so a rerun can say whether it resumes the same work.
RunIdentity identify_run(const PipelinePlan& plan) {
    Json inputs = Json::array();
    for (const auto& input : plan.inputs) {
        std::error_code ec;
        Json entry = {{"path", input}};
        if (std::filesystem::is_regular_file(input, ec)) {
            entry["size"] = std::filesystem::file_size(input, ec);
            entry["modified"] = std::filesystem::last_write_time(input, ec).time_since_epoch().count();
        }
        inputs.push_back(entry);
    }
    return {request_key("pipeline", plan.file, plan.name, Json(plan.fingerprint)),
            request_key("inputs", "", "", inputs)};
}

}  // namespace

int run_pipeline(const std::filesystem::path& pipeline_file, const RunOptions& options) {
    PluginRegistry registry;
    if (!load_plugins(registry, options.plugin_dirs, true)) return kExitUsage;
    auto compiled = compile_and_report(pipeline_file, registry, options.compile);
    if (!compiled) return kExitUsage;
    const PipelinePlan& plan = *compiled;

    ConsoleOptions console_options = options.console;
    console_options.level = std::min(console_options.level, plan.log_level);  // --verbose wins
    Console console(console_options);
    ConsoleLogger run_logger(console, "");

    std::error_code ec;
    std::filesystem::create_directories(plan.output_dir, ec);
    if (ec) {
        std::cerr << "error: cannot create the output directory " << plan.output_dir.string() << ": " << ec.message()
                  << "\n  hint: choose another with --output-dir\n";
        return kExitRunFailed;
    }

    const auto started = std::chrono::steady_clock::now();
    const std::string started_at = utc_now();
    InterruptFlag::install();
    try {
        RejectsWriter rejects(plan.output_dir / "rejects.jsonl");
        RunServices services(plan.output_dir, options.fresh, run_logger, plan.budget_usd, identify_run(plan));
        RunControl control(plan, console, rejects);
        StopSignal stop_signal(control);

        console.print("flowdistill " + std::string(kVersion) + ": pipeline '" + plan.name + "' (" + plan.file + ") -> " +
                      plan.output_dir.string() + "\n");

        CreatedStages created = create_stages(plan, plan.output_dir, console, services, stop_signal);
        const auto& contexts = created.contexts;
        const auto& owned = created.stages;
        const std::vector<Stage*> instances = created.pointers();
        for (std::size_t i = 0; i < owned.size(); ++i) {
            try {
                owned[i]->start();
            } catch (const std::exception& error) {
                std::cerr << "error: stage '" << plan.stages[i].id << "' (" << plan.stages[i].plugin->name()
                          << "): " << error.what() << "\n";
                return kExitRunFailed;
            }
        }

        CompiledGraph graph(plan, instances, control);
        {
            ProgressReporter progress(console, graph, contexts);
            graph.run();
            services.shutdown();
        }
        // Every record must have ended somewhere; records left on an edge would be lost silently.
        if (const auto stalled = graph.stalled_edges(); !stalled.empty())
            control.fail_outside_graph("engine", "records were left undelivered on " + join(stalled) +
                                                     ": this is a flowdistill bug, please report it with run_report.json");
        for (std::size_t i = 0; i < owned.size(); ++i) {
            if (Sink* sink = owned[i]->as_sink()) {
                try {
                    sink->close();
                } catch (const std::exception& error) {
                    control.fail_outside_graph(plan.stages[i].id, error.what());
                }
            }
        }

        RunFacts facts;
        facts.started_at = started_at;
        facts.duration_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        facts.services = {{"http", services.http_stats()}, {"stored_responses_at_start", services.stored_responses_at_start()}};
        std::uint64_t delivered = 0;
        bool budget_ran_out = services.run_budget().exhausted();
        for (const auto& stage : graph.stages()) {
            if (stage->plan->role == StageRole::Sink) delivered += stage->counters.received.load();
            budget_ran_out = budget_ran_out || contexts[stage->index]->stage_budget().exhausted();
        }
        if (control.failed()) {
            facts.status = RunStatus::Failed;
            facts.failure = control.failure();
            facts.failed_stage = control.failed_stage();
        } else if (InterruptFlag::requested()) {
            facts.status = RunStatus::Interrupted;
        } else if (budget_ran_out && delivered == 0) {
            facts.status = RunStatus::BudgetExhausted;
        }

        services.set_finish_status(run_status_name(facts.status));
        Json report = build_run_report(plan, graph, contexts, rejects, facts);
        for (std::size_t i = 0; i < owned.size(); ++i) {
            Launcher* launcher = owned[i]->as_launcher();
            if (launcher == nullptr || facts.status != RunStatus::Completed) continue;
            console.banner(static_cast<int>(i) + 1, plan.stages[i].title, plan.stages[i].plugin->name());
            try {
                launcher->launch(RunOutcome{false, report});
            } catch (const std::exception& error) {
                facts.status = RunStatus::Failed;
                facts.failure = error.what();
                facts.failed_stage = plan.stages[i].id;
                report = build_run_report(plan, graph, contexts, rejects, facts);
            }
        }
        write_json_atomically(plan.output_dir / "run_report.json", report);
        console.print("\n" + format_summary(report));
        if (console_options.json_log) console.event({{"event", "summary"}, {"report", report}});

        switch (facts.status) {
            case RunStatus::Completed: return kExitOk;
            case RunStatus::Interrupted: return kExitInterrupted;
            case RunStatus::Failed:
            case RunStatus::BudgetExhausted: return kExitRunFailed;
        }
    } catch (const FatalError& error) {
        std::cerr << "error: " << error.what() << "\n";
        return kExitRunFailed;
    }
    return kExitOk;
}

}  // namespace flowdistill::engine
