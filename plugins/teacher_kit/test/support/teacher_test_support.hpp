#pragma once
// Helpers for the teachers' logic tests: an HttpClient answering from a script (no network; the
// loopback tests against the fake provider cover the real client), a completion that records
// what a stage reports, and config filled with a spec's defaults as lint would.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <flowdistill/flowdistill.hpp>

namespace flowdistill::teacher_test {

class ScriptedHttp final : public HttpClient {
public:
    using Responder = std::function<HttpResponse(const HttpRequest&)>;
    explicit ScriptedHttp(Responder responder) : responder_(std::move(responder)) {}

    // Answers at once, on the caller's thread: the teacher must cope with a callback that runs
    // before send() returns.
    void send(HttpRequest request, std::function<void(HttpResponse)> on_done) override {
        HttpResponse response = responder_(request);
        {
            std::lock_guard lock(mutex_);
            requests.push_back(std::move(request));
        }
        on_done(std::move(response));
    }
    void set_limits(const std::string& endpoint_key, const EndpointLimits& limits) override {
        std::lock_guard lock(mutex_);
        limits_key = endpoint_key;
        limits_set = limits;
    }

    std::vector<HttpRequest> requests;
    std::string limits_key;
    EndpointLimits limits_set;

private:
    Responder responder_;
    std::mutex mutex_;
};

inline HttpResponse reply_with(int status, std::string body) {
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.attempts = 1;
    return response;
}

// Counts finished completions so a test can wait for all of them (callbacks run on the HTTP
// engine's thread) on a condition rather than a sleep.
class CompletionLatch {
public:
    explicit CompletionLatch(int expected) : remaining_(expected) {}
    void arrive() {
        std::lock_guard lock(mutex_);
        if (--remaining_ <= 0) ready_.notify_all();
    }
    // false when `limit` passed first: a hang is a failure, not a wait forever.
    bool wait(std::chrono::seconds limit = std::chrono::seconds(60)) {
        std::unique_lock lock(mutex_);
        return ready_.wait_for(lock, limit, [this] { return remaining_ <= 0; });
    }

private:
    std::mutex mutex_;
    std::condition_variable ready_;
    int remaining_;
};

// Records the calls in order, so tests can check what happened before what.
class RecordingCompletion final : public AsyncCompletion {
public:
    RecordingCompletion() = default;
    explicit RecordingCompletion(std::shared_ptr<CompletionLatch> latch) : latch_(std::move(latch)) {}

    void emit(Record record) override {
        std::lock_guard lock(mutex_);
        events.push_back("emit " + record.id);
        records.push_back(std::move(record));
    }
    void done() override { finish("done"); }
    void reject(const std::string& cause, const std::string& reason, const Json& detail) override {
        std::lock_guard lock(mutex_);
        reject_cause = cause;
        reject_reason = reason;
        reject_detail = detail;
        events.push_back("reject");
        ++finishes;
        if (latch_) latch_->arrive();
    }
    void fatal(const std::string& cause) override {
        std::lock_guard lock(mutex_);
        fatal_cause = cause;
        events.push_back("fatal");
        ++finishes;
        if (latch_) latch_->arrive();
    }

    std::vector<Record> records;
    std::vector<std::string> events;
    std::string reject_cause, reject_reason, fatal_cause;
    Json reject_detail;
    int finishes = 0;

private:
    void finish(const char* what) {
        std::lock_guard lock(mutex_);
        events.push_back(what);
        ++finishes;
        if (latch_) latch_->arrive();
    }
    std::shared_ptr<CompletionLatch> latch_;
    std::mutex mutex_;
};

// A store that notes each put in a shared event list, to check ordering against emits.
class OrderedStore final : public ResponseStore {
public:
    explicit OrderedStore(std::vector<std::string>& events) : events_(events) {}
    std::optional<StoredResponse> find(const std::string& key) override {
        for (const auto& [k, v] : entries)
            if (k == key) return v;
        return std::nullopt;
    }
    void put(const std::string& key, const StoredResponse& response) override {
        events_.push_back("put");
        entries.emplace_back(key, response);
    }
    std::vector<std::pair<std::string, StoredResponse>> entries;

private:
    std::vector<std::string>& events_;
};

inline ParsedConfig config_with_defaults(const ConfigSpec& spec, const Json& values) {
    Json all = Json::object();
    for (const auto& field : spec.fields)
        if (!field.default_value.is_null()) all[field.name] = field.default_value;
    all.update(values);
    return ParsedConfig(all);
}

inline Record chunk_record(std::string id, std::string text) {
    Record chunk;
    chunk.id = std::move(id);
    chunk.provenance.source = "samples/doc.md";
    chunk.data = Json{{"text", std::move(text)}, {"heading_path", {"Guide", "Section"}}, {"source", "samples/doc.md"}};
    return chunk;
}

}  // namespace flowdistill::teacher_test
