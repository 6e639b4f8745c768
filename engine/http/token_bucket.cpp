#include "http/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace flowdistill::engine {

TokenBucket::TokenBucket(double rate_per_s, double capacity, Clock::time_point now)
    : rate_per_s_(rate_per_s), capacity_(std::max(1.0, capacity)), tokens_(capacity_), stamp_(now) {}

void TokenBucket::refill(Clock::time_point now) {
    if (now <= stamp_) return;
    const double elapsed_s = std::chrono::duration<double>(now - stamp_).count();
    tokens_ = std::min(capacity_, tokens_ + elapsed_s * rate_per_s_);
    stamp_ = now;
}

double TokenBucket::needed(double amount) const { return std::clamp(amount, 0.0, capacity_); }

TokenBucket::Clock::duration TokenBucket::wait_for(double amount, Clock::time_point now) {
    if (unlimited()) return Clock::duration::zero();
    refill(now);
    const double missing = needed(amount) - tokens_;
    if (missing <= 0) return Clock::duration::zero();
    // Round up: waking a microsecond early would find the bucket still short and spin.
    const auto wait = std::chrono::duration<double>(missing / rate_per_s_);
    return std::chrono::ceil<Clock::duration>(wait) + std::chrono::microseconds(1);
}

void TokenBucket::take(double amount, Clock::time_point now) {
    if (unlimited()) return;
    refill(now);
    tokens_ -= std::max(amount, 0.0);
}

double TokenBucket::available(Clock::time_point now) {
    refill(now);
    return tokens_;
}

}  // namespace flowdistill::engine
