// Drives the engine's CurlHttpClient against a provider URL and reports wall time, throughput and
// the client's own CPU time per request, as one JSON line (bench/http/run.sh reads it).
#include <sys/resource.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <algorithm>
#include <vector>
#include <string>

#include <CLI/CLI.hpp>

#include "http/curl_http_client.hpp"

namespace {

class WarningsOnly final : public flowdistill::Logger {
public:
    void log(flowdistill::LogLevel level, std::string_view message) override {
        std::fprintf(stderr, "[%d] %.*s\n", static_cast<int>(level), static_cast<int>(message.size()), message.data());
    }
    bool enabled(flowdistill::LogLevel level) const override { return level >= flowdistill::LogLevel::Warn; }
};

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"HTTP engine bench: N chat-completion requests through one CurlHttpClient"};
    std::string url;
    int requests = 5000;
    int concurrency = 512;
    double rpm = 0;
    app.add_option("--url", url, "chat completions URL of the (fake) provider")->required();
    app.add_option("--requests", requests, "how many requests");
    app.add_option("--concurrency", concurrency, "the endpoint's max_concurrency");
    app.add_option("--rpm", rpm, "the endpoint's requests_per_minute (0 = no limit)");
    CLI11_PARSE(app, argc, argv);

    WarningsOnly logger;
    flowdistill::engine::CurlHttpClient client(logger);
    client.set_limits("bench", {rpm, 0, concurrency});

    std::mutex mutex;
    std::condition_variable all_done;
    int done = 0, ok = 0;
    // When each response came, in order. With all requests queued at once, a slot frees at the
    // i-th response and its next request is the (i + concurrency)-th to finish: the difference is
    // one round trip through client, fake and latency, which shows the overhead per round.
    std::vector<double> finished_ms;
    finished_ms.reserve(static_cast<std::size_t>(requests));
    const double cpu_start = cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < requests; ++i) {
        flowdistill::HttpRequest request;
        request.url = url;
        request.headers = {{"Authorization", "Bearer sk-bench"}};
        request.secret_headers = {"Authorization"};
        request.body = R"({"model":"bench-model","messages":[{"role":"user","content":"Write 1 question about item )" +
                       std::to_string(i) + R"(."}]})";
        request.endpoint_key = "bench";
        client.send(std::move(request), [&](flowdistill::HttpResponse response) {
            std::lock_guard lock(mutex);
            ++done;
            if (response.ok()) ++ok;
            finished_ms.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
            if (done == requests) all_done.notify_one();
        });
    }
    {
        std::unique_lock lock(mutex);
        all_done.wait(lock, [&] { return done == requests; });
    }
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double cpu_s = cpu_seconds() - cpu_start;
    const auto stats = client.stats();
    client.shutdown();
    std::vector<double> rounds_ms;
    for (std::size_t i = 0; i + static_cast<std::size_t>(concurrency) < finished_ms.size(); ++i)
        rounds_ms.push_back(finished_ms[i + static_cast<std::size_t>(concurrency)] - finished_ms[i]);
    std::sort(rounds_ms.begin(), rounds_ms.end());
    const auto percentile = [&](double p) {
        return rounds_ms.empty() ? 0.0 : rounds_ms[static_cast<std::size_t>(p * static_cast<double>(rounds_ms.size() - 1))];
    };
    std::printf("{\"client\":\"flowdistill\",\"requests\":%d,\"ok\":%d,\"concurrency\":%d,\"rpm\":%.0f,"
                "\"wall_s\":%.3f,\"requests_per_s\":%.1f,\"cpu_s\":%.3f,\"cpu_us_per_request\":%.1f,"
                "\"attempts\":%llu,\"rate_limited\":%llu,\"connections_opened\":%llu,\"connections_reused\":%llu,"
                "\"max_in_flight\":%llu,\"round_ms_p50\":%.1f,\"round_ms_p90\":%.1f,\"first_ms\":%.1f}\n",
                requests, ok, concurrency, rpm, wall_s, requests / wall_s, cpu_s, cpu_s / requests * 1e6,
                static_cast<unsigned long long>(stats.attempts), static_cast<unsigned long long>(stats.rate_limited),
                static_cast<unsigned long long>(stats.connections_opened),
                static_cast<unsigned long long>(stats.connections_reused),
                static_cast<unsigned long long>(stats.max_in_flight), percentile(0.5), percentile(0.9),
                finished_ms.empty() ? 0.0 : finished_ms.front());
    return ok == requests ? EXIT_SUCCESS : EXIT_FAILURE;
}
