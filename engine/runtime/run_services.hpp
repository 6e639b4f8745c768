#pragma once
// The engine services a run hands to its stages. Each is created the first time a stage asks for
// it, so an offline pipeline never starts a network thread or opens a response store.
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <flowdistill/services.hpp>

namespace flowdistill::engine {

class CurlHttpClient;
class SqliteResponseStore;

// What the run store records about each run, to tell the user whether a resume will replay.
struct RunIdentity {
    std::string pipeline_hash;
    std::string inputs_hash;
};

class RunServices {
public:
    RunServices(std::filesystem::path output_dir, bool fresh, Logger& logger, std::optional<double> run_budget_usd,
                RunIdentity identity);
    ~RunServices();

    HttpClient& http();
    ResponseStore& store();
    BudgetLedger& run_budget() { return *run_budget_; }
    // A stage's own ledger, chained to the run's.
    std::unique_ptr<BudgetLedger> stage_budget(const std::string& stage_id, std::optional<double> limit_usd);
    void set_finish_status(std::string status) { finish_status_ = std::move(status); }

    // Waits for requests in flight and stops the network thread; called after the graph drained.
    void shutdown();
    bool http_started() const { return http_ != nullptr; }
    Json http_stats() const;
    std::uint64_t stored_responses_at_start() const { return stored_at_start_; }

private:
    std::filesystem::path output_dir_;
    bool fresh_;
    Logger& logger_;
    RunIdentity identity_;
    std::unique_ptr<BudgetLedger> run_budget_;
    std::once_flag http_once_, store_once_;
    std::unique_ptr<CurlHttpClient> http_;
    std::unique_ptr<SqliteResponseStore> store_;
    std::uint64_t stored_at_start_ = 0;
    std::int64_t run_id_ = 0;
    std::string finish_status_ = "completed";
};

}  // namespace flowdistill::engine
