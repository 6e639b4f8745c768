#include "graph/edge_rate_limiter.hpp"

#include <algorithm>

namespace flowdistill::engine {

EdgeRateLimiter::EdgeRateLimiter(double per_second, double burst, Clock::time_point now)
    : bucket_(per_second, burst, now), next_free_(now) {}

EdgeRateLimiter::Clock::time_point EdgeRateLimiter::reserve(double items, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    // Never ask the bucket about a time before an earlier reservation: its clock only moves on.
    const auto from = std::max(now, next_free_);
    const auto when = from + bucket_.wait_for(items, from);
    bucket_.take(items, when);
    next_free_ = when;
    return when;
}

}  // namespace flowdistill::engine
