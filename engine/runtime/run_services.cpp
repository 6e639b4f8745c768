// TEMPORARY until engine/budget, engine/store and engine/http land: a minimal ledger and no
// network or store. Replaced by the real services in the integration commit.
#include "run_services.hpp"

#include <cmath>

#include <flowdistill/errors.hpp>

namespace flowdistill::engine {
namespace {

class InterimLedger final : public BudgetLedger {
public:
    InterimLedger(double limit, BudgetLedger* parent) : limit_(limit), parent_(parent) {}
    std::optional<BudgetReservation> reserve(double usd) override {
        std::lock_guard lock(mutex_);
        if (spent_ + reserved_ + usd > limit_) { exhausted_ = true; return std::nullopt; }
        if (parent_ && !parent_->reserve(usd)) { exhausted_ = true; return std::nullopt; }
        reserved_ += usd;
        return BudgetReservation{++next_, usd};
    }
    void settle(const BudgetReservation& r, double actual) override {
        std::lock_guard lock(mutex_);
        reserved_ -= r.amount_usd;
        spent_ += actual;
        if (parent_) parent_->settle(r, actual);
    }
    void release(const BudgetReservation& r) override { settle(r, 0); }
    double spent_usd() const override { std::lock_guard lock(mutex_); return spent_; }
    double limit_usd() const override { return limit_; }
    bool exhausted() const override { std::lock_guard lock(mutex_); return exhausted_; }

private:
    mutable std::mutex mutex_;
    double limit_;
    BudgetLedger* parent_;
    double spent_ = 0, reserved_ = 0;
    std::uint64_t next_ = 0;
    bool exhausted_ = false;
};

}  // namespace

RunServices::RunServices(std::filesystem::path output_dir, bool fresh, Logger& logger, std::optional<double> run_budget_usd)
    : output_dir_(std::move(output_dir)), fresh_(fresh), logger_(logger),
      run_budget_(std::make_unique<InterimLedger>(run_budget_usd.value_or(std::numeric_limits<double>::infinity()), nullptr)) {}

RunServices::~RunServices() = default;

HttpClient& RunServices::http() { throw FatalError("the HTTP engine is not built into this flowdistill yet"); }
ResponseStore& RunServices::store() { throw FatalError("the response store is not built into this flowdistill yet"); }

std::unique_ptr<BudgetLedger> RunServices::stage_budget(std::optional<double> limit_usd) {
    return std::make_unique<InterimLedger>(limit_usd.value_or(std::numeric_limits<double>::infinity()), run_budget_.get());
}

void RunServices::shutdown() {}
Json RunServices::http_stats() const { return Json::object(); }

}  // namespace flowdistill::engine
