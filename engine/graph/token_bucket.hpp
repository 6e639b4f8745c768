#pragma once
// A token bucket that answers "when may n items pass?" instead of blocking, so whoever waits
// (the pacer thread) can hold many items without holding a thread per item.
#include <chrono>
#include <mutex>

namespace flowdistill::engine {

class TokenBucket {
public:
    using Clock = std::chrono::steady_clock;

    TokenBucket(double tokens_per_second, double burst);

    // Takes n tokens, possibly from the future: returns the time at which they are available.
    // n must not exceed the burst.
    Clock::time_point reserve(double n, Clock::time_point now = Clock::now());

    double rate() const { return rate_; }
    double burst() const { return burst_; }

private:
    std::mutex mutex_;
    double rate_;
    double burst_;
    double tokens_;
    Clock::time_point updated_;
};

}  // namespace flowdistill::engine
