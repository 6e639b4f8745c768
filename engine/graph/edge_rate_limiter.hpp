#pragma once
// The token bucket of a rate-limited edge, answering "when may these n items pass?" for any
// thread at once, so the pacer can hold items on a timer instead of a worker sleeping. It reserves
// tokens ahead: callers queue behind each other in time, which keeps the long-run rate exact.
#include <mutex>

#include "http/token_bucket.hpp"

namespace flowdistill::engine {

class EdgeRateLimiter {
public:
    using Clock = TokenBucket::Clock;

    EdgeRateLimiter(double per_second, double burst, Clock::time_point now = Clock::now());

    Clock::time_point reserve(double items, Clock::time_point now = Clock::now());

private:
    std::mutex mutex_;
    TokenBucket bucket_;
    Clock::time_point next_free_;
};

}  // namespace flowdistill::engine
