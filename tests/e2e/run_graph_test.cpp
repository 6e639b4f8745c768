// The runtime, through the real CLI and real plugin libraries: backpressure, rate limits,
// fan-out/fan-in, rejects, fatal errors, asynchronous stages and interruption.
#include <catch2/catch.hpp>

#include <csignal>
#include <set>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "child_process.hpp"

using namespace flowdistill::testing;
using Json = nlohmann::json;

namespace {

ChildResult run_pipeline(const TempDir& dir, const std::string& yaml, std::vector<std::string> extra = {},
                         ChildOptions options = {}) {
    const auto file = dir.write("pipeline.yaml", yaml);
    std::vector<std::string> argv{flowdistill_binary(), "run", file.string(), "--plugin-path", test_plugin_dir(),
                                  "--output-dir", (dir.path() / "out").string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_child(argv, options);
}

Json report_of(const TempDir& dir) { return Json::parse(read_file(dir.path() / "out" / "run_report.json")); }

const Json& stage_named(const Json& report, const std::string& id) {
    for (const auto& s : report["stages"])
        if (s["id"] == id) return s;
    throw std::runtime_error("no stage " + id);
}

}  // namespace

TEST_CASE("backpressure: a fast source never has more than `capacity` records in flight to a slow sink") {
    TempDir dir;
    auto result = run_pipeline(dir, R"(
name: backpressure
stages:
  - {id: load, plugin: test_counter_source, config: {count: 3000}}
  - {id: sink, plugin: test_slow_sink, capacity: 8, config: {delay_us: 100}}
)");
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    const Json report = report_of(dir);
    REQUIRE(report["edges"].size() == 1);
    CHECK(report["edges"][0]["capacity"] == 8);
    CHECK(report["edges"][0]["peak_in_flight"].get<int>() <= 8);
    CHECK(report["edges"][0]["peak_in_flight"].get<int>() >= 1);
    CHECK(stage_named(report, "sink")["received"] == 3000);
    CHECK(read_lines(dir.path() / "out" / "sink.txt").size() == 3000);
}

TEST_CASE("backpressure holds through a 1->N transform in the middle") {
    TempDir dir;
    auto result = run_pipeline(dir, R"(
name: expanding
stages:
  - {id: load, plugin: test_counter_source, config: {count: 500}}
  - {id: grow, plugin: test_faulty, capacity: 16, config: {copies: 4}}
  - {id: sink, plugin: test_slow_sink, capacity: 32, config: {delay_us: 50}}
)");
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    const Json report = report_of(dir);
    CHECK(stage_named(report, "sink")["received"] == 2000);
    for (const auto& edge : report["edges"]) {
        INFO(edge.dump());
        // A transform may overshoot by what the inputs it already holds expand to (documented).
        CHECK(edge["peak_in_flight"].get<int>() <= edge["capacity"].get<int>() * 4);
    }
}

TEST_CASE("a rate-limited edge never lets items through faster than its token bucket") {
    TempDir dir;
    auto result = run_pipeline(dir, R"(
name: paced
stages:
  - {id: load, plugin: test_counter_source, config: {count: 300}}
  - {id: sink, plugin: test_slow_sink, rate_limit: {rate: 200, per: second, burst: 10}}
)");
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    const Json report = report_of(dir);
    CHECK(stage_named(report, "sink")["received"] == 300);
    // (300 - burst) tokens at 200/s take at least 1.45 s; slowness can only add to it.
    CHECK(report["duration_s"].get<double>() >= 1.45);
}

TEST_CASE("fan-out copies every record to each consumer and fan-in merges them") {
    TempDir dir;
    auto result = run_pipeline(dir, R"(
name: diamond
stages:
  - {id: load, plugin: test_counter_source, config: {count: 1000}}
  - {id: left, plugin: test_faulty, from: [load]}
  - {id: right, plugin: test_faulty, from: [load], config: {copies: 2}}
  - {id: join, plugin: test_slow_sink, from: [left, right]}
)");
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    const auto lines = read_lines(dir.path() / "out" / "sink.txt");
    CHECK(lines.size() == 3000);
    std::multiset<std::string> ids(lines.begin(), lines.end());
    CHECK(ids.count("r7") == 2);    // once from each branch
    CHECK(ids.count("r7_1") == 1);  // the right branch's copy
    CHECK(report_of(dir)["edges"].size() == 4);
}

TEST_CASE("items that fail are written to rejects.jsonl with stage, item and cause, and the run goes on") {
    TempDir dir;
    auto result = run_pipeline(dir, R"(
name: rejects
stages:
  - {id: load, plugin: test_counter_source, config: {count: 100}}
  - {id: check, plugin: test_faulty, config: {reject_every: 10}}
  - {id: sink, plugin: test_slow_sink}
)");
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    const auto rejects = read_lines(dir.path() / "out" / "rejects.jsonl");
    REQUIRE(rejects.size() == 10);
    const Json first = Json::parse(rejects.front());
    CHECK(first["stage"] == "check");
    CHECK(first["plugin"] == "test_faulty");
    CHECK(first["reason"] == "test_reason");
    CHECK(first["cause"].get<std::string>().rfind("test reject of r", 0) == 0);
    CHECK(read_lines(dir.path() / "out" / "sink.txt").size() == 90);
    const Json report = report_of(dir);
    CHECK(report["results"]["rejects"]["total"] == 10);
    CHECK(report["results"]["rejects"]["by_reason"]["test_reason"] == 10);
    CHECK(result.out.find("Rejects:") != std::string::npos);
}

TEST_CASE("an in-place stage updates, drops and rejects records, and passes the rest on in order in batches its consumer can take") {
    TempDir dir;
    // The tagger takes batches of up to 64 and its consumer at most 3 at a time, so the engine
    // must split what it passes on.
    auto result = run_pipeline(dir, R"(
name: in_place
stages:
  - {id: load, plugin: test_counter_source, config: {count: 1000}}
  - {id: tag, plugin: test_in_place_tagger, capacity: 64, config: {tag: seen, drop_every: 7, reject_every: 10}}
  - {id: write, plugin: jsonl, capacity: 3, config: {format: records, file: tagged.jsonl}}
)");
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    std::vector<long long> expected;
    for (long long n = 0; n < 1000; ++n)
        if (n % 10 != 0 && n % 7 != 0) expected.push_back(n);
    const auto lines = read_lines(dir.path() / "out" / "tagged.jsonl");
    REQUIRE(lines.size() == expected.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const Json line = Json::parse(lines[i]);
        INFO(lines[i]);
        REQUIRE(line["n"] == expected[i]);
        REQUIRE(line["tag"] == "seen");
    }
    CHECK(read_lines(dir.path() / "out" / "rejects.jsonl").size() == 100);
    const Json report = report_of(dir);
    CHECK(stage_named(report, "tag")["received"] == 1000);
    CHECK(stage_named(report, "tag")["rejected"] == 100);
    CHECK(stage_named(report, "tag")["emitted"] == expected.size());
}

TEST_CASE("a fatal stage error stops the run cleanly with exit 3 and the sinks flushed") {
    TempDir dir;
    auto result = run_pipeline(dir, R"(
name: fatal
batch_size: 1
stages:
  - {id: load, plugin: test_counter_source, config: {count: 100000}}
  - {id: check, plugin: test_faulty, config: {fatal_at: 50}}
  - {id: sink, plugin: test_slow_sink}
)");
    CHECK(result.exit_code == 3);
    CHECK(result.err.find("test fatal error at record 50") != std::string::npos);
    const Json report = report_of(dir);
    CHECK(report["status"] == "failed");
    CHECK(report["failure"]["stage"] == "check");
    const auto written = read_lines(dir.path() / "out" / "sink.txt").size();
    CHECK(written == stage_named(report, "sink")["received"].get<std::size_t>());
    CHECK(written < 100000);
}

TEST_CASE("an asynchronous stage keeps no more than its capacity pending and completes everything") {
    TempDir dir;
    auto result = run_pipeline(dir, R"(
name: async
stages:
  - {id: load, plugin: test_counter_source, config: {count: 400}}
  - {id: echo, plugin: test_async_echo, capacity: 16, config: {delay_us: 2000}}
  - {id: sink, plugin: test_slow_sink}
)");
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    const Json report = report_of(dir);
    CHECK(stage_named(report, "sink")["received"] == 400);
    const double peak = stage_named(report, "echo")["metrics"]["peak_pending"].get<double>();
    CHECK(peak <= 16);
    CHECK(peak >= 2);  // it really ran items concurrently, not one by one
}

namespace {

// An endless source into a slow sink that writes a byte to a pipe once it has taken
// `signal_after` records: the test waits on that pipe, then signals the run.
class EndlessRun {
public:
    EndlessRun(const TempDir& dir, long delay_us, int signal_after, bool stderr_to_pipe) {
        REQUIRE(::pipe(ready_) == 0);
        const auto file = dir.write("pipeline.yaml",
            "name: endless\nstages:\n  - {id: load, plugin: test_counter_source, config: {count: 0}}\n"
            "  - {id: sink, plugin: test_slow_sink, capacity: 64, config: {delay_us: " + std::to_string(delay_us) +
            ", signal_after: " + std::to_string(signal_after) + ", signal_fd: " + std::to_string(ready_[1]) + "}}\n");
        ChildOptions options;
        options.keep_fds = {ready_[1]};
        options.stderr_to_pipe = stderr_to_pipe;
        child_ = std::make_unique<Child>(std::vector<std::string>{flowdistill_binary(), "run", file.string(), "--plugin-path",
                                                                  test_plugin_dir(), "--output-dir", (dir.path() / "out").string()},
                                         options);
        ::close(ready_[1]);
    }
    ~EndlessRun() { ::close(ready_[0]); }

