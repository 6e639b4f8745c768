#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fake_provider_process.hpp"
#include "http/curl_http_client.hpp"
#include "stage_harness.hpp"

using namespace flowdistill;
using flowdistill::engine::CurlHttpClient;
using flowdistill::engine::CurlHttpClientOptions;
using flowdistill::testing::FakeProviderOptions;
using flowdistill::testing::FakeProviderProcess;
using flowdistill::testing::RecordingLogger;

namespace {

const std::string key = "sk-http-test-7f3a";

class QuietLogger final : public Logger {
public:
    void log(LogLevel, std::string_view) override {}
    bool enabled(LogLevel level) const override { return level != LogLevel::Debug; }
};

// Collects responses from the loop thread; tests wait on it, never on a sleep.
class Responses {
public:
    std::function<void(HttpResponse)> sink() {
        return [this](HttpResponse response) {
            std::lock_guard lock(mutex_);
            responses_.push_back(std::move(response));
            changed_.notify_all();
        };
    }
    std::vector<HttpResponse> wait_for(std::size_t count, std::chrono::seconds limit = std::chrono::seconds(60)) {
        std::unique_lock lock(mutex_);
        const bool all = changed_.wait_for(lock, limit, [&] { return responses_.size() >= count; });
        REQUIRE(all);
        return responses_;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<HttpResponse> responses_;
};

FakeProviderOptions fake_options(double latency_ms = 0) {
    FakeProviderOptions options;
    options.api_key = key;
    options.latency_ms = latency_ms;
    return options;
}

CurlHttpClientOptions fast_retries() {
    CurlHttpClientOptions options;
    options.retry.backoff_base_s = 0.02;
    options.retry.backoff_cap_s = 0.1;
    options.jitter_seed = 42;
    return options;
}

HttpRequest chat_request(const FakeProviderProcess& fake, const std::string& text = "Write 2 questions about valves.") {
    HttpRequest request;
    request.url = fake.base_url() + "/v1/chat/completions";
    request.headers = {{"Authorization", "Bearer " + key}, {"Content-Type", "application/json"}};
    request.secret_headers = {"authorization"};
    request.body = nlohmann::json{{"model", "test-model"},
                                  {"messages", {{{"role", "user"}, {"content", text}}}}}.dump();
    request.endpoint_key = "fake";
    request.description = "test chat";
    request.max_attempts = 4;
    return request;
}

HttpResponse send_one(CurlHttpClient& client, HttpRequest request) {
    Responses responses;
    client.send(std::move(request), responses.sink());
    return responses.wait_for(1).front();
}

std::vector<double> arrival_times(const FakeProviderProcess& fake) {
    std::vector<double> times;
    for (const auto& entry : fake.log_entries()) times.push_back(entry["time"].get<double>());
    return times;
}

// Connections that carried API requests (the helper's own /_stats calls open others).
std::size_t api_connections(const FakeProviderProcess& fake) {
    std::set<std::string> ids;
    for (const auto& entry : fake.log_entries()) ids.insert(entry["connection"].get<std::string>());
    return ids.size();
}

}  // namespace

TEST_CASE("curl client: a request reaches the fake and the response comes back whole") {
    FakeProviderProcess fake(fake_options());
    RecordingLogger logger;
    CurlHttpClient client(logger, fast_retries());
    const auto response = send_one(client, chat_request(fake));
    REQUIRE(response.status == 200);
    CHECK(response.attempts == 1);
    CHECK(response.header("content-type") == std::optional<std::string>("application/json"));
    const auto body = nlohmann::json::parse(response.body);
    const auto pairs = nlohmann::json::parse(body["choices"][0]["message"]["content"].get<std::string>());
    CHECK(pairs["pairs"].size() == 2);
    CHECK(response.elapsed_s > 0);
    const auto log = fake.log_entries();
    REQUIRE(log.size() == 1);
    CHECK(log[0]["auth_valid"] == true);
}

TEST_CASE("curl client: every retryable status is retried and then succeeds") {
    FakeProviderProcess fake(fake_options());
    QuietLogger logger;
    CurlHttpClient client(logger, fast_retries());
    for (int status : {408, 409, 429, 500, 502, 503, 504, 529}) {
        INFO("status " << status);
        fake.script(nlohmann::json::array({{{"status", status}}}));
        const auto response = send_one(client, chat_request(fake));
        CHECK(response.status == 200);
        CHECK(response.attempts == 2);
    }
    CHECK(client.stats().retries == 8);
    CHECK(fake.log_entries().size() == 16);
}

TEST_CASE("curl client: 400, 401, 403 and 404 come back at once, without a retry") {
    FakeProviderProcess fake(fake_options());
    QuietLogger logger;
    CurlHttpClient client(logger, fast_retries());
    auto wrong_key = chat_request(fake);
    wrong_key.headers[0].second = "Bearer sk-wrong";
    const auto unauthorised = send_one(client, wrong_key);
    CHECK(unauthorised.status == 401);
    CHECK(unauthorised.attempts == 1);
    for (int status : {400, 403, 404}) {
        fake.script(nlohmann::json::array({{{"status", status}}}));
        const auto response = send_one(client, chat_request(fake));
        CHECK(response.status == status);
        CHECK(response.attempts == 1);
    }
    CHECK(fake.log_entries().size() == 4);
    CHECK(client.stats().retries == 0);
}

TEST_CASE("curl client: the attempt cap returns the last failure") {
    FakeProviderProcess fake(fake_options());
    QuietLogger logger;
    CurlHttpClient client(logger, fast_retries());
    fake.script(nlohmann::json::array({{{"status", 500}}, {{"status", 502}}, {{"status", 503}}, {{"status", 500}}}));
    auto request = chat_request(fake);
    request.max_attempts = 3;
    const auto response = send_one(client, request);
    CHECK(response.status == 503);
    CHECK(response.attempts == 3);
    CHECK(fake.log_entries().size() == 3);
}

TEST_CASE("curl client: Retry-After in seconds is honoured, measured at the fake") {
    FakeProviderProcess fake(fake_options());
    QuietLogger logger;
    CurlHttpClient client(logger, fast_retries());
    fake.script(nlohmann::json::array({{{"status", 429}, {"retry_after", "1"}}}));
    const auto response = send_one(client, chat_request(fake));
    REQUIRE(response.status == 200);
    const auto times = arrival_times(fake);
    REQUIRE(times.size() == 2);
    CHECK(times[1] - times[0] >= 1.0);
    CHECK(times[1] - times[0] < 2.0);  // waited for the header, not a multiple of it
}

TEST_CASE("curl client: Retry-After as an HTTP date is honoured") {
    FakeProviderProcess fake(fake_options());
    QuietLogger logger;
    CurlHttpClient client(logger, fast_retries());
    const std::time_t when = std::time(nullptr) + 2;
    char date[64];
    std::tm parts{};
    gmtime_r(&when, &parts);
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &parts);
    fake.script(nlohmann::json::array({{{"status", 503}, {"retry_after", date}}}));
    const auto response = send_one(client, chat_request(fake));
    REQUIRE(response.status == 200);
    const auto times = arrival_times(fake);
    REQUIRE(times.size() == 2);
    CHECK(times[1] >= static_cast<double>(when) - 0.01);
    CHECK(times[1] - times[0] < 2.6);
}

