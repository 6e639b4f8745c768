#include <catch2/catch.hpp>

#include <ctime>

#include "http/retry_policy.hpp"

using namespace flowdistill;
using namespace flowdistill::engine;

namespace {
HttpResponse with_headers(HttpHeaders headers) {
    HttpResponse response;
    response.status = 429;
    response.headers = std::move(headers);
    return response;
}
}  // namespace

TEST_CASE("retry policy: only transient statuses are retried") {
    for (int status : {408, 409, 429, 500, 502, 503, 504, 529}) CHECK(is_retryable_status(status));
    for (int status : {200, 400, 401, 403, 404, 422, 501}) CHECK_FALSE(is_retryable_status(status));
}

TEST_CASE("retry policy: full-jitter backoff stays inside the doubling window and the cap") {
    RetryPolicy policy{0.5, 4};
    std::mt19937_64 rng(7);
    double largest_first = 0;
    for (int i = 0; i < 2000; ++i) {
        const double first = backoff_delay(policy, 1, rng).count();
        REQUIRE(first >= 0);
        REQUIRE(first <= 0.5);
        largest_first = std::max(largest_first, first);
        const double third = backoff_delay(policy, 3, rng).count();
        REQUIRE(third <= 2.0);
        REQUIRE(backoff_delay(policy, 40, rng).count() <= 4.0);
    }
    CHECK(largest_first > 0.45);  // jitter covers the whole window, not a fixed delay
}

TEST_CASE("retry policy: retry-after in seconds, milliseconds and as an HTTP date") {
    CHECK(server_requested_wait(with_headers({{"Retry-After", "3"}}), 0)->count() == Approx(3));
    CHECK(server_requested_wait(with_headers({{"retry-after-ms", "250"}}), 0)->count() == Approx(0.25));
    // Sun, 06 Nov 1994 08:49:37 GMT is 784111777 in Unix time.
    const auto dated = server_requested_wait(with_headers({{"retry-after", "Sun, 06 Nov 1994 08:49:37 GMT"}}),
                                             784111777.0 - 12);
    REQUIRE(dated);
    CHECK(dated->count() == Approx(12));
    const auto past = server_requested_wait(with_headers({{"retry-after", "Sun, 06 Nov 1994 08:49:37 GMT"}}),
                                            784111777.0 + 60);
    REQUIRE(past);
    CHECK(past->count() == Approx(0));
    CHECK_FALSE(server_requested_wait(with_headers({{"retry-after", "soon"}}), 0));
    CHECK_FALSE(server_requested_wait(with_headers({}), 0));
}

TEST_CASE("retry policy: rate-limit reset headers count only when the budget is spent") {
    CHECK(server_requested_wait(with_headers({{"x-ratelimit-remaining-requests", "0"},
                                              {"x-ratelimit-reset-requests", "1m30.5s"}}), 0)->count() ==
          Approx(90.5));
    CHECK_FALSE(server_requested_wait(with_headers({{"x-ratelimit-remaining-requests", "12"},
                                                    {"x-ratelimit-reset-requests", "20s"}}), 0));
    const auto anthropic = server_requested_wait(with_headers({{"anthropic-ratelimit-tokens-remaining", "0"},
                                                               {"anthropic-ratelimit-tokens-reset",
                                                                "1994-11-06T08:49:37Z"}}), 784111777.0 - 5);
    REQUIRE(anthropic);
    CHECK(anthropic->count() == Approx(5));
    // The longest stated wait wins.
    CHECK(server_requested_wait(with_headers({{"retry-after", "2"}, {"x-ratelimit-remaining-tokens", "0"},
                                              {"x-ratelimit-reset-tokens", "7s"}}), 0)->count() == Approx(7));
}

TEST_CASE("retry policy: Go-style durations") {
    CHECK(parse_go_duration("6m0s").value() == Approx(360));
    CHECK(parse_go_duration("250ms").value() == Approx(0.25));
    CHECK(parse_go_duration("1h2m3s").value() == Approx(3723));
    CHECK(parse_go_duration("1.5").value() == Approx(1.5));
    CHECK_FALSE(parse_go_duration("3 fortnights"));
    CHECK_FALSE(parse_go_duration(""));
}
