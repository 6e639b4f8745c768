#include "console.hpp"

#include <cmath>
#include <cstdlib>
#include <unistd.h>

namespace flowdistill::engine {

ConsoleOptions ConsoleOptions::detect() {
    ConsoleOptions options;
    options.terminal = ::isatty(STDOUT_FILENO) == 1;
    const char* no_color = std::getenv("NO_COLOR");
    options.color = options.terminal && (no_color == nullptr || *no_color == '\0');
    if (const char* interval = std::getenv("FLOWDISTILL_PROGRESS_INTERVAL_MS"))
        options.progress_interval = std::chrono::milliseconds(std::atoi(interval));
    return options;
}

std::string format_duration(double seconds) {
    if (seconds < 60) {
        char text[32];
        std::snprintf(text, sizeof text, seconds < 10 ? "%.2f s" : "%.1f s", seconds);
        return text;
    }
    const long total = std::lround(seconds);
    char text[32];
    if (total < 3600) std::snprintf(text, sizeof text, "%ldm%02lds", total / 60, total % 60);
    else std::snprintf(text, sizeof text, "%ldh%02ldm", total / 3600, (total % 3600) / 60);
    return text;
}

std::string format_usd(double usd) {
    char text[32];
    std::snprintf(text, sizeof text, usd < 0.01 && usd > 0 ? "$%.4f" : "$%.2f", usd);
    return text;
}

std::string format_count(std::uint64_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

Console::Console(ConsoleOptions options) : options_(options) {
    if (options_.progress_interval.count() <= 0)
        options_.progress_interval = std::chrono::milliseconds(options_.terminal ? 200 : 5000);
}

std::string Console::style(const char* code, const std::string& text) const {
    if (!options_.color) return text;
    return std::string("\x1b[") + code + "m" + text + "\x1b[0m";
}

void Console::clear_progress_block() {
    if (!options_.terminal || drawn_lines_ == 0) return;
    std::fprintf(stdout, "\x1b[%zuA", drawn_lines_);
    for (std::size_t i = 0; i < drawn_lines_; ++i) std::fputs("\x1b[2K\n", stdout);
    std::fprintf(stdout, "\x1b[%zuA", drawn_lines_);
    drawn_lines_ = 0;
}

void Console::banner(int step, const std::string& title, const std::string& plugin) {
    if (options_.json_log) {
        event({{"event", "stage_started"}, {"step", step}, {"title", title}, {"plugin", plugin}});
        return;
    }
    if (options_.quiet) return;
    std::lock_guard lock(mutex_);
    clear_progress_block();
    const std::string rule(60, '=');
    std::fprintf(stdout, "%s\n%s\n%s\n", rule.c_str(),
                 style("1", "STEP " + std::to_string(step) + ": " + title + " (" + plugin + ")").c_str(), rule.c_str());
    std::fflush(stdout);
}

void Console::log(LogLevel level, const std::string& stage, std::string_view message) {
    if (level < options_.level) return;
    static const char* names[] = {"debug", "info", "warning", "error"};
    const char* name = names[static_cast<int>(level)];
    if (options_.json_log) {
        event({{"event", "log"}, {"level", name}, {"stage", stage}, {"message", std::string(message)}});
        return;
    }
    if (options_.quiet && level < LogLevel::Warn) return;
    std::lock_guard lock(mutex_);
    clear_progress_block();
    std::FILE* out = level >= LogLevel::Warn ? stderr : stdout;
    const std::string prefix = stage.empty() ? "" : "[" + stage + "] ";
    const char* color = level == LogLevel::Error ? "31" : level == LogLevel::Warn ? "33" : "2";
    std::fprintf(out, "%s%s\n", style(color, std::string(name) + ": ").c_str(), (prefix + std::string(message)).c_str());
    std::fflush(out);
}

std::string Console::progress_line(const StageProgress& s) const {
    std::string line = "  " + s.id;
    line.resize(std::max<std::size_t>(line.size(), 14), ' ');
    if (options_.terminal && s.expected > 0) {
        const double fraction = std::min(1.0, static_cast<double>(s.done) / static_cast<double>(s.expected));
        const int width = 20;
        const int filled = static_cast<int>(fraction * width);
        line += "[" + std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(width - filled), '-') + "] ";
    }
    line += format_count(s.done) + (s.expected > 0 ? "/" + format_count(s.expected) : "") + " in, " +
            format_count(s.emitted) + " out";
    if (s.rejected > 0) line += ", " + format_count(s.rejected) + " rejected";
    if (s.cost_usd > 0 || s.budget_usd >= 0) {
        line += ", " + format_usd(s.cost_usd);
        if (s.budget_usd >= 0) line += " of " + format_usd(s.budget_usd);
    }
    if (s.cached > 0) line += ", " + format_count(s.cached) + " cached";
    if (s.rate_per_s > 0 && !s.finished) {
        char rate[32];
        std::snprintf(rate, sizeof rate, ", %.1f/s", s.rate_per_s);
        line += rate;
        if (s.expected > s.done) line += ", ETA " + format_duration(static_cast<double>(s.expected - s.done) / s.rate_per_s);
    }
    if (s.finished) line += " (done)";
    return line;
}

void Console::progress(const std::vector<StageProgress>& stages, double elapsed_s) {
    if (options_.json_log) {
        Json list = Json::array();
        for (const auto& s : stages)
            list.push_back({{"stage", s.id}, {"in", s.done}, {"expected", s.expected}, {"out", s.emitted},
                            {"rejected", s.rejected}, {"cost_usd", s.cost_usd}, {"cached", s.cached}});
        event({{"event", "progress"}, {"elapsed_s", elapsed_s}, {"stages", list}});
        return;
    }
    if (options_.quiet) return;
    std::lock_guard lock(mutex_);
    clear_progress_block();
    if (!options_.terminal) std::fprintf(stdout, "progress after %s:\n", format_duration(elapsed_s).c_str());
    for (const auto& s : stages) {
        if (!s.started) continue;
        std::fprintf(stdout, "%s\n", progress_line(s).c_str());
        if (options_.terminal) ++drawn_lines_;
    }
    std::fflush(stdout);
}

void Console::end_progress() {
    std::lock_guard lock(mutex_);
    drawn_lines_ = 0;  // the last frame stays on screen
}

void Console::print(const std::string& text) {
    if (options_.json_log) return;
    std::lock_guard lock(mutex_);
    std::fputs(text.c_str(), stdout);
    std::fflush(stdout);
}

void Console::event(const Json& event) {
    std::lock_guard lock(mutex_);
    std::fprintf(stderr, "%s\n", event.dump(-1, ' ', false, Json::error_handler_t::replace).c_str());
    std::fflush(stderr);
}

}  // namespace flowdistill::engine