TEST_CASE("curl client: a 429 without Retry-After waits for the rate-limit reset header") {
    FakeProviderProcess fake(fake_options());
    QuietLogger logger;
    CurlHttpClient client(logger, fast_retries());
    fake.script(nlohmann::json::array({{{"status", 429},
                                        {"headers", {{"x-ratelimit-remaining-requests", "0"},
                                                     {"x-ratelimit-reset-requests", "1.2s"}}}}}));
    REQUIRE(send_one(client, chat_request(fake)).status == 200);
    const auto times = arrival_times(fake);
    REQUIRE(times.size() == 2);
    CHECK(times[1] - times[0] >= 1.2);
    CHECK(times[1] - times[0] < 2.2);
}

TEST_CASE("curl client: a 429 with Retry-After pauses the whole endpoint, not only its request") {
    FakeProviderProcess fake(fake_options());
    // Tells the test when the loop has seen the 429, so the next send is ordered after it.
    class SeesRateLimit final : public Logger {
    public:
        void log(LogLevel, std::string_view message) override {
            if (message.find("HTTP 429") == std::string_view::npos) return;
            std::lock_guard lock(mutex);
            seen = true;
            changed.notify_all();
        }
        bool enabled(LogLevel) const override { return true; }
        std::mutex mutex;
        std::condition_variable changed;
        bool seen = false;
    } logger;
    CurlHttpClient client(logger, fast_retries());
    client.set_limits("fake", {0, 0, 4});
    fake.script(nlohmann::json::array({{{"status", 429}, {"retry_after", "1"}}}));
    Responses responses;
    client.send(chat_request(fake, "Write 1 question first."), responses.sink());
    {
        std::unique_lock lock(logger.mutex);
        REQUIRE(logger.changed.wait_for(lock, std::chrono::seconds(10), [&] { return logger.seen; }));
    }
    client.send(chat_request(fake, "Write 1 question second."), responses.sink());
    auto elsewhere = chat_request(fake, "Write 1 question elsewhere.");
    elsewhere.endpoint_key = "other";
    client.send(elsewhere, responses.sink());
    const auto all = responses.wait_for(3);
    CHECK(std::all_of(all.begin(), all.end(), [](const HttpResponse& r) { return r.status == 200; }));
    const auto log = fake.log_entries();
    REQUIRE(log.size() == 4);
    REQUIRE(log[0]["status"] == 429);
    const double limited_at = log[0]["time"].get<double>();
    // Only the other endpoint could go at once; the paused one's new request and its retry waited.
    CHECK(log[1]["time"].get<double>() - limited_at < 0.5);
    CHECK(log[2]["time"].get<double>() - limited_at >= 1.0);
    CHECK(log[3]["time"].get<double>() - limited_at >= 1.0);
}

