#include "stage_context.hpp"

namespace flowdistill::engine {

void MapStageMetrics::add(std::string_view counter, double amount) {
    std::lock_guard lock(mutex_);
    auto it = counters_.find(counter);
    if (it == counters_.end()) counters_.emplace(std::string(counter), amount);
    else it->second += amount;
}

void MapStageMetrics::set_note(std::string_view key, std::string_view value) {
    std::lock_guard lock(mutex_);
    notes_[std::string(key)] = std::string(value);
}

double MapStageMetrics::get(const std::string& counter) const {
    std::lock_guard lock(mutex_);
    auto it = counters_.find(counter);
    return it == counters_.end() ? 0.0 : it->second;
}

std::map<std::string, double> MapStageMetrics::counters() const {
    std::lock_guard lock(mutex_);
    return {counters_.begin(), counters_.end()};
}

std::map<std::string, std::string> MapStageMetrics::notes() const {
    std::lock_guard lock(mutex_);
    return {notes_.begin(), notes_.end()};
}

StageContext::StageContext(std::string stage_id, const std::filesystem::path& output_dir,
                           const std::vector<std::string>& inputs, Console& console, RunServices& services,
                           std::optional<double> budget_usd, const Cancellation& cancellation)
    : stage_id_(std::move(stage_id)), output_dir_(output_dir), inputs_(inputs), logger_(console, stage_id_),
      services_(services), budget_(services.stage_budget(stage_id_, budget_usd)), cancellation_(cancellation) {}

}  // namespace flowdistill::engine
