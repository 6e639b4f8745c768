#include <catch2/catch.hpp>

#include "http/token_bucket.hpp"

using flowdistill::engine::TokenBucket;
using namespace std::chrono_literals;

TEST_CASE("token bucket: starts full, then refills at its rate") {
    const auto t0 = TokenBucket::Clock::time_point{} + 100s;
    TokenBucket bucket(10, 10, t0);  // 10 per second, burst 10
    for (int i = 0; i < 10; ++i) {
        REQUIRE(bucket.wait_for(1, t0) == TokenBucket::Clock::duration::zero());
        bucket.take(1, t0);
    }
    const auto wait = bucket.wait_for(1, t0);
    CHECK(wait >= 100ms);
    CHECK(wait < 101ms);
    CHECK(bucket.wait_for(1, t0 + 100ms + 1us) == TokenBucket::Clock::duration::zero());
    CHECK(bucket.available(t0 + 10s) == Approx(10));  // never above capacity
}

TEST_CASE("token bucket: a charge above the capacity waits for a full bucket, then leaves a debt") {
    const auto t0 = TokenBucket::Clock::time_point{} + 1s;
    TokenBucket bucket(100, 100, t0);
    bucket.take(100, t0);
    const auto wait = bucket.wait_for(5000, t0);
    CHECK(wait >= 1s);
    CHECK(wait < 1001ms);
    const auto t1 = t0 + 1s;
    REQUIRE(bucket.wait_for(5000, t1) == TokenBucket::Clock::duration::zero());
    bucket.take(5000, t1);
    // 4,900 tokens owed at 100 per second: the long-run rate holds for large requests too.
    const auto next = bucket.wait_for(1, t1);
    CHECK(next >= 49010ms);
    CHECK(next < 49011ms);
}

TEST_CASE("token bucket: rate 0 means unlimited") {
    const auto t0 = TokenBucket::Clock::time_point{};
    TokenBucket bucket(0, 0, t0);
    for (int i = 0; i < 1000; ++i) bucket.take(1e6, t0);
    CHECK(bucket.unlimited());
    CHECK(bucket.wait_for(1e9, t0) == TokenBucket::Clock::duration::zero());
}
