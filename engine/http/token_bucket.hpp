#pragma once
// A continuously refilled token bucket on a caller-supplied clock, so the HTTP loop can ask "how
// long until N tokens?" and turn the answer into a timer instead of sleeping.
#include <chrono>

namespace flowdistill::engine {

class TokenBucket {
public:
    using Clock = std::chrono::steady_clock;

    // rate_per_s 0 means unlimited. A bucket starts full.
    TokenBucket(double rate_per_s, double capacity, Clock::time_point now);

    bool unlimited() const { return rate_per_s_ <= 0; }
    // Zero when `amount` tokens are available now, else how long until they will be. An amount
    // above the capacity only waits for a full bucket, or it could never start...
    Clock::duration wait_for(double amount, Clock::time_point now);
    // ...and is then taken whole, leaving the bucket in debt, so the long-run rate still holds.
    void take(double amount, Clock::time_point now);
    double available(Clock::time_point now);

private:
    void refill(Clock::time_point now);
    double needed(double amount) const;

    double rate_per_s_;
    double capacity_;
    double tokens_;
    Clock::time_point stamp_;
};

}  // namespace flowdistill::engine
