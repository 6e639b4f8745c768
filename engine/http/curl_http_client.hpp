#pragma once
// The engine's one HTTP engine: every network stage's requests go through a single libcurl multi
// loop on its own thread, driven over epoll (CurlSocketDriver). Callers hand requests over through
// a mutex-protected queue and wake the loop; rate-limit waits and backoffs are timers inside the
// loop, so thousands of requests can be in flight or waiting without a thread each.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <flowdistill/services.hpp>

#include "http/retry_policy.hpp"

namespace flowdistill::engine {

struct CurlHttpClientOptions {
    RetryPolicy retry;
    long max_total_connections = 0;  // 0 = no cap beyond the endpoints' concurrency windows
    std::uint64_t jitter_seed = 0;   // 0 = seeded from the clock
    std::string user_agent = "flowdistill/0.1";
};

struct HttpClientStats {
    std::uint64_t requests = 0;            // send() calls
    std::uint64_t completed = 0;           // on_done calls
    std::uint64_t attempts = 0;            // transfers started
    std::uint64_t retries = 0;             // attempts after the first
    std::uint64_t rate_limited = 0;        // 429 answers
    std::uint64_t failed = 0;              // completed without a 2xx
    std::uint64_t connections_opened = 0;  // new connections
    std::uint64_t connections_reused = 0;  // attempts that found a kept-alive connection
    std::uint64_t bytes_sent = 0;
    std::uint64_t bytes_received = 0;
    std::uint64_t max_in_flight = 0;
};

struct EndpointSnapshot {
    int window = 0;     // current AIMD concurrency cap
    int in_flight = 0;
    std::size_t waiting = 0;
};

class CurlHttpClient final : public flowdistill::HttpClient {
public:
    explicit CurlHttpClient(Logger& logger, CurlHttpClientOptions options = {});
    ~CurlHttpClient() override;  // shutdown(ShutdownMode::abort)

    CurlHttpClient(const CurlHttpClient&) = delete;
    CurlHttpClient& operator=(const CurlHttpClient&) = delete;

    // on_done runs on the loop thread; after shutdown() it runs at once on the caller's thread,
    // with status 0 and a transport_error saying the client is shut down.
    void send(HttpRequest request, std::function<void(HttpResponse)> on_done) override;
    void set_limits(const std::string& endpoint_key, const EndpointLimits& limits) override;

    enum class ShutdownMode { finish, abort };
    // finish: every queued request runs to its outcome (requests sent from on_done included);
    // abort: in-flight and waiting requests complete at once with status 0. Either way each on_done
    // has run when this returns. Never call it from an on_done: it joins the loop thread.
    void shutdown(ShutdownMode mode = ShutdownMode::finish);

    HttpClientStats stats() const;
    EndpointSnapshot endpoint(const std::string& endpoint_key) const;  // a consistent snapshot

    struct Loop;  // the loop thread's state; defined in curl_http_client.cpp

private:
    std::unique_ptr<Loop> loop_;
    std::thread thread_;
    std::mutex shutdown_mutex_;
};

}  // namespace flowdistill::engine
