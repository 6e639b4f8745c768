#include "run_services.hpp"

#include "budget/usd_budget_ledger.hpp"
#include "http/curl_http_client.hpp"
#include "store/sqlite_response_store.hpp"

namespace flowdistill::engine {

RunServices::RunServices(std::filesystem::path output_dir, bool fresh, Logger& logger, std::optional<double> run_budget_usd,
                         RunIdentity identity)
    : output_dir_(std::move(output_dir)), fresh_(fresh), logger_(logger), identity_(std::move(identity)),
      run_budget_(std::make_unique<UsdBudgetLedger>(run_budget_usd.value_or(UsdBudgetLedger::no_limit), nullptr, &logger,
                                                    "run")) {}

RunServices::~RunServices() {
    shutdown();
    if (store_) store_->finish_run(run_id_, finish_status_);
}

HttpClient& RunServices::http() {
    std::call_once(http_once_, [this] { http_ = std::make_unique<CurlHttpClient>(logger_); });
    return *http_;
}

ResponseStore& RunServices::store() {
    std::call_once(store_once_, [this] {
        store_ = SqliteResponseStore::open(SqliteResponseStore::path_in(output_dir_),
                                           fresh_ ? StoreOpenMode::Fresh : StoreOpenMode::Resume);
        const ResumeSummary resume = store_->resume_summary(identity_.pipeline_hash, identity_.inputs_hash);
        stored_at_start_ = resume.stored_responses;
        if (resume.stored_responses > 0 || resume.previous_run) logger_.info(resume.message());
        if (store_->backup_path()) logger_.info("--fresh: the previous store was moved to " + store_->backup_path()->string());
        run_id_ = store_->begin_run(identity_.pipeline_hash, identity_.inputs_hash);
    });
    return *store_;
}

std::unique_ptr<BudgetLedger> RunServices::stage_budget(const std::string& stage_id, std::optional<double> limit_usd) {
    return std::make_unique<UsdBudgetLedger>(limit_usd.value_or(UsdBudgetLedger::no_limit),
                                             static_cast<UsdBudgetLedger*>(run_budget_.get()), &logger_,
                                             "stage '" + stage_id + "'");
}

void RunServices::shutdown() {
    if (http_) http_->shutdown(CurlHttpClient::ShutdownMode::finish);
}

Json RunServices::http_stats() const {
    if (!http_) return Json::object();
    const HttpClientStats s = http_->stats();
    return {{"requests", s.requests},     {"attempts", s.attempts},
            {"retries", s.retries},       {"rate_limited", s.rate_limited},
            {"failed", s.failed},         {"connections_opened", s.connections_opened},
            {"bytes_sent", s.bytes_sent}, {"bytes_received", s.bytes_received},
            {"max_in_flight", s.max_in_flight}};
}

}  // namespace flowdistill::engine
