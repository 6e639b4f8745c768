// engine_bench RECORDS [engine|baseline|both] [BATCH_SIZE] [STAGE_PLUGIN]
// engine_bench RECORDS rate     (a token-bucket edge at RECORDS/10 per second: its accuracy over 10 s)
// Runs source -> 3 x STAGE_PLUGIN -> sink through the engine (plugins loaded from .so files,
// limiters, credit gates, counters) and the same work as a hand-written TBB graph, in this process,
// and prints records/s for each and their ratio. Peak RSS is read by the script around it.
// STAGE_PLUGIN is `map` (the shipped plugin: the in-place fast path, the default) or `bench_pass`
// (a plain Transform: process() + emit(), one record at a time).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

#include <tbb/flow_graph.h>

#include "bench_record.hpp"
#include "runtime/run_pipeline.hpp"

namespace flow = tbb::flow;
using Clock = std::chrono::steady_clock;

namespace {

std::size_t g_batch = 64;  // the engine's default batch_size; the baseline uses the same
std::string g_stage_plugin = "map";
using Batch = std::shared_ptr<std::vector<flowdistill::Record>>;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// The baseline: what a developer would write by hand with TBB for the same pipeline.
double run_baseline(long long records) {
    flow::graph g;
    long long next = 0;
    std::size_t checksum = 0;
    flow::input_node<Batch> source(g, [&](tbb::flow_control& control) -> Batch {
        if (next >= records) { control.stop(); return {}; }
        auto batch = std::make_shared<std::vector<flowdistill::Record>>();
        batch->reserve(g_batch);
        for (std::size_t i = 0; i < g_batch && next < records; ++i) batch->push_back(make_bench_record(next++));
        return batch;
    });
    auto pass = [](Batch in) {
        auto out = std::make_shared<std::vector<flowdistill::Record>>();
        out->reserve(in->size());
        for (auto& r : *in) out->push_back(std::move(r));
        return out;
    };
    flow::function_node<Batch, Batch> a(g, flow::unlimited, pass), b(g, flow::unlimited, pass), c(g, flow::unlimited, pass);
    flow::function_node<Batch> sink(g, flow::serial, [&](Batch in) {
        for (auto& r : *in) checksum += r.id.size();
    });
    flow::make_edge(source, a);
    flow::make_edge(a, b);
    flow::make_edge(b, c);
    flow::make_edge(c, sink);
    const auto start = Clock::now();
    source.activate();
    g.wait_for_all();
    const double elapsed = seconds_since(start);
    if (checksum == 0) std::fprintf(stderr, "baseline saw nothing\n");
    return elapsed;
}

double run_engine_with(const std::string& stages_yaml) {
    const auto dir = std::filesystem::temp_directory_path() / ("fd-engine-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "bench.yaml";
    std::ofstream(file) << "name: bench\nbatch_size: " << g_batch << "\nstages:\n" << stages_yaml;
    flowdistill::engine::RunOptions options;
    options.plugin_dirs = {FLOWDISTILL_BENCH_PLUGINS};
    options.compile.output_dir = (dir / "out").string();
    options.console.quiet = true;
    options.console.json_log = true;  // nothing on stdout; events are few (no progress at this speed)
    const auto start = Clock::now();
    const int status = flowdistill::engine::run_pipeline(file, options);
    const double elapsed = seconds_since(start);
    std::filesystem::remove_all(dir);
    if (status != 0) std::fprintf(stderr, "engine run failed with %d\n", status);
    return elapsed;
}

double run_engine(long long records) {
    std::ostringstream stages;
    stages << "  - {id: source, plugin: bench_source, config: {count: " << records << "}}\n";
    for (const char* id : {"a", "b", "c"}) stages << "  - {id: " << id << ", plugin: " << g_stage_plugin << "}\n";
    stages << "  - {id: sink, plugin: bench_sink}\n";
    return run_engine_with(stages.str());
}

// A token-bucket edge passing `records` at records/10 per second: the measured rate after the
// initial burst, against the configured one.
void run_rate(long long records) {
    const double rate = static_cast<double>(records) / 10.0;
    const double burst = 10;
    std::ostringstream stages;
    stages << "  - {id: source, plugin: bench_source, config: {count: " << records << "}}\n"
           << "  - {id: paced, plugin: map, rate_limit: {rate: " << rate << ", per: second, burst: " << burst << "}}\n"
           << "  - {id: sink, plugin: bench_sink}\n";
    const double elapsed = run_engine_with(stages.str());
    const double measured = (static_cast<double>(records) - burst) / elapsed;
    std::printf("rate: configured %.1f records/s, measured %.1f records/s over %.3f s, error %+.2f%%\n", rate, measured,
                elapsed, 100.0 * (measured - rate) / rate);
}

}  // namespace

int main(int argc, char** argv) {
    const long long records = argc > 1 ? std::atoll(argv[1]) : 1000000;
    const std::string mode = argc > 2 ? argv[2] : "both";
    if (argc > 3) g_batch = static_cast<std::size_t>(std::atoll(argv[3]));
    if (argc > 4) g_stage_plugin = argv[4];
    if (mode == "rate") {
        run_rate(records);
        return 0;
    }
    double engine = 0, baseline = 0;
    if (mode != "baseline") engine = run_engine(records);
    if (mode != "engine") baseline = run_baseline(records);
    if (engine > 0) std::printf("engine:   %lld records in %.3f s = %.0f records/s (%.0f ns/record)\n", records, engine, records / engine, 1e9 * engine / records);
    if (baseline > 0) std::printf("baseline: %lld records in %.3f s = %.0f records/s (%.0f ns/record)\n", records, baseline, records / baseline, 1e9 * baseline / records);
    if (engine > 0 && baseline > 0) std::printf("ratio engine/baseline per-record cost: %.2f\n", engine / baseline);
    struct rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    std::printf("peak RSS: %.1f MiB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
    return 0;
}
