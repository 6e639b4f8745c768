#include "http/curl_http_client.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include <curl/curl.h>

#include "http/curl_socket_driver.hpp"
#include "http/endpoint_limiter.hpp"

namespace flowdistill::engine {
namespace {

using Clock = std::chrono::steady_clock;

struct Endpoint;

struct Transfer {
    HttpRequest request;
    std::function<void(HttpResponse)> on_done;
    HttpResponse response;
    Clock::time_point created;
    Clock::time_point attempt_started;
    Endpoint* endpoint = nullptr;
    curl_slist* header_list = nullptr;
    std::uint64_t epoch = 0;
    char error_buffer[CURL_ERROR_SIZE] = {};

    ~Transfer() { curl_slist_free_all(header_list); }
};
using TransferPtr = std::unique_ptr<Transfer>;

struct Endpoint {
    explicit Endpoint(const EndpointLimits& limits) : limiter(limits, Clock::now()) {}
    EndpointLimiter limiter;
    std::deque<TransferPtr> waiting;
    std::optional<Clock::time_point> wake_at;  // when the limiter said to ask again
};

struct Timer {
    Clock::time_point at;
    TransferPtr transfer;
};
bool later(const Timer& a, const Timer& b) { return a.at > b.at; }

bool is_retryable_transport_error(CURLcode code) {
    switch (code) {
    case CURLE_OPERATION_TIMEDOUT: case CURLE_COULDNT_CONNECT: case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR: case CURLE_GOT_NOTHING: case CURLE_PARTIAL_FILE: case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: case CURLE_SSL_CONNECT_ERROR:
        return true;
    default:
        return false;
    }
}

bool same_header_name(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool has_header(const HttpHeaders& headers, std::string_view name) {
    return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return same_header_name(h.first, name); });
}

bool is_secret(const HttpRequest& request, std::string_view name) {
    return std::any_of(request.secret_headers.begin(), request.secret_headers.end(),
                       [&](const std::string& secret) { return same_header_name(secret, name); });
}

bool is_https(std::string_view url) {
    constexpr std::string_view scheme = "https://";
    return url.size() >= scheme.size() && same_header_name(url.substr(0, scheme.size()), scheme);
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<Transfer*>(user)->response.body.append(data, size * count);
    return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto& response = static_cast<Transfer*>(user)->response;
    std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) {
        response.headers.clear();  // a new response block: 100 Continue or a redirect came first
        return size * count;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return size * count;
    auto trim = [](std::string_view text) {
        while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
        while (!text.empty() && (text.back() == '\r' || text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
        return text;
    };
    response.headers.emplace_back(std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
    return size * count;
}

double seconds(Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

CURLM* new_multi() {
    CURLM* multi = curl_multi_init();
    if (multi == nullptr) throw std::runtime_error("libcurl could not create a multi handle (out of memory?)");
    return multi;
}

// The loop's destructor cleans the multi up, but it does not run when the driver cannot start.
CurlSocketDriver driver_for(CURLM* multi) {
    try {
        return CurlSocketDriver(multi);
    } catch (...) {
        curl_multi_cleanup(multi);
        throw;
    }
}

}  // namespace

struct CurlHttpClient::Loop {
    Loop(Logger& logger_in, CurlHttpClientOptions options_in)
        : logger(logger_in), options(std::move(options_in)), multi(new_multi()), driver(driver_for(multi)),
          rng(options.jitter_seed != 0 ? options.jitter_seed
                                       : static_cast<std::uint64_t>(Clock::now().time_since_epoch().count())) {
        curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
        // Keep every connection a full window can use, or keep-alive is lost to cache eviction.
        curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, 4096L);
        if (options.max_total_connections > 0)
            curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, options.max_total_connections);
    }

    ~Loop() {
        for (CURL* easy : idle_handles) curl_easy_cleanup(easy);
        curl_multi_cleanup(multi);  // before the driver goes: cleanup still reports closed sockets
    }

    void run();
    void start(TransferPtr transfer);
    bool harvest(std::vector<TransferPtr>& done);
    void finish_attempt(TransferPtr transfer, CURLcode code, std::vector<TransferPtr>& done);
    void dispatch(Clock::time_point now);
    void abort_all(std::vector<TransferPtr>& done);
    bool idle() const;
    int poll_timeout_ms(Clock::time_point now) const;
    void log_attempt(const Transfer& transfer, double attempt_s, const std::string& outcome);
    void complete(Transfer& transfer);
    Endpoint& endpoint_for(const std::string& key);

    Logger& logger;
    const CurlHttpClientOptions options;
    CURLM* multi;
    CurlSocketDriver driver;

    std::mutex queue_mutex;  // guards the four members below; send() and set_limits() take it
    std::vector<TransferPtr> incoming;
    std::vector<std::pair<std::string, EndpointLimits>> limit_updates;
    bool stop_requested = false;
    bool closed = false;
    ShutdownMode mode = ShutdownMode::finish;

    mutable std::mutex state_mutex;  // the loop's state, held for one turn; snapshots read it
    std::unordered_map<std::string, std::unique_ptr<Endpoint>> endpoints;
    std::unordered_map<CURL*, TransferPtr> in_flight;
    std::vector<Timer> timers;  // a min-heap on `at`
    std::vector<CURL*> idle_handles;
    std::vector<TransferPtr> refused;  // curl_multi_add_handle failed; finished after dispatch
    // A burst is started a slice at a time, so the first requests are sent while the rest still
    // connect, rather than after every connection of the burst is open.
    static constexpr int max_starts_per_endpoint = 16;
    bool more_to_start = false;  // dispatch stopped at the slice, not at a limit
    std::mt19937_64 rng;

    struct Counters {
        std::atomic<std::uint64_t> requests{0}, completed{0}, attempts{0}, retries{0}, rate_limited{0},
            failed{0}, connections_opened{0}, bytes_sent{0}, bytes_received{0}, max_in_flight{0};
    } counters;
};

Endpoint& CurlHttpClient::Loop::endpoint_for(const std::string& key) {
    auto& slot = endpoints[key];
    if (!slot) slot = std::make_unique<Endpoint>(EndpointLimits{});
    return *slot;
}

void CurlHttpClient::Loop::start(TransferPtr transfer) {
    CURL* easy = nullptr;
    if (!idle_handles.empty()) {
        easy = idle_handles.back();
        idle_handles.pop_back();
        curl_easy_reset(easy);
    } else {
        easy = curl_easy_init();
    }
    Transfer& t = *transfer;
    const HttpRequest& request = t.request;
    t.response.status = 0;
    t.response.headers.clear();
    t.response.body.clear();
    t.error_buffer[0] = '\0';
    ++t.response.attempts;
    t.attempt_started = Clock::now();
    if (t.header_list == nullptr) {
        for (const auto& [name, value] : request.headers)
            t.header_list = curl_slist_append(t.header_list, (name + ": " + value).c_str());
        if (!request.body.empty() && !has_header(request.headers, "content-type"))
            t.header_list = curl_slist_append(t.header_list, "Content-Type: application/json");
        // Without this curl waits a round trip for "100 Continue" before sending large bodies.
        t.header_list = curl_slist_append(t.header_list, "Expect:");
    }
    const auto ms = [](double s) { return static_cast<long>(std::max(1.0, s * 1000)); };
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PRIVATE, &t);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t.error_buffer);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t.header_list);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, ms(request.connect_timeout_s));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, ms(request.total_timeout_s));
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, request.low_speed_limit_bytes);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME,
                     static_cast<long>(std::max(1.0, std::ceil(request.low_speed_time_s))));
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    // Wait for a connection that may multiplex (HTTP/2, negotiated over TLS) rather than open
    // another. Over plain http:// it is HTTP/1.1 anyway, but curl only learns that from the first
    // response: every other transfer of a burst would wait a whole round trip for it.
    curl_easy_setopt(easy, CURLOPT_PIPEWAIT, is_https(request.url) ? 1L : 0L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    if (request.method == "GET") {
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        if (request.method != "POST") curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    counters.attempts.fetch_add(1, std::memory_order_relaxed);
    if (t.response.attempts > 1) counters.retries.fetch_add(1, std::memory_order_relaxed);
    const CURLMcode added = curl_multi_add_handle(multi, easy);
    if (added != CURLM_OK) {
        std::snprintf(t.error_buffer, sizeof t.error_buffer, "libcurl refused the transfer: %s",
                      curl_multi_strerror(added));
        idle_handles.push_back(easy);
        refused.push_back(std::move(transfer));
        return;
    }
    in_flight.emplace(easy, std::move(transfer));
    if (in_flight.size() > counters.max_in_flight.load(std::memory_order_relaxed))
        counters.max_in_flight.store(in_flight.size(), std::memory_order_relaxed);
}

void CurlHttpClient::Loop::dispatch(Clock::time_point now) {
    more_to_start = false;
    for (auto& [key, endpoint] : endpoints) {
        endpoint->wake_at.reset();
        for (int started = 0; !endpoint->waiting.empty(); ++started) {
            if (started == max_starts_per_endpoint) {
                more_to_start = true;  // the rest next turn, which comes at once
                break;
            }
            if (options.max_total_connections > 0 &&
                in_flight.size() >= static_cast<std::size_t>(options.max_total_connections))
                return;
            auto& front = endpoint->waiting.front();
            const auto admission = endpoint->limiter.try_admit(front->request.estimated_tokens, now);
            if (!admission.admitted) {
                endpoint->wake_at = admission.retry_at;
                break;
            }
            front->epoch = admission.epoch;
            TransferPtr transfer = std::move(front);
            endpoint->waiting.pop_front();
            start(std::move(transfer));
        }
    }
}

void CurlHttpClient::Loop::log_attempt(const Transfer& t, double attempt_s, const std::string& outcome) {
    if (!logger.enabled(LogLevel::Debug)) return;
    std::string headers;
    for (const auto& [name, value] : t.request.headers) {
        if (!headers.empty()) headers += ", ";
        headers += name + "=" + (is_secret(t.request, name) ? std::string("<secret>") : value);
    }
    char timing[64];
    std::snprintf(timing, sizeof timing, "%.3f", attempt_s);
    logger.debug("http: " + (t.request.description.empty() ? std::string("request") : t.request.description) +
                 ": attempt " + std::to_string(t.response.attempts) + "/" + std::to_string(t.request.max_attempts) +
                 " " + t.request.method + " " + t.request.url + " [" + headers + "] -> " + outcome + " in " +
                 timing + " s");
}

void CurlHttpClient::Loop::finish_attempt(TransferPtr transfer, CURLcode code, std::vector<TransferPtr>& done) {
    Transfer& t = *transfer;
    const auto now = Clock::now();
    HttpResponse& response = t.response;
    bool retryable = false;
    if (code != CURLE_OK) {
        response.status = 0;
        response.transport_error = t.error_buffer[0] != '\0' ? t.error_buffer : curl_easy_strerror(code);
        retryable = is_retryable_transport_error(code);
    } else {
        response.transport_error.clear();
        retryable = is_retryable_status(response.status);
    }
    const bool rate_limited = response.status == 429;
    if (rate_limited) counters.rate_limited.fetch_add(1, std::memory_order_relaxed);
    t.endpoint->limiter.finished(t.epoch, rate_limited, response.ok());

    const double unix_now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    const auto server_wait = retryable ? server_requested_wait(response, unix_now) : std::nullopt;
    if (server_wait && (rate_limited || response.status == 503 || response.status == 529))
        t.endpoint->limiter.pause_until(now + std::chrono::duration_cast<Clock::duration>(*server_wait));

    const std::string outcome = code != CURLE_OK ? "error: " + response.transport_error
                                                 : "HTTP " + std::to_string(response.status);
    const double attempt_s = seconds(now - t.attempt_started);
    if (retryable && response.attempts < std::max(1, t.request.max_attempts)) {
        const auto delay = server_wait ? *server_wait : backoff_delay(options.retry, response.attempts, rng);
        char wait[96];
        std::snprintf(wait, sizeof wait, "; retrying in %.3f s (%s)", delay.count(),
                      server_wait ? "as the server asked" : "backoff");
        log_attempt(t, attempt_s, outcome + wait);
        timers.push_back({now + std::chrono::duration_cast<Clock::duration>(delay), std::move(transfer)});
        std::push_heap(timers.begin(), timers.end(), later);
        return;
    }
    log_attempt(t, attempt_s, outcome + (response.ok() ? "" : "; giving up"));
    done.push_back(std::move(transfer));
}

bool CurlHttpClient::Loop::harvest(std::vector<TransferPtr>& done) {
    bool any = false;
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
        if (message->msg != CURLMSG_DONE) continue;
        any = true;
        CURL* easy = message->easy_handle;
        const CURLcode code = message->data.result;
        auto found = in_flight.find(easy);
        TransferPtr transfer = std::move(found->second);
        in_flight.erase(found);
        long status = 0, connects = 0;
        curl_off_t sent = 0, received = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects);
        curl_easy_getinfo(easy, CURLINFO_SIZE_UPLOAD_T, &sent);
        curl_easy_getinfo(easy, CURLINFO_SIZE_DOWNLOAD_T, &received);
        counters.connections_opened.fetch_add(static_cast<std::uint64_t>(connects), std::memory_order_relaxed);
        counters.bytes_sent.fetch_add(static_cast<std::uint64_t>(sent), std::memory_order_relaxed);
        counters.bytes_received.fetch_add(static_cast<std::uint64_t>(received), std::memory_order_relaxed);
        curl_multi_remove_handle(multi, easy);
        idle_handles.push_back(easy);
        transfer->response.status = static_cast<int>(status);
        finish_attempt(std::move(transfer), code, done);
    }
    return any;
}

