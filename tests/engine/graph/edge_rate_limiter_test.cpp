// The rate-limited edge's bucket on a simulated clock: what it admits over 10 s is the configured
// rate plus the burst, whatever the batch sizes and however many callers ask at the same moment.
#include <catch2/catch.hpp>

#include <random>

#include "graph/edge_rate_limiter.hpp"

using flowdistill::engine::EdgeRateLimiter;
using namespace std::chrono_literals;

TEST_CASE("a rate-limited edge admits its rate, within 2 percent, over 10 simulated seconds of mixed batches") {
    const auto t0 = EdgeRateLimiter::Clock::time_point{} + 1h;
    for (const double rate : {50.0, 200.0, 5000.0}) {
        INFO("rate " << rate << "/s");
        EdgeRateLimiter limiter(rate, 10, t0);
        std::mt19937 rng(42);
        std::uniform_int_distribution<int> batch(1, 8);
        double admitted = 0;
        // Every caller asks at t0, so only the reserved times spread the items out.
        while (true) {
            const double items = batch(rng);
            if (limiter.reserve(items, t0) > t0 + 10s) break;
            admitted += items;
        }
        const double expected = rate * 10 + 10;
        CHECK(admitted >= expected * 0.98);
        CHECK(admitted <= expected * 1.02 + 8);  // the last batch may straddle the end
    }
}

TEST_CASE("a rate-limited edge never hands out a time before one it already gave") {
    const auto t0 = EdgeRateLimiter::Clock::time_point{} + 1h;
    EdgeRateLimiter limiter(100, 5, t0);
    auto previous = t0;
    for (int i = 0; i < 500; ++i) {
        // Callers arrive with clocks read at different moments, some behind others.
        const auto now = t0 + std::chrono::milliseconds((i * 7) % 50);
        const auto when = limiter.reserve(1, now);
        CHECK(when >= previous);
        CHECK(when >= now);
        previous = when;
    }
    CHECK(previous >= t0 + 4950ms);  // 500 items, 5 at once, then 100 per second
}