TEST_CASE("curl client: resets and timeouts are retried") {
    FakeProviderProcess fake(fake_options());
    QuietLogger logger;
    CurlHttpClient client(logger, fast_retries());
    fake.script(nlohmann::json::array({{{"reply", "reset"}}, {{"hang", true}}}));
    auto request = chat_request(fake);
    request.total_timeout_s = 0.5;
    const auto response = send_one(client, request);
    CHECK(response.status == 200);
    CHECK(response.attempts == 3);
    CHECK(fake.log_entries().size() == 3);
}

TEST_CASE("curl client: a refused connection is retried up to the cap, a malformed URL is not") {
    FakeProviderProcess fake(fake_options());
    auto request = chat_request(fake);
    fake.stop();  // nothing listens on its port any more
    QuietLogger logger;
    CurlHttpClient client(logger, fast_retries());
    request.max_attempts = 3;
    const auto refused = send_one(client, request);
    CHECK(refused.status == 0);
    CHECK(refused.attempts == 3);
    CHECK_FALSE(refused.transport_error.empty());
    request.url = "htp:/nowhere";
    const auto malformed = send_one(client, request);
    CHECK(malformed.status == 0);
    CHECK(malformed.attempts == 1);
    CHECK_FALSE(malformed.transport_error.empty());
}

TEST_CASE("curl client: the total timeout ends a hung request with a transport error") {
    FakeProviderProcess fake(fake_options());
    QuietLogger logger;
    CurlHttpClient client(logger, fast_retries());
    fake.script(nlohmann::json::array({{{"hang", true}}}));
    auto request = chat_request(fake);
    request.total_timeout_s = 0.4;
    request.max_attempts = 1;
    const auto response = send_one(client, request);
    CHECK(response.status == 0);
    CHECK_THAT(response.transport_error, Catch::Contains("imed out"));
    CHECK(response.elapsed_s >= 0.39);  // curl rounds its timer to the millisecond
    CHECK(response.elapsed_s < 2.0);
}

TEST_CASE("curl client: a response that stalls below the low-speed limit is abandoned") {
    FakeProviderProcess fake(fake_options());
    QuietLogger logger;
    CurlHttpClient client(logger, fast_retries());
    fake.script(nlohmann::json::array({{{"stall_after_bytes", 20}}}));
    auto request = chat_request(fake);
    request.low_speed_time_s = 1;
    request.low_speed_limit_bytes = 100;
    request.max_attempts = 1;
    const auto response = send_one(client, request);
    CHECK(response.status == 0);
    CHECK_FALSE(response.transport_error.empty());
    CHECK(response.elapsed_s >= 0.95);
    CHECK(response.elapsed_s < 4.0);  // well before the 600 s total timeout
}

