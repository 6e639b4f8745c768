#include "http/retry_policy.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <string>

#include <curl/curl.h>

namespace flowdistill::engine {
namespace {

std::optional<double> parse_number(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    if (text.empty()) return std::nullopt;
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
    return value;
}

// Seconds until an absolute time given as an HTTP date or an RFC 3339 UTC stamp.
std::optional<double> seconds_until_date(const std::string& text, double unix_now_s) {
    std::tm parts{};
    const char* rest = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &parts);
    if (rest != nullptr) {
        double fraction = 0;
        if (*rest == '.') {
            const char* digits = rest;
            while (*++digits >= '0' && *digits <= '9') {}
            fraction = parse_number(std::string_view(rest, static_cast<std::size_t>(digits - rest))).value_or(0);
        }
        return static_cast<double>(timegm(&parts)) + fraction - unix_now_s;
    }
    const time_t when = curl_getdate(text.c_str(), nullptr);  // RFC 1123/850 and asctime dates
    if (when < 0) return std::nullopt;
    return static_cast<double>(when) - unix_now_s;
}

}  // namespace

bool is_retryable_status(int status) {
    switch (status) {
    case 408: case 409: case 429: case 500: case 502: case 503: case 504: case 529: return true;
    default: return false;
    }
}

std::chrono::duration<double> backoff_delay(const RetryPolicy& policy, int retry, std::mt19937_64& rng) {
    const double exponent = std::min(std::max(retry - 1, 0), 30);
    const double window = std::min(policy.backoff_cap_s, policy.backoff_base_s * std::exp2(exponent));
    std::uniform_real_distribution<double> jitter(0.0, std::max(window, 0.0));
    return std::chrono::duration<double>(jitter(rng));
}

std::optional<double> parse_go_duration(std::string_view text) {
    if (auto plain = parse_number(text)) return plain;  // some gateways send bare seconds
    double total = 0;
    bool any = false;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t j = i;
        while (j < text.size() && ((text[j] >= '0' && text[j] <= '9') || text[j] == '.')) ++j;
        const auto number = parse_number(text.substr(i, j - i));
        if (!number) return std::nullopt;
        std::size_t k = j;
        while (k < text.size() && text[k] >= 'a' && text[k] <= 'z') ++k;
        const std::string_view unit = text.substr(j, k - j);
        if (unit == "h") total += *number * 3600;
        else if (unit == "m") total += *number * 60;
        else if (unit == "s") total += *number;
        else if (unit == "ms") total += *number / 1000;
        else return std::nullopt;
        any = true;
        i = k;
    }
    if (!any) return std::nullopt;
    return total;
}

std::optional<std::chrono::duration<double>> server_requested_wait(const HttpResponse& response,
                                                                   double unix_now_s) {
    std::optional<double> wait_s;
    const auto consider = [&](std::optional<double> candidate) {
        if (candidate && *candidate >= 0 && *candidate < 86400) wait_s = std::max(wait_s.value_or(0), *candidate);
    };
    if (auto value = response.header("retry-after-ms")) {
        if (auto ms = parse_number(*value)) consider(*ms / 1000);
    }
    if (auto value = response.header("retry-after")) {
        if (auto seconds = parse_number(*value)) consider(*seconds);
        else if (auto until = seconds_until_date(*value, unix_now_s)) consider(std::max(0.0, *until));
    }
    // The rate-limit resets only matter when the matching budget is spent.
    for (const char* kind : {"requests", "tokens"}) {
        const std::string openai = std::string("x-ratelimit-");
        if (response.header(openai + "remaining-" + kind) == std::optional<std::string>("0"))
            if (auto value = response.header(openai + "reset-" + kind)) consider(parse_go_duration(*value));
        const std::string anthropic = std::string("anthropic-ratelimit-") + kind + "-";
        if (response.header(anthropic + "remaining") == std::optional<std::string>("0"))
            if (auto value = response.header(anthropic + "reset")) consider(seconds_until_date(*value, unix_now_s));
    }
    if (!wait_s) return std::nullopt;
    return std::chrono::duration<double>(*wait_s);
}

}  // namespace flowdistill::engine