void CurlHttpClient::Loop::abort_all(std::vector<TransferPtr>& done) {
    const auto abandon = [&](TransferPtr transfer) {
        transfer->response.status = 0;
        transfer->response.transport_error = "aborted: the HTTP client shut down before a response came";
        done.push_back(std::move(transfer));
    };
    for (auto& [easy, transfer] : in_flight) {
        curl_multi_remove_handle(multi, easy);
        idle_handles.push_back(easy);
        transfer->endpoint->limiter.finished(transfer->epoch, false, false);
        abandon(std::move(transfer));
    }
    in_flight.clear();
    for (auto& timer : timers) abandon(std::move(timer.transfer));
    timers.clear();
    for (auto& [key, endpoint] : endpoints) {
        for (auto& transfer : endpoint->waiting) abandon(std::move(transfer));
        endpoint->waiting.clear();
    }
}

bool CurlHttpClient::Loop::idle() const {
    if (!in_flight.empty() || !timers.empty()) return false;
    return std::all_of(endpoints.begin(), endpoints.end(), [](const auto& e) { return e.second->waiting.empty(); });
}

int CurlHttpClient::Loop::poll_timeout_ms(Clock::time_point now) const {
    if (more_to_start) return 0;
    auto next = now + std::chrono::seconds(1);  // a bound, so a missed wake-up costs at most a second
    if (!timers.empty()) next = std::min(next, timers.front().at);
    for (const auto& [key, endpoint] : endpoints)
        if (!endpoint->waiting.empty() && endpoint->wake_at) next = std::min(next, *endpoint->wake_at);
    if (next <= now) return 0;
    // Round up, so the loop never wakes a little early and spins until the deadline.
    return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(next - now).count());
}

