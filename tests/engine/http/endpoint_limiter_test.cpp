#include <catch2/catch.hpp>

#include "http/endpoint_limiter.hpp"

using namespace flowdistill;
using flowdistill::engine::EndpointLimiter;
using namespace std::chrono_literals;

TEST_CASE("endpoint limiter: the concurrency window caps requests in flight") {
    const auto t0 = EndpointLimiter::Clock::time_point{} + 10s;
    EndpointLimiter limiter({0, 0, 3}, t0);
    for (int i = 0; i < 3; ++i) REQUIRE(limiter.try_admit(0, t0).admitted);
    const auto blocked = limiter.try_admit(0, t0);
    CHECK_FALSE(blocked.admitted);
    CHECK_FALSE(blocked.retry_at);  // waits for a slot, not for a time
    limiter.finished(0, false, true);
    CHECK(limiter.try_admit(0, t0).admitted);
}

TEST_CASE("endpoint limiter: AIMD halves once per burst of 429s and grows by one per success") {
    const auto t0 = EndpointLimiter::Clock::time_point{} + 10s;
    EndpointLimiter limiter({0, 0, 16}, t0);
    std::vector<std::uint64_t> epochs;
    for (int i = 0; i < 16; ++i) epochs.push_back(limiter.try_admit(0, t0).epoch);
    // All 16 were sent before the first decrease: their 429s shrink the window once.
    for (int i = 0; i < 8; ++i) limiter.finished(epochs[static_cast<std::size_t>(i)], true, false);
    CHECK(limiter.window() == 8);
    // A 429 to a request sent after that decrease halves it again.
    for (int i = 8; i < 16; ++i) limiter.finished(epochs[static_cast<std::size_t>(i)], false, true);
    CHECK(limiter.window() == 16);
    const auto late = limiter.try_admit(0, t0);
    REQUIRE(late.admitted);
    limiter.finished(late.epoch, true, false);
    CHECK(limiter.window() == 8);
    for (int i = 0; i < 3; ++i) limiter.finished(limiter.try_admit(0, t0).epoch, false, true);
    CHECK(limiter.window() == 11);
    for (int i = 0; i < 50; ++i) limiter.finished(limiter.try_admit(0, t0).epoch, false, true);
    CHECK(limiter.window() == 16);  // never above the configured maximum
    for (int i = 0; i < 10; ++i) {
        const auto admitted = limiter.try_admit(0, t0);
        limiter.finished(admitted.epoch, true, false);
    }
    CHECK(limiter.window() == 1);  // never below one
}

TEST_CASE("endpoint limiter: requests per minute become waits of the right length") {
    const auto t0 = EndpointLimiter::Clock::time_point{} + 10s;
    EndpointLimiter limiter({600, 0, 1000}, t0);  // 10 per second, burst of one (a tenth of a second)
    REQUIRE(limiter.try_admit(0, t0).admitted);
    const auto wait = limiter.try_admit(0, t0);
    REQUIRE_FALSE(wait.admitted);
    REQUIRE(wait.retry_at);
    CHECK(*wait.retry_at - t0 >= 100ms);
    CHECK(*wait.retry_at - t0 < 101ms);
    CHECK(limiter.try_admit(0, *wait.retry_at).admitted);
}

TEST_CASE("endpoint limiter: tokens per minute charge the estimated tokens") {
    const auto t0 = EndpointLimiter::Clock::time_point{} + 10s;
    EndpointLimiter limiter({0, 60000, 1000}, t0);  // 1,000 tokens per second
    REQUIRE(limiter.try_admit(800, t0).admitted);
    const auto wait = limiter.try_admit(800, t0);
    REQUIRE_FALSE(wait.admitted);
    CHECK(*wait.retry_at - t0 >= 600ms);
    CHECK(*wait.retry_at - t0 < 601ms);
}

TEST_CASE("endpoint limiter: a server-requested pause holds every request until it ends") {
    const auto t0 = EndpointLimiter::Clock::time_point{} + 10s;
    EndpointLimiter limiter({0, 0, 10}, t0);
    limiter.pause_until(t0 + 2s);
    const auto paused = limiter.try_admit(0, t0 + 1s);
    CHECK_FALSE(paused.admitted);
    CHECK(paused.retry_at == t0 + 2s);
    CHECK(limiter.try_admit(0, t0 + 2s).admitted);
}
