#include "budget/usd_budget_ledger.hpp"

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace flowdistill::engine {
namespace {

constexpr double nanos_per_usd = 1e9;

// Joins the parts of a message; the ledger's messages are rare, so streams are cheap enough.
template <typename... Parts>
std::string message(const Parts&... parts) {
    std::ostringstream out;
    out.precision(10);
    (out << ... << parts);
    return out.str();
}

double to_usd(std::int64_t nanos) { return static_cast<double>(nanos) / nanos_per_usd; }

void check_amount(double usd, const char* what) {
    if (std::isnan(usd) || usd < 0 || usd > UsdBudgetLedger::max_amount_usd)
        throw std::invalid_argument(message("budget ledger: ", what, " must be between 0 and ",
                                            UsdBudgetLedger::max_amount_usd, " USD, got ", usd));
}

// Money already spent is never lost to overflow, however absurd the amounts.
void add_saturating(std::int64_t& total, std::int64_t amount) {
    if (__builtin_add_overflow(total, amount, &total)) total = std::numeric_limits<std::int64_t>::max();
}

// Costs round up and limits round down, so rounding can only make the ledger stricter.
std::int64_t nanos_rounded_up(double usd) { return static_cast<std::int64_t>(std::ceil(usd * nanos_per_usd)); }

std::int64_t limit_in_nanos(double limit_usd) {
    auto nanos = static_cast<std::int64_t>(std::floor(limit_usd * nanos_per_usd));
    // usd * 1e9 may round up past an integer; step back until the limit reads back as <= itself.
    while (nanos > 0 && to_usd(nanos) > limit_usd) --nanos;
    return nanos;
}

}  // namespace

UsdBudgetLedger::UsdBudgetLedger(double limit_usd, UsdBudgetLedger* parent, Logger* logger, std::string name)
    : limit_usd_(limit_usd), limit_nanos_(0), unlimited_(std::isinf(limit_usd) && limit_usd > 0), parent_(parent),
      logger_(logger), name_(std::move(name)) {
    if (!unlimited_) {
        if (std::isnan(limit_usd) || limit_usd < 0 || limit_usd > max_amount_usd)
            throw std::invalid_argument(message("budget for ", name_, " must be between 0 and ", max_amount_usd,
                                                " USD (or no budget at all), got ", limit_usd));
        limit_nanos_ = limit_in_nanos(limit_usd);
    }
}

UsdBudgetLedger::~UsdBudgetLedger() {
    // A stage torn down with requests still reserved: give the money back to the run's ledger so
    // its figures stay true; this ledger's own figures die with it.
    if (parent_ == nullptr || outstanding_.empty()) return;
    {
        const ChainLock lock(*parent_);
        for (const auto& [id, entry] : outstanding_) parent_->settle_locked(entry.parent_id, 0, true);
    }
    if (logger_)
        logger_->warn(message("budget for ", name_, ": ", outstanding_.size(),
                              " reservation(s) were never settled; released them"));
}

void UsdBudgetLedger::lock_chain() const {
    // Always child before parent: every thread takes the locks in the same order, so chained
    // ledgers cannot deadlock, and a reservation is checked and taken in all of them at once.
    for (const UsdBudgetLedger* ledger = this; ledger != nullptr; ledger = ledger->parent_) ledger->mutex_.lock();
}

void UsdBudgetLedger::unlock_chain() const {
    for (const UsdBudgetLedger* ledger = this; ledger != nullptr; ledger = ledger->parent_) ledger->mutex_.unlock();
}

bool UsdBudgetLedger::fits_alone_locked(Nanos amount) const {
    Nanos committed = 0, total = 0;
    if (__builtin_add_overflow(spent_, reserved_, &committed) || __builtin_add_overflow(committed, amount, &total))
        return false;
    return unlimited_ || total <= limit_nanos_;
}

void UsdBudgetLedger::settle_locked(std::uint64_t id, Nanos actual, bool is_release) {
    const auto it = outstanding_.find(id);
    if (it == outstanding_.end()) return;  // callers check this ledger's entry; ancestors always have theirs
    const Outstanding entry = it->second;
    outstanding_.erase(it);
    reserved_ -= entry.amount;
    if (!is_release) {
        add_saturating(spent_, actual);
        if (actual > entry.amount) {
            ++overruns_;
            add_saturating(overrun_, actual - entry.amount);
        }
    }
    if (parent_) parent_->settle_locked(entry.parent_id, actual, is_release);
}

std::uint64_t UsdBudgetLedger::reserve_in_chain_locked(Nanos amount) {
    const std::uint64_t parent_id = parent_ ? parent_->reserve_in_chain_locked(amount) : 0;
    const std::uint64_t id = ++next_id_;
    reserved_ += amount;
    ++granted_;
    outstanding_.emplace(id, Outstanding{amount, parent_id});
    return id;
}

void UsdBudgetLedger::mark_refused_in_chain_locked(const UsdBudgetLedger* refusing) {
    // Every ledger from this one up to the one whose limit refused has run out; ancestors above
    // it still have money for other stages.
    for (UsdBudgetLedger* ledger = this; ledger != nullptr; ledger = ledger->parent_) {
        ++ledger->refused_;
        if (ledger == refusing) break;
    }
}

std::optional<BudgetReservation> UsdBudgetLedger::reserve(double worst_case_usd) {
    check_amount(worst_case_usd, "a reservation");
    const Nanos amount = nanos_rounded_up(worst_case_usd);
    const ChainLock lock(*this);
    const UsdBudgetLedger* refusing = nullptr;
    for (const UsdBudgetLedger* ledger = this; ledger != nullptr && refusing == nullptr; ledger = ledger->parent_)
        if (!ledger->fits_alone_locked(amount)) refusing = ledger;
    if (refusing != nullptr) {
        mark_refused_in_chain_locked(refusing);
        return std::nullopt;
    }
    return BudgetReservation{reserve_in_chain_locked(amount), to_usd(amount)};
}

void UsdBudgetLedger::settle(const BudgetReservation& reservation, double actual_usd) {
    check_amount(actual_usd, "a settled cost");
    const Nanos actual = nanos_rounded_up(actual_usd);
    bool known = false;
    Nanos reserved = 0;
    {
        const ChainLock lock(*this);
        const auto it = outstanding_.find(reservation.id);
        known = it != outstanding_.end();
        if (known) {
            reserved = it->second.amount;
            settle_locked(reservation.id, actual, false);
        }
    }
    // Logged after the locks are dropped: a slow log sink must not stall other stages' requests.
    if (!logger_) return;
    if (!known)
        logger_->error(message("budget for ", name_, ": reservation ", reservation.id,
                               " was settled twice or never made; ignored it so that nothing is counted twice"));
    else if (actual > reserved)
        logger_->warn(message("budget for ", name_, ": a request cost $", actual_usd, ", above the $", to_usd(reserved),
                              " reserved for it (the provider billed beyond max_tokens); recorded the real cost"));
}

void UsdBudgetLedger::release(const BudgetReservation& reservation) {
    bool known = false;
    {
        const ChainLock lock(*this);
        known = outstanding_.count(reservation.id) != 0;
        if (known) settle_locked(reservation.id, 0, true);
    }
    if (!known && logger_)
        logger_->error(message("budget for ", name_, ": reservation ", reservation.id,
                               " was released twice or never made; ignored it"));
}

double UsdBudgetLedger::spent_usd() const {
    std::lock_guard lock(mutex_);
    return to_usd(spent_);
}

bool UsdBudgetLedger::exhausted() const {
    std::lock_guard lock(mutex_);
    return refused_ > 0;
}

double UsdBudgetLedger::reserved_usd() const {
    std::lock_guard lock(mutex_);
    return to_usd(reserved_);
}

std::uint64_t UsdBudgetLedger::refused_count() const {
    std::lock_guard lock(mutex_);
    return refused_;
}

BudgetFigures UsdBudgetLedger::figures() const {
    std::lock_guard lock(mutex_);
    return BudgetFigures{limit_usd_, to_usd(spent_), to_usd(reserved_), granted_, refused_, overruns_, to_usd(overrun_)};
}

}  // namespace flowdistill::engine
