#include "http/endpoint_limiter.hpp"

#include <algorithm>

namespace flowdistill::engine {
namespace {

// Requests: a tenth of a second's worth of burst. Providers refill continuously and some enforce a
// per-minute limit per second or finer, so a run paces itself from its first request.
TokenBucket requests_bucket(double per_minute, TokenBucket::Clock::time_point now) {
    const double per_second = per_minute / 60.0;
    return TokenBucket(per_second, per_second / 10, now);
}

// Tokens: one second's worth; a request larger than that waits for a full bucket and leaves it in
// debt (see TokenBucket::take).
TokenBucket tokens_bucket(double per_minute, TokenBucket::Clock::time_point now) {
    const double per_second = per_minute / 60.0;
    return TokenBucket(per_second, per_second, now);
}

}  // namespace

EndpointLimiter::EndpointLimiter(const EndpointLimits& limits, Clock::time_point now)
    : limits_(limits),
      requests_(requests_bucket(limits.requests_per_minute, now)),
      tokens_(tokens_bucket(limits.tokens_per_minute, now)),
      window_(std::max(1, limits.max_concurrency)) {}

void EndpointLimiter::set_limits(const EndpointLimits& limits, Clock::time_point now) {
    if (limits.requests_per_minute != limits_.requests_per_minute)
        requests_ = requests_bucket(limits.requests_per_minute, now);
    if (limits.tokens_per_minute != limits_.tokens_per_minute)
        tokens_ = tokens_bucket(limits.tokens_per_minute, now);
    limits_ = limits;
    window_ = std::min(window_, static_cast<double>(std::max(1, limits.max_concurrency)));
    if (limits.max_concurrency > 0 && in_flight_ == 0) window_ = limits.max_concurrency;
}

EndpointLimiter::Admission EndpointLimiter::try_admit(std::int64_t estimated_tokens, Clock::time_point now) {
    if (now < paused_until_) return {false, paused_until_, 0};
    if (in_flight_ >= static_cast<int>(window_)) return {false, std::nullopt, 0};
    const double tokens = static_cast<double>(std::max<std::int64_t>(estimated_tokens, 0));
    const auto wait = std::max(requests_.wait_for(1, now), tokens_.wait_for(tokens, now));
    if (wait > Clock::duration::zero()) return {false, now + wait, 0};
    requests_.take(1, now);
    tokens_.take(tokens, now);
    ++in_flight_;
    return {true, std::nullopt, epoch_};
}

void EndpointLimiter::finished(std::uint64_t epoch, bool rate_limited, bool succeeded) {
    in_flight_ = std::max(0, in_flight_ - 1);
    const double ceiling = std::max(1, limits_.max_concurrency);
    if (rate_limited) {
        if (epoch == epoch_) {
            window_ = std::max(1.0, window_ / 2);
            ++epoch_;
        }
    } else if (succeeded) {
        window_ = std::min(ceiling, window_ + 1);
    }
}

void EndpointLimiter::pause_until(Clock::time_point until) { paused_until_ = std::max(paused_until_, until); }

}  // namespace flowdistill::engine
