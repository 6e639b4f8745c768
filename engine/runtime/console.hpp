#pragma once
// Everything a run prints: stage banners, log lines, live progress and the summary. On a
// terminal the progress block redraws in place; otherwise it prints plain periodic lines.
// --quiet keeps only warnings, errors and the summary; --json-log prints JSON lines instead.
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

#include <flowdistill/services.hpp>

namespace flowdistill::engine {

struct ConsoleOptions {
    bool quiet = false;
    bool json_log = false;
    bool color = true;      // off with NO_COLOR or when not a terminal
    bool terminal = false;  // stdout is a TTY: redraw progress in place
    LogLevel level = LogLevel::Info;
    std::chrono::milliseconds progress_interval{0};  // 0: 200 ms on a terminal, 5 s otherwise

    static ConsoleOptions detect();
};

struct StageProgress {
    std::string id;
    std::string plugin;
    std::uint64_t done = 0;        // records taken in
    std::uint64_t expected = 0;    // 0 = not known yet
    std::uint64_t emitted = 0;
    std::uint64_t rejected = 0;
    double cost_usd = 0;
    double budget_usd = -1;        // < 0: no budget
    std::uint64_t cached = 0;
    bool started = false;
    bool finished = false;
    double rate_per_s = 0;
};

class Console {
public:
    explicit Console(ConsoleOptions options);

    void banner(int step, const std::string& title, const std::string& plugin);
    void log(LogLevel level, const std::string& stage, std::string_view message);
    void progress(const std::vector<StageProgress>& stages, double elapsed_s);
    void end_progress();
    void print(const std::string& text);       // the summary and other final output
    void event(const Json& event);            // --json-log only

    const ConsoleOptions& options() const { return options_; }

private:
    void clear_progress_block();
    std::string style(const char* code, const std::string& text) const;
    std::string progress_line(const StageProgress& stage) const;

    ConsoleOptions options_;
    std::mutex mutex_;
    std::size_t drawn_lines_ = 0;
};

std::string format_duration(double seconds);
std::string format_usd(double usd);
std::string format_count(std::uint64_t n);

}  // namespace flowdistill::engine