TEST_CASE("curl client: a 429 halves the concurrency window and successes grow it back") {
    FakeProviderProcess fake(fake_options());
    QuietLogger logger;
    CurlHttpClient client(logger, fast_retries());
    client.set_limits("fake", {0, 0, 8});
    fake.script(nlohmann::json::array({{{"status", 429}, {"retry_after", "0"}}}));
    int window_after = 0;
    Responses responses;
    client.send(chat_request(fake), [&](HttpResponse response) {
        window_after = client.endpoint("fake").window;  // 8 halved to 4, then one success
        responses.sink()(std::move(response));
    });
    REQUIRE(responses.wait_for(1)[0].status == 200);
    CHECK(window_after == 5);
    for (int i = 0; i < 10; ++i) send_one(client, chat_request(fake));
    CHECK(client.endpoint("fake").window == 8);
}

TEST_CASE("curl client: the concurrency cap holds at the server") {
    FakeProviderProcess fake(fake_options(100));
    QuietLogger logger;
    CurlHttpClient client(logger, fast_retries());
    client.set_limits("fake", {0, 0, 5});
    Responses responses;
    for (int i = 0; i < 40; ++i) client.send(chat_request(fake, "Write 1 question " + std::to_string(i)), responses.sink());
    responses.wait_for(40);
    CHECK(fake.stats()["max_in_flight"].get<int>() == 5);
    CHECK(client.stats().max_in_flight <= 5);
}

TEST_CASE("curl client: requests per minute are paced accurately") {
    FakeProviderProcess fake(fake_options());
    QuietLogger logger;
    CurlHttpClient client(logger, fast_retries());
    client.set_limits("fake", {1200, 0, 100});  // 20 per second, a burst of 2
    Responses responses;
    const int count = 60;
    for (int i = 0; i < count; ++i) client.send(chat_request(fake), responses.sink());
    responses.wait_for(count);
    auto times = arrival_times(fake);
    REQUIRE(times.size() == count);
    std::sort(times.begin(), times.end());
    for (int i = 0; i < count; ++i) {
        INFO("request " << i);
        // The bucket allows request i no earlier than (i - burst) / rate after the first.
        // 50 ms of slack for scheduling on a loaded machine; a broken limiter is off by seconds.
        CHECK(times[static_cast<std::size_t>(i)] - times[0] >= (i - 2) / 20.0 - 0.05);
    }
    CHECK(times.back() - times.front() == Approx(2.9).margin(0.3));
    CHECK(client.stats().rate_limited == 0);
}

TEST_CASE("curl client: many concurrent requests over few, reused connections") {
    FakeProviderProcess fake(fake_options(50));
    QuietLogger logger;
    CurlHttpClient client(logger, fast_retries());
    client.set_limits("fake", {0, 0, 400});
    Responses responses;
    const int count = 2000;
    for (int i = 0; i < count; ++i) client.send(chat_request(fake, "Write 1 question " + std::to_string(i)), responses.sink());
    const auto all = responses.wait_for(count);
    CHECK(std::all_of(all.begin(), all.end(), [](const HttpResponse& r) { return r.status == 200; }));
    const auto stats = fake.stats();
    CHECK(stats["successes"].get<int>() == count);
    CHECK(stats["max_in_flight"].get<int>() > 200);
    CHECK(api_connections(fake) <= 400);
    CHECK(client.stats().connections_opened <= 400);
}

TEST_CASE("curl client: thousands of requests in flight at once from one loop thread") {
    FakeProviderOptions options = fake_options(500);
    FakeProviderProcess fake(options);
    QuietLogger logger;
    CurlHttpClient client(logger, fast_retries());
    client.set_limits("fake", {0, 0, 2500});
    Responses responses;
    const int count = 2500;
    for (int i = 0; i < count; ++i) client.send(chat_request(fake, "Write 1 question " + std::to_string(i)), responses.sink());
    const auto all = responses.wait_for(count, std::chrono::seconds(90));
    CHECK(std::all_of(all.begin(), all.end(), [](const HttpResponse& r) { return r.status == 200; }));
    // 500 ms of latency per request: most of them are waiting at the fake together.
    CHECK(fake.stats()["max_in_flight"].get<int>() >= 1000);
    CHECK(client.stats().max_in_flight >= 1000);
}

