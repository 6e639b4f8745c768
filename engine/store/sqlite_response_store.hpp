#pragma once
// The run store: every paid provider response, kept in <output_dir>/run_store.sqlite before
// anything downstream sees it, so a rerun replays it for free. See docs/run-store.md.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <flowdistill/services.hpp>

struct sqlite3;

namespace flowdistill::engine {

namespace sqlite {
class Statement;
}

enum class StoreOpenMode {
    Resume,  // keep what is stored and add to it (a plain rerun)
    Fresh,   // --fresh: rename the old store aside as <file>.<UTC timestamp>.bak and start empty
};

// How far a put() that returned is guaranteed to survive.
enum class StoreDurability {
    // Synced to disk on every put (synchronous=FULL): survives kill -9 and a power cut. Costs one
    // fsync per put, a few milliseconds on slow disks, on the thread that calls put().
    PowerLoss,
    // Written to the OS on every put, synced at checkpoints (synchronous=NORMAL): survives kill -9
    // and any crash of flowdistill, but a power cut or kernel panic may lose the last puts (never
    // corrupting the store). For stores whose puts would otherwise wait on the disk.
    ProcessCrash,
};

struct StoreOptions {
    StoreDurability durability = StoreDurability::PowerLoss;
    // 0 = no cap. A cap makes a put that would grow the file past it fail like a full disk does.
    std::uint64_t max_size_bytes = 0;
    int busy_timeout_ms = 5000;
};

// One row of the `runs` table.
struct StoredRun {
    std::int64_t id = 0;
    std::string started_at;                  // UTC, ISO 8601
    std::optional<std::string> finished_at;  // unset while running, or when the run was killed
    std::string pipeline_hash;
    std::string inputs_hash;
    std::string status;                      // "running" until finish_run() names the outcome
};

// What the engine tells the user when a run starts.
struct ResumeSummary {
    std::uint64_t stored_responses = 0;
    std::optional<StoredRun> previous_run;
    bool pipeline_changed = false;
    bool inputs_changed = false;

    // e.g. "resuming: 1,234 stored responses; the pipeline changed since the last run, so the
    // requests it changes will be paid for again"
    std::string message() const;
};

class SqliteResponseStore final : public ResponseStore {
public:
    static constexpr const char* file_name = "run_store.sqlite";
    static std::filesystem::path path_in(const std::filesystem::path& output_dir) { return output_dir / file_name; }

    // Opens (creating it and its directory if needed) the store file. Every failure is a
    // FatalError naming the file and saying what to do: a read-only directory, a full disk, a
    // damaged or foreign file (left untouched), a store locked by another process.
    static std::unique_ptr<SqliteResponseStore> open(const std::filesystem::path& file, StoreOpenMode mode,
                                                     StoreOptions options = {});
    ~SqliteResponseStore() override;
    SqliteResponseStore(const SqliteResponseStore&) = delete;
    SqliteResponseStore& operator=(const SqliteResponseStore&) = delete;

    // See request_key.hpp: the body passed in must hold no secret.
    static std::string request_key(std::string_view provider, std::string_view base_url, std::string_view model,
                                   const Json& body_without_secrets);

    std::optional<StoredResponse> find(const std::string& key) override;
    // Committed when it returns: it survives kill -9, and with StoreDurability::PowerLoss (the
    // default) a power cut too. A second put with the same key replaces the first.
    void put(const std::string& key, const StoredResponse& response) override;

    std::uint64_t response_count();
    // Records a run that starts now; returns its id for finish_run().
    std::int64_t begin_run(std::string_view pipeline_hash, std::string_view inputs_hash);
    void finish_run(std::int64_t run_id, std::string_view status);
    std::optional<StoredRun> last_run();
    // Compares the last recorded run (before begin_run() for this one) with this run's hashes.
    ResumeSummary resume_summary(std::string_view pipeline_hash, std::string_view inputs_hash);

    const std::filesystem::path& path() const { return path_; }
    // Where --fresh moved the previous store; unset when nothing was moved.
    const std::optional<std::filesystem::path>& backup_path() const { return backup_path_; }

private:
    struct Statements;
    SqliteResponseStore(std::filesystem::path path, sqlite3* db, std::optional<std::filesystem::path> backup);
    [[noreturn]] void fail(const std::exception& error, std::string_view doing) const;
    std::optional<StoredRun> last_run_locked();

    std::filesystem::path path_;
    std::optional<std::filesystem::path> backup_path_;
    std::mutex mutex_;  // one connection, shared by TBB workers (find) and the network thread (put)
    sqlite3* db_;
    std::unique_ptr<Statements> statements_;
};

}  // namespace flowdistill::engine
