#pragma once
// Which outcomes are worth another attempt, and how long to wait before it.
#include <chrono>
#include <optional>
#include <random>
#include <string_view>

#include <flowdistill/services.hpp>

namespace flowdistill::engine {

struct RetryPolicy {
    double backoff_base_s = 0.5;  // the first retry waits up to this long
    double backoff_cap_s = 60;    // no backoff window grows past this
};

// 408, 409, 429, 500, 502, 503, 504 and 529. 400/401/403/404 and the rest are the caller's to handle.
bool is_retryable_status(int status);

// Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^(retry - 1))].
std::chrono::duration<double> backoff_delay(const RetryPolicy& policy, int retry, std::mt19937_64& rng);

// How long the server asked us to wait, from `retry-after` (seconds or an HTTP date),
// `retry-after-ms`, or the providers' rate-limit reset headers (OpenAI's "1m30.5s"-style
// durations, Anthropic's RFC 3339 times). The longest stated wait wins; nullopt if none is stated.
std::optional<std::chrono::duration<double>> server_requested_wait(const HttpResponse& response,
                                                                   double unix_now_s);

// "6m0s", "1.5s", "250ms" -> seconds.
std::optional<double> parse_go_duration(std::string_view text);

}  // namespace flowdistill::engine