void CurlHttpClient::Loop::complete(Transfer& t) {
    t.response.elapsed_s = seconds(Clock::now() - t.created);
    if (!t.response.ok()) counters.failed.fetch_add(1, std::memory_order_relaxed);
    counters.completed.fetch_add(1, std::memory_order_relaxed);
    try {
        t.on_done(std::move(t.response));
    } catch (const std::exception& error) {
        logger.error("http: the completion handler of '" + t.request.description + "' threw: " + error.what() +
                     " (handlers must not throw; the response is lost to its stage)");
    } catch (...) {
        logger.error("http: the completion handler of '" + t.request.description + "' threw a non-exception");
    }
}

void CurlHttpClient::Loop::run() {
    std::vector<TransferPtr> done;
    int timeout_ms = 0;
    for (;;) {
        driver.wait(timeout_ms);
        bool stopping = false;
        bool exit = false;
        {
            std::lock_guard state(state_mutex);
            std::vector<TransferPtr> arrived;
            std::vector<std::pair<std::string, EndpointLimits>> updates;
            ShutdownMode stop_mode = ShutdownMode::finish;
            {
                std::lock_guard queue(queue_mutex);
                arrived.swap(incoming);
                updates.swap(limit_updates);
                stopping = stop_requested;
                stop_mode = mode;
            }
            auto now = Clock::now();
            for (auto& [key, limits] : updates) endpoint_for(key).limiter.set_limits(limits, now);
            for (auto& transfer : arrived) {
                transfer->endpoint = &endpoint_for(transfer->request.endpoint_key);
                transfer->endpoint->waiting.push_back(std::move(transfer));
            }
            if (stopping && stop_mode == ShutdownMode::abort) abort_all(done);
            while (!timers.empty() && timers.front().at <= now) {
                std::pop_heap(timers.begin(), timers.end(), later);
                TransferPtr transfer = std::move(timers.back().transfer);
                timers.pop_back();
                Endpoint* endpoint = transfer->endpoint;
                endpoint->waiting.push_front(std::move(transfer));  // retries go before new work
            }
            dispatch(now);
            // The ready sockets, and the transfers just added: adding one makes curl's timer due.
            driver.act();
            if (harvest(done)) {
                // Refill the slots that just freed and start those transfers now, before the
                // completion handlers run: a waiting request goes out as soon as a slot frees.
                dispatch(Clock::now());
                driver.act();
                // Transfers that ended at once (a refused connection); their successors start
                // next turn, which comes at once as curl's timer is due again.
                if (harvest(done)) dispatch(Clock::now());
            }
            for (auto& transfer : refused) finish_attempt(std::move(transfer), CURLE_FAILED_INIT, done);
            refused.clear();
            if (stopping && idle() && done.empty()) {
                std::lock_guard queue(queue_mutex);
                // Checked under the queue lock, so a send() racing with shutdown is never lost.
                if (incoming.empty()) {
                    closed = true;
                    exit = true;
                }
            }
            timeout_ms = poll_timeout_ms(Clock::now());
        }
        const bool completed_any = !done.empty();
        for (auto& transfer : done) complete(*transfer);
        done.clear();
        if (exit) return;
        // While stopping, look again at once: the handlers may have been the last work, and a
        // send() from them has already woken the wait anyway.
        if (stopping && completed_any) timeout_ms = 0;
    }
}

