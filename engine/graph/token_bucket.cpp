#include "token_bucket.hpp"

#include <algorithm>

namespace flowdistill::engine {

TokenBucket::TokenBucket(double tokens_per_second, double burst)
    : rate_(tokens_per_second), burst_(std::max(1.0, burst)), tokens_(burst_), updated_(Clock::now()) {}

TokenBucket::Clock::time_point TokenBucket::reserve(double n, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (now > updated_) {
        const double elapsed = std::chrono::duration<double>(now - updated_).count();
        tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
        updated_ = now;
    }
    // The balance may go negative: that debt is time the caller waits, and later callers queue
    // behind it, which keeps the long-run rate exact.
    tokens_ -= n;
    if (tokens_ >= 0) return updated_;
    const auto wait = std::chrono::duration<double>(-tokens_ / rate_);
    return updated_ + std::chrono::duration_cast<Clock::duration>(wait);
}

}  // namespace flowdistill::engine
