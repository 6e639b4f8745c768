#pragma once
// In-memory stand-ins for the engine's services, for unit tests of one stage's logic.
// Pipeline-level behaviour (real HTTP, SQLite, the graph) is tested through the engine instead.
#include <atomic>
#include <limits>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <flowdistill/flowdistill.hpp>

namespace flowdistill::testing {

class RecordingLogger final : public Logger {
public:
    void log(LogLevel level, std::string_view message) override {
        std::lock_guard lock(mutex_);
        lines.emplace_back(level, std::string(message));
    }
    bool enabled(LogLevel) const override { return true; }
    bool contains(std::string_view needle) const {
        std::lock_guard lock(mutex_);
        for (const auto& [level, text] : lines)
            if (text.find(needle) != std::string::npos) return true;
        return false;
    }
    std::vector<std::pair<LogLevel, std::string>> lines;

private:
    mutable std::mutex mutex_;
};

class NoHttp final : public HttpClient {
public:
    void send(HttpRequest, std::function<void(HttpResponse)>) override {
        throw std::logic_error("this test context has no HTTP client");
    }
    void set_limits(const std::string&, const EndpointLimits&) override {}
};

class SimpleLedger final : public BudgetLedger {
public:
    explicit SimpleLedger(double limit = std::numeric_limits<double>::infinity()) : limit_(limit) {}
    std::optional<BudgetReservation> reserve(double usd) override {
        std::lock_guard lock(mutex_);
        if (spent_ + reserved_ + usd > limit_) { exhausted_ = true; return std::nullopt; }
        reserved_ += usd;
        return BudgetReservation{++next_id_, usd};
    }
    void settle(const BudgetReservation& r, double actual) override {
        std::lock_guard lock(mutex_);
        reserved_ -= r.amount_usd;
        spent_ += actual;
    }
    void release(const BudgetReservation& r) override { settle(r, 0); }
    double spent_usd() const override { std::lock_guard lock(mutex_); return spent_; }
    double limit_usd() const override { return limit_; }
    bool exhausted() const override { std::lock_guard lock(mutex_); return exhausted_; }

private:
    mutable std::mutex mutex_;
    double limit_, spent_ = 0, reserved_ = 0;
    std::uint64_t next_id_ = 0;
    bool exhausted_ = false;
};

class MemoryStore final : public ResponseStore {
public:
    std::optional<StoredResponse> find(const std::string& key) override {
        std::lock_guard lock(mutex_);
        auto it = entries.find(key);
        if (it == entries.end()) return std::nullopt;
        return it->second;
    }
    void put(const std::string& key, const StoredResponse& r) override {
        std::lock_guard lock(mutex_);
        entries[key] = r;
    }
    std::map<std::string, StoredResponse> entries;

private:
    std::mutex mutex_;
};

class Flag final : public Cancellation {
public:
    bool stop_requested() const override { return stop.load(); }
    std::atomic<bool> stop{false};
};

class MapMetrics final : public StageMetrics {
public:
    void add(std::string_view counter, double amount) override {
        std::lock_guard lock(mutex_);
        counters[std::string(counter)] += amount;
    }
    void set_note(std::string_view key, std::string_view value) override {
        std::lock_guard lock(mutex_);
        notes[std::string(key)] = std::string(value);
    }
    double get(const std::string& counter) const {
        std::lock_guard lock(mutex_);
        auto it = counters.find(counter);
        return it == counters.end() ? 0 : it->second;
    }
    std::map<std::string, double> counters;
    std::map<std::string, std::string> notes;

private:
    mutable std::mutex mutex_;
};

// A PluginContext whose parts a test can inspect or replace (http_override, ledger_override...).
class TestContext final : public PluginContext {
public:
    explicit TestContext(std::filesystem::path output_dir = std::filesystem::temp_directory_path(),
                         std::vector<std::string> inputs = {}, std::string stage_id = "stage")
        : stage_id_(std::move(stage_id)), output_dir_(std::move(output_dir)), inputs_(std::move(inputs)) {}

    const std::string& stage_id() const override { return stage_id_; }
    const std::filesystem::path& output_dir() const override { return output_dir_; }
    const std::vector<std::string>& inputs() const override { return inputs_; }
    Logger& logger() override { return log; }
    HttpClient& http() override { return http_override ? *http_override : no_http; }
    BudgetLedger& budget() override { return ledger_override ? *ledger_override : ledger; }
    ResponseStore& store() override { return store_override ? *store_override : memory_store; }
    const Cancellation& cancellation() const override { return cancel; }
    StageMetrics& metrics() override { return stage_metrics; }

    RecordingLogger log;
    NoHttp no_http;
    SimpleLedger ledger;
    MemoryStore memory_store;
    Flag cancel;
    MapMetrics stage_metrics;
    HttpClient* http_override = nullptr;
    BudgetLedger* ledger_override = nullptr;
    ResponseStore* store_override = nullptr;

private:
    std::string stage_id_;
    std::filesystem::path output_dir_;
    std::vector<std::string> inputs_;
};

// Collects what a stage emits.
class VectorEmitter final : public Emitter {
public:
    void emit(Record record) override {
        std::lock_guard lock(mutex_);
        records.push_back(std::move(record));
    }
    std::vector<Record> records;

private:
    std::mutex mutex_;
};

}  // namespace flowdistill::testing
