#pragma once
// Services the engine offers to plugins, as abstract classes: the implementations (libcurl,
// SQLite, the terminal) live in engine/ and never leak into a plugin's build.
#include <cctype>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <flowdistill/record.hpp>

namespace flowdistill {

enum class LogLevel { Debug, Info, Warn, Error };

class Logger {
public:
    virtual ~Logger() = default;
    virtual void log(LogLevel level, std::string_view message) = 0;
    virtual bool enabled(LogLevel level) const = 0;

    void debug(std::string_view m) { if (enabled(LogLevel::Debug)) log(LogLevel::Debug, m); }
    void info(std::string_view m) { log(LogLevel::Info, m); }
    void warn(std::string_view m) { log(LogLevel::Warn, m); }
    void error(std::string_view m) { log(LogLevel::Error, m); }
};

// ---- HTTP -------------------------------------------------------------------------------------

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// Limits shared by every request to one provider endpoint (requests with the same endpoint key).
struct EndpointLimits {
    double requests_per_minute = 0;   // 0 = unlimited
    double tokens_per_minute = 0;     // 0 = unlimited; charged with HttpRequest::estimated_tokens
    int max_concurrency = 64;         // upper bound; shrinks on 429 and grows back (AIMD)
};

struct HttpRequest {
    std::string method = "POST";
    std::string url;
    HttpHeaders headers;
    std::string body;
    std::string endpoint_key;          // rate limits and concurrency are shared per key
    std::int64_t estimated_tokens = 0; // charged against tokens_per_minute
    double connect_timeout_s = 10;
    double total_timeout_s = 600;
    double low_speed_time_s = 60;      // abandon a response that stalls this long...
    long low_speed_limit_bytes = 1;    // ...below this many bytes per second
    int max_attempts = 6;              // retries for 408/409/429/5xx/529, timeouts and resets
    std::string description;           // for logs, e.g. "generate chunk_000042"; never a secret
    std::vector<std::string> secret_headers;  // header names whose values are never logged
};

struct HttpResponse {
    int status = 0;                    // 0 when no HTTP response came back (see transport_error)
    HttpHeaders headers;
    std::string body;
    std::string transport_error;       // curl's message after the last attempt, if any
    int attempts = 0;
    double elapsed_s = 0;

    bool ok() const { return status >= 200 && status < 300; }
    std::optional<std::string> header(std::string_view name) const {
        for (const auto& [key, value] : headers)
            if (equals_ignoring_case(key, name)) return value;
        return std::nullopt;
    }

private:
    static bool equals_ignoring_case(std::string_view a, std::string_view b) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
                return false;
        return true;
    }
};

class HttpClient {
public:
    virtual ~HttpClient() = default;
    // Sends asynchronously. `on_done` runs exactly once, on the engine's network thread, with the
    // final outcome after retries; keep it short (parse, store, emit) and never block in it.
    virtual void send(HttpRequest request, std::function<void(HttpResponse)> on_done) = 0;
    virtual void set_limits(const std::string& endpoint_key, const EndpointLimits& limits) = 0;
};

// ---- Money ------------------------------------------------------------------------------------

struct BudgetReservation {
    std::uint64_t id = 0;
    double amount_usd = 0;
};

// A hard USD budget. Reserve the worst case before paying, settle to the real cost afterwards:
// the ledger refuses any reservation that could take the spend past the limit.
class BudgetLedger {
public:
    virtual ~BudgetLedger() = default;
    virtual std::optional<BudgetReservation> reserve(double worst_case_usd) = 0;
    virtual void settle(const BudgetReservation& reservation, double actual_usd) = 0;
    virtual void release(const BudgetReservation& reservation) = 0;  // nothing was spent
    virtual double spent_usd() const = 0;
    virtual double limit_usd() const = 0;  // infinity when there is no budget
    virtual bool exhausted() const = 0;    // a reservation has been refused
};

// ---- The response store -----------------------------------------------------------------------

struct StoredResponse {
    std::string body;          // the provider's response body, as received
    Json usage;                // tokens as the provider reported them
    double cost_usd = 0;
    std::string provider;
    std::string model;
};

// Every paid response, kept durably in the output directory before anything downstream sees it,
// so a rerun replays it for free.
class ResponseStore {
public:
    virtual ~ResponseStore() = default;
    virtual std::optional<StoredResponse> find(const std::string& key) = 0;
    virtual void put(const std::string& key, const StoredResponse& response) = 0;  // durable on return
};

// ---- Run state --------------------------------------------------------------------------------

class Cancellation {
public:
    virtual ~Cancellation() = default;
    virtual bool stop_requested() const = 0;
};

// Figures a stage reports for the progress line and the summary (items in/out are counted by the
// engine). Counter names are free-form snake_case; "cost_usd", "cached" and "paid" are shown.
class StageMetrics {
public:
    virtual ~StageMetrics() = default;
    virtual void add(std::string_view counter, double amount) = 0;
    virtual void set_note(std::string_view key, std::string_view value) = 0;
};

}  // namespace flowdistill