CurlHttpClient::CurlHttpClient(Logger& logger, CurlHttpClientOptions options) {
    static std::once_flag curl_initialised;
    std::call_once(curl_initialised, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    loop_ = std::make_unique<Loop>(logger, std::move(options));
    thread_ = std::thread([loop = loop_.get()] { loop->run(); });
}

CurlHttpClient::~CurlHttpClient() { shutdown(ShutdownMode::abort); }

void CurlHttpClient::send(HttpRequest request, std::function<void(HttpResponse)> on_done) {
    auto transfer = std::make_unique<Transfer>();
    transfer->request = std::move(request);
    transfer->on_done = std::move(on_done);
    transfer->created = Clock::now();
    loop_->counters.requests.fetch_add(1, std::memory_order_relaxed);
    bool wake = false;
    {
        std::lock_guard queue(loop_->queue_mutex);
        if (!loop_->closed) {
            // Only the first request into an empty queue wakes the loop: the loop has not taken
            // the queue since, so one wake-up covers a whole burst of sends.
            wake = loop_->incoming.empty();
            loop_->incoming.push_back(std::move(transfer));
        }
    }
    if (transfer) {
        transfer->response.transport_error = "the HTTP client is shut down; no request was sent";
        loop_->complete(*transfer);
        return;
    }
    if (wake) loop_->driver.wake();
}

void CurlHttpClient::set_limits(const std::string& endpoint_key, const EndpointLimits& limits) {
    {
        std::lock_guard queue(loop_->queue_mutex);
        loop_->limit_updates.emplace_back(endpoint_key, limits);
    }
    loop_->driver.wake();
}

void CurlHttpClient::shutdown(ShutdownMode mode) {
    std::lock_guard once(shutdown_mutex_);
    if (!thread_.joinable()) return;
    {
        std::lock_guard queue(loop_->queue_mutex);
        loop_->stop_requested = true;
        loop_->mode = mode;
    }
    loop_->driver.wake();
    thread_.join();
}

HttpClientStats CurlHttpClient::stats() const {
    const auto& c = loop_->counters;
    const auto get = [](const std::atomic<std::uint64_t>& v) { return v.load(std::memory_order_relaxed); };
    HttpClientStats stats{get(c.requests), get(c.completed), get(c.attempts), get(c.retries), get(c.rate_limited),
                          get(c.failed), get(c.connections_opened), 0, get(c.bytes_sent), get(c.bytes_received),
                          get(c.max_in_flight)};
    stats.connections_reused = stats.attempts > stats.connections_opened ? stats.attempts - stats.connections_opened : 0;
    return stats;
}

EndpointSnapshot CurlHttpClient::endpoint(const std::string& endpoint_key) const {
    std::lock_guard state(loop_->state_mutex);
    auto found = loop_->endpoints.find(endpoint_key);
    if (found == loop_->endpoints.end()) return {};
    return {found->second->limiter.window(), found->second->limiter.in_flight(), found->second->waiting.size()};
}

}  // namespace flowdistill::engine
