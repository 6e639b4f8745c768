#pragma once
// The hard USD budget behind BudgetLedger: a stage's ledger chains to the run's, and a request is
// started only when its worst case fits in every ledger of the chain.
#include <cstdint>
#include <limits>
#include <mutex>
#include <string>
#include <unordered_map>

#include <flowdistill/services.hpp>

namespace flowdistill::engine {

// What the summary shows for one ledger.
struct BudgetFigures {
    double limit_usd = std::numeric_limits<double>::infinity();
    double spent_usd = 0;
    double reserved_usd = 0;            // reservations not yet settled or released
    std::uint64_t granted = 0;          // reservations handed out
    std::uint64_t refused = 0;          // reservations refused because they could pass a limit
    std::uint64_t overruns = 0;         // settlements above their reservation
    double overrun_usd = 0;             // how much those settlements exceeded their reservations
};

class UsdBudgetLedger final : public BudgetLedger {
public:
    static constexpr double no_limit = std::numeric_limits<double>::infinity();
    // The largest single amount the ledger accepts; far above any real request.
    static constexpr double max_amount_usd = 1e9;

    // `parent` (the run's ledger, for a stage's) must outlive this ledger. `name` appears in log
    // lines, e.g. "stage 'generate'" or "run". `logger` may be null.
    explicit UsdBudgetLedger(double limit_usd = no_limit, UsdBudgetLedger* parent = nullptr,
                             Logger* logger = nullptr, std::string name = "run");
    ~UsdBudgetLedger() override;
    UsdBudgetLedger(const UsdBudgetLedger&) = delete;
    UsdBudgetLedger& operator=(const UsdBudgetLedger&) = delete;

    // Refuses (nullopt) when spent + reserved + worst case would pass this ledger's limit or any
    // ancestor's; the check and the reservation are one step for the whole chain. Throws
    // std::invalid_argument for a negative, NaN or absurdly large amount.
    std::optional<BudgetReservation> reserve(double worst_case_usd) override;
    // Replaces the reservation by the real cost. A cost above the reservation is recorded as it
    // is (the money was spent) and logged as a warning. A reservation that is unknown or already
    // settled is logged as an error and ignored, so the spend is never counted twice.
    void settle(const BudgetReservation& reservation, double actual_usd) override;
    void release(const BudgetReservation& reservation) override;

    double spent_usd() const override;
    double limit_usd() const override { return limit_usd_; }
    bool exhausted() const override;
    double reserved_usd() const;
    std::uint64_t refused_count() const;
    BudgetFigures figures() const;

private:
    // Whole nano-dollars, so that millions of reserve/settle pairs add and subtract exactly
    // instead of drifting the way sums of doubles do.
    using Nanos = std::int64_t;

    struct Outstanding {
        Nanos amount = 0;
        std::uint64_t parent_id = 0;  // the matching reservation in the parent; 0 without one
    };

    // The *_locked functions run with this ledger's mutex and every ancestor's held.
    bool fits_alone_locked(Nanos amount) const;
    std::uint64_t reserve_in_chain_locked(Nanos amount);
    void mark_refused_in_chain_locked(const UsdBudgetLedger* refusing);
    void settle_locked(std::uint64_t id, Nanos actual, bool is_release);
    void lock_chain() const;
    void unlock_chain() const;

    // Holds this ledger's mutex and every ancestor's for a scope, exception or not.
    class ChainLock {
    public:
        explicit ChainLock(const UsdBudgetLedger& ledger) : ledger_(ledger) { ledger_.lock_chain(); }
        ~ChainLock() { ledger_.unlock_chain(); }
        ChainLock(const ChainLock&) = delete;
        ChainLock& operator=(const ChainLock&) = delete;

    private:
        const UsdBudgetLedger& ledger_;
    };

    double limit_usd_;
    Nanos limit_nanos_;        // meaningless when unlimited_
    bool unlimited_;
    UsdBudgetLedger* parent_;
    Logger* logger_;
    std::string name_;

    mutable std::mutex mutex_;
    Nanos spent_ = 0;
    Nanos reserved_ = 0;
    std::uint64_t next_id_ = 0;
    std::uint64_t granted_ = 0;
    std::uint64_t refused_ = 0;
    std::uint64_t overruns_ = 0;
    Nanos overrun_ = 0;
    std::unordered_map<std::uint64_t, Outstanding> outstanding_;
};

}  // namespace flowdistill::engine
