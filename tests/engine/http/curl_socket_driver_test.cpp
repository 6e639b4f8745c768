#include <catch2/catch.hpp>

#include <chrono>
#include <memory>

#include <curl/curl.h>

#include "http/curl_socket_driver.hpp"

using flowdistill::engine::CurlSocketDriver;
using Clock = std::chrono::steady_clock;

TEST_CASE("socket driver: a wake-up made while the caller handles a turn ends the next wait") {
    // The client's loop takes its queue after wait() returns. A send() that queues after that and
    // wakes the loop must not be swallowed by the turn in progress, or its request is stranded
    // until the loop's bound (this once held a bench's whole first wave for a second).
    CURLM* multi = curl_multi_init();
    REQUIRE(multi != nullptr);
    auto driver = std::make_unique<CurlSocketDriver>(multi);
    driver->wake();
    driver->wait(-1);
    driver->wake();  // after the caller took its queue
    driver->act();
    const auto before = Clock::now();
    driver->wait(3000);
    CHECK(Clock::now() - before < std::chrono::seconds(1));  // at once; swallowed, it is 3 s
    curl_multi_cleanup(multi);  // before the driver goes: cleanup may still report sockets
    driver.reset();
}

TEST_CASE("socket driver: with nothing to do, wait() keeps to the caller's limit") {
    CURLM* multi = curl_multi_init();
    REQUIRE(multi != nullptr);
    auto driver = std::make_unique<CurlSocketDriver>(multi);
    driver->wake();
    driver->wait(-1);
    driver->act();
    const auto before = Clock::now();
    driver->wait(50);
    CHECK(Clock::now() - before >= std::chrono::milliseconds(50));  // no stale wake-up left
    curl_multi_cleanup(multi);
    driver.reset();
}