    bool wait_until_sink_ready() {
        char byte = 0;
        return ::read(ready_[0], &byte, 1) == 1;
    }
    Child& child() { return *child_; }

private:
    int ready_[2] = {-1, -1};
    std::unique_ptr<Child> child_;
};

}  // namespace

TEST_CASE("SIGINT stops the source, drains what is in flight, flushes the sinks and exits 130") {
    TempDir dir;
    EndlessRun run(dir, 200, 200, false);
    REQUIRE(run.wait_until_sink_ready());  // the sink has taken 200 records
    run.child().signal(SIGINT);
    const auto result = run.child().wait();
    INFO(result.out << result.err);
    CHECK(result.exit_code == 130);
    const Json report = report_of(dir);
    CHECK(report["status"] == "interrupted");
    const auto written = read_lines(dir.path() / "out" / "sink.txt").size();
    CHECK(written >= 200);
    CHECK(written == stage_named(report, "sink")["received"].get<std::size_t>());
    CHECK(written == stage_named(report, "load")["emitted"].get<std::size_t>() -
                         stage_named(report, "sink")["skipped"].get<std::size_t>());
}

TEST_CASE("a second SIGINT exits at once with 130, without waiting for the drain") {
    TempDir dir;
    EndlessRun run(dir, 500000, 1, true);
    REQUIRE(run.wait_until_sink_ready());
    run.child().signal(SIGINT);
    // Signals of one kind do not queue: wait until the first one has been handled.
    REQUIRE(run.child().read_stderr_until("stopping:"));
    run.child().signal(SIGINT);
    const auto result = run.child().wait();
    CHECK(result.exit_code == 130);
    CHECK(result.err.find("interrupted again, exiting now") != std::string::npos);
    // A drain would have taken up to 64 records x 0.5 s; the report is only written after a drain.
    CHECK_FALSE(std::filesystem::exists(dir.path() / "out" / "run_report.json"));
}
