#pragma once
// The PluginContext each stage gets: its id, the run's services, its own budget and metrics.
#include <map>
#include <mutex>
#include <string>

#include <flowdistill/context.hpp>

#include "runtime/console.hpp"
#include "runtime/run_services.hpp"

namespace flowdistill::engine {

class MapStageMetrics final : public StageMetrics {
public:
    void add(std::string_view counter, double amount) override;
    void set_note(std::string_view key, std::string_view value) override;
    double get(const std::string& counter) const;
    std::map<std::string, double> counters() const;
    std::map<std::string, std::string> notes() const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, double, std::less<>> counters_;
    std::map<std::string, std::string, std::less<>> notes_;
};

class ConsoleLogger final : public Logger {
public:
    ConsoleLogger(Console& console, std::string stage) : console_(console), stage_(std::move(stage)) {}
    void log(LogLevel level, std::string_view message) override { console_.log(level, stage_, message); }
    bool enabled(LogLevel level) const override { return level >= console_.options().level; }

private:
    Console& console_;
    std::string stage_;
};

class StageContext final : public PluginContext {
public:
    StageContext(std::string stage_id, const std::filesystem::path& output_dir, const std::vector<std::string>& inputs,
                 Console& console, RunServices& services, std::optional<double> budget_usd,
                 const Cancellation& cancellation);

    const std::string& stage_id() const override { return stage_id_; }
    const std::filesystem::path& output_dir() const override { return output_dir_; }
    const std::vector<std::string>& inputs() const override { return inputs_; }
    Logger& logger() override { return logger_; }
    HttpClient& http() override { return services_.http(); }
    BudgetLedger& budget() override { return *budget_; }
    ResponseStore& store() override { return services_.store(); }
    const Cancellation& cancellation() const override { return cancellation_; }
    StageMetrics& metrics() override { return metrics_; }

    const MapStageMetrics& stage_metrics() const { return metrics_; }
    const BudgetLedger& stage_budget() const { return *budget_; }

private:
    std::string stage_id_;
    const std::filesystem::path& output_dir_;
    const std::vector<std::string>& inputs_;
    ConsoleLogger logger_;
    RunServices& services_;
    std::unique_ptr<BudgetLedger> budget_;
    const Cancellation& cancellation_;
    MapStageMetrics metrics_;
};

}  // namespace flowdistill::engine