TEST_CASE("curl client: a burst over plain http opens its connections at once, not after a first reply") {
    // curl's PIPEWAIT would hold every transfer but one until the first response says the server
    // cannot multiplex: a whole round of latency lost at the start of each burst.
    FakeProviderProcess fake(fake_options(1000));
    QuietLogger logger;
    CurlHttpClient client(logger, fast_retries());
    client.set_limits("fake", {0, 0, 20});
    Responses responses;
    for (int i = 0; i < 20; ++i) client.send(chat_request(fake, "Write 1 question " + std::to_string(i)), responses.sink());
    responses.wait_for(20);
    auto times = arrival_times(fake);
    REQUIRE(times.size() == 20);
    std::sort(times.begin(), times.end());
    CHECK(times.back() - times.front() < 0.5);  // with the wait: >= 1 s, the fake's latency
    CHECK(api_connections(fake) == 20);
}

TEST_CASE("curl client: sequential requests reuse one keep-alive connection") {
    FakeProviderProcess fake(fake_options());
    QuietLogger logger;
    CurlHttpClient client(logger, fast_retries());
    for (int i = 0; i < 50; ++i) REQUIRE(send_one(client, chat_request(fake)).status == 200);
    CHECK(api_connections(fake) == 1);
    CHECK(client.stats().connections_opened == 1);
    CHECK(client.stats().connections_reused == 49);
    CHECK(client.stats().attempts == 50);
}

TEST_CASE("curl client: attempts are logged at debug level without secret header values") {
    FakeProviderProcess fake(fake_options());
    RecordingLogger logger;
    CurlHttpClient client(logger, fast_retries());
    fake.script(nlohmann::json::array({{{"status", 500}}}));
    REQUIRE(send_one(client, chat_request(fake)).status == 200);
    CHECK(logger.contains("attempt 1/4"));
    CHECK(logger.contains("HTTP 500; retrying in"));
    CHECK(logger.contains("attempt 2/4"));
    CHECK(logger.contains("Authorization=<secret>"));
    CHECK_FALSE(logger.contains(key));
}

TEST_CASE("curl client: shutdown finishes queued work, abort ends it at once, later sends fail") {
    FakeProviderProcess fake(fake_options(300));
    QuietLogger logger;
    {
        CurlHttpClient client(logger, fast_retries());
        Responses responses;
        for (int i = 0; i < 10; ++i) client.send(chat_request(fake), responses.sink());
        client.shutdown();
        const auto all = responses.wait_for(10, std::chrono::seconds(0));
        CHECK(std::all_of(all.begin(), all.end(), [](const HttpResponse& r) { return r.status == 200; }));
        const auto late = send_one(client, chat_request(fake));
        CHECK(late.status == 0);
        CHECK_THAT(late.transport_error, Catch::Contains("shut down"));
    }
    {
        CurlHttpClient client(logger, fast_retries());
        Responses responses;
        for (int i = 0; i < 10; ++i) client.send(chat_request(fake), responses.sink());
        client.shutdown(CurlHttpClient::ShutdownMode::abort);
        const auto all = responses.wait_for(10, std::chrono::seconds(0));
        CHECK(std::all_of(all.begin(), all.end(), [](const HttpResponse& r) {
            return r.status == 0 && r.transport_error.find("aborted") != std::string::npos;
        }));
    }
}

TEST_CASE("curl client: the Anthropic wire format passes through, errors included") {
    FakeProviderProcess fake(fake_options());
    QuietLogger logger;
    CurlHttpClient client(logger, fast_retries());
    HttpRequest request;
    request.url = fake.base_url() + "/v1/messages";
    request.headers = {{"x-api-key", key}, {"anthropic-version", "2023-06-01"}};
    request.secret_headers = {"x-api-key"};
    request.body = R"({"model":"claude-test","max_tokens":256,"messages":[{"role":"user","content":"Write 3 questions."}]})";
    request.endpoint_key = "anthropic";
    fake.script(nlohmann::json::array({{{"status", 529}}}));
    const auto response = send_one(client, request);
    REQUIRE(response.status == 200);
    CHECK(response.attempts == 2);
    const auto body = nlohmann::json::parse(response.body);
    CHECK(body["type"] == "message");
    CHECK(body["usage"]["input_tokens"].get<int>() == static_cast<int>((request.body.size() + 3) / 4));
}
