#pragma once
// Admission control for one endpoint key: requests/min and tokens/min buckets, a pause the server
// asked for, and a concurrency window that halves on 429 and grows by one per success (AIMD).
#include <chrono>
#include <cstdint>
#include <optional>

#include <flowdistill/services.hpp>

#include "http/token_bucket.hpp"

namespace flowdistill::engine {

class EndpointLimiter {
public:
    using Clock = std::chrono::steady_clock;

    struct Admission {
        bool admitted = false;
        std::optional<Clock::time_point> retry_at;  // not admitted: when to ask again; nullopt = on a free slot
        std::uint64_t epoch = 0;                    // admitted: pass back to finished()
    };

    EndpointLimiter(const EndpointLimits& limits, Clock::time_point now);

    void set_limits(const EndpointLimits& limits, Clock::time_point now);
    Admission try_admit(std::int64_t estimated_tokens, Clock::time_point now);
    // `epoch` is the one try_admit returned. Only a 429 to a request sent after the last decrease
    // shrinks the window again, so one burst of 429s halves it once, as TCP does per round trip.
    void finished(std::uint64_t epoch, bool rate_limited, bool succeeded);
    void pause_until(Clock::time_point until);

    int window() const { return static_cast<int>(window_); }
    int in_flight() const { return in_flight_; }
    const EndpointLimits& limits() const { return limits_; }

private:
    EndpointLimits limits_;
    TokenBucket requests_;
    TokenBucket tokens_;
    double window_;
    int in_flight_ = 0;
    std::uint64_t epoch_ = 0;
    Clock::time_point paused_until_{};
};

}  // namespace flowdistill::engine
